"""The API over the real all-MiniLM-L6-v2 model: meaning-only matches reach the page and API."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexers.jsonl import JsonlIndexer
from indexers.runner import run_indexer
from search.config import Settings
from search.embedder import MiniLMEmbedder
from search.engine import SearchEngine
from tests.web.conftest import EXTRA_DOCS, EXTRA_PEOPLE, MINI, SSO_HEADER, close_app, make_app

pytestmark = pytest.mark.slow


def test_semantic_search_and_experts_with_minilm(tmp_path: Path, minilm: MiniLMEmbedder) -> None:
    engine = SearchEngine(Settings(data_dir=str(tmp_path), embedder="minilm"), embedder=minilm)
    run_indexer(engine, JsonlIndexer(MINI))
    engine.upsert(EXTRA_DOCS)
    engine.upsert_people(EXTRA_PEOPLE)
    app = make_app(engine, embedder="minilm")
    try:
        client = app.test_client()
        headers = {SSO_HEADER: "u.ann"}
        body = client.get("/api/v1/search?q=message queue backlog keeps growing&fusion=vector",
                          headers=headers).get_json()
        # found by meaning alone at cosine 0.255: this paraphrase keeps the floor below that
        assert body["hits"][0]["id"] == "wiki:kafka"
        experts = client.get("/api/v1/experts?q=stuck consumers", headers=headers).get_json()
        assert experts["experts"][0]["person"]["id"] == "u.ann"
        # "partition" is a word of the Kafka runbook, which is not about gardening
        garden = "partition the flower beds in my garden"
        word_only = client.get(f"/api/v1/search?q={garden}&fusion=keyword",
                               headers=headers).get_json()
        assert word_only["hits"], "the keyword leg matches a word"
        nobody = client.get(f"/api/v1/experts?q={garden}", headers=headers).get_json()
        assert nobody["experts"] == []
        page = client.get("/search?q=how long do refunds take", headers=headers)
        assert "Billing FAQ" in page.get_data(as_text=True)
        # nothing is about aquariums: MiniLM's floor leaves out the far neighbours
        off_topic = client.get("/api/v1/search?q=tropical fish aquarium filter",
                               headers=headers).get_json()
        assert off_topic["hits"] == [] and off_topic["total"] == 0
        meaning = client.get("/search?q=my money back please", headers=headers)
        html = meaning.get_data(as_text=True)
        assert "Billing FAQ" in html and "closest in meaning" in html
    finally:
        close_app(app)
        engine.close()
