"""A selective filter (few internal documents among many customer posts) searches only those
documents' vectors, with the same answers as widening through every vector."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.filters import Filters
from search.models import Access, Document, Principal
from search.vector import FaissIndex

ANON = Principal.anonymous()
INTERNAL = Filters(audience="internal")
AT = datetime(2024, 5, 1, tzinfo=UTC)


def unit(rng: np.random.Generator, rows: int, dim: int = 8) -> np.ndarray:
    x = rng.normal(size=(rows, dim)).astype(np.float32)
    return np.asarray(x / np.linalg.norm(x, axis=1, keepdims=True), dtype=np.float32)


def test_search_among_only_returns_those_documents(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    index = FaissIndex(tmp_path, 8)
    for num in range(1, 201):
        index.upsert(num, unit(rng, 1 + num % 3))
    query = unit(rng, 1)[0]
    among = {3, 50, 77, 199}
    found = index.search(query, 10, among=among)
    assert {n for n, _ in found} == among
    unrestricted = dict(index.search(query, 200))
    assert found == sorted(((n, unrestricted[n]) for n in among), key=lambda p: -p[1])
    assert index.search(query, 2, among=among) == found[:2]
    assert index.search(query, 10, among=set()) == []
    assert index.search(query, 10, among={5000}) == []  # not in the index
    assert index.search(query, 10, accept=lambda nums: {3} & set(nums), among=among) == \
        [(3, unrestricted[3])]


def corpus() -> list[Document]:
    posts = [Document(id=f"tw:{i}", source="tw", kind="post", title="",
                      text=f"wifi on the plane {'broken' if i % 2 else 'slow'} again {i}",
                      created_at=AT, audience="customer") for i in range(300)]
    wiki = [
        Document(id="wiki:wifi", source="wiki", kind="wiki", title="Wifi outage runbook",
                 text="How to restart the onboard wifi when it is broken", created_at=AT),
        Document(id="wiki:seats", source="wiki", kind="wiki", title="Seat maps",
                 text="Seat map changes for the new cabin", created_at=AT),
        Document(id="wiki:secret", source="wiki", kind="wiki", title="Wifi vendor contract",
                 text="Confidential wifi vendor pricing", created_at=AT,
                 access=Access.restricted(groups=["legal"])),
    ]
    return posts + wiki


@pytest.fixture
def mixed(tmp_path: Path) -> SearchEngine:
    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder(), post_sync=[])
    engine.upsert(corpus())
    return engine


def test_filtered_nums_lists_only_small_sets_and_respects_access(mixed: SearchEngine) -> None:
    store = mixed.store
    nums = store.nums_for(["wiki:wifi", "wiki:seats", "wiki:secret"])
    assert store.filtered_nums(ANON, INTERNAL, 10) == {nums["wiki:wifi"], nums["wiki:seats"]}
    assert store.filtered_nums(Principal.system(), INTERNAL, 10) == set(nums.values())
    legal = Principal("lee", frozenset({"legal"}))
    assert store.filtered_nums(legal, INTERNAL, 3) == set(nums.values())
    assert store.filtered_nums(legal, INTERNAL, 2) is None  # more than the limit
    assert store.filtered_nums(ANON, Filters(audience="customer"), 100) is None
    assert store.filtered_nums(ANON, Filters(audience="customer"), 300) is not None
    mixed.close()


def test_engine_vector_leg_matches_widening_and_hides_private(mixed: SearchEngine,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    calls: list[int] = []
    original = mixed.store.readable_nums

    def counting(nums: list[int], principal: Principal, filters: Filters | None = None
                 ) -> set[int]:
        calls.append(len(nums))
        return original(nums, principal, filters)

    monkeypatch.setattr(mixed.store, "readable_nums", counting)
    for who in (ANON, Principal("lee", frozenset({"legal"}))):
        fast = mixed.search("wifi broken", who, INTERNAL, fusion="vector", limit=10)
        assert max(calls) <= 3  # never widened through the 300 customer posts
        calls.clear()
        monkeypatch.setattr(mixed, "_filtered_nums", lambda principal, filters: None)
        slow = mixed.search("wifi broken", who, INTERNAL, fusion="vector", limit=10)
        assert max(calls) > 100  # the old path checks customer posts too
        monkeypatch.undo()
        monkeypatch.setattr(mixed.store, "readable_nums", counting)
        calls.clear()
        assert [(h.doc_id, h.vector_score) for h in fast.hits] == \
            [(h.doc_id, h.vector_score) for h in slow.hits]
        assert all(h.audience == "internal" for h in fast.hits)
        assert ("wiki:secret" in {h.doc_id for h in fast.hits}) == (who is not ANON)
    hybrid = mixed.search("wifi broken", ANON, INTERNAL)
    assert hybrid.hits[0].doc_id == "wiki:wifi"
    customer = mixed.search("wifi broken", ANON, Filters(audience="customer"), limit=5)
    assert len(customer.hits) == 5 and all(h.audience == "customer" for h in customer.hits)
    mixed.close()
