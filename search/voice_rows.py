"""Report parts over rows of the voice corpus, with numpy instead of a Python pass per post.

``PostArrays`` holds, once per corpus, what the parts read of each post (sentiment code and
score, day, author, reach, the representative-post key, data-quality flags). Each function gives
the same result as its per-post counterpart in :mod:`search.voice_parts` (the tests compare whole
reports); float keys are computed once with the same Python arithmetic, so orderings agree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np

from search.customer_posts import CustomerPost
from search.language import looks_english
from search.phrases import has_words
from search.ratings import contradicts_rating
from search.voice_parts import (
    LABELS,
    Bucket,
    Influencer,
    SentimentMix,
    bucket_label,
    bucket_start,
    bucket_starts,
    influence,
    series_span,
    spread_over_themes,
)

UNDATED = -1


@dataclass(frozen=True)
class PostArrays:
    """Per-post columns of the corpus (row ``i`` is the corpus's post ``i``)."""

    label: np.ndarray       # index into LABELS; len(LABELS) for any other label
    score: np.ndarray       # sentiment score (0 when unknown)
    strength: np.ndarray    # score × confidence (0 when unknown)
    buzz: np.ndarray        # 0.05 · log1p(engagement)
    id_rank: np.ndarray     # rank of the post id in string order
    product: np.ndarray     # product code (for centring themes)
    day: np.ndarray         # UTC day ordinal, UNDATED when there is no timestamp
    author: np.ndarray      # index into ``authors``, -1 without author
    authors: tuple[str, ...]
    followers: np.ndarray
    engagement: np.ndarray
    wordless: np.ndarray
    foreign: np.ndarray

    @classmethod
    def of(cls, posts: Sequence[CustomerPost]) -> PostArrays:
        """Compute the columns of ``posts``."""
        codes = {name: i for i, name in enumerate(LABELS)}
        label = [codes["unknown"] if p.sentiment is None
                 else codes.get(p.sentiment.label, len(LABELS)) for p in posts]
        ranks = {pid: i for i, pid in enumerate(sorted({p.id for p in posts}))}
        products = {name: i for i, name in enumerate(sorted({p.product or "" for p in posts}))}
        authors = sorted({p.author for p in posts if p.author})
        author_ids = {name: i for i, name in enumerate(authors)}
        days = [bucket_start(p.created_at, "day").toordinal() if p.created_at else UNDATED
                for p in posts]
        return cls(
            label=np.array(label, dtype=np.int64),
            score=_floats(p.sentiment.score if p.sentiment else 0.0 for p in posts),
            strength=_floats(p.sentiment.score * p.sentiment.confidence if p.sentiment else 0.0
                             for p in posts),
            buzz=_floats(0.05 * math.log1p(p.engagement) for p in posts),
            id_rank=np.array([ranks[p.id] for p in posts], dtype=np.int64),
            product=np.array([products[p.product or ""] for p in posts], dtype=np.int64),
            day=np.array(days, dtype=np.int64),
            author=np.array([author_ids[p.author] if p.author else -1 for p in posts],
                            dtype=np.int64),
            authors=tuple(authors),
            followers=np.array([p.followers for p in posts], dtype=np.int64),
            engagement=np.array([p.engagement for p in posts], dtype=np.int64),
            wordless=np.array([not has_words(p.body) for p in posts], dtype=bool),
            foreign=np.array([has_words(p.body) and not looks_english(p.body) for p in posts],
                             dtype=bool),
        )

    def mix(self, rows: np.ndarray) -> SentimentMix:
        """Return the sentiment mix of ``rows``."""
        label = self.label[rows]
        scored = label != LABELS.index("unknown")
        return SentimentMix.counted(np.bincount(label, minlength=len(LABELS) + 1).tolist(),
                                    self.score[rows][scored].tolist())

    def data_counts(self, rows: np.ndarray) -> dict[str, int]:
        """Return how many of ``rows`` are undated, unattributed, wordless and non-English."""
        return {"undated": int(np.count_nonzero(self.day[rows] == UNDATED)),
                "unattributed": int(np.count_nonzero(self.author[rows] < 0)),
                "without_words": int(np.count_nonzero(self.wordless[rows])),
                "non_english": int(np.count_nonzero(self.foreign[rows]))}


def _floats(values: Any) -> np.ndarray:
    return np.fromiter(values, dtype=np.float64)


def timeline_rows(arrays: PostArrays, posts: Sequence[CustomerPost], rows: np.ndarray,
                  bucket: str, since: datetime | None, until: datetime | None,
                  ) -> tuple[list[Bucket], dict[date, np.ndarray]]:
    """Return the filled bucket series and the positions (into ``posts``) of each bucket.

    ``posts[i]`` is the post at ``rows[i]``; the same series as :func:`voice_parts.timeline`.
    """
    day = arrays.day[rows]
    dated = np.flatnonzero(day != UNDATED)
    start = day[dated]
    if bucket == "week":
        start = start - (start - 1) % 7  # ordinal 1 (0001-01-01) is a Monday
    order = np.argsort(start, kind="stable")
    firsts, at = np.unique(start[order], return_index=True)
    grouped = {date.fromordinal(int(s)): dated[part]
               for s, part in zip(firsts.tolist(), np.split(order, at[1:]), strict=True)
               } if len(dated) else {}
    if not grouped and (since is None or until is None):
        return [], {}
    first, last = series_span(grouped.keys(), bucket, since, until)
    empty = np.zeros(0, dtype=np.int64)
    series = [Bucket(s, bucket_label(s, bucket), arrays.mix(rows[grouped.get(s, empty)]))
              for s in bucket_starts(first, last, bucket)]
    return series, grouped


def influencers_rows(arrays: PostArrays, posts: Sequence[CustomerPost], rows: np.ndarray,
                     top: int = 10) -> list[Influencer]:
    """Return what :func:`voice_parts.influencers` returns for ``posts`` (at ``rows``)."""
    author = arrays.author[rows]
    kept = np.flatnonzero(author >= 0)
    if not len(kept):
        return []
    codes = author[kept]
    size = len(arrays.authors)
    volume = np.bincount(codes, minlength=size)
    engagement = np.bincount(codes, weights=arrays.engagement[rows[kept]], minlength=size)
    followers = np.zeros(size, dtype=np.int64)
    np.maximum.at(followers, codes, arrays.followers[rows[kept]])
    present = np.flatnonzero(volume)
    triples = np.stack([followers[present], engagement[present].astype(np.int64),
                        volume[present]], axis=1)
    distinct, which = np.unique(triples, axis=0, return_inverse=True)
    scores = np.array([influence(f, e, n) for f, e, n in distinct.tolist()], dtype=np.float64)
    score = scores[which.reshape(-1)]
    best = np.lexsort((present, -score))[:top]  # authors are sorted: code order is name order
    scored = [(-float(score[i]), arrays.authors[int(present[i])], int(present[i]),
               int(triples[i, 0]), int(triples[i, 1])) for i in best.tolist()]
    found = []
    for negated, person, code, followers_, engagement_ in scored:
        mine = kept[codes == code]
        own = [posts[i] for i in mine.tolist()]
        example = max(own, key=lambda p: (p.engagement, p.created_at or datetime.min.replace(
            tzinfo=UTC)))
        name = next((p.author_name for p in own if p.author_name), person)
        found.append(Influencer(person, name, followers_, engagement_, len(own),
                                arrays.mix(rows[mine]), -negated, example))
    return found


def representative_rows(arrays: PostArrays, posts: Sequence[CustomerPost], rows: np.ndarray,
                        label: str, theme_of: dict[int, int], top: int = 5,
                        scale: float | None = None) -> list[CustomerPost]:
    """Return what :func:`voice_parts.representative` returns for ``posts`` (at ``rows``)."""
    sign = -1.0 if label == "negative" else 1.0
    pool = np.flatnonzero(arrays.label[rows] == LABELS.index(label))
    at = rows[pool]
    key = -(sign * arrays.strength[at] + arrays.buzz[at])
    ranked = pool[np.lexsort((arrays.id_rank[at], key))].tolist()
    return spread_over_themes([posts[i] for i in ranked
                               if not contradicts_rating(posts[i], label, scale)], theme_of, top)
