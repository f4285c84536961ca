"""The Milvus collections socialsearch keeps: connection, schema, row fields and sequences.

A row of collection ``NAME`` is one passage of a document (primary key ``num << 10 | passage``)
with its MiniLM vector in ``dense``; passage 0 also carries the document's keyword text, which
Milvus's English analyzer and a BM25 function turn into the ``sparse`` field. Access tokens,
source, kind, audience, dates and authors are scalar fields on every row, so access is enforced
inside the server's filter expression. ``NAME_meta`` records the store sequence each index
reflects. Writing and searching the rows live in ``milvus_index.py``.
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from search.facets import facet_month
from search.keyword import KeywordIndexError
from search.milvus_expr import NO_DATE, epoch, quoted
from search.models import Document

SHIFT = 10
TEXT_BYTES = 65_535  # Milvus VARCHAR limit: longer keyword text is cut (documented)
ROW_FIELDS = ("doc_id", "text", "access", "source", "kind", "audience", "month", "created",
              "authors")


class MilvusIndexError(KeywordIndexError):
    """Milvus is unreachable, or the collection does not match this configuration."""


@contextmanager
def quiet_client() -> Iterator[None]:
    """Silence milvus-lite's pkg_resources warning and pymilvus's logged RPC tracebacks."""
    log = logging.getLogger("pymilvus")
    if log.level == logging.NOTSET:
        log.setLevel(logging.CRITICAL)  # errors reach the caller as MilvusIndexError
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated")
        yield


def _is_local(uri: str) -> bool:
    return not uri.partition("://")[1] and not uri.startswith("unix:")


class MilvusCollection:
    """The passage collection and its ``_meta`` sibling: created, checked and counted here."""

    def __init__(self, uri: str, dimension: int, collection: str = "socialsearch",
                 token: str = "", timeout: float = 10.0) -> None:
        with quiet_client():
            from pymilvus import MilvusClient

        self.uri = uri
        self.dimension = dimension
        self.name = collection
        self.meta = f"{collection}_meta"
        self.timeout = timeout
        self._lock = threading.RLock()
        if _is_local(uri):
            os.makedirs(os.path.dirname(os.path.abspath(uri)), exist_ok=True)
        try:
            with quiet_client():
                # a connection of its own: a shared one outlives a server restart badly
                self.client = MilvusClient(uri=uri, token=token, timeout=timeout, dedicated=True)
        except Exception as exc:
            raise MilvusIndexError(f"Milvus at {uri} is unreachable: {_reason(exc)}") from exc
        self.call(self._ensure)

    # -- plumbing ---------------------------------------------------------------------------
    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a client call, turning Milvus and connection errors into ``MilvusIndexError``."""
        from pymilvus.exceptions import MilvusException

        try:
            return fn(*args, **kwargs)
        except MilvusIndexError:
            raise
        except (MilvusException, OSError, RuntimeError) as exc:
            raise MilvusIndexError(
                f"Milvus at {self.uri} (collection {self.name}) failed: {_reason(exc)}; "
                "committed documents stay in the store: rerun to resume"
            ) from exc

    def _ensure(self) -> None:
        if not self.client.has_collection(self.meta):
            self._create_meta()
        if not self.client.has_collection(self.name):
            self._create_rows()
        else:
            self._check_dimension()
        for name in (self.meta, self.name):
            self.client.load_collection(name)

    def _create_meta(self) -> None:
        from pymilvus import DataType

        schema = self.client.create_schema(auto_id=False)
        schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=64)
        schema.add_field("value", DataType.INT64)
        schema.add_field("unused", DataType.FLOAT_VECTOR, dim=2)
        index = self.client.prepare_index_params()
        index.add_index("unused", index_type="FLAT", metric_type="IP")
        self.client.create_collection(self.meta, schema=schema, index_params=index,
                                      consistency_level="Strong")

    def _create_rows(self) -> None:
        from pymilvus import DataType, Function, FunctionType

        schema = self.client.create_schema(auto_id=False)
        schema.add_field("pk", DataType.INT64, is_primary=True)
        schema.add_field("num", DataType.INT64)
        schema.add_field("chunk", DataType.INT64)
        schema.add_field("doc_id", DataType.VARCHAR, max_length=512)
        schema.add_field("text", DataType.VARCHAR, max_length=TEXT_BYTES, enable_analyzer=True,
                         analyzer_params={"type": "english"})
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_field("dense", DataType.FLOAT_VECTOR, dim=self.dimension)
        schema.add_field("has_vector", DataType.BOOL)
        schema.add_field("access", DataType.ARRAY, element_type=DataType.VARCHAR,
                         max_capacity=4096, max_length=256)
        schema.add_field("authors", DataType.ARRAY, element_type=DataType.VARCHAR,
                         max_capacity=1024, max_length=256)
        for name, length in (("source", 128), ("kind", 64), ("audience", 16), ("month", 8)):
            schema.add_field(name, DataType.VARCHAR, max_length=length)
        schema.add_field("created", DataType.INT64)
        schema.add_function(Function(name="text_bm25", function_type=FunctionType.BM25,
                                     input_field_names=["text"], output_field_names=["sparse"]))
        index = self.client.prepare_index_params()
        index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
        index.add_index("dense", index_type="FLAT", metric_type="IP")
        self.client.create_collection(self.name, schema=schema, index_params=index,
                                      consistency_level="Strong")

    def _check_dimension(self) -> None:
        info = self.client.describe_collection(self.name)
        for spec in info.get("fields", []):
            if spec.get("name") == "dense":
                dim = int(spec.get("params", {}).get("dim", self.dimension))
                if dim != self.dimension:
                    raise MilvusIndexError(
                        f"Milvus collection {self.name} at {self.uri} has dimension {dim}, the "
                        f"embedder {self.dimension}; run `socialsearch reindex --backend milvus`"
                    )

    def drop(self) -> None:
        """Drop both collections and create empty ones."""
        with self._lock:
            for name in (self.name, self.meta):
                self.call(self.client.drop_collection, name)
            self.call(self._ensure)

    def close(self) -> None:
        """Close the client connection."""
        self.client.close()

    # -- sequences --------------------------------------------------------------------------
    def get_seq(self, key: str) -> int:
        """Return a recorded store sequence (-1 when none)."""
        rows = self.call(self.client.query, self.meta, filter=f"key == {quoted([key])[1:-1]}",
                         output_fields=["value"])
        return int(rows[0]["value"]) if rows else -1

    def set_seq(self, key: str, seq: int) -> None:
        """Record a store sequence (after the rows it covers were written)."""
        self.call(self.client.upsert, self.meta,
                  [{"key": key, "value": int(seq), "unused": [1.0, 0.0]}])

    def iter_field(self, field: str, expr: str, batch: int = 2000) -> Iterator[Any]:
        """Yield one field of every row matching ``expr`` (query iterator, any size)."""
        iterator = self.call(self.client.query_iterator, self.name, batch_size=batch,
                             filter=expr, output_fields=[field])
        try:
            while True:
                rows = self.call(iterator.next)
                if not rows:
                    return
                for row in rows:
                    yield row[field]
        finally:
            iterator.close()

    def count(self, expr: str) -> int:
        """Return how many rows match ``expr``."""
        rows = self.call(self.client.query, self.name, filter=expr, output_fields=["count(*)"])
        return int(rows[0]["count(*)"]) if rows else 0



def _reason(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc)
    return " ".join(str(message).split())[:300]


def _cut(text: str, limit: int = TEXT_BYTES) -> str:
    raw = text.encode("utf-8")
    return text if len(raw) <= limit else raw[:limit].decode("utf-8", "ignore")


def doc_fields(doc: Document | None, people: str) -> dict[str, Any]:
    """Return the row fields of a document (``None``: a vector-only row nobody may read)."""
    if doc is None:
        return {"doc_id": "", "text": "", "access": [], "source": "", "kind": "",
                "audience": "", "month": "", "created": NO_DATE, "authors": []}
    content = "\n".join(p for p in (doc.title, doc.text, people, " ".join(doc.tags)) if p)
    created = doc.created_at
    return {
        "doc_id": doc.id, "text": _cut(content.replace("\x00", " ")),
        "access": doc.access.tokens() or ["__nobody__"], "source": doc.source,
        "kind": doc.kind, "audience": doc.audience,
        "month": facet_month(created), "created": epoch(created),
        "authors": [a[:256] for a in doc.author_ids][:1024],
    }


