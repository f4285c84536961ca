"""Permission-aware contribution statistics, read from the store's tables with SQLAlchemy Core.

Every function here counts only documents the given principal may read, so numbers derived from
them (expert normalisation, profile counts, collaborators) never reveal private activity.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, func, select, type_coerce

from search import schema as t
from search.models import ROLE_WEIGHTS, Principal, utc
from search.store import Store

CHUNK = 500


@dataclass(frozen=True)
class Activity:
    """What one person did in the documents a principal may read, and when they last did it."""

    documents: int = 0
    roles: Mapping[str, int] = field(default_factory=dict)
    weighted: float = 0.0
    last: datetime | None = None


@dataclass(frozen=True)
class ContributionRow:
    """One contribution to a readable document: store number, document id, role, time, weight."""

    num: int
    doc_id: str
    role: str
    at: datetime | None
    weight: float


def _readable(query: Any, principal: Principal, audience: str | None) -> Any:
    tokens = principal.tokens()
    if tokens is not None:
        # A correlated EXISTS probes the (num, token) primary key per row; "num IN (all
        # readable nums)" would materialise every public document for each query.
        access = t.doc_access.c
        allowed = select(access.num).where(access.num == t.contributions.c.num,
                                           access.token.in_(tokens))
        query = query.where(allowed.exists())
    if audience is not None:
        query = query.where(t.documents.c.audience == audience)
    return query


def _chunks(items: Sequence[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield list(items[start : start + CHUNK])


def contribution_time() -> Any:
    """Return the SQL time of a contribution: its own, else its document's update or creation."""
    c, d = t.contributions.c, t.documents.c
    return type_coerce(func.coalesce(c.at, d.updated_at, d.created_at), DateTime(timezone=True))


def readable_activity(store: Store, person_ids: Collection[str], principal: Principal,
                      audience: str | None = "internal",
                      role_weights: Mapping[str, float] = ROLE_WEIGHTS,
                      default_weight: float = 0.5) -> dict[str, Activity]:
    """Return each person's documents, role counts, role-weighted total and latest contribution.

    Everything is counted over readable documents only, so the latest time is when the person
    last contributed to something the principal may read (undated contributions fall back to
    their document's update or creation time).
    """
    c, d = t.contributions.c, t.documents.c
    counts: dict[str, int] = {}
    roles: dict[str, dict[str, int]] = {}
    weighted: dict[str, float] = {}
    last: dict[str, datetime] = {}
    # aggregated in SQL: a busy person has thousands of contributions, fetching each row
    # into Python cost far more than the database's own counting
    with store.engine.connect() as conn:
        for part in _chunks(sorted(set(person_ids))):
            by_role = select(c.person_id, c.role, func.count(), func.sum(c.weight),
                             func.max(contribution_time())).join(
                t.documents, d.num == c.num).where(c.person_id.in_(part))
            by_role = _readable(by_role, principal, audience).group_by(c.person_id, c.role)
            for pid, role, count, weight_sum, latest in conn.execute(by_role):
                roles.setdefault(pid, {})[role] = int(count)
                weighted[pid] = weighted.get(pid, 0.0) + (
                    role_weights.get(role, default_weight) * float(weight_sum or 0.0))
                latest = utc(latest)
                if latest is not None and (pid not in last or latest > last[pid]):
                    last[pid] = latest
            distinct = select(c.person_id, func.count(func.distinct(c.num))).join(
                t.documents, d.num == c.num).where(c.person_id.in_(part))
            distinct = _readable(distinct, principal, audience).group_by(c.person_id)
            counts.update({pid: int(n) for pid, n in conn.execute(distinct)})
    return {pid: Activity(counts[pid], roles[pid], weighted[pid], last.get(pid))
            for pid in counts}


def latest_contribution_time(store: Store) -> datetime | None:
    """Return the time of the newest contribution in the store, readable or not.

    Only an upper bound for pruning (see the expert finder); never shown to anyone.
    """
    c, d = t.contributions.c, t.documents.c
    query = select(func.max(contribution_time())).join(t.documents, d.num == c.num)
    with store.engine.connect() as conn:
        return utc(conn.execute(query).scalar_one_or_none())


def readable_contributions(store: Store, person_id: str, principal: Principal,
                           audience: str | None = None) -> list[ContributionRow]:
    """Return a person's contributions to documents the principal may read, newest first."""
    c, d = t.contributions.c, t.documents.c
    base = select(c.num, d.id, c.role, c.at, c.weight, d.updated_at).join(
        t.documents, d.num == c.num).where(c.person_id == person_id)
    query = _readable(base, principal, audience)
    with store.engine.connect() as conn:
        rows = [ContributionRow(int(r[0]), str(r[1]), str(r[2]), utc(r[3] or r[5]), float(r[4]))
                for r in conn.execute(query)]
    rows.sort(key=lambda r: r.at.timestamp() if r.at else float("-inf"), reverse=True)
    return rows


def readable_contributors(store: Store, nums: Collection[int], principal: Principal,
                          audience: str | None = "internal"
                          ) -> list[tuple[str, ContributionRow]]:
    """Return ``(person id, contribution)`` for the given documents the principal may read.

    The access check is repeated here (not trusted to the caller), so a contribution to a
    document the principal cannot read is never returned, whatever ``nums`` holds.
    """
    c, d = t.contributions.c, t.documents.c
    ordered = sorted(set(nums))
    out: list[tuple[str, ContributionRow]] = []
    with store.engine.connect() as conn:
        for start in range(0, len(ordered), CHUNK):
            base = select(c.person_id, c.num, d.id, c.role, c.at, c.weight, d.updated_at).join(
                t.documents, d.num == c.num).where(c.num.in_(ordered[start : start + CHUNK]))
            for r in conn.execute(_readable(base, principal, audience)):
                out.append((str(r[0]), ContributionRow(int(r[1]), str(r[2]), str(r[3]),
                                                       utc(r[4] or r[6]), float(r[5]))))
    return out


def co_contributors(store: Store, nums: Collection[int], exclude: Collection[str] = ()
                    ) -> dict[str, int]:
    """Return ``{person id: shared documents}`` over the given (already readable) documents."""
    c = t.contributions.c
    counts: dict[str, int] = {}
    ordered = sorted(set(nums))
    with store.engine.connect() as conn:
        for start in range(0, len(ordered), CHUNK):
            part = ordered[start : start + CHUNK]
            query = select(c.person_id, func.count(func.distinct(c.num))).where(
                c.num.in_(part)).group_by(c.person_id)
            for pid, n in conn.execute(query):
                counts[str(pid)] = counts.get(str(pid), 0) + int(n)
    for pid in exclude:
        counts.pop(pid, None)
    return counts

