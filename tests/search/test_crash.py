"""Kill -9 the indexer at random moments: nothing committed is lost, everything stays consistent."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.models import Principal

DOCS = 3000


def write_corpus(path: Path) -> None:
    words = ["kafka", "billing", "invoice", "onboarding", "login", "mobile", "export",
             "dashboard", "latency", "refund"]
    rng = random.Random(7)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(DOCS):
            text = " ".join(rng.choice(words) for _ in range(120)) + f" marker{i}"
            fh.write(json.dumps({"id": f"wiki:{i}", "title": f"Page {i}", "text": text}) + "\n")


@pytest.mark.slow
def test_kill_minus_nine_loses_nothing_committed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus)
    data = tmp_path / "data"
    env = {**os.environ, "SOCIALSEARCH_EMBEDDER": "hashing"}
    cmd = [sys.executable, "-m", "search", "--data-dir", str(data), "index", "jsonl",
           str(corpus)]
    rng = random.Random(11)
    previous = 0
    kills = 0
    for _attempt in range(6):
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.8, 4.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        engine = SearchEngine(Settings(data_dir=str(data), embedder="hashing"),
                              embedder=HashingEmbedder())
        count = engine.store.count_documents()
        report = engine.doctor()
        engine.close()
        assert report.healthy, report
        assert count >= previous, "a committed batch was lost"
        previous = count
    assert kills >= 1, "the indexer always finished before it could be killed"
    finished = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    engine = SearchEngine(Settings(data_dir=str(data), embedder="hashing"),
                          embedder=HashingEmbedder())
    assert engine.store.count_documents() == DOCS
    assert engine.doctor().healthy
    hit = engine.search("marker2999", Principal.anonymous(), fusion="keyword").hits[0]
    assert hit.doc_id == "wiki:2999"
