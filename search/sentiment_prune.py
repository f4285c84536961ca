"""Remove what trained models left behind and nothing uses (``socialsearch sentiment prune``).

Each ``sentiment train --fine-tune`` works in ``<data>/models/sentiment/finetune-<digest>``
(a few hundred MB: the encoder's weights and a resumable checkpoint); each head is written as
``<version>.npz`` beside them, through a hidden ``.tmp`` file. A fine-tune folder or a head is
removed only when no stored model version refers to it (so every ``sentiment use VERSION``
rollback target stays), the ``sentiment_model`` setting does not name it, a folder holds no
checkpoint of an unfinished run (a killed run resumes there) and nothing in it changed for
``RECENT_SECONDS`` (a training run may be writing it right now, before its version is stored).
Hidden temporary files and folders that a killed run left (``.<name>.tmp…``, ``.model.old-…``)
go once they are that old too.
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
TEMPORARY_MARKS = (".tmp", ".old-")


@dataclass
class PruneReport:
    """What a prune removed (path, bytes) and what it kept (path, why)."""

    removed: list[tuple[Path, int]] = field(default_factory=list)
    kept: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def freed(self) -> int:
        """Return the bytes the removed paths held."""
        return sum(size for _, size in self.removed)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"removed": [{"path": str(p), "bytes": n} for p, n in self.removed],
                "kept": [{"path": str(p), "reason": why} for p, why in self.kept],
                "freed_bytes": self.freed}


def folder_size(path: Path) -> int:
    """Return the bytes of ``path``, or of the files under it (links not followed)."""
    if not path.is_dir() or path.is_symlink():
        return path.lstat().st_size
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


def _is_temporary(path: Path) -> bool:
    """Return whether ``path`` is a hidden temporary file or folder of an interrupted write."""
    return path.name.startswith(".") and any(mark in path.name for mark in TEMPORARY_MARKS)


def _candidates(parent: Path) -> list[Path]:
    """Return the paths a prune looks at: fine-tune folders, heads and temporary leftovers."""
    found = [p for p in parent.iterdir()
             if p.name.startswith(PREFIX) or p.suffix == ".npz" or _is_temporary(p)]
    for folder in parent.glob(f"{PREFIX}*"):
        if folder.is_dir() and not folder.is_symlink():
            found += [p for p in folder.iterdir() if _is_temporary(p)]
    return sorted(found)


def _reason_to_keep_file(path: Path, users: list[tuple[Path, str]], now: float) -> str | None:
    """Return why a head or temporary leftover must stay, or None when nothing uses it."""
    names = [who for used, who in users if used == path.resolve()]
    if names:
        return "used by " + ", ".join(names)
    if now - newest_change(path) < RECENT_SECONDS:
        return f"changed in the last {RECENT_SECONDS / 60:.0f} minutes (a run may be writing it)"
    return None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def prune_finetunes(engine: SearchEngine, *, dry_run: bool = False,
                    now: float | None = None) -> PruneReport:
    """Remove the fine-tunes, heads and leftovers no version, setting or run uses; report them."""
    parent = models_dir(engine)
    report = PruneReport()
    if not parent.is_dir():
        return report
    users = _users(engine)
    now = time.time() if now is None else now
    for path in _candidates(parent):
        if any(_inside(path, gone) for gone, _ in report.removed):
            continue  # inside a fine-tune folder that goes as a whole
        if _is_temporary(path):
            why = _reason_to_keep_file(path, users, now)
        elif path.suffix == ".npz":
            why = ("not a plain file" if path.is_symlink() or not path.is_file()
                   else _reason_to_keep_file(path, users, now))
        elif path.is_symlink() or not path.is_dir():
            why = "not a plain folder"
        else:
            why = _reason_to_keep(path, users, now)
        if why is not None:
            report.kept.append((path, why))
            continue
        size = folder_size(path)
        if not dry_run:
            try:
                _remove(path)
            except OSError as exc:
                report.kept.append((path, f"could not remove it: {exc}"))
                continue
        report.removed.append((path, size))
    return report


def human_size(count: int) -> str:
    """Return a byte count as ``512 B``, ``3.4 MB`` or ``1.2 GB``."""
    size = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"
