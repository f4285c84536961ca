"""Every internal contribution in memory, once per store state, for fast readable activity.

The expert finder normalises each candidate by their readable activity. Asking SQL for it per
query costs tens of milliseconds per batch of people at 100k documents; holding the contribution
columns as NumPy arrays (loaded once per store sequence) gives every person's activity for one
access-token set in a few milliseconds. Above :data:`MAX_ROWS` contributions the finder keeps
asking SQL (:func:`search.activity.readable_activity`), which needs no memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import func, select

from search import schema as t
from search.activity import Activity, contribution_time
from search.models import utc
from search.read_cache import ReadableMask
from search.store import Store

MAX_ROWS = 1_000_000
SYNC_ROWS = 50_000  # up to this many the table is loaded at once; above, in the background


class ActivityTable:
    """Contribution columns (person, document, role, weight, time), sorted by person and num."""

    def __init__(self, people: list[str], roles: list[str], person: np.ndarray, num: np.ndarray,
                 role: np.ndarray, weight: np.ndarray, when: np.ndarray) -> None:
        self.people = people
        self.roles = roles
        self.person = person
        self.num = num
        self.role = role
        self.weight = weight
        self.when = when
        # the first row of each (person, document) pair counts the document once
        self.first = np.ones(len(num), dtype=bool)
        if len(num) > 1:
            self.first[1:] = (person[1:] != person[:-1]) | (num[1:] != num[:-1])

    @classmethod
    def load(cls, store: Store, audience: str = "internal",
             max_rows: int | None = None) -> ActivityTable | None:
        """Read every contribution to ``audience`` documents; ``None`` above ``max_rows``."""
        max_rows = MAX_ROWS if max_rows is None else max_rows
        c, d = t.contributions.c, t.documents.c
        joined = select(c.person_id, c.num, c.role, c.weight, contribution_time()).join(
            t.documents, d.num == c.num).where(d.audience == audience)
        if count_contributions(store, max_rows, audience) > max_rows:
            return None
        with store.engine.connect() as conn:
            rows = conn.execute(joined.order_by(c.person_id, c.num)).all()
        people: dict[str, int] = {}
        roles: dict[str, int] = {}
        person = np.fromiter((people.setdefault(r[0], len(people)) for r in rows), np.int64,
                             count=len(rows))
        role = np.fromiter((roles.setdefault(r[2], len(roles)) for r in rows), np.int64,
                           count=len(rows))
        num = np.fromiter((r[1] for r in rows), np.int64, count=len(rows))
        weight = np.fromiter((float(r[3]) for r in rows), np.float64, count=len(rows))
        at = _epoch_seconds([r[4] for r in rows])
        return cls(list(people), list(roles), person, num, role, weight, at)

    def activity(self, readable: ReadableMask | None, role_weights: Mapping[str, float],
                 default_weight: float) -> dict[str, Activity]:
        """Return the activity of everyone with readable work (``readable=None``: all of it)."""
        if readable is None:
            ok = np.ones(len(self.num), dtype=bool)
        else:
            bits = readable.bits
            inside = self.num < len(bits)
            ok = np.zeros(len(self.num), dtype=bool)
            ok[inside] = bits[self.num[inside]]
        size, kinds = len(self.people), len(self.roles)
        person, role = self.person[ok], self.role[ok]
        docs = np.bincount(self.person[ok & self.first], minlength=size)
        factors = np.array([role_weights.get(r, default_weight) for r in self.roles])
        weighted = np.bincount(person, weights=factors[role] * self.weight[ok] if kinds else None,
                               minlength=size)
        counts = np.bincount(person * max(kinds, 1) + role,
                             minlength=size * max(kinds, 1)).reshape(size, max(kinds, 1))
        last = np.full(size, -np.inf)
        np.maximum.at(last, person, self.when[ok])
        out: dict[str, Activity] = {}
        for i in np.flatnonzero(docs):
            row = counts[i]
            out[self.people[i]] = Activity(
                int(docs[i]), {self.roles[j]: int(row[j]) for j in np.flatnonzero(row)},
                float(weighted[i]),
                datetime.fromtimestamp(last[i], UTC) if np.isfinite(last[i]) else None)
        return out


def _joined(audience: str) -> Any:
    c, d = t.contributions.c, t.documents.c
    return select(c.num).join(t.documents, d.num == c.num).where(d.audience == audience)


def count_contributions(store: Store, cap: int, audience: str = "internal") -> int:
    """Return how many contributions ``audience`` documents have, counting at most ``cap + 1``."""
    bounded = _joined(audience).limit(cap + 1).subquery()
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(bounded)).scalar_one())


def _epoch_seconds(stamps: list[datetime | None]) -> np.ndarray:
    """Return POSIX seconds per time (``-inf`` for none); naive times are UTC, as stored."""
    aware = next((s.tzinfo is not None for s in stamps if s is not None), False)
    if aware:  # PostgreSQL hands back aware datetimes
        return np.array([utc(s).timestamp() if s is not None else -np.inf  # type: ignore[union-attr]
                         for s in stamps], dtype=np.float64)
    moments = np.array(stamps, dtype="datetime64[us]")  # SQLite: naive UTC, converted in C
    seconds = moments.astype(np.int64) / 1e6
    seconds[np.isnat(moments)] = -np.inf
    return seconds
