"""Facet fields and counting them, shared by the engine, the store and both keyword legs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

FACET_FIELDS = ("source", "kind", "audience", "month")

FacetCounts = dict[str, dict[str, int]]


def facet_month(created: datetime | None) -> str:
    """Return the ``YYYY-MM`` month facet of a creation time (``""`` when there is none)."""
    return created.strftime("%Y-%m") if created is not None else ""


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
