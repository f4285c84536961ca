"""End to end with the real MiniLM: index the demo corpus's customer posts, label, train, serve."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from search.config import Settings
from search.demo_corpus.generate import post_tones
from search.embedder import MiniLMEmbedder
from search.engine import SearchEngine
from search.sentiment import HEAD_PATH, EmbeddingHeadModel, SentimentHead
from search.sentiment_labels import import_labels
from search.sentiment_store import model_for
from search.sentiment_trainer import train
from search.sentiment_versions import active_version, rescore, stale_posts

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "search" / "demo_corpus"
TONES = {"neg": "negative", "neu": "neutral", "pos": "positive"}


def demo_labels() -> dict[str, str]:
    """The tone the demo generator wrote each customer post with, by post id."""
    return {post_id: TONES[tone] for post_id, tone in post_tones().items()}


class CountingEmbedder(MiniLMEmbedder):
    """MiniLM that counts the texts it embeds (training must reuse the cache instead)."""

    def __init__(self) -> None:
        super().__init__(threads=2)
        self.embedded = 0

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Embed and count."""
        self.embedded += len(texts)
        return super().embed(texts, batch_size)


@pytest.mark.slow
def test_company_head_on_demo_posts_with_real_minilm(tmp_path: Path) -> None:
    from indexers.jsonl import JsonlIndexer
    from indexers.runner import run_indexer

    if not (DEMO / "customers.jsonl").exists():
        pytest.skip("the demo corpus has not been generated")
    labels = demo_labels()
    stored_ids = [json.loads(line)["id"] for line in (DEMO / "customers.jsonl").open()]
    if set(stored_ids) != set(labels):
        pytest.skip("the demo generator no longer reproduces customers.jsonl")
    only = tmp_path / "customers"
    only.mkdir()
    (only / "customers.jsonl").write_text((DEMO / "customers.jsonl").read_text())
    embedder = CountingEmbedder()
    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d")), embedder=embedder)
    try:
        run_indexer(engine, JsonlIndexer(only, source="customers"))
        rows = "\n".join(f"{doc_id},{label}" for doc_id, label in labels.items())
        report = import_labels(engine.store, f"post_id,label\n{rows}\n", "qa")
        assert report.imported == len(labels) and not report.problems
        before = embedder.embedded
        result = train(engine, "qa", force=True)
        assert embedder.embedded == before  # the cached vectors, no re-embedding
        shipped = SentimentHead.load(HEAD_PATH).version
        assert result.version.settings["prior_offered"] == shipped  # the CV may take it or not
        cv = result.cv
        assert cv is not None and cv.count == len(labels)
        assert cv.model.macro_f1 > cv.baselines["vader"].macro_f1
        assert cv.model.macro_f1 >= 0.6
        assert active_version(engine.store).version == result.version.version  # type: ignore[union-attr]
        rescore(engine)
        model = model_for(engine)
        assert isinstance(model, EmbeddingHeadModel) and model.version == result.version.version
        assert stale_posts(engine.store, model.version) == []
    finally:
        engine.close()
