"""Expertise by tag, found through the retrieved documents (pseudo-relevance feedback on metadata).

Documents carry tags: Stack Exchange tags, wiki categories and spaces, Slack channels. For a
topic, the tags of the top readable hits (each hit's relevance split over its tags) say which
areas the topic belongs to; each person is then credited with their role-weighted, decayed
contributions to the readable internal documents carrying those tags. People who answer a lot in
an area are found even when none of their work is among the top hits.

Everything is counted over documents the asker may read: the per-tag credits are aggregated once
per access-token set and store state from the in-memory contribution table
(:class:`search.activity_table.ActivityTable`), so a query only reads the slices of its own
tags. Ages are measured from the newest contribution in the table (the common factor cancels,
since the finder uses the tag scores relative to the best one).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import select

import search.activity_lookup as activity_lookup
from search import schema as t
from search.activity import ContributionRow
from search.activity_lookup import ActivityLookup
from search.activity_table import ActivityTable, count_contributions
from search.models import Document, Principal
from search.read_cache import ReadableMask
from search.store import Store

if TYPE_CHECKING:
    from search.engine import SearchEngine

MAX_QUERY_TAGS = 20  # a topic's best tags that count
MAX_TAG_PEOPLE = 100  # people a topic's tags may add to the candidates


class DocumentTags:
    """Each internal document's tags by store number, as a compressed sparse row table."""

    def __init__(self, names: list[str], ptr: np.ndarray, ids: np.ndarray) -> None:
        self.names = names
        self.ptr = ptr
        self.ids = ids

    @classmethod
    def load(cls, store: Store, audience: str = "internal") -> DocumentTags:
        """Read the tags of every ``audience`` document (one query, once per store state)."""
        d = t.documents.c
        query = select(d.num, d.tags).where(d.audience == audience).order_by(d.num)
        names: dict[str, int] = {}
        rows: list[tuple[int, list[int]]] = []
        with store.engine.connect() as conn:
            for num, raw in conn.execute(query):
                tags = json.loads(raw or "[]")
                if tags:
                    ids = sorted({names.setdefault(str(tag), len(names)) for tag in tags})
                    rows.append((int(num), ids))
        size = rows[-1][0] + 1 if rows else 0
        counts = np.zeros(size, dtype=np.int64)
        for num, ids in rows:
            counts[num] = len(ids)
        ptr = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(counts, out=ptr[1:])
        flat = np.fromiter((i for _num, ids in rows for i in ids), np.int64, count=int(ptr[-1]))
        return cls(list(names), ptr, flat)

    def counts(self, nums: np.ndarray) -> np.ndarray:
        """Return how many tags each document number has (0 for unknown numbers)."""
        out = np.zeros(len(nums), dtype=np.int64)
        inside = nums < len(self.ptr) - 1
        out[inside] = self.ptr[nums[inside] + 1] - self.ptr[nums[inside]]
        return out


@dataclass(frozen=True)
class Weighing:
    """Which contributions count for one principal, and how each weighs (role × own × decay)."""

    readable: ReadableMask | None
    factors: np.ndarray
    half_life_days: float | None
    since: float | None
    newest: float = 0.0

    def select(self, table: ActivityTable, tags: DocumentTags,
               idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the table rows among ``idx`` that count (readable, tagged, not before
        ``since``) and their weights; ages are measured from ``newest``."""
        nums = table.num[idx]
        ok = tags.counts(nums) > 0
        if self.readable is not None:
            bits = self.readable.bits
            inside = nums < len(bits)
            readable = np.zeros(len(nums), dtype=bool)
            readable[inside] = bits[nums[inside]]
            ok &= readable
        if self.since is not None:
            ok &= table.when[idx] >= self.since
        rows = idx[ok]
        weight = self.factors[table.role[rows]] * table.weight[rows]
        if self.half_life_days is not None and len(rows):
            when = table.when[rows]
            dated = np.isfinite(when)
            age = np.where(dated, self.newest - np.where(dated, when, self.newest), 0.0)
            weight = weight * 0.5 ** (np.maximum(age, 0.0) / 86400.0 / self.half_life_days)
        return rows, weight


@dataclass(frozen=True)
class TagCredits:
    """Per tag, each person's credit (role × weight × decay) over one principal's readable work.

    ``person`` and ``credit`` are parallel arrays sorted by tag then person;
    ``start[i]:start[i + 1]`` is tag i's slice. The table, the documents' tags and the
    weighing are kept to list a person's counted contributions as evidence.
    """

    tags: Mapping[str, int]
    people: Sequence[str]
    start: np.ndarray
    person: np.ndarray
    credit: np.ndarray
    table: ActivityTable
    doc_tags: DocumentTags
    weighing: Weighing
    index: Mapping[str, int]

    def slice(self, tag: str) -> tuple[np.ndarray, np.ndarray]:
        """Return the person indexes and credits of one tag (empty for an unknown tag)."""
        i = self.tags.get(tag)
        if i is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        lo, hi = int(self.start[i]), int(self.start[i + 1])
        return self.person[lo:hi], self.credit[lo:hi]

    def contributions(self, person_id: str, tags: Mapping[str, float],
                      limit: int) -> list[tuple[int, str, float | None, float, str]]:
        """Return a person's best counted contributions under ``tags`` (tag → topic weight).

        Each is ``(document number, role, POSIX time or None, weight, tag)``, one per
        document, ordered by topic weight × contribution weight.
        """
        table, doc_tags = self.table, self.doc_tags
        wanted = {self.tags[t]: (w, t) for t, w in tags.items() if t in self.tags}
        index = self.index.get(person_id)
        if index is None or not wanted:
            return []
        lo, hi = np.searchsorted(table.person, [index, index + 1])
        rows, weights = self.weighing.select(table, doc_tags, np.arange(lo, hi))
        best: dict[int, tuple[float, int, str]] = {}
        for row, weight in zip(rows.tolist(), weights.tolist(), strict=True):
            num = int(table.num[row])
            mine = doc_tags.ids[doc_tags.ptr[num]:doc_tags.ptr[num + 1]].tolist()
            top = max((wanted[i] for i in mine if i in wanted), default=None)
            if top is not None and (num not in best or top[0] * weight > best[num][0]):
                best[num] = (top[0] * weight, row, top[1])
        out = []
        for num, (value, row, tag) in sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0])):
            when = float(table.when[row])
            out.append((num, table.roles[int(table.role[row])],
                        when if np.isfinite(when) else None, value, tag))
        return out[:limit]


def build_credits(table: ActivityTable, tags: DocumentTags, readable: ReadableMask | None,
                  role_weights: Mapping[str, float], default_weight: float,
                  half_life_days: float | None, since: datetime | None) -> TagCredits:
    """Aggregate the readable contributions per (tag, person): each document counts once per
    person (their best-weighted contribution to it) under every tag the document carries."""
    factors = np.array([role_weights.get(r, default_weight) for r in table.roles] or [0.0])
    weighing = Weighing(readable, factors, half_life_days,
                        None if since is None else since.timestamp())
    rows, _w = weighing.select(table, tags, np.arange(len(table.num)))
    when = table.when[rows]
    dated = when[np.isfinite(when)]
    weighing = dataclasses.replace(weighing, newest=float(dated.max()) if len(dated) else 0.0)
    rows, weight = weighing.select(table, tags, rows)
    person, num = table.person[rows], table.num[rows]
    people = len(table.people)
    index = {name: i for i, name in enumerate(table.people)}
    if not len(num):
        return TagCredits({}, table.people, np.zeros(1, dtype=np.int64),
                          np.zeros(0, dtype=np.int64), np.zeros(0), table, tags, weighing, index)
    # rows are sorted by (person, num): keep each pair's best contribution
    first = np.ones(len(num), dtype=bool)
    first[1:] = (person[1:] != person[:-1]) | (num[1:] != num[:-1])
    starts = np.flatnonzero(first)
    best = np.maximum.reduceat(weight, starts)
    pair_person, pair_num = person[starts], num[starts]
    counts = tags.counts(pair_num)
    offsets = np.repeat(tags.ptr[pair_num] - (np.cumsum(counts) - counts), counts)
    tag_ids = tags.ids[offsets + np.arange(int(counts.sum()))]
    keys = tag_ids * people + np.repeat(pair_person, counts)
    unique, inverse = np.unique(keys, return_inverse=True)
    credit = np.bincount(inverse, weights=np.repeat(best, counts), minlength=len(unique))
    tag_of = unique // people
    start = np.searchsorted(tag_of, np.arange(len(tags.names) + 1))
    return TagCredits({name: i for i, name in enumerate(tags.names)}, table.people, start,
                      (unique % people).astype(np.int32), credit, table, tags, weighing, index)


def tag_weights(hits: Sequence[tuple[float, Sequence[str]]],
                limit: int = MAX_QUERY_TAGS) -> dict[str, float]:
    """Return the topic's tags from ``(relevance, tags)`` of its top hits, the best ``limit``.

    Each hit's relevance is split evenly over its tags, so a document with many tags does not
    outweigh one with a single precise tag.
    """
    weights: dict[str, float] = {}
    for relevance, tags in hits:
        unique = sorted(set(tags))
        for tag in unique:
            weights[tag] = weights.get(tag, 0.0) + relevance / len(unique)
    best = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return dict(best)


def tag_scores(credits: TagCredits, weights: Mapping[str, float],
               limit: int) -> dict[str, tuple[float, tuple[str, ...]]]:
    """Return the best ``limit`` people by ``Σ tag weight × credit``, each with their top tags."""
    names = list(weights)
    slices = [credits.slice(tag) for tag in names]
    people = np.unique(np.concatenate([person for person, _c in slices] or [np.zeros(0, int)]))
    parts = np.zeros((len(names), len(people)))
    for row, (person, credit) in enumerate(slices):
        # one entry per person within a tag; columns are the union of the tags' people
        parts[row, np.searchsorted(people, person)] = weights[names[row]] * credit
    total = parts.sum(axis=0)
    found = np.flatnonzero(total > 0)
    order = found[np.lexsort((found, -total[found]))][:limit]
    out: dict[str, tuple[float, tuple[str, ...]]] = {}
    for i in order.tolist():
        column = parts[:, i]
        best = sorted(np.flatnonzero(column).tolist(), key=lambda j: (-column[j], names[j]))
        out[credits.people[int(people[i])]] = (float(total[i]),
                                               tuple(names[j] for j in best[:3]))
    return out


@dataclass(frozen=True)
class TopicTags:
    """One topic's tag signal: the principal's per-tag credits and the topic's tag weights."""

    credits: TagCredits
    weights: dict[str, float]

    def gains(self, best_raw: float, tag_weight: float,
              excluded: Collection[str]) -> dict[str, tuple[float, tuple[str, ...]]]:
        """Return ``tag_weight × best_raw × score / best score`` and the top tags per person."""
        found = tag_scores(self.credits, self.weights, MAX_TAG_PEOPLE + len(excluded))
        found = {pid: v for pid, v in found.items() if pid not in excluded}
        best = max((score for score, _tags in found.values()), default=0.0)
        if best <= 0:
            return {}
        return {pid: (tag_weight * best_raw * score / best, tags)
                for pid, (score, tags) in found.items()}

    def evidence(self, store: Store, room: Mapping[str, int], principal: Principal
                 ) -> dict[str, list[tuple[Document, ContributionRow, float]]]:
        """Return up to ``room[person]`` readable documents per person under the topic's tags.

        Each comes with the contribution (weight: topic tag weight × contribution weight) and
        its relevance (the tag's weight over the topic's best); access is checked again here.
        """
        most = max(self.weights.values(), default=0.0) or 1.0
        want = {pid: self.credits.contributions(pid, self.weights, n)
                for pid, n in room.items() if n > 0}
        nums = sorted({row[0] for rows in want.values() for row in rows})
        stored = {s.num: s.doc for s in store.stored_by_nums(nums)} if nums else {}
        out: dict[str, list[tuple[Document, ContributionRow, float]]] = {}
        for pid, rows in want.items():
            for num, role, at, value, tag in rows:
                doc = stored.get(num)
                if doc is None or doc.audience != "internal" or not principal.can_read(doc.access):
                    continue
                when = datetime.fromtimestamp(at, UTC) if at is not None else None
                row = ContributionRow(num, doc.id, role, when, value)
                out.setdefault(pid, []).append((doc, row, self.weights[tag] / most))
        return out


class TagLookup:
    """Per-tag credits for a principal, cached per access-token set and store state.

    With the engine's read cache the contribution table and the credits are shared by every
    finder on the engine. Above ``SYNC_ROWS`` contributions the table, the documents' tags and
    each token set's credits are built in background threads after an index change (hundreds
    of milliseconds to seconds at 100k documents); no credits are returned until they are
    ready. Without a read cache (e.g. a wrapped engine) the finder keeps its own copy.
    """

    def __init__(self, engine: SearchEngine | Any, activities: ActivityLookup) -> None:
        self.engine = engine
        self.activities = activities
        self._local: dict[Hashable, Any] = {}
        self._local_seq = -1

    def topic(self, principal: Principal, hits: Sequence[tuple[float, Sequence[str]]],
              role_weights: Mapping[str, float], default_weight: float,
              half_life_days: float | None, since: datetime | None) -> TopicTags | None:
        """Return the topic's tag signal from its top hits' ``(relevance, tags)`` (or ``None``)."""
        weights = tag_weights(hits)
        if not weights:
            return None
        credits = self.credits(principal, role_weights, default_weight, half_life_days, since)
        return None if credits is None else TopicTags(credits, weights)

    def credits(self, principal: Principal, role_weights: Mapping[str, float],
                default_weight: float, half_life_days: float | None,
                since: datetime | None) -> TagCredits | None:
        """Return the principal's per-tag credits, or ``None`` when no table is available."""
        tokens = principal.tokens()
        key = ("tag-credits", None if tokens is None else tuple(sorted(set(tokens))),
               tuple(sorted(role_weights.items())), default_weight, half_life_days, since)

        def build(table: ActivityTable, tags: DocumentTags, mask: ReadableMask | None
                  ) -> TagCredits:
            return build_credits(table, tags, mask, role_weights, default_weight,
                                 half_life_days, since)

        if getattr(self.engine, "reads", None) is not None:
            return self._shared(principal, key, build)
        store = self.engine.store
        seq = store.current_seq()
        if seq != self._local_seq or len(self._local) > 64:
            self._local, self._local_seq = {}, seq
        if "table" not in self._local:
            self._local["table"] = ActivityTable.load(store)
            self._local["tags"] = DocumentTags.load(store)
        if self._local["table"] is None:
            return None
        if key not in self._local:
            mask = None if tokens is None else ReadableMask(store.readable_num_array(tokens))
            self._local[key] = build(self._local["table"], self._local["tags"], mask)
        local: TagCredits = self._local[key]
        return local

    def _shared(self, principal: Principal, key: Hashable,
                build: Callable[[ActivityTable, DocumentTags, ReadableMask | None], TagCredits]
                ) -> TagCredits | None:
        """Return the credits from the engine's read cache (built in the background if big)."""
        reads, store = self.engine.reads, self.engine.store
        self.activities.everyone(principal)  # loads the table (in the background if large)
        seq = reads.refresh()
        ready, table = reads.peek("activity-table", seq)
        if not ready or table is None:
            return None
        big = reads.shared("contribution-count", seq, lambda: count_contributions(
            store, activity_lookup.SYNC_ROWS)) > activity_lookup.SYNC_ROWS

        def shared(name: Hashable, load: Callable[[], Any]) -> Any:
            if not big:
                return reads.shared(name, seq, load)
            ready, value = reads.peek(name, seq)
            if not ready:
                reads.prefetch(name, seq, load)
            return value

        tags = shared("document-tags", lambda: DocumentTags.load(store))
        if tags is None:
            return None
        tokens = principal.tokens()
        found: TagCredits | None = shared(key, lambda: build(
            table, tags, None if tokens is None else reads.mask(tokens, seq)))
        return found
