"""Read an export that is either a folder or a zip file, without ever extracting to disk.

Zip entries are read into memory only after checks: an entry whose name is absolute, has a
drive letter or a ``..`` part, or whose declared size or compression ratio is absurd (a zip
bomb) is listed in :attr:`ExportTree.rejected` and never read. Reads are bounded too, so an
entry that lies about its size cannot exhaust memory.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

MAX_ENTRY_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 8 * 1024 * 1024 * 1024
MAX_RATIO = 200.0


class ArchiveError(ValueError):
    """An archive entry cannot be read safely."""


def unsafe_name(name: str) -> str | None:
    """Return why an archive member name is unsafe, or ``None`` when it is fine."""
    if not name or "\x00" in name:
        return "empty or NUL in entry name"
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return "absolute path in archive"
    if ".." in PurePosixPath(norm).parts:
        return "'..' path in archive (would escape the export)"
    return None


class ExportTree:
    """The files of an export, by relative POSIX name, from a folder or a zip archive."""

    def __init__(self, path: Path, max_entry_bytes: int = MAX_ENTRY_BYTES,
                 max_total_bytes: int = MAX_TOTAL_BYTES, max_ratio: float = MAX_RATIO) -> None:
        self.path = path
        self.max_entry_bytes = max_entry_bytes
        self.rejected: list[tuple[str, str]] = []
        self._zip: zipfile.ZipFile | None = None
        self._infos: dict[str, zipfile.ZipInfo] = {}
        self._files: dict[str, Path] = {}
        if path.is_dir():
            self._scan_folder()
        else:
            self._scan_zip(max_total_bytes, max_ratio)

    def _scan_folder(self) -> None:
        root = self.path.resolve()
        for file in sorted(self.path.rglob("*")):
            if not file.is_file():
                continue
            name = file.relative_to(self.path).as_posix()
            if not file.resolve().is_relative_to(root):
                self.rejected.append((name, "symbolic link pointing outside the export"))
                continue
            self._files[name] = file

    def _scan_zip(self, max_total: int, max_ratio: float) -> None:
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ArchiveError(
                f"{self.path} is neither a folder nor a readable zip: {exc}") from exc
        total = 0
        for info in self._zip.infolist():
            if info.is_dir():
                continue
            reason = unsafe_name(info.filename)
            if reason is None:
                reason = self._size_problem(info, total, max_total, max_ratio)
            if reason is not None:
                self.rejected.append((info.filename, reason))
                continue
            total += info.file_size
            self._infos[info.filename.replace("\\", "/")] = info

    def _size_problem(self, info: zipfile.ZipInfo, total: int, max_total: int,
                      max_ratio: float) -> str | None:
        if info.file_size > self.max_entry_bytes:
            return f"entry too large ({info.file_size} bytes uncompressed; zip bomb?)"
        if info.file_size > 1_000_000 and info.file_size > max_ratio * max(info.compress_size, 1):
            return f"absurd compression ratio ({info.file_size}/{info.compress_size}; zip bomb?)"
        if total + info.file_size > max_total:
            return "archive too large in total (zip bomb?)"
        return None

    def names(self) -> list[str]:
        """Return every readable file name, sorted."""
        return sorted(self._infos) if self._zip is not None else sorted(self._files)

    def find(self, basename: str) -> str | None:
        """Return the shortest file name whose last part is ``basename``, or ``None``."""
        hits = [n for n in self.names() if PurePosixPath(n).name == basename]
        return min(hits, key=lambda n: (n.count("/"), n)) if hits else None

    def read_bytes(self, name: str) -> bytes:
        """Return a file's bytes; raise ``ArchiveError`` when it exceeds the size limit."""
        if self._zip is None:
            file = self._files[name]
            if file.stat().st_size > self.max_entry_bytes:
                raise ArchiveError(f"{name}: file larger than {self.max_entry_bytes} bytes")
            return file.read_bytes()
        with self._zip.open(self._infos[name]) as fh:
            data = fh.read(self.max_entry_bytes + 1)
        if len(data) > self.max_entry_bytes:
            raise ArchiveError(f"{name}: entry expands beyond {self.max_entry_bytes} bytes")
        return data

    def iter_under(self, folder: str) -> Iterator[str]:
        """Yield the file names directly inside ``folder`` ("" for the top level)."""
        prefix = f"{folder}/" if folder else ""
        for name in self.names():
            rest = name[len(prefix):] if name.startswith(prefix) else None
            if rest is not None and "/" not in rest:
                yield name

    def close(self) -> None:
        """Close the underlying zip file, if any."""
        if self._zip is not None:
            self._zip.close()
