"""Fixtures of the voice-of-the-customer tests: a small hand-built corpus of customer posts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.models import Access, Contribution, Document

START = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)  # a Monday (ISO week 2024-W10)

WIFI_BAD = [
    "The wifi on board never works, so annoying",
    "Paid for wifi and it kept dropping the whole flight, terrible",
    "wifi is useless again, could not even load email",
]
WIFI_GOOD = ["Wifi was great on my flight today, thanks!", "Loved the fast wifi, worked perfectly"]
BAGS_BAD = [
    "Lost my bag again, terrible service",
    "My luggage never arrived and the claim desk ignored me, awful",
    "Still no sign of my lost bag after three days, horrible",
]
SEATS_GOOD = ["Love the new seats, so comfortable", "The new seats are wonderful, great legroom"]


def post(num: int, text: str, at: datetime | None, author: str | None = "alice",
         followers: int = 100, likes: int = 1, reposts: int = 0, product: str = "air",
         access: Access | None = None, **meta: Any) -> Document:
    """Build one customer post the way the customer-post indexers do."""
    contributions = (Contribution(f"c.{author}", "author", at),) if author else ()
    data = {"author": author, "author_name": (author or "").title(), "followers": followers,
            "likes": likes, "reposts": reposts, "product": product, "channel": "twitter"}
    data.update(meta)
    if author is None:
        data = {k: v for k, v in data.items() if not k.startswith("author")}
    return Document(id=f"tw:{num}", source="tw", kind="post", title="", text=text,
                    created_at=at, audience="customer", contributions=contributions,
                    access=access or Access(), meta=data)


def corpus(days: int = 14) -> list[Document]:
    """Two weeks of posts: wifi and bag complaints, praise for wifi and seats, four authors."""
    docs = []
    texts = WIFI_BAD + WIFI_GOOD + BAGS_BAD + SEATS_GOOD
    authors = [("alice", 50), ("bob", 20_000), ("carol", 300), ("dave", 5)]
    num = 0
    for day in range(days):
        for j in range(4):
            text = texts[(day * 4 + j) % len(texts)]
            name, followers = authors[(day + j) % len(authors)]
            docs.append(post(num, f"{text} #{num}", START + timedelta(days=day, hours=j),
                             author=name, followers=followers, likes=j, reposts=day % 3))
            num += 1
    return docs


@pytest.fixture
def voice_engine(tmp_path: Path) -> Iterator[SearchEngine]:
    """An engine (hashing embedder, so VADER sentiment) holding the corpus and one wiki page."""
    eng = SearchEngine(Settings(data_dir=str(tmp_path / "data"), embedder="hashing"),
                       embedder=HashingEmbedder())
    internal = Document(id="wiki:wifi", source="wiki", kind="wiki",
                        title="Onboard wifi troubleshooting runbook", url="https://wiki.example/wifi",
                        text="How the connectivity team fixes onboard wifi outages.")
    eng.upsert([*corpus(), internal])
    yield eng
    eng.close()
