"""Contract tests for the index protocols; every backend's test class inherits them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from search.filters import Filters
from search.keyword import WhooshIndex
from search.models import Access, Document
from search.vector import FaissIndex


def doc(i: int, text: str, **kw: Any) -> Document:
    return Document(id=f"t:{i}", source=kw.pop("source", "t"), kind="page", title=f"title {i}",
                    text=text, **kw)


class KeywordIndexContract:
    """Behaviour every KeywordIndex must have."""

    def make(self, path: Path) -> Any:
        raise NotImplementedError

    def test_upsert_search_delete(self, tmp_path: Path) -> None:
        ix = self.make(tmp_path)
        ix.apply([(1, doc(1, "kafka consumer lag"), ""), (2, doc(2, "billing invoices"), "")],
                 [], seq=1)
        assert [n for n, _ in ix.search("kafka", 10, None).ranked] == [1]
        ix.apply([], ["t:1"], seq=2)
        assert ix.search("kafka", 10, None).ranked == []
        assert ix.applied_seq() == 2
        assert ix.all_ids() == {"t:2"}

    def test_access_tokens_filter(self, tmp_path: Path) -> None:
        ix = self.make(tmp_path)
        ix.apply([(1, doc(1, "secret kafka", access=Access.restricted(groups=["sec"])), ""),
                  (2, doc(2, "public kafka"), "")], [], seq=1)
        assert [n for n, _ in ix.search("kafka", 10, ["public"]).ranked] == [2]
        assert {n for n, _ in ix.search("kafka", 10, ["public", "group:sec"]).ranked} == {1, 2}

    def test_filters_and_facets(self, tmp_path: Path) -> None:
        ix = self.make(tmp_path)
        ix.apply([(1, doc(1, "kafka", source="slack"), ""), (2, doc(2, "kafka"), "")], [], 1)
        result = ix.search("kafka", 10, None, Filters.parse({"source": "slack"}), facets=True)
        assert [n for n, _ in result.ranked] == [1]
        assert result.facets["source"] == {"slack": 1}

    def test_filter_matching_nothing_and_later_writes(self, tmp_path: Path) -> None:
        ix = self.make(tmp_path)
        ix.apply([(1, doc(1, "kafka"), "")], [], 1)
        only_slack = Filters.parse({"source": "slack"})
        assert ix.search("kafka", 10, None, only_slack).ranked == []
        assert ix.search("kafka", 10, ["group:nobody"]).ranked == []
        ix.apply([(2, doc(2, "kafka", source="slack"), "")], [], 2)
        assert [n for n, _ in ix.search("kafka", 10, None, only_slack).ranked] == [2]
        ix.apply([(3, doc(3, "kafka", source="slack"), "")], [], 3)
        assert {n for n, _ in ix.search("kafka", 10, ["public"], only_slack).ranked} == {2, 3}

    def test_hostile_queries_do_not_raise(self, tmp_path: Path) -> None:
        ix = self.make(tmp_path)
        ix.apply([(1, doc(1, "kafka"), "")], [], 1)
        for query in ['"unbalanced', "AND OR NOT", "((((", "*:*", "a" * 10000, "title:", "\x00"]:
            ix.search(query, 10, None)

    def test_snippet_escapes_html(self, tmp_path: Path) -> None:
        ix = self.make(tmp_path)
        snippet = ix.snippet("<script>alert(1)</script> kafka rocks", ["kafka"])
        assert "<script>" not in snippet and "<mark" in snippet


class VectorIndexContract:
    """Behaviour every VectorIndex must have."""

    def make(self, path: Path, dim: int) -> Any:
        raise NotImplementedError

    def test_best_passage_and_delete(self, tmp_path: Path) -> None:
        ix = self.make(tmp_path, 3)
        ix.upsert(1, np.array([[1, 0, 0], [0, 1, 0]], dtype=np.float32))
        ix.upsert(2, np.array([[0, 0, 1]], dtype=np.float32))
        assert ix.search(np.array([0, 1, 0], dtype=np.float32), 1)[0][0] == 1
        ix.delete([1])
        assert [n for n, _ in ix.search(np.array([0, 1, 0], dtype=np.float32), 5)] == [2]

    def test_accept_filter_keeps_recall(self, tmp_path: Path) -> None:
        ix = self.make(tmp_path, 2)
        rng = np.random.default_rng(0)
        for num in range(1, 300):
            vec = rng.normal(size=(1, 2)).astype(np.float32)
            ix.upsert(num, vec / np.linalg.norm(vec))
        hits = ix.search(np.array([1, 0], dtype=np.float32), 5, accept=lambda nums: {299})
        assert [n for n, _ in hits] == [299]

    def test_among_scores_only_those_documents_by_their_best_passage(self, tmp_path: Path) -> None:
        ix = self.make(tmp_path, 3)
        ix.upsert(1, np.array([[1, 0, 0]], dtype=np.float32))
        ix.upsert(2, np.array([[0, 1, 0], [0.6, 0.8, 0]], dtype=np.float32))
        ix.upsert(3, np.array([[0, 0, 1]], dtype=np.float32))
        query = np.array([1, 0, 0], dtype=np.float32)
        found = dict(ix.search(query, 5, among=[2, 3]))
        assert set(found) == {2, 3} and found[2] == pytest.approx(0.6, abs=1e-4)
        assert ix.search(query, 5, among=[]) == []

    def test_persistence(self, tmp_path: Path) -> None:
        ix = self.make(tmp_path, 2)
        ix.upsert(7, np.array([[1, 0]], dtype=np.float32))
        ix.mark(4)
        ix.save()
        again = self.make(tmp_path, 2)
        assert again.applied_seq() == 4 and again.doc_nums() == {7}


class TestWhooshIndex(KeywordIndexContract):
    def make(self, path: Path) -> Any:
        return WhooshIndex(path / "kw")


class TestFaissIndex(VectorIndexContract):
    def make(self, path: Path, dim: int) -> Any:
        return FaissIndex(path / "vec", dim)


def test_corrupt_vector_file_gives_clear_error(tmp_path: Path) -> None:
    from search.vector import VectorIndexError

    (tmp_path / "vec").mkdir()
    (tmp_path / "vec" / "vectors.faiss").write_bytes(b"garbage")
    with pytest.raises(VectorIndexError, match="reindex"):
        FaissIndex(tmp_path / "vec", 2)


def test_corrupt_keyword_dir_gives_clear_error(tmp_path: Path) -> None:
    from search.keyword import KeywordIndexError

    WhooshIndex(tmp_path / "kw").apply([(1, doc(1, "x"), "")], [], 1)
    for file in (tmp_path / "kw").glob("*.toc"):
        file.write_bytes(b"broken")
    with pytest.raises(KeywordIndexError, match="reindex"):
        WhooshIndex(tmp_path / "kw")
