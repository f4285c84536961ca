"""Facet fields and counting them, shared by the engine, the store and both keyword legs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

FACET_FIELDS = ("source", "kind", "audience", "month")

FacetCounts = dict[str, dict[str, int]]


def facet_month(created: datetime | None) -> str:
    """Return the ``YYYY-MM`` month facet of a creation time (``""`` when there is none)."""
    return created.strftime("%Y-%m") if created is not None else ""


def date_facet(months: Mapping[str, int], shown: int = 8) -> list[tuple[str, int]]:
    """Return the date facet to show, newest first: months, or years when months would not fit."""
    if len(months) <= shown or len({month[:4] for month in months}) < 2:
        return sorted(months.items(), reverse=True)[:shown]
    years: dict[str, int] = {}
    for month, count in months.items():
        years[month[:4]] = years.get(month[:4], 0) + count
    return sorted(years.items(), reverse=True)[:shown]


def add_counts(counts: Mapping[str, Mapping[str, int]],
               documents: Iterable[Mapping[str, str]]) -> FacetCounts:
    """Return ``counts`` with each document (its facet values) counted once more."""
    merged: FacetCounts = {name: dict(counts.get(name, {})) for name in FACET_FIELDS}
    for values in documents:
        for name in FACET_FIELDS:
            value = values.get(name)
            if value:
                merged[name][value] = merged[name].get(value, 0) + 1
    return {name: bucket for name, bucket in merged.items() if bucket}
