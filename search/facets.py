"""Facet fields of a document and counting them, shared by the engine and both keyword legs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from search.models import Document

FACET_FIELDS = ("source", "kind", "audience", "month")

FacetCounts = dict[str, dict[str, int]]


def facet_month(created: datetime | None) -> str:
    """Return the ``YYYY-MM`` month facet of a creation time (``""`` when there is none)."""
    return created.strftime("%Y-%m") if created is not None else ""


def facet_values(doc: Document) -> dict[str, str]:
    """Return a document's value for each facet field (fields without a value left out)."""
    values = {"source": doc.source, "kind": doc.kind, "audience": doc.audience,
              "month": facet_month(doc.created_at)}
    return {name: value for name, value in values.items() if value}


def add_documents(counts: Mapping[str, Mapping[str, int]], docs: Iterable[Document]) -> FacetCounts:
    """Return ``counts`` with each of ``docs`` counted once more under its facet values."""
    merged: FacetCounts = {name: dict(counts.get(name, {})) for name in FACET_FIELDS}
    for doc in docs:
        for name, value in facet_values(doc).items():
            merged[name][value] = merged[name].get(value, 0) + 1
    return {name: bucket for name, bucket in merged.items() if bucket}
