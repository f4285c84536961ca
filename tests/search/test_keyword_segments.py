"""Keyword index: compaction of small segments, and the query parsed once per search."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from search import keyword
from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.keyword import WhooshIndex
from search.models import Access, Document, Principal

WORDS = ["kafka", "billing", "refund", "okta", "login", "export", "dashboard", "invoice",
         "lag", "consumer", "pricing", "mobile", "crash", "checklist", "vat", "sso"]


def build(path: Path, batches: int = 4) -> tuple[WhooshIndex, list[str]]:
    rng = random.Random(3)
    ix = WhooshIndex(path)
    for batch in range(batches):
        docs = [(n, Document(id=f"t:{n}", source="wiki", kind="page",
                             title=" ".join(rng.sample(WORDS, 2)),
                             text=" ".join(rng.choices(WORDS, k=20)),
                             access=rng.choice([Access(), Access.restricted(groups=["g"])])),
                 "") for n in range(batch * 40, (batch + 1) * 40)]
        ix.apply(docs, [f"t:{batch * 40 - 1}"] if batch else [], seq=batch + 1)
    queries = [" ".join(rng.sample(WORDS, rng.randint(1, 3))) for _ in range(20)]
    return ix, queries


def test_compaction_merges_segments_and_keeps_answers(tmp_path: Path) -> None:
    ix, queries = build(tmp_path / "kw")
    try:
        assert ix.segment_count() >= 3
        before = [ix.search(q, 30, ["public", "group:g"], facets=True) for q in queries]
        ids_before, seq_before = ix.all_ids(), ix.applied_seq()
        assert ix.compact() >= 3
        assert ix.segment_count() == 1
        assert ix.all_ids() == ids_before and ix.applied_seq() == seq_before == 4
        assert ix.doc_count() == 4 * 40 - 3  # three deleted along the way
        after = [ix.search(q, 30, ["public", "group:g"], facets=True) for q in queries]
        assert after == before
        assert ix.compact() == 0  # nothing left to merge
    finally:
        ix.close()


def test_large_segments_are_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ix, _queries = build(tmp_path / "kw")
    try:
        segments = ix.segment_count()
        monkeypatch.setattr(keyword, "COMPACT_DOCS", 39)  # segments hold 39-41 live documents
        assert ix.compact() == 0  # only one fits the budget: rewriting it alone gains nothing
        assert ix.segment_count() == segments
        monkeypatch.setattr(keyword, "COMPACT_DOCS", 80)
        assert ix.compact() == 2  # the two smallest, the others are left alone
        assert ix.segment_count() == segments - 1
    finally:
        ix.close()


def test_search_returns_the_terms_of_its_own_parse(tmp_path: Path) -> None:
    ix, queries = build(tmp_path / "kw", batches=1)
    try:
        for q in [*queries, "Kafka's consumers (lag)", "NOT NOT refund"]:
            assert ix.search(q, 10, None).terms == ix.query_terms(q)
    finally:
        ix.close()


def test_engine_sync_leaves_one_segment_for_a_small_index(settings: Settings) -> None:
    engine = SearchEngine(settings, embedder=HashingEmbedder(), post_sync=[])
    try:
        for i in range(4):  # four index runs, as incremental crawls do
            engine.upsert([Document(id=f"w:{i}", source="wiki", kind="page", title=f"kafka {i}",
                                    text="consumer lag runbook")])
        kw = engine.keyword
        assert isinstance(kw, WhooshIndex) and kw.segment_count() == 1
        hits = engine.search("kafka lag", Principal.anonymous()).hits
        assert len(hits) == 4 and all("<mark" in h.snippet for h in hits)
    finally:
        engine.close()


def test_an_index_run_merges_once_at_its_end(settings: Settings, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from indexers import runner
    from indexers.jsonl import JsonlIndexer

    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps({"id": f"jsonl:d{i}", "title": f"kafka {i}",
                                        "text": "consumer lag runbook"}) + "\n"
                            for i in range(25)))
    monkeypatch.setattr(runner, "BATCH", 10)  # three batches, each committed on its own
    engine = SearchEngine(settings, embedder=HashingEmbedder(), post_sync=[])
    merges: list[int] = []
    kw = engine.keyword
    assert isinstance(kw, WhooshIndex)
    merge = kw.compact
    monkeypatch.setattr(kw, "compact", lambda: merges.append(kw.segment_count()) or merge())
    try:
        report = runner.run_indexer(engine, JsonlIndexer(path))
        assert report.added == 25
        assert len(merges) == 1 and merges[0] >= 3  # not after every batch: once, at the end
        assert kw.segment_count() == 1 and kw.doc_count() == 25
        assert len(engine.search("kafka lag", Principal.anonymous(), limit=30).hits) == 25
    finally:
        engine.close()
