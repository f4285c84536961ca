"""Read-path caches tied to the store's change sequence: readable masks, documents, facets.

Every entry belongs to one store sequence. :meth:`ReadCache.refresh` reads the sequence (one
small query) at the start of each search; when it moved (an index run wrote or deleted
something) everything cached is dropped, and a value loaded under an older sequence is never
stored under a newer one. A mask is keyed by the asker's access tokens, so principals with
different rights never share one; documents are the same for everyone (each search asks only
for numbers its principal was allowed by the retrieval legs).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar, cast

import numpy as np

from search.models import Document
from search.store import Store

T = TypeVar("T")
V = TypeVar("V")
log = logging.getLogger(__name__)
MAX_DOCS = 4096
MAX_MASKS = 256
MAX_FACETS = 65536  # facet values of this many documents (four short strings each)


class ReadableMask:
    """Which document numbers one set of access tokens may read, as a boolean array."""

    def __init__(self, nums: np.ndarray) -> None:
        size = int(nums.max()) + 1 if len(nums) else 0
        self.bits = np.zeros(size, dtype=bool)
        self.bits[nums] = True

    def allows(self, num: int) -> bool:
        """Tell whether ``num`` is readable."""
        return 0 <= num < len(self.bits) and bool(self.bits[num])

    def keep(self, nums: Sequence[int]) -> set[int]:
        """Return the readable subset of ``nums``."""
        if not len(nums):
            return set()
        arr = np.asarray(nums, dtype=np.int64)
        inside = (arr >= 0) & (arr < len(self.bits))
        ok = np.zeros(len(arr), dtype=bool)
        ok[inside] = self.bits[arr[inside]]
        return set(arr[ok].tolist())


class ReadCache:
    """Bounded caches of readable masks (per token set) and documents (per number)."""

    def __init__(self, store: Store, max_docs: int = MAX_DOCS,
                 max_masks: int = MAX_MASKS) -> None:
        self.store = store
        self.max_docs = max_docs
        self.max_masks = max_masks
        self._lock = threading.Lock()
        self._seq = -1
        self._masks: OrderedDict[tuple[str, ...], ReadableMask] = OrderedDict()
        self._docs: OrderedDict[int, Document] = OrderedDict()
        self._facets: OrderedDict[int, dict[str, str]] = OrderedDict()
        self._shared: OrderedDict[Hashable, Any] = OrderedDict()
        self._loading: set[tuple[Hashable, int]] = set()

    def refresh(self) -> int:
        """Read the store's sequence, drop everything if it moved, and return it."""
        seq = self.store.current_seq()
        with self._lock:
            if seq != self._seq:
                self._masks.clear()
                self._docs.clear()
                self._facets.clear()
                self._shared.clear()
                self._seq = seq
        return seq

    def mask(self, tokens: Sequence[str], seq: int) -> ReadableMask:
        """Return the readable mask of ``tokens`` as of ``seq`` (from :meth:`refresh`)."""
        key = tuple(sorted(set(tokens)))
        with self._lock:
            found = self._masks.get(key) if seq == self._seq else None
            if found is not None:
                self._masks.move_to_end(key)
                return found
        found = ReadableMask(self.store.readable_num_array(key))
        with self._lock:
            if seq == self._seq:  # never file a value read before a change under a newer seq
                self._masks[key] = found
                while len(self._masks) > self.max_masks:
                    self._masks.popitem(last=False)
        return found

    def shared(self, key: Hashable, seq: int, load: Callable[[], T]) -> T:
        """Return ``load()`` computed once per store sequence (``seq`` from :meth:`refresh`).

        For values derived from the whole store (e.g. every contribution); the caller's key must
        hold everything the value depends on besides the store, such as access tokens.
        """
        with self._lock:
            if seq == self._seq and key in self._shared:
                self._shared.move_to_end(key)
                return cast(T, self._shared[key])
        value = load()
        with self._lock:
            if seq == self._seq:
                self._shared[key] = value
                while len(self._shared) > self.max_masks:
                    self._shared.popitem(last=False)
        return value

    def peek(self, key: Hashable, seq: int) -> tuple[bool, Any]:
        """Return ``(True, value)`` if :meth:`shared` holds ``key`` for ``seq``, else no value."""
        with self._lock:
            if seq == self._seq and key in self._shared:
                return True, self._shared[key]
        return False, None

    def prefetch(self, key: Hashable, seq: int, load: Callable[[], Any]) -> None:
        """Compute :meth:`shared`'s value in a daemon thread, once per key and sequence.

        For values slow to build (seconds at 100k documents): callers answer another way
        meanwhile instead of making one user wait. A failure is logged and retried later.
        """
        with self._lock:
            if seq != self._seq or key in self._shared or (key, seq) in self._loading:
                return
            self._loading.add((key, seq))

        def run() -> None:
            try:
                self.shared(key, seq, load)
            except Exception as exc:  # a closed store, a lost connection: the caller falls back
                log.warning("background load of %r failed: %s", key, exc)
            finally:
                with self._lock:
                    self._loading.discard((key, seq))

        threading.Thread(target=run, name="socialsearch-prefetch", daemon=True).start()

    def documents(self, nums: Sequence[int], seq: int) -> dict[int, Document]:
        """Return the stored documents with these numbers as of ``seq`` (missing ones left out)."""
        return self._by_num(self._docs, self.max_docs, nums, seq, lambda missing: {
            s.num: s.doc for s in self.store.stored_by_nums(missing)})

    def facet_values(self, nums: Sequence[int], seq: int) -> list[dict[str, str]]:
        """Return the facet values of the stored documents with these numbers as of ``seq``."""
        return list(self._by_num(self._facets, MAX_FACETS, nums, seq,
                                 self.store.facet_values).values())

    def _by_num(self, cache: OrderedDict[int, V], limit: int, nums: Sequence[int], seq: int,
                load: Callable[[list[int]], dict[int, V]]) -> dict[int, V]:
        """Return ``cache``'s values for ``nums`` as of ``seq``, loading the missing ones."""
        found: dict[int, V] = {}
        with self._lock:
            if seq == self._seq:
                for num in nums:
                    value = cache.get(num)
                    if value is not None:
                        cache.move_to_end(num)
                        found[num] = value
        missing = [num for num in nums if num not in found]
        if missing:
            loaded = load(missing)
            found.update(loaded)
            with self._lock:
                if seq == self._seq:  # never file a value read before a change under a newer seq
                    cache.update(loaded)
                    while len(cache) > limit:
                        cache.popitem(last=False)
        return found

    def __len__(self) -> int:
        return len(self._docs)
