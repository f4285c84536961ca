"""Every customer post with its vector, terms and columns, loaded once per store state.

What a report needs of a post does not depend on the topic or on who asks: its text, sentiment,
author, embedding and terms. ``CorpusCache`` loads them once per store state (store sequence and
latest stored sentiment) instead of once per report. The corpus holds every customer post, so it
is never handed out as such: a report picks its rows from numbers that were already filtered by
the asking principal's access (``all_post_nums`` or topic matching), never from the corpus alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import func, select

from search import schema as t
from search.customer_posts import CustomerPost, load_all_posts
from search.models import Principal
from search.term_matrix import TermMatrix
from search.voice_rows import PostArrays

if TYPE_CHECKING:
    from search.engine import SearchEngine

MAX_POSTS = 50_000
READABLE_SETS = 32


@dataclass(frozen=True)
class VoiceCorpus:
    """Every customer post (ordered by store number) with its embedding and distinct terms."""

    posts: tuple[CustomerPost, ...]
    nums: np.ndarray
    vectors: np.ndarray
    terms: TermMatrix
    arrays: PostArrays
    classified: frozenset[int]

    def rows(self, nums: Iterable[int]) -> np.ndarray:
        """Return the rows of these store numbers, in their order (unknown numbers dropped)."""
        wanted = np.fromiter(nums, dtype=np.int64)
        if not len(self.nums) or not len(wanted):
            return np.zeros(0, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.nums, wanted), len(self.nums) - 1)
        return at[self.nums[at] == wanted]

    def rows_of(self, posts: Sequence[CustomerPost]) -> np.ndarray:
        """Return the rows of ``posts`` (posts not in the corpus are dropped)."""
        return self.rows(p.num for p in posts)

    def posts_at(self, rows: np.ndarray) -> list[CustomerPost]:
        """Return the posts at ``rows``."""
        return [self.posts[i] for i in rows.tolist()]


def count_customer_posts(engine: SearchEngine) -> int:
    """Return how many customer posts the store holds (whoever may read them)."""
    with engine.store.engine.connect() as conn:
        query = select(func.count()).where(t.documents.c.audience == "customer")
        return int(conn.execute(query).scalar() or 0)


def load_corpus(engine: SearchEngine) -> VoiceCorpus:
    """Load every customer post, classify those without stored sentiment, embed and count terms."""
    from search.sentiment_store import classify_texts, post_vectors

    posts = load_all_posts(engine, Principal.system(), None, None)
    missing = [i for i, p in enumerate(posts) if p.sentiment is None]
    found = classify_texts(engine, [(posts[i].title, posts[i].text) for i in missing])
    for i, sentiment in zip(missing, found, strict=True):
        posts[i] = replace(posts[i], sentiment=sentiment)
    posts.sort(key=lambda p: p.num)
    if posts:
        vectors = post_vectors(engine, [(p.title, p.text) for p in posts])
    else:
        vectors = np.zeros((0, engine.embedder.dimension), dtype=np.float32)
    return VoiceCorpus(tuple(posts), np.array([p.num for p in posts], dtype=np.int64), vectors,
                       TermMatrix.of(p.body for p in posts), PostArrays.of(posts),
                       frozenset(posts[i].num for i in missing))


class CorpusCache:
    """The corpus of the latest store state (``None`` when the store holds too many posts),
    and the post numbers each principal may read in a period, for that same state."""

    def __init__(self, max_posts: int = MAX_POSTS, keep: int = READABLE_SETS) -> None:
        self.max_posts = max_posts
        self.keep = keep
        self._lock = threading.Lock()
        self._key: Any = None
        self._corpus: VoiceCorpus | None = None
        self._readable: dict[Any, list[int]] = {}

    def get(self, engine: SearchEngine, key: Any) -> VoiceCorpus | None:
        """Return the corpus for store state ``key``, loading it when the state changed."""
        if self.max_posts <= 0:
            return None
        with self._lock:
            if self._key != key:
                self._corpus = None
                self._readable = {}
                if count_customer_posts(engine) <= self.max_posts:
                    self._corpus = load_corpus(engine)
                self._key = key
            return self._corpus

    def readable(self, key: Any, who: Any, load: Callable[[], list[int]]) -> list[int]:
        """Return ``load()`` (the numbers ``who`` may read), kept while the state is ``key``."""
        with self._lock:
            if self._key == key and who in self._readable:
                return self._readable[who]
        nums = load()
        with self._lock:
            if self._key == key:
                self._readable[who] = nums
                while len(self._readable) > self.keep:
                    self._readable.pop(next(iter(self._readable)))
        return nums
