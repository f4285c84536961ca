"""One index writer per data directory: the advisory lock the CLI's writing commands hold.

Whoosh lets one process write at a time and fails the other with an empty ``LockError``; two
``socialsearch`` processes on one data directory (an ``index`` run and a ``search`` whose
engine catches the indexes up with the store on open, or two ``index`` runs) used to fail that
way. Writing commands hold this lock; read commands catch up only when nobody holds it. The same
kind of lock, under another name, keeps two processes from training, switching or pruning
sentiment models in one data directory at once (``SENTIMENT_LOCK``).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = "writer.lock"
SENTIMENT_LOCK = "sentiment.lock"


class WriterBusyError(RuntimeError):
    """Another process is writing this data directory's indexes."""


@contextmanager
def writer_lock(data_path: Path, what: str, wait: float = 0.0, name: str = LOCK_NAME,
                busy: str = "writing to") -> Iterator[None]:
    """Hold the data directory's lock ``name`` (waiting up to ``wait`` seconds) while inside."""
    data_path.mkdir(parents=True, exist_ok=True)
    path = data_path / name
    with open(path, "a+", encoding="utf-8") as fh:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    holder = fh.read().strip() or "another process"
                    raise WriterBusyError(
                        f"another socialsearch process is {busy} {data_path} ({holder}); "
                        "wait for it to finish, then run this command again") from None
                time.sleep(0.2)
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(f"pid {os.getpid()}: {what}")
            fh.flush()
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fh.flush()
            fcntl.flock(fh, fcntl.LOCK_UN)
