"""Ray Data indexing equals the single-process runner: documents, vectors, counts and failures."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from search.chunking import passage_key, passages
from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine

pytestmark = pytest.mark.scaleout

WORDS = ["kafka", "billing", "invoice", "login", "latency", "refund", "export", "mobile"]


def write_corpus(path: Path, count: int, words: int = 60) -> Path:
    rng = random.Random(3)
    lines = []
    for i in range(count):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, words)))
        record: dict[str, Any] = {"id": f"wiki:{i}", "title": f"Page {i}", "text": text}
        if i % 7 == 0:
            record["access"] = {"groups": ["eng"]}
        lines.append(json.dumps(record))
    lines.insert(10, "{not json")
    lines.insert(50, json.dumps({"id": "wiki:3", "title": "duplicate", "text": "again"}))
    lines.append(json.dumps({"type": "person", "id": "ann", "name": "Ann Lee"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def open_engine(tmp_path: Path, name: str, embedder: Any) -> SearchEngine:
    return SearchEngine(Settings(data_dir=str(tmp_path / name), embedder="hashing"),
                        embedder=embedder, post_sync=[])


def snapshot(engine: SearchEngine) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    docs = {s.doc.id: s.doc for batch in engine.store.iter_documents() for s in batch}
    keys = [passage_key(engine.embedder.name, p) for d in docs.values()
            for p in passages(d.title, d.text)]
    return docs, engine.store.get_embeddings(keys)


def assert_same(local: SearchEngine, distributed: SearchEngine, atol: float) -> None:
    docs_a, vecs_a = snapshot(local)
    docs_b, vecs_b = snapshot(distributed)
    assert docs_a == docs_b
    assert vecs_a.keys() == vecs_b.keys() and vecs_a
    for key, vec in vecs_a.items():
        np.testing.assert_allclose(vec, vecs_b[key], atol=atol)
    assert distributed.doctor().healthy


def test_ray_run_equals_single_process_run(tmp_path: Path, ray_local: Any) -> None:
    from indexers.jsonl import JsonlIndexer
    from indexers.ray_runner import run_indexer_ray
    from indexers.runner import run_indexer

    corpus = write_corpus(tmp_path / "corpus.jsonl", 200)
    local = open_engine(tmp_path, "local", HashingEmbedder())
    distributed = open_engine(tmp_path, "ray", HashingEmbedder())
    report_a = run_indexer(local, JsonlIndexer(corpus))
    report_b = run_indexer_ray(distributed, JsonlIndexer(corpus), workers=2, embed_batch=32)
    assert report_a.as_dict() == report_b.as_dict()
    assert report_b.added == 200 and report_b.failed == 2 and report_b.people == 1
    assert_same(local, distributed, atol=0)
    assert local.store.list_checkpoints()[0][1]["cursor"] == \
        distributed.store.list_checkpoints()[0][1]["cursor"]
    again = run_indexer_ray(distributed, JsonlIndexer(corpus), workers=2)
    assert again.unchanged == 200 and again.added == 0


def test_killed_worker_is_retried(tmp_path: Path, ray_local: Any) -> None:
    from indexers.jsonl import JsonlIndexer
    from indexers.ray_runner import run_indexer_ray
    from indexers.runner import run_indexer

    marker = tmp_path / "killed-once"

    class DyingEmbedder(HashingEmbedder):
        """Kills its worker process the first time it is used anywhere."""

        def embed(self, texts: Any, batch_size: int = 32) -> np.ndarray:
            if not marker.exists():
                marker.write_text("x")
                os._exit(1)
            return super().embed(texts, batch_size)

    corpus = write_corpus(tmp_path / "corpus.jsonl", 120)
    local = open_engine(tmp_path, "local", HashingEmbedder())
    distributed = open_engine(tmp_path, "ray", DyingEmbedder())
    report_a = run_indexer(local, JsonlIndexer(corpus))
    report_b = run_indexer_ray(distributed, JsonlIndexer(corpus), workers=1, embed_batch=16)
    assert marker.exists(), "the worker was never killed"
    assert report_a.as_dict() == report_b.as_dict()
    assert_same(local, distributed, atol=0)


def test_job_that_keeps_failing_fails_cleanly(tmp_path: Path, ray_local: Any) -> None:
    from indexers.jsonl import JsonlIndexer
    from indexers.ray_runner import RayIndexingError, run_indexer_ray

    class BrokenEmbedder(HashingEmbedder):
        def embed(self, texts: Any, batch_size: int = 32) -> np.ndarray:
            raise MemoryError("out of memory on the worker")

    corpus = write_corpus(tmp_path / "corpus.jsonl", 20)
    engine = open_engine(tmp_path, "ray", BrokenEmbedder())
    with pytest.raises(RayIndexingError, match="rerun to resume"):
        run_indexer_ray(engine, JsonlIndexer(corpus), workers=1)
    assert engine.store.list_checkpoints() == []


@pytest.mark.slow
def test_minilm_vectors_match_within_tolerance(tmp_path: Path, ray_local: Any,
                                               minilm: Any) -> None:
    from indexers.jsonl import JsonlIndexer
    from indexers.ray_runner import run_indexer_ray
    from indexers.runner import run_indexer
    from search.embedder import MiniLMEmbedder

    corpus = write_corpus(tmp_path / "corpus.jsonl", 16, words=120)
    local = open_engine(tmp_path, "local", minilm)
    distributed = open_engine(tmp_path, "ray", MiniLMEmbedder(threads=1))
    assert run_indexer(local, JsonlIndexer(corpus)).as_dict() == \
        run_indexer_ray(distributed, JsonlIndexer(corpus), workers=2, embed_batch=8).as_dict()
    assert_same(local, distributed, atol=1e-5)
