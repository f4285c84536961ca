"""Spike detection on bucketed post counts, as pure functions.

A bucket is a spike when its volume (or its share of negative posts) rises well above the
trailing baseline: more than ``k`` standard deviations over the mean of the previous ``window``
buckets (4 for volume, 3 for the negative share). The deviation has a floor from counting noise
(Poisson for volume, binomial for a share, each plus a continuity margin), so a flat but noisy
series is not flagged; a spike also needs ``min_count`` posts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from search.phrases import distinctive_phrases
from search.term_matrix import TermMatrix, distinctive_rows

WINDOW = 7
K = 4.0
K_SHARE = 3.0
MIN_COUNT = 5
MIN_HISTORY = 3


@dataclass(frozen=True)
class Spike:
    """One flagged bucket: which metric rose, its value, the baseline and how far above it."""

    index: int
    metric: str
    value: float
    baseline: float
    spread: float
    z: float
    count: int
    phrases: list[str] = field(default_factory=list)
    post_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"index": self.index, "metric": self.metric, "value": round(self.value, 4),
                "baseline": round(self.baseline, 4), "spread": round(self.spread, 4),
                "z": round(self.z, 2), "count": self.count, "phrases": list(self.phrases),
                "post_ids": list(self.post_ids)}


def _mean_std(values: Sequence[float]) -> tuple[float, float]:
    mean = sum(values) / len(values)
    var = sum((v - mean) ** 2 for v in values) / max(1, len(values) - 1)
    return mean, math.sqrt(var)


def volume_spikes(counts: Sequence[int], window: int = WINDOW, k: float = K,
                  min_count: int = MIN_COUNT, min_history: int = MIN_HISTORY) -> list[Spike]:
    """Flag buckets whose count exceeds the trailing mean by ``k`` deviations."""
    spikes = []
    for i, value in enumerate(counts):
        history = [float(c) for c in counts[max(0, i - window) : i]]
        if len(history) < min_history or value < min_count:
            continue
        mean, std = _mean_std(history)
        spread = max(std, math.sqrt(max(mean, 1.0)) + 1.0)
        z = (value - mean) / spread
        if z >= k:
            spikes.append(Spike(i, "volume", float(value), mean, spread, z, int(value)))
    return spikes


def negative_share_spikes(counts: Sequence[int], negatives: Sequence[int],
                          window: int = WINDOW, k: float = K_SHARE, min_count: int = MIN_COUNT,
                          min_history: int = MIN_HISTORY) -> list[Spike]:
    """Flag buckets whose share of negative posts exceeds the trailing share by ``k`` deviations."""
    if len(counts) != len(negatives):
        raise ValueError("counts and negatives must have the same length")
    spikes = []
    for i, (total, neg) in enumerate(zip(counts, negatives, strict=True)):
        if total < 2 * min_count or neg < min_count:
            continue
        lo = max(0, i - window)
        past = [(c, n) for c, n in zip(counts[lo:i], negatives[lo:i], strict=True) if c > 0]
        if len(past) < min_history:
            continue
        pooled = sum(n for _c, n in past) / sum(c for c, _n in past)
        shares = [n / c for c, n in past]
        _mean, std = _mean_std(shares)
        binomial = math.sqrt(max(pooled * (1 - pooled), 0.05 * 0.95) / total) + 1.0 / total
        spread = max(std, binomial)
        share = neg / total
        z = (share - pooled) / spread
        if z >= k:
            spikes.append(Spike(i, "negative_share", share, pooled, spread, z, int(total)))
    return spikes


def detect_spikes(counts: Sequence[int], negatives: Sequence[int] | None = None,
                  window: int = WINDOW, k: float = K, min_count: int = MIN_COUNT,
                  min_history: int = MIN_HISTORY, share_k: float = K_SHARE) -> list[Spike]:
    """Return volume and negative-share spikes, ordered by bucket then metric."""
    found = volume_spikes(counts, window, k, min_count, min_history)
    if negatives is not None:
        found += negative_share_spikes(counts, negatives, window, share_k, min_count,
                                       min_history)
    return sorted(found, key=lambda s: (s.index, s.metric))


def explain(spike_texts: Sequence[str], baseline_texts: Sequence[str], top: int = 5,
            exclude: Sequence[str] = ()) -> list[str]:
    """Return the phrases most over-represented in the spike's posts against the baseline's."""
    if not spike_texts:
        return []
    found = distinctive_phrases(spike_texts, baseline_texts, top=top, exclude=exclude,
                                min_z=1.5)
    return [term for term, _z in found]


def explain_rows(matrix: TermMatrix, spike_rows: np.ndarray, baseline_rows: np.ndarray,
                 top: int = 5, exclude: Sequence[str] = ()) -> list[str]:
    """Return what :func:`explain` returns for the texts at these rows of ``matrix``."""
    if not len(spike_rows):
        return []
    found = distinctive_rows(matrix, spike_rows, baseline_rows, top=top, exclude=exclude,
                             min_z=1.5)
    return [term for term, _z in found]


def driving_rows(matrix: TermMatrix, rows: np.ndarray, phrases: Sequence[str],
                 weights: np.ndarray, top: int = 3) -> list[int]:
    """Return what :func:`driving_posts` returns for the texts at these rows of ``matrix``."""
    hits = matrix.hits(rows, matrix.ids(phrases))
    found = np.flatnonzero(hits)
    order = np.lexsort((found, -np.asarray(weights, dtype=np.float64)[found], -hits[found]))
    return found[order[:top]].tolist()


def driving_posts(spike_texts: Sequence[str], phrases: Sequence[str],
                  weights: Sequence[float] | None = None, top: int = 3) -> list[int]:
    """Return indexes of the spike posts that contain the most explaining phrases."""
    from search.phrases import doc_terms

    weights = weights or [0.0] * len(spike_texts)
    wanted = set(phrases)
    scored = []
    for i, text in enumerate(spike_texts):
        hits = len(doc_terms(text) & wanted)
        if hits:
            scored.append((hits, weights[i], -i))
    scored.sort(reverse=True)
    return [-neg_i for _h, _w, neg_i in scored[:top]]
