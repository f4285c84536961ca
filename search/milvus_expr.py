"""Milvus filter expressions for access tokens and search filters (evaluated inside the server)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from search.filters import Filters

NO_DATE = -(2**62)  # Milvus Lite has no nullable fields: a sentinel stands for "no date"


def quoted(values: Iterable[str]) -> str:
    """Return a Milvus list literal of strings, e.g. ``["a", "b"]``."""
    return json.dumps(sorted(set(values)), ensure_ascii=False)


def epoch(value: datetime | None) -> int:
    """Return a timezone-aware datetime as epoch seconds, or the no-date sentinel."""
    return NO_DATE if value is None else int(value.timestamp())


def access_expr(tokens: list[str] | None) -> str:
    """Return the expression that keeps documents readable with ``tokens`` (``None``: all)."""
    if tokens is None:
        return ""
    if not tokens:
        return "num < 0"
    return f"array_contains_any(access, {quoted(tokens)})"


def filters_expr(filters: Filters | None) -> list[str]:
    """Return the expressions of the search filters (sources, kinds, audience, dates, authors)."""
    if filters is None or filters.empty:
        return []
    parts: list[str] = []
    if filters.sources:
        parts.append(f"source in {quoted(filters.sources)}")
    if filters.kinds:
        parts.append(f"kind in {quoted(filters.kinds)}")
    if filters.audience:
        parts.append(f"audience == {json.dumps(filters.audience)}")
    if filters.since or filters.until:
        parts.append(f"created > {NO_DATE}")
    if filters.since:
        parts.append(f"created >= {epoch(filters.since)}")
    if filters.until:
        parts.append(f"created <= {epoch(filters.until)}")
    if filters.authors:
        parts.append(f"array_contains_any(authors, {quoted(filters.authors)})")
    return parts


def combine(*parts: str | list[str]) -> str:
    """Join expressions with ``and``, skipping empty ones."""
    flat: list[str] = []
    for part in parts:
        flat += [part] if isinstance(part, str) else part
    return " and ".join(f"({p})" for p in flat if p)
