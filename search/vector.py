"""The vector leg: passage vectors in a FAISS inner-product index, saved atomically to disk.

Everything FAISS-specific lives in this module. A passage id is ``num << 10 | passage number``,
so a document's passages are found and removed without a side table.
"""

from __future__ import annotations

import json
import os
import struct
import threading
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from search.chunking import MAX_CHUNKS

SHIFT = 10
assert (1 << SHIFT) == MAX_CHUNKS
FILE_NAME = "vectors.faiss"
MAGIC = b"SSVX1"
# One OpenMP thread per query: concurrent requests already use the cores, and on a busy
# 2-core machine FAISS's second thread spins (8 ms of CPU vs 0.08 ms for 500 vectors).
QUERY_THREADS = 1


class VectorIndexError(RuntimeError):
    """The vector index file is corrupt or does not match the embedder."""


class FaissIndex:
    """Exact cosine search over normalised passage vectors; a document scores by its best one."""

    def __init__(self, path: Path, dimension: int) -> None:
        self.path = Path(path)
        self.dimension = dimension
        self._lock = threading.RLock()
        self._mtime = 0.0
        self._seq = -1
        self._counts: dict[int, int] = {}
        self._index = self._new_index()
        self._load()

    def _new_index(self) -> faiss.IndexIDMap2:
        return faiss.IndexIDMap2(faiss.IndexFlatIP(self.dimension))

    @property
    def file(self) -> Path:
        """Return the path of the index file."""
        return self.path / FILE_NAME

    def _load(self) -> None:
        if not self.file.exists():
            return
        try:
            raw = self.file.read_bytes()
            if not raw.startswith(MAGIC):
                raise ValueError("not a socialsearch vector file")
            (header_len,) = struct.unpack("<I", raw[len(MAGIC) : len(MAGIC) + 4])
            start = len(MAGIC) + 4
            header = json.loads(raw[start : start + header_len])
            body = np.frombuffer(raw[start + header_len :], dtype=np.uint8)
            index: Any = faiss.deserialize_index(body)
        except Exception as exc:
            raise VectorIndexError(
                f"vector index {self.file} is corrupt ({exc}); run `socialsearch reindex`"
            ) from exc
        if index.d != self.dimension:
            raise VectorIndexError(
                f"vector index {self.file} has dimension {index.d}, the embedder {self.dimension}; "
                "run `socialsearch reindex`"
            )
        ids = faiss.vector_to_array(index.id_map) if index.ntotal else np.zeros(0, np.int64)
        counts: dict[int, int] = {}
        for num in (ids >> SHIFT).tolist():
            counts[num] = counts.get(num, 0) + 1
        self._index, self._seq, self._counts = index, int(header["seq"]), counts
        self._mtime = self.file.stat().st_mtime

    def reload_if_changed(self) -> None:
        """Reload from disk when another process saved a newer file."""
        with self._lock:
            try:
                mtime = self.file.stat().st_mtime
            except FileNotFoundError:
                return
            if mtime != self._mtime:
                self._load()

    # -- writing ----------------------------------------------------------------------------
    def upsert(self, num: int, vectors: np.ndarray) -> None:
        """Replace the passages of document ``num`` by ``vectors`` (one row per passage)."""
        self.delete([num])
        if len(vectors) == 0:
            return
        vectors = np.ascontiguousarray(vectors[:MAX_CHUNKS], dtype=np.float32)
        ids = (np.int64(num) << SHIFT) | np.arange(len(vectors), dtype=np.int64)
        with self._lock:
            self._index.add_with_ids(vectors, ids)
            self._counts[num] = len(vectors)

    def delete(self, nums: Sequence[int]) -> None:
        """Remove every passage of these documents."""
        with self._lock:
            ids = [
                (num << SHIFT) | i for num in nums for i in range(self._counts.pop(num, 0))
            ]
            if ids:
                self._index.remove_ids(faiss.IDSelectorBatch(np.asarray(ids, dtype=np.int64)))

    def mark(self, seq: int) -> None:
        """Record (in memory) that the index now reflects store change ``seq``."""
        self._seq = seq

    def save(self) -> None:
        """Write the index atomically (temp file + rename) with the sequence it reflects."""
        with self._lock:
            seq = self._seq
            self.path.mkdir(parents=True, exist_ok=True)
            header = json.dumps({"seq": seq, "dimension": self.dimension}).encode()
            body = faiss.serialize_index(self._index)
            tmp = self.file.with_suffix(".tmp")
            with open(tmp, "wb") as fh:
                fh.write(MAGIC + struct.pack("<I", len(header)) + header)
                fh.write(body.tobytes())
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.file)
            self._mtime = self.file.stat().st_mtime

    def clear(self) -> None:
        """Drop every vector (in memory; call ``save`` to persist)."""
        with self._lock:
            self._index = self._new_index()
            self._counts = {}
            self._seq = -1

    # -- reading ----------------------------------------------------------------------------
    def applied_seq(self) -> int:
        """Return the store sequence the saved index reflects."""
        return self._seq

    def doc_nums(self) -> set[int]:
        """Return the numbers of every document with vectors."""
        return set(self._counts)

    def __len__(self) -> int:
        return len(self._counts)

    def search(self, query: np.ndarray, k: int,
               accept: Callable[[list[int]], set[int]] | None = None,
               among: Collection[int] | None = None) -> list[tuple[int, float]]:
        """Return up to ``k`` ``(num, score)`` by best passage; ``accept`` keeps readable nums.

        The index is over-fetched and widened until ``k`` accepted documents are found or the
        whole index has been scanned, so access filtering never loses recall. ``among``
        restricts the search to those documents' passages (a filter's few eligible documents),
        so a selective filter does not widen through every other vector.
        """
        with self._lock:
            total = self._index.ntotal
            if total == 0 or k <= 0:
                return []
            params = None
            if among is not None:
                pids = [(num << SHIFT) | i for num in among
                        for i in range(self._counts.get(num, 0))]
                if not pids:
                    return []
                selector = faiss.IDSelectorBatch(np.asarray(pids, dtype=np.int64))
                params = faiss.SearchParameters()
                params.sel = selector  # ``selector`` stays referenced until the search ends
                total = len(pids)
            vec = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
            faiss.omp_set_num_threads(QUERY_THREADS)  # per calling thread in OpenMP
            fetch = min(total, max(k * 4, 32))
            while True:
                scores, ids = self._index.search(vec, fetch, params=params)
                best: dict[int, float] = {}
                for score, pid in zip(scores[0].tolist(), ids[0].tolist(), strict=True):
                    if pid < 0:
                        continue
                    num = pid >> SHIFT
                    if num not in best:
                        best[num] = score
                nums = list(best)
                allowed = set(nums) if accept is None else accept(nums)
                kept = [(n, best[n]) for n in nums if n in allowed]
                if len(kept) >= k or fetch >= total:
                    return kept[:k]
                fetch = min(total, fetch * 4)
