"""Bad input on every surface (analyzer, CLI, JSON API, dashboard): a topic nobody mentions, a
period without data, posts without timestamps or authors, emoji-only and non-English posts and
topics. Each gives a report that says what is missing, never a crash."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from search.cli import main
from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.models import Document, Principal
from search.voice import VoiceAnalyzer
from tests.voice.conftest import START, post
from tests.web.conftest import close_app, make_app

ENV = {"SOCIALSEARCH_EMBEDDER": "hashing"}
ANYONE = Principal.anonymous()
TOPICS = ["submarine", "🔥", "😠😠", "vergüenza", "遅延", "wifi", "*", "   ", "\"wifi", "AND",
          "wifi OR", "a" * 2000, "<script>alert(1)</script>", "wifi\x00"]


def messy() -> list[Document]:
    """Posts missing what reports use: dates, authors, words, English."""
    return [
        post(1, "the wifi was awful", None),
        post(2, "wifi great", START, author=None),
        post(3, "😠😠", START, author="emo"),
        post(4, "🔥🔥 https://example.com/x", START + timedelta(days=1), author="emo"),
        post(5, "El wifi del avión no funciona y es una vergüenza total", START, author="ana"),
        post(6, "機内のwifiが遅延して全く使えませんでした、本当にひどい", START, author="ken"),
        post(7, "", START, author="blank", title=""),
        post(8, "wifi wifi wifi", None, author=None),
    ]


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[str]:
    data = str(tmp_path / "data")
    engine = SearchEngine(Settings(data_dir=data, embedder="hashing"), embedder=HashingEmbedder())
    engine.upsert(messy())
    engine.close()
    yield data


@pytest.fixture
def client(data_dir: str) -> Iterator[FlaskClient]:
    engine = SearchEngine(Settings(data_dir=data_dir, embedder="hashing"),
                          embedder=HashingEmbedder())
    app = make_app(engine, demo_mode=True)
    yield app.test_client()
    close_app(app)
    engine.close()


def test_every_odd_topic_gives_a_report(data_dir: str) -> None:
    engine = SearchEngine(Settings(data_dir=data_dir, embedder="hashing"),
                          embedder=HashingEmbedder())
    voice = VoiceAnalyzer(engine)
    for topic in TOPICS:
        for bucket in ("day", "week"):
            report = voice.report(topic, None, None, ANYONE, bucket=bucket)
            json.dumps(report.to_dict(include_posts=True))
            assert report.total == 0 or report.notes, topic  # something to say about the mess
            if report.total == 0:
                assert any("no customer posts" in n or "no words" in n for n in report.notes)
    everything = voice.report("*", None, None, ANYONE)
    assert everything.total == 8
    assert everything.counts["undated"] == 2 and everything.counts["unattributed"] == 2
    assert everything.counts["without_words"] >= 3  # two emoji posts and the empty one
    assert everything.counts["non_english"] >= 1
    wordless = voice.report("🔥", None, None, ANYONE)
    assert wordless.experts == [] and not any("failed" in n for n in wordless.notes)
    engine.close()


def test_cli_says_what_is_missing(data_dir: str) -> None:
    runner = CliRunner()

    def voice(*args: str) -> str:
        result = runner.invoke(main, ["--data-dir", data_dir, "voice", *args], env=ENV)
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
        return result.output

    out = voice("*")
    for words in ("8 posts", "no timestamp", "no author", "no words", "non-English"):
        assert words in out
    assert "no customer posts match 'submarine'" in voice("submarine")
    assert "between 2020-01-01 and 2020-01-05" in voice("wifi", "--since", "2020-01-01",
                                                        "--until", "2020-01-05")
    assert "'since' is after 'until'" in voice("wifi", "--since", "2024-03-05",
                                               "--until", "2024-03-01")
    assert "no words" in voice("🔥")
    report = json.loads(voice("vergüenza", "--json", "--bucket", "week"))
    assert report["total"] >= 1 and report["topic"] == "vergüenza"
    empty = json.loads(voice("wifi", "--json", "--since", "2030-01-01"))
    assert empty["total"] == 0 and empty["notes"] and empty["themes"] == []
    bad = runner.invoke(main, ["--data-dir", data_dir, "voice", "wifi", "--until", "never"],
                        env=ENV)
    assert bad.exit_code == 2 and "--until" in bad.output


def test_api_and_dashboard_say_what_is_missing(client: FlaskClient) -> None:
    for topic in TOPICS[:-1]:
        response = client.get("/api/v1/voice", query_string={"q": topic})
        assert response.status_code in (200, 400), topic
        if response.status_code == 400:
            assert response.get_json()["error"], topic
            continue
        body = response.get_json()
        assert body["total"] == 0 or body["notes"], topic
        page = client.get("/search", query_string={"q": topic, "mode": "voice"})
        assert page.status_code in (200, 400), topic
    body = client.get("/api/v1/voice?q=*").get_json()
    assert body["total"] == 8 and body["counts"]["undated"] == 2
    notes = " ".join(body["notes"])
    for words in ("no timestamp", "no author", "no words", "non-English"):
        assert words in notes
    none = client.get("/api/v1/voice?q=submarine").get_json()
    assert none["total"] == 0 and "no customer posts match 'submarine'" in none["notes"][0]
    period = client.get("/api/v1/voice?q=wifi&since=2020-01-01&until=2020-01-05").get_json()
    assert period["total"] == 0 and "between 2020-01-01 and 2020-01-05" in period["notes"][0]
    assert len(period["timeline"]) == 1  # one (empty) week bucket: the period is shown
    backwards = client.get("/api/v1/voice?q=wifi&since=2024-03-05&until=2024-03-01")
    assert backwards.status_code == 400 and "after" in backwards.get_json()["error"]["message"]
    assert client.get("/api/v1/voice?q=wifi&bucket=month").status_code == 400
    html = client.get("/search?q=wifi&mode=voice&since=2020-01-01&until=2020-02-01")
    assert html.status_code == 200 and "No customer posts about" in html.get_data(as_text=True)
    html = client.get("/search", query_string={"q": "*", "mode": "voice"})
    assert html.status_code == 200


def test_a_post_dated_at_the_period_edge_counts(data_dir: str) -> None:
    engine = SearchEngine(Settings(data_dir=data_dir, embedder="hashing"),
                          embedder=HashingEmbedder())
    edge = START.astimezone(UTC)
    report = VoiceAnalyzer(engine).report("*", edge, edge, ANYONE)
    assert report.total >= 1 and all(p.created_at == edge for p in report.posts)
    since = datetime(2024, 3, 5, tzinfo=UTC)
    assert all(p.created_at and p.created_at >= since
               for p in VoiceAnalyzer(engine).report("*", since, None, ANYONE).posts)
    engine.close()
