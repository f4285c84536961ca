"""Star ratings of customer posts (reviews): summary, scale, and where reports show them."""

from __future__ import annotations

import math
from datetime import timedelta
from pathlib import Path

from search.config import Settings
from search.customer_posts import CustomerPost
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.models import Principal
from search.ratings import (
    contradicts_rating,
    describe_ratings,
    part_mean,
    summarise_ratings,
)
from search.sentiment import Sentiment
from search.voice import VoiceAnalyzer
from search.voice_cli import render_report
from search.voice_parts import representative
from tests.voice.conftest import START, post


def rated(*values: float | None, label: str = "neutral") -> list[CustomerPost]:
    score = {"negative": -0.9, "neutral": 0.0, "positive": 0.9}[label]
    return [CustomerPost(num=i, id=f"p{i}", title="", text=f"post number {i}", url="",
                         created_at=None, author=None, author_name="", followers=0, likes=0,
                         reposts=0, product=None, area=None, channel=None, rating=value,
                         sentiment=Sentiment(label, score, 0.9))  # type: ignore[arg-type]
            for i, value in enumerate(values)]


def test_the_summary_counts_usable_ratings_on_the_smallest_usual_scale() -> None:
    assert summarise_ratings(rated(None, None)) is None
    five = summarise_ratings(rated(1, 5, 3, None, math.nan, -1))
    assert five is not None and (five.count, five.mean, five.scale) == (3, 3.0, 5.0)
    ten = summarise_ratings(rated(7, 9))
    assert ten is not None and ten.scale == 10.0
    assert summarise_ratings(rated(2), scale=10.0).scale == 10.0  # type: ignore[union-attr]
    assert describe_ratings(five.to_dict()) == "average rating 3.0 / 5 from 3 rated posts"
    assert describe_ratings({"count": 1, "mean": 4, "scale": 5}).endswith("from 1 rated post")
    assert part_mean(rated(5, None, None)) is None  # one review does not rate a theme
    assert part_mean(rated(5, 4, 3, None)) == 4.0


def test_reports_show_ratings_only_where_posts_carry_them(tmp_path: Path) -> None:
    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder())
    reviews = [post(i, f"the speaker sound is poor {i}", START + timedelta(days=10, hours=i),
                    author=f"r{i}", rating=1 + i % 2) for i in range(6)]
    earlier = [post(10 + i, f"the speaker sound is great {i}", START + timedelta(days=2, hours=i),
                    author=f"e{i}", rating=5) for i in range(3)]
    tweets = [post(20 + i, f"the speaker sound on board {i}", START + timedelta(days=10, hours=i),
                   author=f"t{i}") for i in range(4)]
    engine.upsert([*reviews, *earlier, *tweets])
    analyzer = VoiceAnalyzer(engine)
    anyone = Principal.anonymous()
    report = analyzer.report("*", START + timedelta(days=6), None, anyone)
    assert report.total == 10 and report.ratings is not None
    assert (report.ratings.count, report.ratings.mean, report.ratings.scale) == (6, 1.5, 5.0)
    assert report.previous is not None and report.previous.ratings is not None
    assert report.previous.ratings.mean == 5.0
    data = report.to_dict()
    assert data["ratings"] == {"count": 6, "mean": 1.5, "scale": 5.0}
    assert all(t["rating"] is None or 1 <= t["rating"] <= 2 for t in data["themes"])
    text = render_report(data)
    assert "average rating 1.5 / 5 from 6 rated posts" in text
    assert "average rating 5.0 / 5 from 3 rated posts" in text  # the period before
    unrated = analyzer.report("on board", None, None, anyone).to_dict()
    assert unrated["total"] and unrated["ratings"] is None
    assert "rating" not in render_report(unrated)


def test_digest_touch_points_carry_the_mean_rating_of_their_posts(tmp_path: Path) -> None:
    from search.digest import DigestBuilder, iso_week

    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder())
    engine.upsert([post(i, f"the speaker sound is poor and crackles {i % 3}",
                        START + timedelta(hours=i), author=f"r{i}", rating=1 + i % 2)
                   for i in range(8)])
    digest = DigestBuilder(engine).build(iso_week(START), Principal.anonymous())
    assert digest.touch_points
    rated = [tp.to_dict()["rating"] for tp in digest.touch_points]
    assert all(r is not None and 1 <= r <= 2 for r in rated)
    assert "· rated 1." in digest.to_markdown()


def test_a_post_whose_own_rating_says_the_opposite_is_no_example_of_that_label() -> None:
    complaints = rated(5, 4, 1, None, label="negative")  # read as negative by the model
    shown = [p.rating for p in representative(complaints, "negative", {}, scale=5.0)]
    assert shown == [4, 1, None]  # the five-star review is left out, not the four-star one
    praise = rated(1, 2, 5, label="positive")
    assert [p.rating for p in representative(praise, "positive", {}, scale=5.0)] == [2, 5]
    assert len(representative(complaints, "negative", {})) == 4  # no scale: nothing left out
    assert contradicts_rating(rated(9)[0], "negative", 10.0)
    assert not contradicts_rating(rated(8)[0], "negative", 10.0)
    assert not contradicts_rating(rated(1)[0], "neutral", 5.0)


def test_a_digest_issue_leaves_out_posts_whose_rating_says_otherwise(tmp_path: Path) -> None:
    from search.digest import DigestBuilder, iso_week

    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder())
    texts = ["terrible awful broken speaker", "awful terrible crackling speaker",
             "broken terrible useless speaker", "awful broken horrible speaker"]
    engine.upsert([post(i, f"{texts[i % 4]} {i}", START + timedelta(hours=i), author=f"r{i}",
                        rating=5 if i % 2 else 1) for i in range(12)])
    digest = DigestBuilder(engine).build(iso_week(START), Principal.anonymous())
    issues = [tp for tp in digest.touch_points if tp.kind == "issue"]
    assert issues and all(p.rating == 1 for tp in issues for p in (*tp.members, *tp.examples))
