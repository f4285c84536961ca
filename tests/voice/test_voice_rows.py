"""The numpy report parts give exactly what the per-post parts give, ties and odd posts included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest

from search.customer_posts import CustomerPost
from search.sentiment import Label, Sentiment
from search.voice_parts import SentimentMix, influencers, representative, timeline
from search.voice_rows import (
    PostArrays,
    influencers_rows,
    representative_rows,
    timeline_rows,
)

LABELS: list[Label] = ["negative", "neutral", "positive"]


def random_posts(count: int, seed: int) -> list[CustomerPost]:
    """Posts with few distinct scores, authors and engagements (many ties), some odd ones."""
    rng = np.random.default_rng(seed)
    posts = []
    start = datetime(1999, 12, 20, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    for num in range(count):
        label = LABELS[int(rng.integers(3))]
        sentiment = None if num % 11 == 0 else Sentiment(
            label, float(rng.choice([-0.9, -0.5, 0.0, 0.5, 0.9])), float(rng.choice([0.5, 1.0])))
        author = None if num % 13 == 0 else ("" if num % 17 == 0
                                             else f"a{int(rng.integers(12))}")
        when = None if num % 9 == 0 else start + timedelta(hours=int(rng.integers(0, 24 * 60)))
        posts.append(CustomerPost(
            num=num * 3, id=f"p:{int(rng.integers(10**6)):06d}:{num}", title="",
            text=["wifi broken", "lost bag", "great crew", "wifi broken", "😠", "El vuelo fue "
                  "muy malo y la comida también"][num % 6] + f" {num % 4}",
            url="", created_at=when, author=author, author_name=(author or "").upper()
            if num % 2 else "", followers=int(rng.choice([0, 10, 1000])),
            likes=int(rng.integers(3)), reposts=int(rng.integers(2)), product=None, area=None,
            channel=None, rating=None, sentiment=sentiment))
    return posts


@pytest.mark.parametrize("seed", range(5))
def test_row_parts_equal_post_parts(seed: int) -> None:
    corpus = random_posts(400, seed)
    arrays = PostArrays.of(corpus)
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(400, size=250, replace=False))
    posts = [corpus[i] for i in rows.tolist()]
    assert arrays.mix(rows) == SentimentMix.of(posts)
    theme_of = {p.num: int(rng.integers(4)) for p in posts}
    for label in ("negative", "positive"):
        assert representative_rows(arrays, posts, rows, label, theme_of) == \
            representative(posts, label, theme_of)
    assert influencers_rows(arrays, posts, rows) == influencers(posts)
    for bucket in ("day", "week"):
        for since, until in ((None, None), (datetime(2000, 1, 3, tzinfo=UTC),
                                            datetime(2000, 2, 1, tzinfo=UTC))):
            series, at = timeline_rows(arrays, posts, rows, bucket, since, until)
            want, grouped = timeline(posts, bucket, since, until)
            assert series == want
            assert {d: [posts[i] for i in part.tolist()] for d, part in at.items()} == grouped
    counts = arrays.data_counts(rows)
    assert counts["undated"] == sum(1 for p in posts if p.created_at is None)
    assert counts["unattributed"] == sum(1 for p in posts if not p.author)
    assert counts["without_words"] > 0 and counts["non_english"] > 0


def test_a_label_outside_the_three_counts_in_the_mean_only() -> None:
    corpus = random_posts(20, 0)
    odd = [CustomerPost(**{**p.__dict__, "sentiment": Sentiment("mixed", 0.25, 1.0)})  # type: ignore[arg-type]
           for p in corpus[:3]]
    posts = odd + corpus[3:]
    arrays = PostArrays.of(posts)
    assert arrays.mix(np.arange(len(posts))) == SentimentMix.of(posts)


def test_no_rows_and_no_authors() -> None:
    corpus = random_posts(30, 1)
    arrays = PostArrays.of(corpus)
    empty = np.zeros(0, dtype=np.int64)
    assert arrays.mix(empty) == SentimentMix()
    assert influencers_rows(arrays, [], empty) == []
    assert timeline_rows(arrays, [], empty, "day", None, None) == ([], {})
    assert representative_rows(arrays, [], empty, "negative", {}) == []
