"""Fault injection at the file layer and kill -9 runs, shared by the tests and benchmarks.

``failing_writes`` makes Python-level writes under a directory fail the way a full disk
(``ENOSPC``, optionally after a byte budget so the failure lands mid-file) or a read-only
mount (``EROFS``) does. ``kill_runs`` starts the indexer in a subprocess, kills it with
SIGKILL at random moments and checks after each kill that nothing committed was lost and
that the store and both indexes agree.
"""

from __future__ import annotations

import builtins
import errno
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.models import Principal

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


class _BudgetFile:
    """A file object whose writes fail with ``ENOSPC`` once a shared byte budget is spent."""

    def __init__(self, real: Any, budget: list[int]) -> None:
        self._real = real
        self._budget = budget

    def write(self, data: Any) -> int:
        size = len(data)
        if size > self._budget[0]:
            self._budget[0] = 0
            raise OSError(errno.ENOSPC, "No space left on device (injected)")
        self._budget[0] -= size
        return int(self._real.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def __enter__(self) -> _BudgetFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._real.close()


@contextmanager
def failing_writes(root: Path, code: int = errno.EROFS,
                   after_bytes: int | None = None) -> Iterator[None]:
    """Make writes under ``root`` fail with ``code`` (after ``after_bytes`` bytes, if given)."""
    root = root.resolve()
    real_open, real_os_open = builtins.open, os.open
    real_rename, real_replace = os.rename, os.replace
    budget = [after_bytes if after_bytes is not None else 0]

    def inside(path: Any) -> bool:
        try:
            return Path(os.fsdecode(path)).resolve().is_relative_to(root)
        except (TypeError, ValueError):
            return False

    def fail(path: Any) -> OSError:
        return OSError(code, f"{os.strerror(code)} (injected)", os.fsdecode(path))

    def fake_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, int) or not inside(file) or not set(mode) & set("wax+"):
            return real_open(file, mode, *args, **kwargs)
        if after_bytes is None:
            raise fail(file)
        return _BudgetFile(real_open(file, mode, *args, **kwargs), budget)

    def fake_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & WRITE_FLAGS and inside(path) and (after_bytes is None or budget[0] <= 0):
            raise fail(path)
        return real_os_open(path, flags, *args, **kwargs)

    def fake_rename(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if inside(dst) and (after_bytes is None or budget[0] <= 0):
            raise fail(dst)
        real_rename(src, dst, *args, **kwargs)

    def fake_replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if inside(dst) and (after_bytes is None or budget[0] <= 0):
            raise fail(dst)
        real_replace(src, dst, *args, **kwargs)

    builtins.open = fake_open
    os.open, os.rename, os.replace = fake_os_open, fake_rename, fake_replace
    try:
        yield
    finally:
        builtins.open = real_open
        os.open, os.rename, os.replace = real_os_open, real_rename, real_replace


def write_corpus(path: Path, docs: int, seed: int = 7) -> None:
    """Write ``docs`` JSONL documents; each carries a unique ``marker<i>`` word."""
    words = ["kafka", "billing", "invoice", "onboarding", "login", "mobile", "export",
             "dashboard", "latency", "refund"]
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(docs):
            text = " ".join(rng.choice(words) for _ in range(120)) + f" marker{i}"
            fh.write(json.dumps({"id": f"wiki:{i}", "title": f"Page {i}", "text": text}) + "\n")


def open_engine(data: Path) -> SearchEngine:
    """Open the data directory as a reader would (no sync on open)."""
    return SearchEngine(Settings(data_dir=str(data), embedder="hashing"),
                        embedder=HashingEmbedder(), sync_on_open=False, post_sync=[])


def index_command(data: Path, corpus: Path) -> list[str]:
    """Return the CLI command that indexes ``corpus`` into ``data``."""
    return [sys.executable, "-m", "search", "--data-dir", str(data), "index", "jsonl",
            str(corpus)]


def stored_documents(data: Path) -> int:
    """Return how many documents the store holds, read directly (0 before it exists)."""
    path = data / "store.db"
    if not path.exists():
        return 0
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return 0


def kill_runs(data: Path, corpus: Path, docs: int, runs: int, seed: int,
              low: float = 0.5, high: float = 4.0, mid_run: bool = False) -> dict[str, Any]:
    """Kill the indexer ``runs`` times at random moments, checking consistency after each.

    The delay is drawn from ``[low, high]`` seconds after the start or, with ``mid_run``,
    after the store first holds a committed batch (so the kill lands mid-run on any load).
    Raises ``AssertionError`` when a committed document is lost or store and indexes
    disagree; finally runs the indexer to completion and checks every document is there.
    """
    env = {**os.environ, "SOCIALSEARCH_EMBEDDER": "hashing"}
    rng = random.Random(seed)
    previous, kills, counts = 0, 0, []
    for _ in range(runs):
        proc = subprocess.Popen(index_command(data, corpus), env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while mid_run and proc.poll() is None and time.monotonic() < deadline \
                and stored_documents(data) <= previous:
            time.sleep(0.2)
        time.sleep(rng.uniform(low, high))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        engine = open_engine(data)
        try:
            count = engine.store.count_documents()
            engine.sync()  # what the next writer does first: catch the indexes up
            report = engine.doctor()
        finally:
            engine.close()
        assert report.healthy, report
        assert count >= previous, f"a committed batch was lost: {previous} -> {count}"
        previous = count
        counts.append(count)
    finished = subprocess.run(index_command(data, corpus), env=env, capture_output=True,
                              text=True, timeout=900)
    assert finished.returncode == 0, finished.stderr
    engine = open_engine(data)
    try:
        total = engine.store.count_documents()
        healthy = engine.doctor().healthy
        last = engine.search(f"marker{docs - 1}", Principal.anonymous(), fusion="keyword")
    finally:
        engine.close()
    assert total == docs and healthy
    assert last.hits and last.hits[0].doc_id == f"wiki:{docs - 1}"
    return {"runs": runs, "kills": kills, "documents_after_each_kill": counts,
            "final_documents": total}
