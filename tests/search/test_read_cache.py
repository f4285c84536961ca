"""Tests of the read-path caches: readable masks per principal and hydrated documents."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.filters import Filters
from search.models import Access, Document, Principal
from search.read_cache import ReadableMask, ReadCache

ANON = Principal.anonymous()
EXEC = Principal(user_id="ceo", groups=frozenset({"exec"}))
SALES = Principal(user_id="rep", groups=frozenset({"sales"}))
METHODS = ("vector", "linear", "rrf", "keyword")


def doc(i: int, text: str, **kw: Any) -> Document:
    return Document(id=f"wiki:{i}", source="wiki", kind=kw.pop("kind", "wiki"),
                    title=kw.pop("title", f"Page {i}"),
                    text=text, created_at=datetime(2024, 3, i, tzinfo=UTC), **kw)


def ids(engine: SearchEngine, query: str, who: Principal, method: str = "vector") -> list[str]:
    return [h.doc_id for h in engine.search(query, who, fusion=method).hits]


@pytest.fixture
def reader(settings: Settings, engine: SearchEngine) -> Iterator[SearchEngine]:
    """A second engine on the same data dir, as the web app is beside the indexing command."""
    other = SearchEngine(settings, embedder=HashingEmbedder())
    yield other
    other.close()


def test_mask_keeps_only_listed_numbers() -> None:
    import numpy as np

    mask = ReadableMask(np.array([2, 5], dtype=np.int64))
    assert mask.keep([1, 2, 5, 6, 1000, -1]) == {2, 5}
    assert mask.allows(5) and not mask.allows(3) and not mask.allows(99)
    assert ReadableMask(np.zeros(0, dtype=np.int64)).keep([0, 1]) == set()


def test_principals_never_share_a_mask(engine: SearchEngine) -> None:
    engine.upsert([
        doc(1, "halcyon acquisition plan", access=Access.restricted(groups=["exec"])),
        doc(2, "halcyon sales pipeline", access=Access.restricted(groups=["sales"])),
        doc(3, "halcyon public launch notes"),
    ])
    for method in METHODS:  # twice each: the second answer comes from the caches
        for _ in range(2):
            assert set(ids(engine, "halcyon", EXEC, method)) == {"wiki:1", "wiki:3"}
            assert set(ids(engine, "halcyon", SALES, method)) == {"wiki:2", "wiki:3"}
            assert set(ids(engine, "halcyon", ANON, method)) == {"wiki:3"}


def test_access_change_is_seen_by_the_next_search(engine: SearchEngine,
                                                  reader: SearchEngine) -> None:
    secret = doc(1, "halcyon acquisition plan", access=Access.restricted(groups=["exec"]))
    engine.upsert([secret, doc(2, "quarterly notes")])
    for method in METHODS:
        assert "wiki:1" not in ids(reader, "halcyon acquisition", SALES, method)
    engine.upsert([doc(1, "halcyon acquisition plan",
                       access=Access.restricted(groups=["exec", "sales"]))])
    for method in METHODS:
        assert "wiki:1" in ids(reader, "halcyon acquisition", SALES, method)
    engine.upsert([secret])  # and taken away again
    for method in METHODS:
        assert "wiki:1" not in ids(reader, "halcyon acquisition", SALES, method)


def test_edited_and_deleted_documents_are_not_served_from_the_cache(
        engine: SearchEngine, reader: SearchEngine) -> None:
    engine.upsert([doc(1, "kafka consumer lag runbook", title="Old title"), doc(2, "billing")])
    assert reader.search("kafka lag", ANON).hits[0].title == "Old title"
    assert len(reader.reads) >= 1
    engine.upsert([doc(1, "kafka consumer lag runbook", title="New title")])
    assert reader.search("kafka lag", ANON).hits[0].title == "New title"
    engine.delete(["wiki:1"])
    for method in METHODS:
        assert "wiki:1" not in ids(reader, "kafka lag", ANON, method)


def test_a_value_read_before_a_change_is_not_cached_under_the_new_sequence(
        engine: SearchEngine) -> None:
    engine.upsert([doc(1, "first version")])
    cache = ReadCache(engine.store)
    old = cache.refresh()
    num = next(iter(engine.store.all_nums()))
    engine.upsert([doc(1, "second version", access=Access.restricted(groups=["exec"]))])
    new = cache.refresh()
    assert new > old and len(cache) == 0
    cache.documents([num], old)  # a slow request that started before the change
    cache.mask(["group:exec"], old)
    assert len(cache) == 0 and not cache._masks
    assert cache.documents([num], new)[num].text == "second version"
    assert len(cache) == 1
    engine.upsert([doc(1, "third version", kind="page")])
    newest = cache.refresh()
    assert cache.facet_values([num], new) == [{"source": "wiki", "kind": "page",
                                              "audience": "internal", "month": "2024-03"}]
    assert not cache._facets  # read under an older sequence: served, not kept
    assert cache.facet_values([num], newest)[0]["kind"] == "page" and len(cache._facets) == 1


def test_cache_stays_bounded(engine: SearchEngine) -> None:
    engine.upsert([doc(i, f"topic {i}") for i in range(1, 9)])
    cache = ReadCache(engine.store, max_docs=3, max_masks=2)
    seq = cache.refresh()
    nums = sorted(engine.store.all_nums())
    assert len(cache.documents(nums, seq)) == 8
    assert len(cache) == 3
    for groups in (["a"], ["b"], ["c"]):
        cache.mask(groups, seq)
    assert len(cache._masks) == 2


def test_filters_still_apply_on_the_vector_leg(engine: SearchEngine) -> None:
    engine.upsert([doc(1, "halcyon notes"),
                   Document(id="slack:1", source="slack", kind="thread", title="halcyon",
                            text="halcyon chat", created_at=datetime(2024, 3, 2, tzinfo=UTC))])
    only_slack = Filters(sources=frozenset({"slack"}))
    result = engine.search("halcyon", ANON, filters=only_slack, fusion="vector")
    assert [h.doc_id for h in result.hits] == ["slack:1"]
