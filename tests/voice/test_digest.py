"""The weekly touch-points digest."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from search.config import Settings
from search.digest import (
    DigestBuilder,
    DigestError,
    TouchPoint,
    describe_change,
    pick,
    week_bounds,
)
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.models import Principal
from search.voice_parts import SentimentMix
from tests.voice.conftest import START, corpus, post

ANYONE = Principal.anonymous()


def test_week_bounds() -> None:
    since, until = week_bounds("2024-W10")
    assert since == datetime(2024, 3, 4, tzinfo=UTC)
    assert until == datetime(2024, 3, 11, tzinfo=UTC) - timedelta(microseconds=1)
    assert week_bounds("2024w10") == (since, until)
    for bad in ("2024-10", "last week", "2024-W54", "", "0001-W01", "9999-W52"):
        with pytest.raises(DigestError):
            week_bounds(bad)


def test_digest_has_issues_wins_and_markdown(voice_engine: SearchEngine) -> None:
    digest = DigestBuilder(voice_engine).build("2024-W11", ANYONE)
    assert digest.week == "2024-W11" and digest.total == 28
    assert 1 <= len(digest.touch_points) <= 10
    kinds = {tp.kind for tp in digest.touch_points}
    assert {"issue", "win"} <= kinds
    impacts = [tp.impact for tp in digest.touch_points]
    assert impacts == sorted(impacts, reverse=True)
    issue = next(tp for tp in digest.touch_points if tp.kind == "issue")
    assert issue.mix.negative == issue.posts
    markdown = digest.to_markdown()
    assert markdown.startswith("# Customer touch points — 2024-W11 (2024-03-11 to 2024-03-17)")
    assert "1. **" in markdown and "> " in markdown
    assert "28 customer posts" in markdown and " · reach " in markdown
    slack = digest.to_markdown(slack=True)
    assert "**" not in slack and slack.startswith("*Customer touch points")
    data = json.loads(json.dumps(digest.to_dict()))
    assert data["touch_points"][0]["kind"] in ("issue", "win", "trend")
    assert data["previous_weekly_average"] == pytest.approx(28 / 4)


def test_issue_routes_to_internal_documents(voice_engine: SearchEngine) -> None:
    digest = DigestBuilder(voice_engine, routed=10).build("2024-W10", ANYONE)
    routed = [tp for tp in digest.touch_points if tp.internal]
    assert routed and all(tp.kind != "win" for tp in routed)
    assert any(d["id"] == "wiki:wifi" for tp in routed for d in tp.internal)
    assert "Route to: [Onboard wifi troubleshooting runbook](https://wiki.example/wifi)" \
        in digest.to_markdown()
    assert "<https://wiki.example/wifi|Onboard wifi" in digest.to_markdown(slack=True)
    few = DigestBuilder(voice_engine, routed=1).build("2024-W10", ANYONE)
    assert sum(1 for tp in few.touch_points if tp.internal) <= 1


def test_trend_against_previous_weeks(tmp_path: Path) -> None:
    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder())
    docs = []
    for day in range(35):
        for j in range(3):
            docs.append(post(day * 10 + j, f"flight was fine, crew ok {day} {j}",
                             START + timedelta(days=day - 28, hours=j), author=f"u{j}"))
    for j in range(12):
        docs.append(post(9000 + j, f"new lounge opened in denver {j}",
                         START + timedelta(days=2, hours=j), author=f"v{j}"))
    engine.upsert(docs)
    digest = DigestBuilder(engine).build("2024-W10", ANYONE)
    trends = [tp for tp in digest.touch_points if tp.kind == "trend"]
    assert trends, digest.to_markdown()
    assert any("lounge" in tp.title or "denver" in tp.title for tp in trends)
    assert all(tp.change is None or tp.change > 1 for tp in trends)
    engine.close()


def test_empty_week_and_no_history(voice_engine: SearchEngine) -> None:
    empty = DigestBuilder(voice_engine).build("2019-W01", ANYONE)
    assert empty.total == 0 and empty.touch_points == []
    assert "No touch points this week." in empty.to_markdown()
    assert any("no customer posts in 2019-W01" in n for n in empty.notes)
    first = DigestBuilder(voice_engine).build("2024-W10", ANYONE)
    assert any("trends need history" in n for n in first.notes)
    assert all(tp.kind != "trend" for tp in first.touch_points)


def test_pick_keeps_every_kind_and_at_most_ten() -> None:
    def tp(kind: str, impact: float) -> TouchPoint:
        return TouchPoint(kind, f"{kind}{impact}", [], 1, SentimentMix(), 0, 0,  # type: ignore[arg-type]
                          impact, [])

    many = [tp("issue", 100 + i) for i in range(12)] + [tp("win", 1), tp("trend", 2)]
    chosen = pick(many)
    assert len(chosen) == 10
    assert {c.kind for c in chosen} == {"issue", "win", "trend"}
    assert [c.impact for c in chosen] == sorted((c.impact for c in chosen), reverse=True)
    assert pick([tp("issue", 0)]) == []


def test_pick_leaves_out_a_touch_point_that_repeats_the_posts_of_a_chosen_one() -> None:
    from collections.abc import Sequence
    from dataclasses import replace
    from types import SimpleNamespace

    def tp(kind: str, impact: float, ids: Sequence[int]) -> TouchPoint:
        members = [SimpleNamespace(id=f"p{i}") for i in ids]
        return TouchPoint(kind, f"{kind}{impact}", [], len(members), SentimentMix(), 0, 0,  # type: ignore[arg-type]
                          impact, [], members=members)  # type: ignore[arg-type]

    incident = tp("issue", 80, range(0, 33))
    again_as_trend = tp("trend", 30, range(20, 35))  # 13 of its 15 posts are the incident's
    spike = tp("trend", 25, range(0, 37))
    other = tp("trend", 10, range(40, 50))
    elsewhere = tp("issue", 7, [*range(28, 33), *range(60, 87)])  # 5 of 32 shared: another
    chosen = pick([incident, again_as_trend, replace(spike, change=6.0), other, elsewhere])
    assert [c.title for c in chosen] == ["issue80", "trend10", "issue7"]
    assert chosen[0].change == 6.0  # the incident carries its spike's rise


def test_a_spike_day_becomes_a_trend(tmp_path: Path) -> None:
    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder())
    docs = [post(day * 10 + j, f"flight was fine, crew ok {day} {j}",
                 START + timedelta(days=day - 21, hours=j), author=f"u{j}")
            for day in range(28) for j in range(4)]
    docs += [post(9000 + j, f"checkin app crashed again, awful {j}",
                  START + timedelta(days=3, minutes=j), author=f"v{j}") for j in range(25)]
    engine.upsert(docs)
    digest = DigestBuilder(engine).build("2024-W10", ANYONE)
    crash = {f"tw:{9000 + j}" for j in range(25)}
    holding = [tp for tp in digest.touch_points if crash & {p.id for p in tp.members}]
    assert len(holding) == 1  # the crash once: as an issue, or as the day's spike
    point = holding[0]
    assert any(w in point.title for w in ("crashed", "app", "checkin"))
    assert point.change is not None and point.change > 2  # with the spike's rise
    if point.title.startswith("spike in"):
        assert "2024-03-07" in point.title
    engine.close()


def test_too_few_to_group_are_named_by_what_sets_them_apart(tmp_path: Path) -> None:
    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder())
    docs = [post(j, f"okta login loop again, awful and broken {j}",
                 START + timedelta(days=1, hours=j), author=f"v{j}") for j in range(4)]
    docs += [post(100 + j, f"flight was fine, crew ok {j}", START + timedelta(days=2, hours=j),
                  author=f"u{j}") for j in range(10)]
    engine.upsert(docs)
    digest = DigestBuilder(engine).build("2024-W10", ANYONE)
    issue = next(tp for tp in digest.touch_points if tp.kind == "issue")
    assert issue.posts == 4 and issue.title.startswith("negative posts: ")
    assert {"okta", "login", "loop"} & set(issue.phrases), issue.title
    engine.close()


def test_no_reach_is_shown_when_the_source_has_no_follower_counts(tmp_path: Path) -> None:
    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder())
    engine.upsert([post(j, f"my bag is lost again, awful {j}", START + timedelta(hours=j),
                        author=f"v{j}", followers=0) for j in range(6)])
    digest = DigestBuilder(engine).build("2024-W10", ANYONE)
    assert digest.touch_points and all(tp.reach == 0 for tp in digest.touch_points)
    assert "reach" not in digest.to_markdown() and "reach" not in digest.to_markdown(slack=True)
    engine.close()


def test_large_changes_read_as_multiples() -> None:
    assert describe_change(None) == ""
    assert describe_change(0.4) == "+40% vs usual"
    assert describe_change(-0.25) == "-25% vs usual"
    assert describe_change(12.65) == "14× usual"
    assert describe_change(1.0) == "2× usual"


def test_routed_touch_points_name_people_to_ask(tmp_path: Path) -> None:
    from search.models import Access, Contribution, Document

    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder())
    runbook = Document(id="wiki:wifi", source="wiki", kind="wiki", title="Onboard wifi runbook",
                       text="How the connectivity team fixes onboard wifi outages.",
                       contributions=(Contribution("u.kim", "author"),))
    private = Document(id="wiki:wifi-vendor", source="wiki", kind="wiki",
                       title="Wifi vendor contract", text="Onboard wifi outages and penalties.",
                       contributions=(Contribution("u.secret", "author"),),
                       access=Access.restricted(groups=["legal"]))
    engine.upsert([*corpus(), runbook, private])
    digest = DigestBuilder(engine, routed=10).build("2024-W10", ANYONE)
    asked = [e["person"]["id"] for tp in digest.touch_points for e in tp.experts]
    assert "u.kim" in asked and "u.secret" not in asked
    assert all(tp.internal for tp in digest.touch_points if tp.experts)
    assert "    Ask: " in digest.to_markdown()
    engine.close()
