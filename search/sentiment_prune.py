"""Remove the fine-tune folders nothing uses any more (``socialsearch sentiment prune``).

Each ``sentiment train --fine-tune`` works in ``<data>/models/sentiment/finetune-<digest>``
(a few hundred MB: the encoder's weights and a resumable checkpoint). A folder is removed only
when no stored model version refers to it (so every ``sentiment use VERSION`` rollback target
stays), the ``sentiment_model`` setting does not name it, it holds no checkpoint of an
unfinished run (a killed run resumes there) and nothing in it changed for ``RECENT_SECONDS``
(a fine-tune may be writing it right now, before its version is stored).
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from search.sentiment_finetune import CHECKPOINT
from search.sentiment_versions import list_versions, models_dir

if TYPE_CHECKING:
    from search.engine import SearchEngine

PREFIX = "finetune-"
RECENT_SECONDS = 3600.0


@dataclass
class PruneReport:
    """What a prune removed (folder, bytes) and what it kept (folder, why)."""

    removed: list[tuple[Path, int]] = field(default_factory=list)
    kept: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def freed(self) -> int:
        """Return the bytes the removed folders held."""
        return sum(size for _, size in self.removed)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"removed": [{"folder": str(p), "bytes": n} for p, n in self.removed],
                "kept": [{"folder": str(p), "reason": why} for p, why in self.kept],
                "freed_bytes": self.freed}


def folder_size(path: Path) -> int:
    """Return the bytes of the files under ``path`` (links not followed)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


def newest_change(path: Path) -> float:
    """Return the latest modification time of ``path`` and everything in it."""
    newest = path.lstat().st_mtime
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            try:
                newest = max(newest, os.lstat(os.path.join(root, name)).st_mtime)
            except OSError:
                continue
    return newest


def _inside(a: Path, b: Path) -> bool:
    return a == b or b in a.parents


def _users(engine: SearchEngine) -> list[tuple[Path, str]]:
    """Return each path a stored version or the sentiment_model setting uses, and who uses it."""
    data = Path(engine.settings.data_path)
    used = [((data / v.path).resolve(), f"stored version {v.version}")
            for v in list_versions(engine.store) if v.path]
    spec = str(getattr(engine.settings, "sentiment_model", "auto") or "auto").strip()
    if spec not in ("auto", "head", "vader"):
        used.append((Path(spec).expanduser().resolve(), "the sentiment_model setting"))
    return used


def _reason_to_keep(folder: Path, users: list[tuple[Path, str]], now: float) -> str | None:
    """Return why ``folder`` must stay, or None when nothing uses it."""
    real = folder.resolve()
    names = [who for path, who in users if _inside(path, real) or _inside(real, path)]
    if names:
        return "used by " + ", ".join(names)
    if (folder / CHECKPOINT).exists() or (folder / f"{CHECKPOINT}.tmp").exists():
        return "checkpoint of an unfinished fine-tune (the same labels resume there)"
    if now - newest_change(folder) < RECENT_SECONDS:
        return f"changed in the last {RECENT_SECONDS / 60:.0f} minutes (a fine-tune may be running)"
    return None


def prune_finetunes(engine: SearchEngine, *, dry_run: bool = False,
                    now: float | None = None) -> PruneReport:
    """Remove the fine-tune folders no version, setting or unfinished run uses; report them."""
    parent = models_dir(engine)
    report = PruneReport()
    if not parent.is_dir():
        return report
    users = _users(engine)
    now = time.time() if now is None else now
    for folder in sorted(parent.glob(f"{PREFIX}*")):
        if folder.is_symlink() or not folder.is_dir():
            report.kept.append((folder, "not a plain folder"))
            continue
        why = _reason_to_keep(folder, users, now)
        if why is not None:
            report.kept.append((folder, why))
            continue
        size = folder_size(folder)
        if not dry_run:
            try:
                shutil.rmtree(folder)
            except OSError as exc:
                report.kept.append((folder, f"could not remove it: {exc}"))
                continue
        report.removed.append((folder, size))
    return report


def human_size(count: int) -> str:
    """Return a byte count as ``512 B``, ``3.4 MB`` or ``1.2 GB``."""
    size = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"
