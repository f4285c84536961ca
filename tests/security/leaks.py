"""Leak detection helpers: forbidden tokens per asker, echo-aware counting, JSON fingerprints."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from search.terms import stem
from tests.security import corpus

# Keys whose values depend on ranking scores, which Whoosh computes from index-wide term
# statistics (see test_collection_statistics_side_channel); everything else must be identical.
SCORE_KEYS = frozenset({"timings_ms", "score", "relevance", "next_cursor", "explain",
                        "markdown", "evidence", "internal_documents"})


def forbidden_tokens(asker: corpus.Asker) -> list[str]:
    """Return what ``asker`` must never be shown: canaries, their stems, unreadable doc ids."""
    readable = {d.id for d in corpus.readable(asker.principal)}
    canaries = corpus.forbidden_canaries(asker.principal)
    stems = [s for c in canaries if (s := stem(c)) != c and len(s) >= 6]
    private_ids = [d.id for d in corpus.documents() if d.id not in readable]
    return sorted(set(canaries + stems + private_ids))


def normalised(text: str) -> str:
    """Return ``text`` lower-cased with URL and HTML escapes undone (so ids in links count)."""
    return unquote(html.unescape(text)).lower()


def counts(text: str, tokens: list[str]) -> dict[str, int]:
    """Count each token in ``text`` (after normalisation)."""
    flat = normalised(text)
    return {tok: flat.count(tok.lower()) for tok in tokens}


def fingerprint(data: Any) -> Any:
    """Return ``data`` without score-dependent parts and with lists of objects order-free."""
    if isinstance(data, dict):
        return {k: fingerprint(v) for k, v in data.items() if k not in SCORE_KEYS}
    if isinstance(data, list):
        items = [fingerprint(v) for v in data]
        if items and all(isinstance(v, dict) for v in items):
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, default=str))
        return items
    return data


def referenced_ids(data: Any) -> Iterator[str]:
    """Yield every document id a JSON answer refers to (``id`` / ``doc_id`` keys)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("id", "doc_id") and isinstance(value, str):
                yield value
            else:
                yield from referenced_ids(value)
    elif isinstance(data, list):
        for value in data:
            yield from referenced_ids(value)
