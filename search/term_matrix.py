"""Which terms each post holds, as a sparse 0/1 matrix, so term counts over any subset are numpy.

Counting terms with ``collections.Counter`` costs a Python call per post and term; a voice report
over every post counts the same posts several times (themes, spikes). ``TermMatrix`` holds each
text's distinct terms (the uni- and bigrams of :func:`search.phrases.doc_terms`) once, and counts
them for any rows with one ``numpy.bincount``. The phrase choices built on it are the same as the
``Counter`` versions in :mod:`search.phrases` (same counts, same tie-breaking).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from search.phrases import doc_terms, pick_phrases


@dataclass(frozen=True)
class TermMatrix:
    """Distinct terms per text: ``indices[indptr[r]:indptr[r + 1]]`` are text ``r``'s term ids.

    ``vocab`` is sorted, so term id order is the terms' string order (used for tie-breaking).
    """

    vocab: tuple[str, ...]
    indptr: np.ndarray
    indices: np.ndarray

    @classmethod
    def of(cls, texts: Iterable[str]) -> TermMatrix:
        """Build the matrix of ``texts`` (one row per text, in order)."""
        per_text = [doc_terms(text or "") for text in texts]
        vocab = tuple(sorted(set().union(*per_text))) if per_text else ()
        ids = {term: i for i, term in enumerate(vocab)}
        lengths = np.fromiter((len(terms) for terms in per_text), dtype=np.int64,
                              count=len(per_text))
        indptr = np.zeros(len(per_text) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        indices = np.fromiter((ids[term] for terms in per_text for term in sorted(terms)),
                              dtype=np.int32, count=int(indptr[-1]))
        return cls(vocab, indptr, indices)

    @property
    def rows(self) -> int:
        """Return the number of texts."""
        return len(self.indptr) - 1

    def _gather(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (position in ``rows``, term id) for every term of every listed row."""
        rows = np.asarray(rows, dtype=np.int64)
        starts = self.indptr[rows]
        lengths = self.indptr[rows + 1] - starts
        total = int(lengths.sum())
        position = np.repeat(np.arange(len(rows)), lengths)
        offset = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        return position, self.indices[np.arange(total) + offset]

    def frequencies(self, rows: np.ndarray) -> np.ndarray:
        """Return in how many of ``rows`` each term occurs (a row listed twice counts twice)."""
        _position, terms = self._gather(rows)
        return np.bincount(terms, minlength=len(self.vocab))

    def grouped_frequencies(self, rows: np.ndarray, groups: np.ndarray,
                            count: int) -> np.ndarray:
        """Return a ``count`` × vocabulary array: term frequencies of ``rows`` per group."""
        position, terms = self._gather(rows)
        vocab = len(self.vocab)
        keys = np.asarray(groups, dtype=np.int64)[position] * vocab + terms
        return np.bincount(keys, minlength=count * vocab).reshape(count, vocab)

    def ids(self, terms: Iterable[str]) -> np.ndarray:
        """Return the ids of those ``terms`` that are in the vocabulary."""
        found = []
        for term in terms:
            at = bisect_left(self.vocab, term)
            if at < len(self.vocab) and self.vocab[at] == term:
                found.append(at)
        return np.array(found, dtype=np.int64)

    def hits(self, rows: np.ndarray, term_ids: np.ndarray) -> np.ndarray:
        """Return how many of the terms ``term_ids`` (distinct ids) each of ``rows`` holds."""
        position, terms = self._gather(rows)
        inside = np.isin(terms, term_ids)
        return np.bincount(position[inside], minlength=len(rows))

    def terms(self, row: int) -> set[str]:
        """Return the distinct terms of one row."""
        return {self.vocab[i] for i in self.indices[self.indptr[row] : self.indptr[row + 1]]}


def _excluded(term: str, skip: set[str]) -> bool:
    return bool(skip) and not skip.isdisjoint(term.split())


def log_odds_scores(fg: np.ndarray, bg: np.ndarray, fg_total: int, bg_total: int,
                    prior: float = 0.5) -> np.ndarray:
    """Return :func:`search.phrases.log_odds` for count arrays (one z-score per term)."""
    fg = fg.astype(np.float64)
    bg = bg.astype(np.float64)
    pooled_total = max(1, fg_total + bg_total)
    alpha = prior * 10 * (fg + bg) / pooled_total + 0.01
    fg_odds = (fg + alpha) / np.maximum(1e-9, fg_total - fg + alpha)
    bg_odds = (bg + alpha) / np.maximum(1e-9, bg_total - bg + alpha)
    delta = np.log(fg_odds) - np.log(bg_odds)
    variance = 1 / (fg + alpha) + 1 / (bg + alpha)
    return np.asarray(delta / np.sqrt(variance))


def choose_distinctive(matrix: TermMatrix, inside: np.ndarray, size: int, outside: np.ndarray,
                       rest: int, top: int = 5, min_docs: int = 2, min_z: float = 1.0,
                       exclude: Iterable[str] = ()) -> list[tuple[str, float]]:
    """Return the ``top`` terms over-represented in ``inside`` counts against ``outside`` counts.

    The same choice as :func:`search.phrases.distinctive_terms` on the equivalent Counters
    without the excluded words, scored with numpy over the terms frequent enough to qualify.
    """
    skip = set(exclude)
    ids = np.flatnonzero(inside >= min(min_docs, max(1, size)))
    if skip and len(ids):
        ids = ids[np.array([not _excluded(matrix.vocab[i], skip) for i in ids.tolist()])]
    if not len(ids):
        return []
    z = log_odds_scores(inside[ids], outside[ids], size, rest)
    keep = z >= min_z
    ids, z = ids[keep], z[keep]
    order = np.lexsort((ids, -z))  # by z descending, then by term (the vocabulary is sorted)
    fg = {matrix.vocab[i]: int(inside[i]) for i in ids.tolist()}
    ranked = ((matrix.vocab[ids[o]], float(z[o])) for o in order.tolist())
    return pick_phrases(ranked, fg, top)


def most_frequent(matrix: TermMatrix, counts: np.ndarray, top: int,
                  exclude: Iterable[str] = ()) -> list[str]:
    """Return the ``top`` most frequent terms (ties by term), skipping excluded words."""
    skip = set(exclude)
    present = np.flatnonzero(counts > 0)
    order = present[np.lexsort((present, -counts[present]))]
    out: list[str] = []
    for i in order.tolist():
        term = matrix.vocab[i]
        if not _excluded(term, skip):
            out.append(term)
            if len(out) >= top:
                break
    return out


def distinctive_rows(matrix: TermMatrix, fg_rows: np.ndarray, bg_rows: np.ndarray, top: int = 5,
                     min_docs: int = 2, exclude: Iterable[str] = (),
                     min_z: float = 1.0) -> list[tuple[str, float]]:
    """Return the terms most over-represented in ``fg_rows`` against ``bg_rows``.

    The same result as :func:`search.phrases.distinctive_phrases` on the rows' texts.
    """
    if len(bg_rows):
        background = matrix.frequencies(bg_rows)
    else:
        background = np.zeros(len(matrix.vocab), dtype=np.int64)
    return choose_distinctive(matrix, matrix.frequencies(fg_rows), len(fg_rows), background,
                              len(bg_rows), top, min_docs, min_z, exclude)


def cluster_phrases(matrix: TermMatrix, rows: np.ndarray, labels: np.ndarray,
                    exclude: Sequence[str] = (), top: int = 4) -> dict[int, list[str]]:
    """Return each cluster's distinctive phrases against the other clusters (most frequent
    terms when none stand out); ``labels[i]`` is the cluster of ``rows[i]``."""
    labels = np.asarray(labels, dtype=np.int64)
    if not len(labels):
        return {}
    count = int(labels.max()) + 1
    per_cluster = matrix.grouped_frequencies(rows, labels, count)
    sizes = np.bincount(labels, minlength=count)
    total = per_cluster.sum(axis=0)
    out: dict[int, list[str]] = {}
    for j in np.flatnonzero(sizes).tolist():
        inside = per_cluster[j]
        size = int(sizes[j])
        rest = len(labels) - size
        phrases: list[str] = []
        if rest:
            phrases = [p for p, _z in choose_distinctive(matrix, inside, size, total - inside,
                                                         rest, top, exclude=exclude)]
        out[j] = phrases or most_frequent(matrix, inside, top, exclude)
    return out
