"""The star ratings some customer posts carry (reviews): how many, their mean, on which scale."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from search.customer_posts import CustomerPost

SCALES = (5.0, 10.0, 100.0)  # the top of the usual rating scales, smallest first
MIN_RATED = 3  # a part of a report (a theme, a touch point) shows a mean of at least this many
TOP_SHARE = 0.9  # rated in the top tenth of the scale (5 of 5, 9 of 10): no complaint
BOTTOM_SHARE = 0.2  # rated in the bottom fifth (1 of 5, 2 of 10): no praise


@dataclass(frozen=True)
class Ratings:
    """How many posts of a set carry a rating, the ratings' mean and the scale's top."""

    count: int
    mean: float
    scale: float

    def to_dict(self) -> dict[str, float | int]:
        """Return a JSON-ready dict."""
        return {"count": self.count, "mean": round(self.mean, 2), "scale": self.scale}


def rating_of(post: CustomerPost) -> float | None:
    """Return a post's rating when it has a usable one (finite, not negative)."""
    value = post.rating
    return value if value is not None and math.isfinite(value) and value >= 0 else None


def summarise_ratings(posts: Iterable[CustomerPost], scale: float | None = None) -> Ratings | None:
    """Return the ratings of ``posts`` (``None`` when none is rated); the scale is the smallest
    usual one that holds every rating, unless given."""
    values = [v for v in (rating_of(p) for p in posts) if v is not None]
    if not values:
        return None
    top = max(values)
    chosen = scale or next((s for s in SCALES if top <= s), top)
    return Ratings(len(values), sum(values) / len(values), chosen)


def describe_ratings(ratings: Mapping[str, Any]) -> str:
    """Word ratings (as from ``Ratings.to_dict``): "average rating 4.3 / 5 from 282 rated posts"."""
    count = int(ratings["count"])
    rated = "1 rated post" if count == 1 else f"{count:,} rated posts"
    return f"average rating {float(ratings['mean']):.1f} / {float(ratings['scale']):g} from {rated}"


def contradicts_rating(post: CustomerPost, label: str, scale: float | None) -> bool:
    """Tell whether a post's own rating says the opposite of ``label`` (a five-star review the
    model read as negative), which makes it a poor example of that label."""
    value = rating_of(post)
    if value is None or not scale:
        return False
    if label == "negative":
        return value >= TOP_SHARE * scale
    if label == "positive":
        return value <= BOTTOM_SHARE * scale
    return False


def part_mean(posts: Iterable[CustomerPost]) -> float | None:
    """Return the mean rating of a theme's or touch point's posts, when ``MIN_RATED`` of them
    carry one (one five-star review does not make a theme "rated 5.0")."""
    found = summarise_ratings(posts)
    return found.mean if found and found.count >= MIN_RATED else None
