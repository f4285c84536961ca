"""End to end with the real packaged MiniLM model: index, search, delete, reindex, recover."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexers.jsonl import JsonlIndexer
from indexers.runner import run_indexer
from search.config import Settings
from search.embedder import MiniLMEmbedder
from search.engine import SearchEngine
from search.models import Principal

DATA = Path(__file__).resolve().parents[1] / "data"
ANON = Principal.anonymous()


@pytest.mark.slow
def test_real_model_end_to_end(tmp_path: Path, minilm: MiniLMEmbedder) -> None:
    settings = Settings(data_dir=str(tmp_path / "d"), embedder="minilm")
    engine = SearchEngine(settings, embedder=minilm)
    report = run_indexer(engine, JsonlIndexer(DATA / "mini.jsonl"))
    assert report.added == 4 and report.failed == 2

    vector = engine.vector.search(minilm.embed(["how long until I get my money back"])[0], 1)
    assert engine.store.stored_by_nums([vector[0][0]])[0].doc.id == "wiki:billing"
    semantic = engine.search("how long until I get my money back", ANON, fusion="vector")
    assert semantic.hits[0].doc_id == "wiki:billing"
    hybrid = engine.search("consumer group stuck", ANON)
    assert hybrid.hits[0].doc_id == "wiki:kafka"
    assert hybrid.hits[0].keyword_rank == 1 and hybrid.hits[0].vector_rank == 1

    assert "slack:exec-1" not in [h.doc_id for h in engine.search("acquisition", ANON).hits]
    board = Principal(user_id="u.bob", groups=frozenset({"exec"}))
    assert engine.search("company purchase negotiations", board, fusion="vector").hits[0].doc_id \
        == "slack:exec-1"

    engine.delete(["wiki:billing"])
    assert all(h.doc_id != "wiki:billing" for h in engine.search("refunds", ANON).hits)
    assert engine.reindex() == 3
    assert engine.doctor().healthy
    engine.close()

    reopened = SearchEngine(settings, embedder=minilm)
    again = reopened.search("consumer group stuck", ANON)
    assert again.hits[0].doc_id == "wiki:kafka"
    assert abs(again.hits[0].vector_score - hybrid.hits[0].vector_score) < 1e-5  # type: ignore[operator]
