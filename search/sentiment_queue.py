"""Choose the posts whose labels would teach the sentiment model the most.

Uncertainty sampling with three corrections, all in numpy and deterministic:

* **uncertainty**: the mean of ``1 − margin`` (top probability minus the runner-up) and the
  normalised entropy of the current model's class probabilities;
* **class balance** (``balance=True``, the default): the picks take turns over the classes the
  current model predicts, the most uncertain posts of each predicted class in turn, so a rare
  class (the posts the model thinks are positive, say) is asked about as often as the common
  one -- which is what a class-balanced head and macro-F1 need;
* **spread**: when ``groups`` (themes, weeks …) are given, each pick goes to the group with the
  lowest ``(picks + 1) / sqrt(size)``, so every group is asked about and large groups more often,
  but not in proportion to their size;
* **diversity**: a candidate's uncertainty is multiplied by ``1 − max cosine similarity`` to the
  posts already picked, so near-duplicates (retweets, templated complaints) are asked once;
* **density** (``density > 0``, off by default): the uncertainty is also multiplied by the post's
  mean cosine similarity to its nearest neighbours, raised to ``density``, so typical posts
  are preferred over outliers that teach about nobody else.

Also available, all off by default because none beat the noise on the development split
(docs/evaluation.md): ``diversity="duplicates"`` (hold back only near-copies instead of the soft
penalty) or ``"off"``; ``labelled`` rows that count as earlier picks of their group;
``committee``, whose members' disagreement (``disagreement``) replaces uncertainty as the gain;
and ``theme_groups`` / ``cross_groups`` to spread the picks over k-means themes and weeks.

Before the company has labels of its own, ``typical_points`` offers a cold start by coverage:
the most typical post of each k-means cluster of the pool, largest clusters first.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Collection, Sequence
from typing import Literal

import numpy as np


def uncertainty(probabilities: np.ndarray) -> np.ndarray:
    """Return each row's uncertainty in [0, 1]: mean of (1 − margin) and normalised entropy."""
    p = np.clip(np.asarray(probabilities, dtype=np.float64), 0.0, 1.0)
    if p.ndim != 2 or p.shape[1] < 2:
        raise ValueError(f"probabilities must be (n, classes ≥ 2), got shape {p.shape}")
    total = p.sum(axis=1, keepdims=True)
    p = np.divide(p, total, out=np.full_like(p, 1.0 / p.shape[1]), where=total > 0)
    ordered = np.sort(p, axis=1)
    margin = ordered[:, -1] - ordered[:, -2]
    logs = np.log(p, out=np.zeros_like(p), where=p > 0)
    entropy = -(p * logs).sum(axis=1) / math.log(p.shape[1])
    return np.asarray(0.5 * (1.0 - margin) + 0.5 * entropy)


def disagreement(members: Sequence[np.ndarray]) -> np.ndarray:
    """Return each row's disagreement among a committee's class probabilities, in [0, 1]: the
    entropy of the members' mean minus the mean of their entropies (mutual information),
    over log(classes). Posts every member finds ambiguous score low; posts they split on, high."""
    if len(members) < 2:
        raise ValueError("a committee needs at least two members")
    p = np.stack([np.clip(np.asarray(m, dtype=np.float64), 0.0, 1.0) for m in members])
    if p.ndim != 3 or p.shape[2] < 2:
        raise ValueError(f"members must be (n, classes ≥ 2) each, got shape {p.shape[1:]}")
    total = p.sum(axis=2, keepdims=True)
    p = np.divide(p, total, out=np.full_like(p, 1.0 / p.shape[2]), where=total > 0)

    def entropy(q: np.ndarray) -> np.ndarray:
        return np.asarray(-(q * np.log(q, out=np.zeros_like(q), where=q > 0)).sum(axis=-1))

    mutual = entropy(p.mean(axis=0)) - entropy(p).mean(axis=0)
    return np.asarray(np.clip(mutual / math.log(p.shape[2]), 0.0, 1.0))


NEIGHBOURS = 20
DUPLICATE = 0.9  # cosine similarity above which a post counts as a near-duplicate of a pick
Diversity = Literal["soft", "duplicates", "off"]


def typicality(unit: np.ndarray, neighbours: int = NEIGHBOURS, chunk: int = 1024) -> np.ndarray:
    """Return each unit vector's mean cosine similarity to its nearest neighbours, in [0, 1]."""
    n = len(unit)
    k = min(neighbours, n - 1)
    out = np.ones(n, dtype=np.float64)
    if k <= 0:
        return out
    for start in range(0, n, chunk):
        sims = unit[start : start + chunk] @ unit.T
        rows = np.arange(len(sims))
        sims[rows, rows + start] = -np.inf  # a post is not its own neighbour
        top = np.partition(sims, n - k, axis=1)[:, n - k :]
        out[start : start + len(sims)] = np.clip(top.mean(axis=1), 0.0, 1.0)
    return out


def _rows(indexes: Collection[int], n: int) -> np.ndarray:
    """Return a mask of the given row indexes (those outside 0..n-1 are ignored)."""
    mask = np.zeros(n, dtype=bool)
    mask[np.asarray([int(i) for i in indexes if 0 <= int(i) < n], dtype=np.int64)] = True
    return mask


def _unit(vectors: np.ndarray) -> np.ndarray:
    v = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return np.divide(v, norms, out=np.zeros_like(v), where=norms > 0)


def _kmeans(unit: np.ndarray, clusters: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return k-means labels and centres of unit rows (one thread, no convergence warnings)."""
    from sklearn.cluster import KMeans
    from sklearn.exceptions import ConvergenceWarning
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        found = KMeans(n_clusters=clusters, n_init=1, random_state=seed).fit(unit)
    return np.asarray(found.labels_), np.asarray(found.cluster_centers_, dtype=np.float32)


def _distinct(unit: np.ndarray) -> int:
    """Return how many distinct rows there are (reposts cannot make clusters of their own)."""
    return len(np.unique(unit, axis=0))


def typical_points(vectors: np.ndarray, k: int, *, covered: Collection[int] = (),
                   seed: int = 0, clusters: int | None = None) -> list[int]:
    """Return up to k row indexes, one per k-means cluster of the (unit) vectors, largest
    cluster first: the member closest to its cluster's centre. Clusters that already hold a
    ``covered`` row (a labelled post) are skipped, and covered rows are never returned.
    There are ``clusters`` clusters (default: k plus the covered rows)."""
    n = len(vectors)
    if k <= 0 or n == 0:
        return []
    unit = _unit(vectors)
    clusters = min(clusters or k + len(covered), _distinct(unit))
    assigned, centres = _kmeans(unit, clusters, seed)
    taken = _rows(covered, n)
    sizes = np.bincount(assigned, minlength=clusters)
    picks: list[int] = []
    for cluster in sorted(range(clusters), key=lambda c: (-int(sizes[c]), c)):
        members = np.flatnonzero(assigned == cluster)
        if len(members) == 0 or taken[members].any():
            continue
        closeness = unit[members] @ centres[cluster]
        picks.append(int(members[int(np.argmax(closeness))]))
        if len(picks) == k:
            break
    return picks


THEMES = 20


def theme_groups(vectors: np.ndarray, k: int = THEMES, *, seed: int = 0) -> list[int]:
    """Return a theme per row: its k-means cluster of the (unit) vectors, for the queue to
    spread its picks over (fewer themes when there are fewer distinct posts)."""
    if len(vectors) == 0 or k <= 1:
        return [0] * len(vectors)
    unit = _unit(vectors)
    assigned, _centres = _kmeans(unit, min(k, _distinct(unit)), seed)
    return [int(c) for c in assigned]


def cross_groups(*groupings: Sequence[int]) -> list[int]:
    """Return one group per row for each distinct combination of the given groupings (e.g.
    week and theme), numbered in order of first appearance."""
    if not groupings:
        raise ValueError("cross_groups needs at least one grouping")
    n = len(groupings[0])
    if any(len(g) != n for g in groupings):
        raise ValueError("every grouping must have one entry per post")
    seen: dict[tuple[int, ...], int] = {}
    return [seen.setdefault(key, len(seen))
            for key in zip(*(map(int, g) for g in groupings), strict=True)]


def pick_for_labelling(probabilities: np.ndarray, vectors: np.ndarray, k: int, *,
                       groups: Sequence[int] | None = None,
                       exclude: Collection[int] = (), balance: bool = True,
                       density: float = 0.0, labelled: Collection[int] = (),
                       committee: Sequence[np.ndarray] = (),
                       diversity: Diversity = "soft") -> list[int]:
    """Return row indexes of the k posts that teach the most: uncertainty (margin/entropy over the
    current model's probabilities), taking turns over predicted classes (``balance``), spread
    across groups (themes / time buckets; ``labelled`` rows count as earlier picks of their
    group and are never picked, like ``exclude`` rows) and diverse."""
    n = len(probabilities)
    if len(vectors) != n or (groups is not None and len(groups) != n):
        raise ValueError("probabilities, vectors and groups must have one row per post")
    if k <= 0 or n == 0:
        return []
    gain = uncertainty(probabilities) if not committee else disagreement(committee)
    unit = _unit(vectors)
    if density > 0:
        gain = gain * typicality(unit) ** density
    group = np.zeros(n, dtype=np.int64) if groups is None else np.asarray(groups, dtype=np.int64)
    known = _rows(labelled, n)
    available = ~(_rows(exclude, n) | known)
    predicted = np.argmax(np.nan_to_num(np.asarray(probabilities, dtype=np.float64)), axis=1)
    if not balance:
        predicted = np.zeros(n, dtype=np.int64)
    counted = available | known
    size = {int(g): int(np.sum(counted & (group == g))) for g in np.unique(group[counted])}
    picked_in = {g: int(np.sum(known & (group == g))) for g in size}
    asked = dict.fromkeys((int(c) for c in np.unique(predicted[available])), 0)
    closest = np.zeros(n, dtype=np.float32)  # max cosine similarity to any pick so far
    picks: list[int] = []
    while len(picks) < k and available.any():
        turn = min((c for c in asked if np.any(available & (predicted == c))),
                   key=lambda c: (asked[c], c))
        candidates = available & (predicted == turn)
        open_groups = np.unique(group[candidates]).tolist()
        target = min(open_groups, key=lambda g: ((picked_in[g] + 1) / math.sqrt(size[g]),
                                                 -size[g], g))
        mask = candidates & (group == target)
        if diversity == "soft":
            score = gain * (1.0 - np.clip(closest, 0.0, 1.0))
        else:
            score = np.where(closest >= DUPLICATE, 0.0, gain)
        score = np.where(mask, score, -np.inf)
        best = int(np.argmax(score))
        picks.append(best)
        asked[turn] += 1
        picked_in[target] += 1
        available[best] = False
        if diversity != "off":
            np.maximum(closest, unit @ unit[best], out=closest)
    return picks
