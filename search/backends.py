"""Choose the keyword and vector indexes for the settings: local (Whoosh + FAISS) or Milvus."""

from __future__ import annotations

from typing import Any

from search.config import Settings
from search.keyword import KeywordIndexError

BACKENDS = ("local", "milvus")


class BackendError(KeywordIndexError):
    """The configured index backend is unknown or its optional packages are missing."""


def milvus_uri(settings: Settings) -> str:
    """Return the Milvus URI: the setting, or a Milvus Lite file in the data directory."""
    return settings.milvus_uri or str(settings.data_path / "milvus.db")


def make_indexes(settings: Settings, dimension: int) -> tuple[Any, Any]:
    """Return ``(keyword index, vector index)`` for ``settings.index_backend``."""
    if settings.index_backend == "local":
        from search.keyword import WhooshIndex
        from search.vector import FaissIndex

        return (WhooshIndex(settings.data_path / "keyword", title_boost=settings.title_boost),
                FaissIndex(settings.data_path / "vector", dimension))
    if settings.index_backend == "milvus":
        try:
            import pymilvus  # noqa: F401
        except ImportError as exc:
            raise BackendError(
                "index_backend = 'milvus' needs the cluster extra: "
                "pip install 'socialsearch[cluster]'"
            ) from exc
        from search.milvus_index import MilvusBackend, MilvusKeywordIndex, MilvusVectorIndex

        backend = MilvusBackend(milvus_uri(settings), dimension,
                                collection=settings.milvus_collection,
                                token=settings.milvus_token)
        return MilvusKeywordIndex(backend), MilvusVectorIndex(backend)
    raise BackendError(f"unknown index_backend {settings.index_backend!r}; use local or milvus")
