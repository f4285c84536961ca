"""Ray Data indexing equals the single-process runner: documents, vectors, counts and failures."""

from __future__ import annotations

import json
import os
import random
import time
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


def test_what_the_remote_crawl_left_out_reaches_the_report(tmp_path: Path,
                                                             ray_local: Any) -> None:
    from indexers.mediawiki import MediaWikiXmlIndexer
    from indexers.ray_runner import run_indexer_ray
    from indexers.runner import run_indexer

    export = Path(__file__).resolve().parents[1] / "data" / "mediawiki" / "export.xml"
    local = run_indexer(open_engine(tmp_path, "local", HashingEmbedder()),
                        MediaWikiXmlIndexer(export))
    remote = run_indexer_ray(open_engine(tmp_path, "ray", HashingEmbedder()),
                             MediaWikiXmlIndexer(export), workers=1)
    assert remote.left_out == local.left_out == {"redirects": 1}


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


def test_job_failing_mid_run_leaves_only_whole_batches(tmp_path: Path, ray_local: Any) -> None:
    """A worker failing on the second batch: search sees batch one only, then a rerun resumes."""
    from indexers.jsonl import JsonlIndexer
    from indexers.ray_runner import RayIndexingError, run_indexer_ray
    from indexers.runner import BATCH
    from search.models import Principal

    total, marker = BATCH + 300, tmp_path / "driver-is-mid-batch"
    filler = " ".join(["lorem"] * 300)  # ~2 KB rows: Ray blocks of ~16 rows, bundles of ~50
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({
        "id": f"w:{i}", "title": f"Page {i}",
        "text": f"kafka topic{i} {filler}" + (" poison" if i >= BATCH + 200 else "")}) + "\n"
        for i in range(total)), encoding="utf-8")

    class PoisonedEmbedder(HashingEmbedder):
        """Fails for good on the poisoned documents, once the driver is inside batch two."""

        def embed(self, texts: Any, batch_size: int = 32) -> np.ndarray:
            if any("poison" in t for t in texts):
                for _ in range(2400):  # wait until the driver is inside batch two
                    if marker.exists():
                        break
                    time.sleep(0.1)
                raise RuntimeError("worker lost its GPU")
            return super().embed(texts, batch_size)

    engine = open_engine(tmp_path, "ray", PoisonedEmbedder())

    def ids(query: str) -> list[str]:
        return [h.doc_id for h in engine.search(query, Principal.system(), fusion="keyword").hits]

    mid_batch: dict[str, Any] = {}
    seen = {"n": 0}

    def on_item(_kind: str) -> None:
        seen["n"] += 1
        if seen["n"] == BATCH + 50:  # 50 documents of batch two read, none committed
            mid_batch["committed"] = ids("topic499")
            mid_batch["pending"] = ids(f"topic{BATCH + 10}")
            mid_batch["sizes"] = (engine.keyword.doc_count(), len(engine.vector))
            marker.write_text("x")

    with pytest.raises(RayIndexingError, match="rerun to resume"):
        run_indexer_ray(engine, JsonlIndexer(corpus), workers=1, embed_batch=50, on_item=on_item)
    assert mid_batch == {"committed": ["w:499"], "pending": [], "sizes": (BATCH, BATCH)}
    assert engine.store.count_documents() == BATCH and engine.store.list_checkpoints() == []
    assert ids(f"topic{BATCH + 10}") == [] and engine.doctor().healthy
    engine.close()

    resumed = open_engine(tmp_path, "ray", HashingEmbedder())
    report = run_indexer_ray(resumed, JsonlIndexer(corpus), workers=1)
    assert (report.unchanged, report.added) == (BATCH, 300)
    assert resumed.store.count_documents() == total and resumed.doctor().healthy
    resumed.close()
