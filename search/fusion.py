"""Rank fusion as pure functions over ranked ``(key, score)`` lists."""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[tuple[K, float]]], k: int = 60,
    weights: Sequence[float] | None = None,
) -> list[tuple[K, float]]:
    """Fuse rankings by summing ``weight / (k + rank)``; ties keep first-seen order.

    A key listed twice in one ranking counts once, at its best (first) rank.
    """
    weights = weights or [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking is needed")
    fused: dict[K, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        seen: set[K] = set()
        for rank, (key, _score) in enumerate(ranking, start=1):
            if key in seen:
                continue
            seen.add(key)
            fused[key] = fused.get(key, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda item: -item[1])


def min_max(ranking: Sequence[tuple[K, float]]) -> dict[K, float]:
    """Scale scores to [0, 1]; a single or constant list maps to 1.0.

    Non-finite scores cannot be scaled: ``+inf`` maps to 1.0, ``-inf`` and NaN to 0.0, and
    the finite ones are scaled among themselves. A key listed twice keeps its first score.
    """
    if not ranking:
        return {}
    first: dict[K, float] = {}
    for key, score in ranking:
        first.setdefault(key, float(score))
    # halves keep ``high - low`` finite even for scores near the largest float
    finite = [s / 2 for s in first.values() if math.isfinite(s)]
    low, high = (min(finite), max(finite)) if finite else (0.0, 0.0)
    span = high - low

    def scale(score: float) -> float:
        if math.isnan(score) or score == -math.inf:
            return 0.0
        if score == math.inf:
            return 1.0
        return min(1.0, max(0.0, (score / 2 - low) / span)) if span > 0 else 1.0

    return {key: scale(score) for key, score in first.items()}


def linear_fusion(
    rankings: Sequence[Sequence[tuple[K, float]]], weights: Sequence[float],
) -> list[tuple[K, float]]:
    """Fuse by a weighted sum of min-max-normalised scores (missing from a list counts 0)."""
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking is needed")
    fused: dict[K, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for key, score in min_max(ranking).items():
            fused[key] = fused.get(key, 0.0) + weight * score
    return sorted(fused.items(), key=lambda item: -item[1])


def fuse(
    keyword: Sequence[tuple[K, float]], vector: Sequence[tuple[K, float]], method: str,
    vector_weight: float = 0.5, rrf_k: int = 60,
) -> list[tuple[K, float]]:
    """Fuse the keyword and vector legs by ``rrf``, ``linear``, ``keyword`` or ``vector``."""
    if method == "rrf":
        return reciprocal_rank_fusion([keyword, vector], k=rrf_k)
    if method == "linear":
        return linear_fusion([keyword, vector], [1.0 - vector_weight, vector_weight])
    if method == "keyword":
        return list(keyword)
    if method == "vector":
        return list(vector)
    raise ValueError(f"unknown fusion method {method!r}; use rrf, linear, keyword or vector")


def drop_faint_vector_hits(
    fused: Sequence[tuple[K, float]], keyword_keys: Collection[K],
    vector_scores: Mapping[K, float], floor: float,
) -> list[tuple[K, float]]:
    """Leave out hits only the vector leg found whose similarity is below ``floor``.

    A nearest-neighbour search always returns neighbours, however far; without a floor a
    query that matches nothing still gets a full page of unrelated documents.
    """
    return [(key, score) for key, score in fused
            if key in keyword_keys or vector_scores.get(key, floor) >= floor]
