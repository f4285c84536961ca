"""Themes inside a set of customer posts: spherical k-means over their sentence embeddings.

Embeddings are first centred per product (so that themes are about what customers say, not
which product they address) and clustered on a sample (the rest join their nearest centre); k is
chosen by silhouette around ``sqrt(n / 8)``. Each theme is labelled by its most distinctive phrases.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from search.customer_posts import CustomerPost
from search.term_matrix import TermMatrix, cluster_phrases
from search.voice_parts import SentimentMix, Theme, spread_over_themes

if TYPE_CHECKING:
    from search.engine import SearchEngine
    from search.voice_corpus import VoiceCorpus

MIN_POSTS = 6
SAMPLE = 1000
MAX_K = 8


@dataclass(frozen=True)
class Clustering:
    """Cluster labels (one per post), the chosen k and its silhouette on the sample."""

    labels: np.ndarray
    k: int
    silhouette: float


def centre_by_group(vectors: np.ndarray, groups: Sequence[str | None]) -> np.ndarray:
    """Subtract each group's mean vector (groups of one are left alone) and re-normalise."""
    _names, codes = np.unique(np.array([g or "" for g in groups], dtype=object),
                              return_inverse=True)
    return centre_by_codes(vectors, codes)


def centre_by_codes(vectors: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """:func:`centre_by_group` with the groups given as integer codes (one per vector)."""
    out = np.array(vectors, dtype=np.float32, copy=True)
    codes = np.asarray(codes, dtype=np.int64).reshape(-1)
    order = np.argsort(codes, kind="stable")
    distinct, starts = np.unique(codes[order], return_index=True)
    if len(distinct) > 1:
        means = np.zeros((len(distinct), out.shape[1]), dtype=np.float32)
        for j, rows in enumerate(np.split(order, starts[1:])):
            if len(rows) > 1:
                means[j] = out[rows].mean(axis=0)
        out -= means[np.searchsorted(distinct, codes)]
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out /= norms
    return out


def spherical_kmeans(x: np.ndarray, k: int, seed: int = 0, iters: int = 30,
                     restarts: int = 2) -> np.ndarray:
    """Return ``k`` unit centroids maximising total cosine similarity (k-means++ seeding)."""
    best: tuple[float, np.ndarray] | None = None
    for restart in range(restarts):
        rng = np.random.default_rng(seed + restart)
        centres = _seed(x, k, rng)
        labels = np.full(len(x), -1)
        for _ in range(iters):
            fresh_labels = np.argmax(x @ centres.T, axis=1)
            if np.array_equal(fresh_labels, labels):
                break
            labels = fresh_labels
            onehot = np.zeros((len(x), k), dtype=np.float32)
            onehot[np.arange(len(x)), labels] = 1.0
            sums = onehot.T @ x
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            empty = norms[:, 0] == 0
            sums[empty] = centres[empty]
            norms[empty] = 1.0
            centres = (sums / norms).astype(np.float32)
        score = float((x @ centres.T).max(axis=1).sum())
        if best is None or score > best[0]:
            best = (score, centres)
    assert best is not None
    return best[1]


def _seed(x: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    chosen = [int(rng.integers(len(x)))]
    dist = 1.0 - x @ x[chosen[0]]
    for _ in range(1, k):
        weights = np.maximum(dist, 0.0) ** 2
        total = float(weights.sum())
        pick = int(rng.integers(len(x))) if total <= 0 else int(rng.choice(len(x),
                                                                         p=weights / total))
        chosen.append(pick)
        dist = np.minimum(dist, 1.0 - x @ x[pick])
    return np.asarray(x[chosen], dtype=np.float32)


def silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Return the mean silhouette of ``labels`` given a square distance matrix."""
    ks = np.unique(labels)
    if len(ks) < 2:
        return -1.0
    per_cluster = np.stack([distances[:, labels == j].mean(axis=1) for j in ks], axis=1)
    own = np.searchsorted(ks, labels)
    sizes = np.array([np.sum(labels == j) for j in ks])
    a = per_cluster[np.arange(len(labels)), own] * sizes[own] / np.maximum(sizes[own] - 1, 1)
    per_cluster[np.arange(len(labels)), own] = np.inf
    b = per_cluster.min(axis=1)
    s = (b - a) / np.maximum(np.maximum(a, b), 1e-12)
    s[sizes[own] == 1] = 0.0
    return float(s.mean())


def candidate_ks(n: int, max_k: int = MAX_K) -> list[int]:
    """Return the k values tried for ``n`` posts: around ``sqrt(n / 8)``, between 2 and max_k."""
    centre = min(max_k, max(2, round(math.sqrt(n / 8))))
    return [k for k in range(max(2, centre - 2), min(max_k, centre + 2) + 1) if k < n]


def cluster(vectors: np.ndarray, seed: int = 0, max_k: int = MAX_K,
            fixed_k: int | None = None) -> Clustering:
    """Cluster unit vectors; k is ``fixed_k`` or the best silhouette among ``candidate_ks``."""
    n = len(vectors)
    if n < MIN_POSTS:
        return Clustering(np.zeros(n, dtype=int), 1, 0.0)
    rng = np.random.default_rng(seed)
    sample = np.sort(rng.choice(n, size=min(n, SAMPLE), replace=False))
    x = np.asarray(vectors, dtype=np.float32)
    xs = x[sample]
    distances = np.clip(1.0 - xs @ xs.T, 0.0, None)
    ks = [fixed_k] if fixed_k else candidate_ks(n, max_k)
    best: tuple[float, int, np.ndarray] | None = None
    for k in ks:
        centres = spherical_kmeans(xs, k, seed=seed)
        score = silhouette(distances, np.argmax(xs @ centres.T, axis=1))
        if best is None or score > best[0]:
            best = (score, k, centres)
    if best is None:
        return Clustering(np.zeros(n, dtype=int), 1, 0.0)
    score, k, centres = best
    return Clustering(np.argmax(x @ centres.T, axis=1), k, score)


def label_clusters(texts: Sequence[str], labels: np.ndarray, exclude: Sequence[str] = (),
                   top: int = 4, matrix: TermMatrix | None = None,
                   rows: np.ndarray | None = None) -> dict[int, list[str]]:
    """Return the distinctive phrases of each cluster against the other clusters.

    ``matrix`` and ``rows`` (the texts' rows in it) reuse terms counted once for many reports;
    without them the texts' terms are counted here. Both give the same phrases.
    """
    if matrix is None or rows is None:
        matrix, rows = TermMatrix.of(texts), np.arange(len(texts))
    return cluster_phrases(matrix, rows, labels, exclude, top)


def central_members(vectors: np.ndarray, labels: np.ndarray, cluster_id: int,
                    count: int = 3) -> list[int]:
    """Return the indexes of the ``count`` members closest to their cluster's mean."""
    members = np.flatnonzero(labels == cluster_id)
    if len(members) == 0:
        return []
    centre = vectors[members].mean(axis=0)
    order = np.argsort(-(vectors[members] @ centre), kind="stable")
    return [int(members[i]) for i in order[:count]]


def find_themes(engine: SearchEngine, posts: Sequence[CustomerPost], exclude: Sequence[str] = (),
                seed: int = 0, max_k: int = MAX_K, vectors: np.ndarray | None = None,
                corpus: VoiceCorpus | None = None, rows: np.ndarray | None = None,
                ) -> tuple[list[Theme], dict[int, int], int]:
    """Cluster posts into themes; return themes (largest first), ``{num: theme id}`` and k.

    With ``corpus`` and ``rows`` (``posts[i]`` is the corpus's post ``rows[i]``) the posts'
    vectors, terms and sentiment come from the corpus instead of being gathered again.
    """
    from search.sentiment_store import post_vectors

    if len(posts) < MIN_POSTS:
        return [], {}, 0
    if corpus is not None and rows is not None:
        vectors = centre_by_codes(corpus.vectors[rows], corpus.arrays.product[rows])
    else:
        if vectors is None:
            vectors = post_vectors(engine, [(p.title, p.text) for p in posts])
        vectors = centre_by_group(vectors, [p.product for p in posts])
    found = cluster(vectors, seed=seed, max_k=max_k)
    labels = label_clusters([p.body for p in posts] if corpus is None else [], found.labels,
                            exclude=exclude, matrix=corpus.terms if corpus else None, rows=rows)
    themes = []
    for j, phrases in labels.items():
        inside = np.flatnonzero(found.labels == j)
        members = [posts[i] for i in inside.tolist()]
        mix = corpus.arrays.mix(rows[inside]) if corpus is not None and rows is not None \
            else SentimentMix.of(members)
        # the most central posts whose texts differ (a reposted review is quoted once)
        examples = spread_over_themes(
            [posts[i] for i in central_members(vectors, found.labels, j, count=30)], {}, 3)
        label = ", ".join(phrases[:3]) if phrases else "(no common words)"
        themes.append(Theme(j, label, phrases, len(members), len(members) / len(posts), mix,
                            examples, members=members))
    themes.sort(key=lambda th: (-th.size, th.id))
    nums = corpus.nums[rows].tolist() if corpus is not None and rows is not None \
        else [p.num for p in posts]
    theme_of = dict(zip(nums, found.labels.tolist(), strict=True))
    return themes, theme_of, found.k
