"""Readable activity per person for the expert finder: from the shared table, else from SQL."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from search.activity import Activity, readable_activity
from search.activity_table import SYNC_ROWS, ActivityTable, count_contributions
from search.models import Principal

if TYPE_CHECKING:
    from search.engine import SearchEngine


class ActivityLookup:
    """Each person's activity over internal documents a principal may read, cached per store state.

    The in-memory :class:`ActivityTable` and each access-token set's activity live in the
    engine's read cache for one store sequence, so every finder on the engine shares them.
    """

    def __init__(self, engine: SearchEngine, role_weights: Mapping[str, float],
                 default_weight: float) -> None:
        self.engine = engine
        self.role_weights = role_weights
        self.default_weight = default_weight
        self._cache: dict[tuple[str, ...], dict[str, Activity]] = {}
        self._cache_seq = -1

    def get(self, ids: list[str], principal: Principal) -> dict[str, Activity]:
        """Return readable activity per person (an empty :class:`Activity` for none)."""
        seq = self.engine.store.current_seq()
        if seq != self._cache_seq or len(self._cache) > 64:
            self._cache, self._cache_seq = {}, seq
        cache = self._cache.setdefault(tuple(principal.tokens() or ("*",)), {})
        missing = [pid for pid in ids if pid not in cache]
        if missing:
            found = self.everyone(principal)
            if found is None:  # no table (yet, or too many contributions): ask SQL
                found = readable_activity(self.engine.store, missing, principal,
                                          role_weights=self.role_weights,
                                          default_weight=self.default_weight)
            for pid in missing:
                cache[pid] = found.get(pid, Activity())
        return {pid: cache[pid] for pid in ids}

    def everyone(self, principal: Principal) -> dict[str, Activity] | None:
        """Return everyone's readable activity from the in-memory table (``None``: no table).

        Above :data:`SYNC_ROWS` contributions the table loads in a background thread (seconds
        at 100k documents), and callers answer from SQL until it is ready.
        """
        reads = getattr(self.engine, "reads", None)
        if reads is None:
            return None
        seq = reads.refresh()
        store = self.engine.store
        ready, table = reads.peek("activity-table", seq)
        if not ready:
            size = reads.shared("contribution-count", seq,
                                lambda: count_contributions(store, SYNC_ROWS))
            if size > SYNC_ROWS:
                reads.prefetch("activity-table", seq, lambda: ActivityTable.load(store))
                return None
            table = reads.shared("activity-table", seq, lambda: ActivityTable.load(store))
        if table is None:
            return None
        tokens = principal.tokens()
        weights, default = self.role_weights, self.default_weight
        key = ("activity", None if tokens is None else tuple(sorted(set(tokens))),
               tuple(sorted(weights.items())), default)
        activity: dict[str, Activity] = reads.shared(key, seq, lambda: table.activity(
            None if tokens is None else reads.mask(tokens, seq), weights, default))
        return activity
