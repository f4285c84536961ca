"""Find indexers through the ``socialsearch.indexers`` entry-point group."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

GROUP = "socialsearch.indexers"


class UnknownIndexerError(LookupError):
    """No installed indexer has that name."""


def available_indexers() -> dict[str, Any]:
    """Return ``{name: entry point}`` for every installed indexer (built-ins included)."""
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def load_indexer(name: str) -> Any:
    """Return the indexer class registered under ``name``."""
    found = available_indexers()
    if name not in found:
        known = ", ".join(sorted(found)) or "none"
        raise UnknownIndexerError(f"unknown indexer {name!r}; installed indexers: {known}")
    return found[name].load()
