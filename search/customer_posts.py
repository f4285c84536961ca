"""Customer posts for voice-of-the-customer reports: finding them on a topic and loading them.

Every function here is access-aware: only posts the principal may read are returned.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import select

from search import schema as t
from search.chunking import join_text
from search.filters import Filters
from search.keyword import clean_query
from search.models import Principal, utc
from search.sentiment import Sentiment

if TYPE_CHECKING:
    from search.engine import SearchEngine

CHUNK = 500
MAX_KEYWORD = 100_000
VECTOR_DEPTH = 2000
OPERATORS = re.compile(r'"|\b(AND|OR|NOT)\b')


@dataclass(frozen=True)
class CustomerPost:
    """What a voice report needs of one customer post."""

    num: int
    id: str
    title: str
    text: str
    url: str
    created_at: datetime | None
    author: str | None
    author_name: str
    followers: int
    likes: int
    reposts: int
    product: str | None
    area: str | None
    channel: str | None
    rating: float | None
    sentiment: Sentiment | None = None

    @property
    def engagement(self) -> int:
        """Return likes plus reposts."""
        return self.likes + self.reposts

    @cached_property
    def body(self) -> str:
        """Return the title (if any) and text as one string (computed once per post)."""
        return join_text(self.title, self.text)

    def to_dict(self, chars: int = 280) -> dict[str, Any]:
        """Return a JSON-ready summary (text cut to ``chars`` characters)."""
        text = self.body
        return {
            "id": self.id, "text": text if len(text) <= chars else text[: chars - 1] + "…",
            "url": self.url, "created_at": self.created_at.isoformat() if self.created_at else None,
            "author": self.author, "author_name": self.author_name, "followers": self.followers,
            "likes": self.likes, "reposts": self.reposts, "product": self.product,
            "area": self.area, "channel": self.channel, "rating": self.rating,
            "sentiment": self.sentiment.to_dict() if self.sentiment else None,
        }


class PostCache:
    """Posts and embeddings kept between reports, keyed by the store's state (thread-safe)."""

    def __init__(self, keep: int = 4, max_vectors: int = 50_000) -> None:
        self.keep = keep
        self.max_vectors = max_vectors
        self._lock = threading.Lock()
        self._posts: dict[Any, list[CustomerPost]] = {}
        self._vectors: dict[int, np.ndarray] = {}
        self._vector_seq = -1

    def posts(self, key: Any) -> list[CustomerPost] | None:
        """Return the posts cached under ``key`` (a copy of the list) or ``None``."""
        with self._lock:
            found = self._posts.get(key)
            return list(found) if found is not None else None

    def put_posts(self, key: Any, posts: list[CustomerPost]) -> None:
        """Cache ``posts`` under ``key``, forgetting the oldest keys beyond ``keep``."""
        with self._lock:
            self._posts[key] = list(posts)
            while len(self._posts) > self.keep:
                self._posts.pop(next(iter(self._posts)))

    def vectors(self, engine: SearchEngine, posts: Sequence[CustomerPost]) -> np.ndarray:
        """Return the posts' embeddings (index cache first, then memory between reports)."""
        from search.sentiment_store import post_vectors

        seq = engine.store.current_seq()
        with self._lock:
            if seq != self._vector_seq or len(self._vectors) > self.max_vectors:
                self._vectors, self._vector_seq = {}, seq
            missing = [p for p in posts if p.num not in self._vectors]
        if missing:
            fresh = post_vectors(engine, [(p.title, p.text) for p in missing])
            with self._lock:
                self._vectors.update(zip((p.num for p in missing), fresh, strict=True))
        if not posts:
            return np.zeros((0, engine.embedder.dimension), dtype=np.float32)
        with self._lock:
            return np.vstack([self._vectors[p.num] for p in posts])


def customer_filters(since: datetime | None, until: datetime | None) -> Filters:
    """Return filters for customer posts in a period."""
    return Filters(audience="customer", since=utc(since), until=utc(until))


def _period_condition(principal: Principal, since: datetime | None,
                      until: datetime | None) -> Any:
    d = t.documents.c
    cond = d.audience == "customer"
    if since is not None:
        cond = cond & (d.created_at >= utc(since))
    if until is not None:
        cond = cond & (d.created_at <= utc(until))
    tokens = principal.tokens()
    if tokens is not None:
        cond = cond & d.num.in_(select(t.doc_access.c.num).where(
            t.doc_access.c.token.in_(tokens)))
    return cond


def all_post_nums(engine: SearchEngine, principal: Principal, since: datetime | None,
                  until: datetime | None) -> list[int]:
    """Return every readable customer post in the period (posts without a date only when open)."""
    query = select(t.documents.c.num).where(_period_condition(principal, since, until))
    with engine.store.engine.connect() as conn:
        return [int(n) for n in conn.execute(query.order_by(t.documents.c.num)).scalars()]


def load_all_posts(engine: SearchEngine, principal: Principal, since: datetime | None,
                   until: datetime | None) -> list[CustomerPost]:
    """Return every readable customer post in the period, in two queries."""
    cond = _period_condition(principal, since, until)
    return _load(engine, [cond])


def keyword_query(topic: str) -> str:
    """Return the keyword query for a topic: every word required unless the user wrote syntax."""
    text = clean_query(topic)
    if OPERATORS.search(text):
        return text
    words = [w for w in re.split(r"\s+", text) if any(ch.isalnum() for ch in w)]
    return " AND ".join(words)


def keyword_matches(engine: SearchEngine, topic: str, principal: Principal,
                    filters: Filters) -> dict[int, float]:
    """Return ``{num: BM25 score}`` of readable posts containing every topic word."""
    query = keyword_query(topic)
    if not query:
        return {}
    result = engine.keyword.search(query, MAX_KEYWORD, principal.tokens(), filters)
    return dict(result.ranked)


def vector_matches(engine: SearchEngine, query_vector: np.ndarray, principal: Principal,
                   filters: Filters, min_similarity: float) -> dict[int, float]:
    """Return ``{num: cosine}`` of readable posts at least ``min_similarity`` close to the topic.

    Every document above the threshold is found first, then only those are checked against
    access and ``filters`` (one small query instead of one per widening over thousands).
    """
    engine.vector.reload_if_changed()
    depth = VECTOR_DEPTH
    while True:
        ranked = engine.vector.search(query_vector, depth)
        kept = {num: score for num, score in ranked if score >= min_similarity}
        if len(ranked) < depth or len(kept) < len(ranked):
            break
        depth *= 4
    readable = engine.store.readable_nums(list(kept), principal, filters)
    return {num: score for num, score in kept.items() if num in readable}


def load_posts(engine: SearchEngine, nums: Sequence[int]) -> list[CustomerPost]:
    """Return the posts with these store numbers (with stored sentiment), in ``nums`` order."""
    found = {p.num: p for p in _load(engine, [t.documents.c.num.in_(part)
                                              for part in _chunks(nums)])}
    return [found[n] for n in nums if n in found]


def _load(engine: SearchEngine, conditions: Sequence[Any]) -> list[CustomerPost]:
    d, c, s = t.documents.c, t.contributions.c, t.sentiment.c
    rows: list[Any] = []
    authors: dict[int, str] = {}
    by_role: set[int] = set()
    with engine.store.engine.connect() as conn:
        for cond in conditions:
            rows += conn.execute(
                select(d.num, d.id, d.title, d.text, d.url, d.created_at, d.meta, s.label,
                       s.score, s.confidence)
                .select_from(t.documents.outerjoin(t.sentiment, s.num == d.num))
                .where(cond).order_by(d.num)).all()
            for a in conn.execute(select(c.num, c.person_id, c.role)
                                  .join(t.documents, d.num == c.num).where(cond)):
                num = int(a.num)
                if a.role == "author" and num not in by_role:
                    authors[num] = str(a.person_id)
                    by_role.add(num)
                elif num not in authors:
                    authors[num] = str(a.person_id)
    return [_post(r, authors.get(int(r.num)),
                  Sentiment(r.label, float(r.score), float(r.confidence))
                  if r.label is not None else None) for r in rows]


def _post(r: Any, author: str | None, sentiment: Sentiment | None) -> CustomerPost:
    try:
        meta = json.loads(r.meta) if r.meta else {}
    except ValueError:
        meta = {}
    if not isinstance(meta, dict):
        meta = {}
    handle = _text(meta.get("author"))
    author = author or (f"c.{handle.lstrip('@')}" if handle else None)
    return CustomerPost(
        num=int(r.num), id=str(r.id), title=r.title or "", text=r.text or "", url=r.url or "",
        created_at=utc(r.created_at), author=author,
        author_name=_text(meta.get("author_name")) or handle or (author or ""),
        followers=_int(meta.get("followers")), likes=_int(meta.get("likes")),
        reposts=_int(meta.get("reposts")), product=_text(meta.get("product")) or None,
        area=_text(meta.get("area")) or None, channel=_text(meta.get("channel")) or None,
        rating=_float(meta.get("rating")), sentiment=sentiment,
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _int(value: Any) -> int:
    try:
        return max(0, int(float(value)))
    except (TypeError, ValueError, OverflowError):
        return 0


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None


def _chunks(items: Iterable[int]) -> Iterable[list[int]]:
    items = list(items)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
