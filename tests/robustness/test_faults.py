"""Faults while indexing: a full disk, a read-only index directory, kill -9, and live readers."""

from __future__ import annotations

import errno
import itertools
import os
import random
import resource
import signal
import subprocess
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from search.engine import SearchEngine
from search.keyword import KeywordIndexError
from search.models import Document, Principal
from tests.robustness.faults import (
    failing_writes,
    index_command,
    kill_runs,
    open_engine,
    write_corpus,
)
from tests.web.conftest import close_app, make_app

ANON = Principal.anonymous()


def docs(start: int, count: int, word: str = "kafka") -> list[Document]:
    when = datetime(2024, 1, 1, tzinfo=UTC)
    return [Document(id=f"wiki:{i}", source="wiki", kind="wiki", title=f"Page {i}",
                     text=f"{word} consumer lag runbook marker{i}", created_at=when)
            for i in range(start, start + count)]


def check_consistent(engine: SearchEngine, expected: int) -> None:
    report = engine.doctor()
    assert report.healthy, report
    assert engine.store.count_documents() == expected == report.keyword_docs


def matches(engine: SearchEngine, word: str) -> int:
    """Return how many readable documents match ``word`` (facets count every match)."""
    facets = engine.search(word, ANON, fusion="keyword").facets
    return sum(facets.get("source", {}).values())


@pytest.fixture
def engine(tmp_path: Path) -> SearchEngine:
    eng = open_engine(tmp_path / "data")
    eng.upsert(docs(0, 20))
    yield eng  # type: ignore[misc]
    eng.close()


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
def test_read_only_keyword_directory_is_a_clear_error(engine: SearchEngine, code: int) -> None:
    keyword_dir = engine.keyword.path  # type: ignore[attr-defined]
    with failing_writes(keyword_dir, code), pytest.raises(KeywordIndexError) as err:
        engine.upsert(docs(20, 30))
    assert "keyword index" in str(err.value) and os.strerror(code) in str(err.value)
    # the store kept the batch; the old index still answers, without half-written segments
    assert engine.store.count_documents() == 50
    assert matches(engine, "kafka") == 20
    assert engine.pending()
    engine.sync()  # the condition cleared: the next run catches up
    check_consistent(engine, 50)
    assert engine.search("marker49", ANON, fusion="keyword").hits[0].doc_id == "wiki:49"


def test_read_only_vector_directory_is_a_clear_error(engine: SearchEngine) -> None:
    vector_dir = engine.vector.path  # type: ignore[attr-defined]
    with failing_writes(vector_dir), pytest.raises(OSError) as err:
        engine.upsert(docs(20, 30))
    assert err.value.errno == errno.EROFS and str(vector_dir) in str(err.value)
    engine.close()
    reopened = open_engine(Path(engine.settings.data_dir))
    try:
        reopened.sync()
        check_consistent(reopened, 50)
    finally:
        reopened.close()


@pytest.mark.parametrize("budget", [0, 700, 4096, 20000])
def test_disk_full_mid_write_leaves_nothing_corrupt(engine: SearchEngine, budget: int) -> None:
    data = Path(engine.settings.data_dir)
    with failing_writes(data, errno.ENOSPC, after_bytes=budget), \
            pytest.raises((KeywordIndexError, OSError)) as err:
        engine.upsert(docs(20, 200, word="billing"))
    assert "No space left" in str(err.value)
    engine.close()
    reopened = open_engine(data)  # a fresh process after the disk was cleaned up
    try:
        assert matches(reopened, "kafka") == 20
        reopened.sync()
        check_consistent(reopened, 220)
        assert matches(reopened, "billing") == 200
    finally:
        reopened.close()


@pytest.mark.slow
@pytest.mark.parametrize("limit", [300_000, 1_500_000, 4_000_000])
def test_full_disk_in_a_real_indexer_process(tmp_path: Path, limit: int) -> None:
    """RLIMIT_FSIZE makes the kernel refuse writes (EFBIG) in SQLite, Whoosh and FAISS alike."""
    corpus, data = tmp_path / "corpus.jsonl", tmp_path / "data"
    write_corpus(corpus, 3000)

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "SOCIALSEARCH_EMBEDDER": "hashing"}
    full = subprocess.run(index_command(data, corpus), env=env, preexec_fn=small_disk,
                          capture_output=True, text=True, timeout=600)
    assert full.returncode == 1
    assert "Traceback" not in full.stderr and "Error:" in full.stderr, full.stderr[-2000:]
    kept = open_engine(data)
    committed = kept.store.count_documents()
    kept.close()
    again = subprocess.run(index_command(data, corpus), env=env, capture_output=True,
                           text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    engine = open_engine(data)
    try:
        check_consistent(engine, 3000)
        assert committed <= 3000
    finally:
        engine.close()


def test_kill_minus_nine_at_random_points(tmp_path: Path) -> None:
    """A couple of kills in the default run; benchmarks/crash_runs.py does many more."""
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, 1000)
    result = kill_runs(tmp_path / "data", corpus, docs=1000, runs=2, seed=3, low=0.0,
                       high=1.5, mid_run=True)
    assert result["final_documents"] == 1000
    assert result["kills"] >= 1 and result["documents_after_each_kill"][-1] > 0


def test_readers_never_see_a_half_written_index(tmp_path: Path) -> None:
    """The web app keeps answering while a large upsert commits; the count never drops."""
    data = tmp_path / "data"
    writer = open_engine(data)
    writer.upsert(docs(0, 50))
    reader = open_engine(data)
    app = make_app(reader, demo_mode=True)
    client = app.test_client()
    seen: list[int] = []
    problems: list[str] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            response = client.get("/api/v1/search?q=kafka&fusion=keyword&limit=5")
            if response.status_code != 200:
                problems.append(f"{response.status_code} {response.get_data(as_text=True)}")
                continue
            body = response.get_json()
            seen.append(sum(body["facets"]["source"].values()))  # every match, uncapped
            if len(body["hits"]) != min(5, body["total"]):
                problems.append(f"hits {len(body['hits'])} for total {body['total']}")
            time.sleep(0.002)  # a busy reader, not a spin loop that starves the writer of the GIL

    thread = threading.Thread(target=read)
    thread.start()
    try:
        rng = random.Random(5)
        start = 50
        for _ in range(3):
            size = rng.randint(100, 300)
            writer.upsert(docs(start, size))
            start += size
    finally:
        stop.set()
        thread.join(timeout=60)
        close_app(app)
        reader.close()
    try:
        check_consistent(writer, start)
    finally:
        writer.close()
    assert not problems, problems[:5]
    assert len(seen) >= 5, "the reader answered too rarely to prove anything"
    assert all(b >= a for a, b in itertools.pairwise(seen)), "a reader count dropped"
    assert seen[0] >= 50
