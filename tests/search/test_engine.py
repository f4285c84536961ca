"""Tests of the engine: consistency between store and indexes, recovery, access, bad input."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import NO_FLOOR, SEARCH_SIMILARITY, QueryError, SearchEngine
from search.filters import FilterError, Filters
from search.fusion import fuse
from search.models import Access, Contribution, Document, Person, Principal

ANON = Principal.anonymous()


def doc(i: int, text: str, **kw: Any) -> Document:
    kw.setdefault("created_at", datetime(2024, 3, i % 28 + 1, tzinfo=UTC))
    return Document(id=f"wiki:{i}", source=kw.pop("source", "wiki"), kind=kw.pop("kind", "wiki"),
                    title=kw.pop("title", f"Page {i}"), text=text, **kw)


def ids(result: Any) -> list[str]:
    return [h.doc_id for h in result.hits]


def test_upsert_search_delete(engine: SearchEngine) -> None:
    engine.upsert([doc(1, "kafka consumer lag runbook"), doc(2, "billing invoice refunds")])
    assert ids(engine.search("kafka lag", ANON))[0] == "wiki:1"
    assert engine.delete(["wiki:1"]) == 1
    assert "wiki:1" not in ids(engine.search("kafka lag", ANON))
    assert engine.doctor().healthy


def test_hits_carry_explain_scores_and_escaped_snippets(engine: SearchEngine) -> None:
    engine.upsert([doc(1, "<img src=x onerror=alert(1)> kafka consumer lag")])
    hit = engine.search("kafka", ANON).hits[0]
    assert hit.keyword_rank == 1 and hit.vector_rank == 1
    without_marks = re.sub(r'</?mark( class="[^"]*")?>', "", hit.snippet)
    assert "<" not in without_marks and ">" not in without_marks
    assert "onerror" in without_marks  # the text is shown, inert
    assert hit.to_dict(explain=True)["explain"]["fused_score"] == hit.score


def test_private_documents_never_reach_outsiders(engine: SearchEngine) -> None:
    engine.upsert([
        doc(1, "project halcyon acquisition plan", access=Access.restricted(groups=["exec"])),
        doc(2, "quarterly all hands notes"),
    ])
    for method in ("rrf", "linear", "keyword", "vector"):
        result = engine.search("halcyon acquisition", ANON, fusion=method)
        assert "wiki:1" not in ids(result)
        assert result.facets.get("source", {}).get("wiki", 0) <= 1
    insider = Principal(user_id="ceo", groups=frozenset({"exec"}))
    assert ids(engine.search("halcyon acquisition", insider))[0] == "wiki:1"


def test_filters_and_facets(engine: SearchEngine) -> None:
    engine.upsert([
        doc(1, "kafka", source="slack", kind="thread",
            contributions=(Contribution("ann", "author"),)),
        doc(2, "kafka"), doc(3, "kafka", audience="customer", kind="post"),
    ])
    result = engine.search("kafka", ANON, Filters.parse({"source": "slack"}))
    assert ids(result) == ["wiki:1"]
    assert ids(engine.search("kafka", ANON, Filters.parse({"author": "ann"}))) == ["wiki:1"]
    assert ids(engine.search("kafka", ANON, Filters.parse({"audience": "customer"}))) == ["wiki:3"]
    facets = engine.search("kafka", ANON).facets
    assert facets["source"] == {"slack": 1, "wiki": 2}
    assert facets["audience"] == {"customer": 1, "internal": 2}


def test_until_a_date_includes_that_whole_day(engine: SearchEngine) -> None:
    engine.upsert([doc(1, "kafka", created_at=datetime(2024, 3, 5, 15, tzinfo=UTC)),
                   doc(2, "kafka", created_at=datetime(2024, 3, 6, 0, 30, tzinfo=UTC))])
    found = engine.search("kafka", ANON, Filters.parse({"until": "2024-03-05"}), fusion="keyword")
    assert ids(found) == ["wiki:1"]
    found = engine.search("kafka", ANON, Filters.parse({"since": "2024-03-06"}), fusion="keyword")
    assert ids(found) == ["wiki:2"]


def test_facets_count_hits_found_by_meaning_alone(engine: SearchEngine) -> None:
    engine.upsert([
        doc(1, "kafka consumer lag"), doc(2, "billing invoices", source="slack", kind="thread"),
        doc(3, "secret kafka plan", source="slack", access=Access.restricted(groups=["x"])),
    ])
    result = engine.search("kafka", ANON, min_vector_score=NO_FLOOR)
    assert ids(result) == ["wiki:1", "wiki:2"]  # wiki:2 through the vector leg only
    assert result.facets["source"] == {"wiki": 1, "slack": 1}  # the private page not counted
    assert result.facets["kind"] == {"wiki": 1, "thread": 1}
    assert sum(result.facets["source"].values()) == result.total
    vector_only = engine.search("kafka", ANON, fusion="vector", min_vector_score=NO_FLOOR)
    assert vector_only.facets["source"] == {"wiki": 1, "slack": 1}
    assert vector_only.facets["month"] == {"2024-03": 2}


def test_facets_of_meaning_hits_follow_changes_to_the_store(engine: SearchEngine) -> None:
    engine.upsert([doc(1, "kafka consumer lag"), doc(2, "billing invoices", source="slack")])
    before = engine.search("kafka", ANON, min_vector_score=NO_FLOOR).facets["source"]
    assert before == {"wiki": 1, "slack": 1}
    engine.upsert([doc(2, "billing invoices", source="qa")])  # the vector-only hit moves
    after = engine.search("kafka", ANON, min_vector_score=NO_FLOOR).facets["source"]
    assert after == {"wiki": 1, "qa": 1}


def test_facets_stay_keyword_counts_when_the_keyword_leg_is_cut(tmp_path: Any) -> None:
    eng = SearchEngine(Settings(data_dir=str(tmp_path), embedder="hashing", candidates=3),
                       embedder=HashingEmbedder())
    try:
        eng.upsert([doc(i, f"kafka {i}") for i in range(1, 6)]
                   + [doc(9, "billing", source="slack")])
        result = eng.search("kafka", ANON, limit=2, min_vector_score=NO_FLOOR)
        # five keyword matches, three returned: a vector hit might be one of the other two
        assert result.facets["source"] == {"wiki": 5}
    finally:
        eng.close()


def test_pagination_is_stable(engine: SearchEngine) -> None:
    engine.upsert([doc(i, f"kafka topic {i} " + "kafka " * i) for i in range(1, 26)])
    first = ids(engine.search("kafka", ANON, limit=10))
    second = ids(engine.search("kafka", ANON, limit=10, offset=10))
    assert len(first) == 10 and len(second) == 10 and not set(first) & set(second)


@pytest.mark.parametrize("query", ["", "   ", "!!!", "\x00\x01"])
def test_empty_queries_are_clear_errors(engine: SearchEngine, query: str) -> None:
    with pytest.raises(QueryError, match="empty"):
        engine.search(query, ANON)


@pytest.mark.parametrize("query", ['"unbalanced', "kafka AND", "OR OR", "((kafka", "x" * 50000,
                                   " ".join(["kafka"] * 5000), "title:kafka", "k*"])
def test_hostile_queries_answer(engine: SearchEngine, query: str) -> None:
    engine.upsert([doc(1, "kafka")])
    engine.search(query, ANON)


def test_unknown_filter_is_rejected() -> None:
    with pytest.raises(FilterError, match="unknown filter"):
        Filters.parse({"colour": "red"})
    with pytest.raises(FilterError):
        Filters.parse({"since": "not a date"})


def test_document_without_text_is_indexed_by_title(engine: SearchEngine) -> None:
    engine.upsert([doc(1, "", title="Empty page about kafka"), doc(2, "", title="")])
    assert ids(engine.search("kafka", ANON)) == ["wiki:1"]
    assert engine.doctor().healthy


def test_people_names_are_searchable(engine: SearchEngine) -> None:
    engine.upsert_people([Person("u.z", "Zoë Müller")])
    engine.upsert([doc(1, "runbook", contributions=(Contribution("u.z", "author"),))])
    assert ids(engine.search("Müller", ANON)) == ["wiki:1"]


def test_lagging_indexes_catch_up_on_open(settings: Settings) -> None:
    engine = SearchEngine(settings, embedder=HashingEmbedder())
    engine.upsert([doc(1, "kafka"), doc(2, "billing")])
    # a crash after the store committed but before the indexes were updated
    engine.store.upsert_documents([doc(3, "kafka streams")])
    engine.store.delete_documents(["wiki:2"])
    engine.close()
    reopened = SearchEngine(settings, embedder=HashingEmbedder())
    assert reopened.doctor().healthy
    assert "wiki:3" in ids(reopened.search("kafka", ANON))
    assert "wiki:2" not in ids(reopened.search("billing", ANON, fusion="keyword"))


def test_failed_keyword_commit_is_redone(settings: Settings, monkeypatch: Any) -> None:
    engine = SearchEngine(settings, embedder=HashingEmbedder())
    engine.upsert([doc(1, "kafka")])

    def boom(*_a: Any, **_k: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(engine.keyword, "apply", boom)
    with pytest.raises(RuntimeError):
        engine.upsert([doc(2, "kafka again")])
    monkeypatch.undo()
    engine.close()
    reopened = SearchEngine(settings, embedder=HashingEmbedder())
    assert reopened.doctor().healthy
    assert set(ids(reopened.search("kafka", ANON))) == {"wiki:1", "wiki:2"}


def test_reindex_uses_embedding_cache(settings: Settings) -> None:
    class CountingEmbedder(HashingEmbedder):
        calls = 0

        def embed(self, texts: Any, batch_size: int = 32) -> Any:
            CountingEmbedder.calls += len(texts)
            return super().embed(texts, batch_size)

    engine = SearchEngine(settings, embedder=CountingEmbedder())
    engine.upsert([doc(i, f"text {i}") for i in range(1, 6)])
    before = CountingEmbedder.calls
    assert engine.reindex() == 5
    assert CountingEmbedder.calls == before  # cached passages are not embedded again
    assert engine.doctor().healthy
    engine.upsert([doc(1, "text 1")])  # unchanged content
    assert CountingEmbedder.calls == before


def test_stats(engine: SearchEngine) -> None:
    engine.upsert([doc(1, "a"), doc(2, "b", audience="customer")])
    stats = engine.stats()
    assert stats["documents"] == 2 and stats["keyword_docs"] == 2 and stats["vector_docs"] == 2
    assert stats["by_audience"] == {"customer": 1, "internal": 1}


def test_linear_fusion_is_min_max_over_both_legs(engine: SearchEngine) -> None:
    texts = ["kafka consumer lag runbook", "kafka broker upgrade notes", "consumer group lag",
             "billing invoice refunds", "lag in the office wifi", "kafka kafka kafka retention"]
    engine.upsert([doc(i, t) for i, t in enumerate(texts, start=1)])
    query = "kafka consumer lag"
    legs = [[(h.doc_id, h.score) for h in engine.search(query, ANON, fusion=m, limit=100).hits]
            for m in ("keyword", "vector")]
    weight = engine.settings.vector_weight
    expected = fuse(legs[0], legs[1], "linear", weight)
    got = engine.search(query, ANON, fusion="linear", limit=100).hits
    assert [h.doc_id for h in got] == [key for key, _ in expected]
    assert [h.score for h in got] == pytest.approx([score for _, score in expected])


def test_faint_vector_only_hits_are_left_out(engine: SearchEngine, monkeypatch: Any) -> None:
    engine.upsert([doc(1, "kafka consumer lag runbook"), doc(2, "billing invoice refunds"),
                   doc(3, "quarterly all hands notes")])
    everything = engine.search("kafka", ANON, limit=100, min_vector_score=NO_FLOOR)
    assert len(everything.hits) == 3 and everything.keyword_matches == 1
    assert not everything.meaning_only
    far = {h.doc_id: h.vector_score for h in everything.hits if h.keyword_rank is None}
    floor = max(far.values()) + 1e-6  # type: ignore[type-var]
    kept = engine.search("kafka", ANON, limit=100, min_vector_score=floor)
    assert ids(kept) == ["wiki:1"] and kept.total == 1
    # the hashing test embedder is not calibrated, so by default every neighbour stays …
    assert len(engine.search("kafka", ANON, limit=100).hits) == 3
    # … and a calibrated embedder's floor applies without asking
    monkeypatch.setitem(SEARCH_SIMILARITY, engine.embedder.name, floor)
    assert ids(engine.search("kafka", ANON, limit=100)) == ["wiki:1"]
    nothing = engine.search("zeppelin", ANON, limit=100, min_vector_score=1.01)
    assert nothing.hits == [] and nothing.total == 0 and not nothing.meaning_only


def test_a_query_no_document_contains_is_answered_by_meaning_only(engine: SearchEngine) -> None:
    engine.upsert([doc(1, "kafka consumer lag runbook"), doc(2, "billing invoice refunds")])
    result = engine.search("zeppelin", ANON, min_vector_score=NO_FLOOR)
    assert result.hits and result.keyword_matches == 0 and result.meaning_only
    vector_only = engine.search("zeppelin", ANON, fusion="vector", min_vector_score=NO_FLOOR)
    assert vector_only.keyword_matches is None and not vector_only.meaning_only


@pytest.mark.parametrize("fusion", ["linear", "rrf"])
def test_paging_past_the_candidates_neither_repeats_nor_skips(tmp_path: Any, fusion: str) -> None:
    eng = SearchEngine(Settings(data_dir=str(tmp_path), embedder="hashing", candidates=6),
                       embedder=HashingEmbedder())
    words = ["alpha", "beta", "gamma", "delta", "kafka", "lag"]
    try:
        eng.upsert([doc(i, " ".join(words[(i * k) % 6] for k in range(1, 2 + i % 5)))
                    for i in range(1, 40)])
        everything = eng.search("kafka lag", ANON, limit=100, fusion=fusion,
                                min_vector_score=NO_FLOOR)
        walked, totals = [], set()
        for offset in range(0, everything.total + 3, 3):
            page = eng.search("kafka lag", ANON, limit=3, offset=offset, fusion=fusion,
                              min_vector_score=NO_FLOOR)
            walked += ids(page)
            totals.add(page.total)
        assert everything.total > 6  # the legs' candidates together: past one leg's depth
        assert walked == ids(everything) and totals == {everything.total}
    finally:
        eng.close()


def test_an_untitled_hit_is_named_by_its_own_text_for_every_query(engine: SearchEngine) -> None:
    text = ("Honest feedback: the SSO login loop is back after the update, and our whole team "
            "was locked out of dashboards for an hour this morning")
    engine.upsert([doc(1, text, title="", kind="post", audience="customer")])
    labels = {hit.label for query in ("login loop", "locked out of dashboards", "feedback")
              for hit in engine.search(query, ANON, min_vector_score=NO_FLOOR).hits}
    assert labels == {"Honest feedback: the SSO login loop is back after the update, and our "
                      "whole…"}
    titled = engine.search("kafka", ANON, min_vector_score=NO_FLOOR)
    assert all(h.label == h.title for h in titled.hits if h.title)


def test_a_lone_star_says_where_it_means_every_post(engine: SearchEngine) -> None:
    with pytest.raises(QueryError, match="only when asking what customers say"):
        engine.search("*", ANON)
