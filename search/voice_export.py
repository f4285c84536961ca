"""The customer posts behind a voice report as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence

from search.customer_posts import CustomerPost

COLUMNS = ("id", "created_at", "channel", "author", "author_name", "followers", "likes",
           "reposts", "product", "area", "rating", "sentiment", "sentiment_score",
           "sentiment_confidence", "url", "text")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would run as a formula
ROWS_PER_CHUNK = 500


def safe_cell(value: object) -> str:
    """Return a cell's text, defused when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    return re.fullmatch(r"[+-]?\d+(\.\d+)?", text) is not None


def post_row(post: CustomerPost) -> list[str]:
    """Return one post as CSV cells in ``COLUMNS`` order."""
    s = post.sentiment
    values: Sequence[object] = (
        post.id, post.created_at.isoformat() if post.created_at else "", post.channel,
        post.author, post.author_name, post.followers, post.likes, post.reposts, post.product,
        post.area, post.rating, s.label if s else "", f"{s.score:.4f}" if s else "",
        f"{s.confidence:.4f}" if s else "", post.url, " ".join(post.body.split()))
    return [safe_cell(v) for v in values]


def newest_first(posts: Iterable[CustomerPost]) -> list[CustomerPost]:
    """Return the posts newest first (undated ones last), ties by id."""
    dated = sorted((p for p in posts if p.created_at is not None), key=lambda p: p.id)
    dated.sort(key=lambda p: p.created_at, reverse=True)  # type: ignore[arg-type,return-value]
    return dated + sorted((p for p in posts if p.created_at is None), key=lambda p: p.id)


def csv_chunks(posts: Sequence[CustomerPost]) -> Iterator[str]:
    """Yield the CSV text (header first) in chunks, so a large export streams."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for start in range(0, len(posts), ROWS_PER_CHUNK):
        writer.writerows(post_row(p) for p in posts[start : start + ROWS_PER_CHUNK])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()


def export_name(topic: str, stamp: str) -> str:
    """Return a download file name for the posts on ``topic`` ("customer-posts-billing-…csv")."""
    slug = re.sub(r"[^a-z0-9]+", "-", topic.casefold()).strip("-")[:40] or "all"
    return f"customer-posts-{slug}-{stamp}.csv"
