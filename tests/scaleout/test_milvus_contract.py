"""The index-protocol contract suite against Milvus (milvus-lite 2.5.1, the real C++ core)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from search.filters import Filters
from search.models import Access
from tests.scaleout.conftest import MilvusLite
from tests.search.test_index_contract import KeywordIndexContract, VectorIndexContract, doc

pytestmark = pytest.mark.scaleout


def _backend(milvus: MilvusLite, collection: str, dim: int) -> Any:
    from search.milvus_index import MilvusBackend

    return MilvusBackend(milvus.uri, dim, collection=collection)


class TestMilvusKeywordIndex(KeywordIndexContract):
    @pytest.fixture(autouse=True)
    def _server(self, milvus: MilvusLite, collection: str) -> None:
        self.milvus, self.collection = milvus, collection

    def make(self, path: Path) -> Any:
        from search.milvus_index import MilvusKeywordIndex

        return MilvusKeywordIndex(_backend(self.milvus, self.collection, 4))

    def test_stemming_english_analyzer(self, tmp_path: Path) -> None:
        ix = self.make(tmp_path)
        ix.apply([(1, doc(1, "the consumers were running late"), "")], [], seq=1)
        assert [n for n, _ in ix.search("consumer runs", 5, None).ranked] == [1]

    def test_date_and_author_filters(self, tmp_path: Path) -> None:
        from datetime import UTC, datetime

        from search.models import Contribution

        old = datetime(2020, 1, 1, tzinfo=UTC)
        new = datetime(2024, 6, 1, tzinfo=UTC)
        ix = self.make(tmp_path)
        ix.apply([
            (1, doc(1, "kafka", created_at=old,
                    contributions=(Contribution("ann", "author", old),)), ""),
            (2, doc(2, "kafka", created_at=new), ""),
            (3, doc(3, "kafka"), ""),
        ], [], seq=1)
        since = Filters.parse({"since": "2023-01-01"})
        assert [n for n, _ in ix.search("kafka", 5, None, since).ranked] == [2]
        until = Filters.parse({"until": "2023-01-01"})
        assert [n for n, _ in ix.search("kafka", 5, None, until).ranked] == [1]
        assert [n for n, _ in ix.search("kafka", 5, None,
                                        Filters.parse({"author": "ann"})).ranked] == [1]

    def test_restricted_document_never_leaks_through_hybrid(self, tmp_path: Path) -> None:
        ix = self.make(tmp_path)
        from search.milvus_index import MilvusVectorIndex

        vec = MilvusVectorIndex(ix.backend)
        secret = doc(1, "kafka secret plan", access=Access.restricted(groups=["sec"]))
        vec.upsert(1, np.array([[1, 0, 0, 0]], dtype=np.float32))
        vec.upsert(2, np.array([[0, 1, 0, 0]], dtype=np.float32))
        ix.apply([(1, secret, ""), (2, doc(2, "kafka public"), "")], [], seq=1)
        query = np.array([1, 0, 0, 0], dtype=np.float32)
        for method in ("rrf", "linear"):
            fused = ix.hybrid_search("kafka secret", query, 10, ["public"], None, method, 0.5, 60)
            assert [n for n, _ in fused] == [2]
        assert [n for n, _ in vec.search_filtered(query, 10, ["public"])] == [2]
        both = ix.hybrid_search("kafka secret", query, 10, ["public", "group:sec"], None,
                                "rrf", 0.5, 60)
        assert next(n for n, _ in both) == 1


class TestMilvusVectorIndex(VectorIndexContract):
    @pytest.fixture(autouse=True)
    def _server(self, milvus: MilvusLite, collection: str) -> None:
        self.milvus, self.collection = milvus, collection

    def make(self, path: Path, dim: int) -> Any:
        from search.milvus_index import MilvusVectorIndex

        return MilvusVectorIndex(_backend(self.milvus, self.collection, dim))

    def test_dimension_mismatch_is_reported(self, tmp_path: Path) -> None:
        from search.milvus_index import MilvusIndexError

        self.make(tmp_path, 3)
        with pytest.raises(MilvusIndexError, match="reindex"):
            self.make(tmp_path, 5)


def test_unreachable_milvus_names_the_endpoint() -> None:
    pytest.importorskip("pymilvus")
    from search.milvus_index import MilvusBackend, MilvusIndexError
    from tests.scaleout.pg import free_port

    uri = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(MilvusIndexError, match=uri.replace(".", r"\.")):
        MilvusBackend(uri, 4, collection="nothing", timeout=2)
