"""The parts of a voice report: sentiment mix, time buckets, themes, influencers, key posts."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from search.customer_posts import CustomerPost
from search.phrases import MENTION, URL
from search.ratings import contradicts_rating, part_mean

BUCKETS = ("day", "week")
LABELS = ("negative", "neutral", "positive", "unknown")  # then any other label a model gives
MAX_BUCKETS = 1500


def mean_of(scores: Sequence[float]) -> float:
    """Return the exactly rounded mean (independent of order), 0 for no scores."""
    return math.fsum(scores) / len(scores) if len(scores) else 0.0


@dataclass(frozen=True)
class SentimentMix:
    """Counts of negative, neutral and positive posts and their mean score."""

    negative: int = 0
    neutral: int = 0
    positive: int = 0
    unknown: int = 0
    mean_score: float = 0.0

    @property
    def total(self) -> int:
        """Return the number of posts counted."""
        return self.negative + self.neutral + self.positive + self.unknown

    @property
    def negative_share(self) -> float:
        """Return the share of classified posts that are negative."""
        known = self.negative + self.neutral + self.positive
        return self.negative / known if known else 0.0

    @classmethod
    def of(cls, posts: Sequence[CustomerPost]) -> SentimentMix:
        """Count the sentiment of ``posts``."""
        labels: Counter[str] = Counter()
        scores: list[float] = []
        for post in posts:
            sentiment = post.sentiment
            if sentiment is None:
                labels["unknown"] += 1
            else:
                labels[sentiment.label] += 1
                scores.append(sentiment.score)
        return cls(labels["negative"], labels["neutral"], labels["positive"],
                   labels["unknown"], mean_of(scores))

    @classmethod
    def counted(cls, label_counts: Sequence[int], scores: Sequence[float]) -> SentimentMix:
        """Build a mix from counts in ``LABELS`` order and the scores of the classified posts."""
        negative, neutral, positive, unknown = (int(c) for c in label_counts[:4])
        return cls(negative, neutral, positive, unknown, mean_of(scores))

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"negative": self.negative, "neutral": self.neutral, "positive": self.positive,
                "unknown": self.unknown, "mean_score": round(self.mean_score, 4),
                "negative_share": round(self.negative_share, 4)}


@dataclass(frozen=True)
class Bucket:
    """One day or ISO week of the time series."""

    start: date
    label: str
    mix: SentimentMix

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"start": self.start.isoformat(), "label": self.label, "count": self.mix.total,
                **self.mix.to_dict()}


def bucket_start(moment: datetime, bucket: str) -> date:
    """Return the first day (UTC) of the bucket holding ``moment``."""
    day = moment.astimezone(UTC).date()
    return day - timedelta(days=day.weekday()) if bucket == "week" else day


def bucket_label(start: date, bucket: str) -> str:
    """Return ``YYYY-MM-DD`` for a day bucket, ``YYYY-Www`` for a week bucket."""
    if bucket == "week":
        year, week, _ = start.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return start.isoformat()


def bucket_starts(first: date, last: date, bucket: str) -> list[date]:
    """Return every bucket start from ``first`` to ``last`` inclusive (at most MAX_BUCKETS)."""
    step = timedelta(days=7 if bucket == "week" else 1)
    out: list[date] = []
    current = first
    while current <= last and len(out) < MAX_BUCKETS:
        out.append(current)
        current += step
    return out


def series_span(dated: Collection[date], bucket: str, since: datetime | None,
                until: datetime | None) -> tuple[date, date]:
    """Return the first and last bucket of a timeline: the period, or its dated posts' part of
    it when the period has more than MAX_BUCKETS buckets (then at most the newest of those)."""
    first = bucket_start(since, bucket) if since else min(dated)
    last = bucket_start(until, bucket) if until else max(dated)
    step = timedelta(days=7 if bucket == "week" else 1)
    if dated and (last - first) // step >= MAX_BUCKETS:
        first, last = max(first, min(dated)), min(last, max(dated))
    if (last - first) // step >= MAX_BUCKETS:
        first = last - (MAX_BUCKETS - 1) * step
    return first, last


def timeline(posts: Sequence[CustomerPost], bucket: str, since: datetime | None,
             until: datetime | None) -> tuple[list[Bucket], dict[date, list[CustomerPost]]]:
    """Return the filled bucket series and the dated posts of each bucket."""
    grouped: dict[date, list[CustomerPost]] = {}
    for post in posts:
        if post.created_at is not None:
            grouped.setdefault(bucket_start(post.created_at, bucket), []).append(post)
    if not grouped and (since is None or until is None):
        return [], grouped
    first, last = series_span(grouped.keys(), bucket, since, until)
    series = [Bucket(s, bucket_label(s, bucket), SentimentMix.of(grouped.get(s, [])))
              for s in bucket_starts(first, last, bucket)]
    return series, grouped


@dataclass(frozen=True)
class Theme:
    """A cluster of posts inside the topic: key phrases, size, sentiment mix and examples."""

    id: int
    label: str
    phrases: list[str]
    size: int
    share: float
    mix: SentimentMix
    examples: list[CustomerPost]
    internal: list[dict[str, Any]] = field(default_factory=list)
    members: list[CustomerPost] = field(default_factory=list, repr=False)

    @property
    def reach(self) -> int:
        """Return the summed followers of the theme's distinct authors."""
        best: dict[str, int] = {}
        for post in self.members:
            key = post.author or post.id
            best[key] = max(best.get(key, 0), post.followers)
        return sum(best.values())

    @property
    def engagement(self) -> int:
        """Return the summed likes and reposts of the theme's posts."""
        return sum(p.engagement for p in self.members)

    @property
    def mean_rating(self) -> float | None:
        """Return the mean rating of the theme's rated posts (``None`` when too few are rated)."""
        return part_mean(self.members)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"id": self.id, "label": self.label, "phrases": list(self.phrases),
                "size": self.size, "share": round(self.share, 4), "sentiment": self.mix.to_dict(),
                "rating": None if (mean := self.mean_rating) is None else round(mean, 2),
                "examples": [p.to_dict() for p in self.examples],
                "internal_documents": list(self.internal)}


@dataclass(frozen=True)
class Influencer:
    """A customer talking about the topic, with reach, engagement, volume and sentiment."""

    person_id: str
    name: str
    followers: int
    engagement: int
    posts: int
    mix: SentimentMix
    influence: float
    example: CustomerPost

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"person_id": self.person_id, "name": self.name, "followers": self.followers,
                "engagement": self.engagement, "posts": self.posts,
                "sentiment": self.mix.to_dict(), "influence": round(self.influence, 4),
                "example": self.example.to_dict()}


def describe_reach(followers: int, engagement: int) -> str:
    """Word a customer's reach, leaving out counts a source did not give (zero)."""
    parts = [f"{followers:,} follower{'' if followers == 1 else 's'}" if followers > 0 else "",
             ("1 like or repost" if engagement == 1 else f"{engagement:,} likes and reposts")
             if engagement > 0 else ""]
    return " · ".join(p for p in parts if p)


def describe_spike(spike: dict[str, Any]) -> str:
    """Word a spike's rise against the buckets before it ("307 posts, about 10 usually")."""
    baseline = float(spike["baseline"])
    if spike["metric"] == "volume":
        usual = ("none usually" if baseline == 0 else "under 1 usually" if baseline < 0.5
                 else f"about {baseline:.0f} usually")
        return f"{spike['count']:,} posts, {usual}"
    return f"{round(100 * float(spike['value']))}% negative, about {round(100 * baseline)}% usually"


def influence(followers: int, engagement: int, posts: int) -> float:
    """Score a customer: volume amplified by reach (log followers), plus log engagement."""
    return posts * (1.0 + math.log10(1 + max(0, followers))) + math.log1p(max(0, engagement))


def influencers(posts: Sequence[CustomerPost], top: int = 10) -> list[Influencer]:
    """Return the most influential authors among ``posts`` (posts without author are skipped)."""
    by_author: dict[str, list[CustomerPost]] = {}
    for post in posts:
        if post.author:
            by_author.setdefault(post.author, []).append(post)
    scored = []
    for person, own in by_author.items():
        followers = max(p.followers for p in own)
        engagement = sum(p.engagement for p in own)
        scored.append((-influence(followers, engagement, len(own)), person, followers,
                       engagement))
    scored.sort(key=lambda item: (item[0], item[1]))
    found = []
    for negated, person, followers, engagement in scored[:top]:  # details for the top only
        own = by_author[person]
        example = max(own, key=lambda p: (p.engagement, p.created_at or datetime.min.replace(
            tzinfo=UTC)))
        name = next((p.author_name for p in own if p.author_name), person)
        found.append(Influencer(person, name, followers, engagement, len(own),
                                SentimentMix.of(own), -negated, example))
    return found


def normalised(text: str) -> str:
    """Return text reduced for near-duplicate checks (no mentions, URLs, case or punctuation)."""
    text = MENTION.sub(" ", URL.sub(" ", text.lower()))
    return re.sub(r"\W+", " ", text).strip()


def representative(posts: Sequence[CustomerPost], label: str, theme_of: dict[int, int],
                   top: int = 5, scale: float | None = None) -> list[CustomerPost]:
    """Return the strongest posts of one polarity, spread over themes, without duplicates
    (and, on a rating ``scale``, without posts whose own rating says the opposite)."""
    sign = -1.0 if label == "negative" else 1.0
    pool = [p for p in posts if p.sentiment and p.sentiment.label == label
            and not contradicts_rating(p, label, scale)]
    pool.sort(key=lambda p: (-(sign * p.sentiment.score * p.sentiment.confidence  # type: ignore[union-attr]
                               + 0.05 * math.log1p(p.engagement)), p.id))
    return spread_over_themes(pool, theme_of, top)


def spread_over_themes(ranked: Sequence[CustomerPost], theme_of: dict[int, int],
                       top: int) -> list[CustomerPost]:
    """Return up to ``top`` of ``ranked`` in order: one per theme first, never a near-duplicate."""
    chosen: list[CustomerPost] = []
    seen_text: set[str] = set()
    seen_theme: set[int] = set()
    for strict in (True, False):
        for post in ranked:
            if len(chosen) >= top:
                return chosen
            key = normalised(post.body)
            theme = theme_of.get(post.num, -1)
            if key in seen_text or (strict and theme in seen_theme):
                continue
            chosen.append(post)
            seen_text.add(key)
            seen_theme.add(theme)
    return chosen
