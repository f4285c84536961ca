"""Routing customer topics to internal documents with the real model: words are not enough."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from search.config import Settings
from search.digest import DigestBuilder
from search.embedder import MiniLMEmbedder
from search.engine import SearchEngine
from search.models import Document, Principal
from search.voice import VoiceAnalyzer
from tests.voice.conftest import START, post

ANYONE = Principal.anonymous()
DELAYS = [
    "My flight has been delayed three hours and nobody at the gate tells us anything",
    "Delayed again, missed my connection, the app still says on time",
    "Flight delayed for the second time today, no update from the crew, so frustrating",
    "Sitting on the plane for 90 minutes, delayed with no explanation, terrible",
    "Delay after delay and the desk cannot rebook me, worst airline",
]


def page(native: str, title: str, text: str) -> Document:
    """Build an internal wiki page."""
    return Document(id=f"wiki:{native}", source="wiki", kind="wiki", title=title, text=text,
                    url=f"https://wiki.example/{native}")


@pytest.fixture
def airline(tmp_path: Path, minilm: MiniLMEmbedder) -> Iterator[SearchEngine]:
    """Delay complaints, the ops runbook about them and a page that only shares their words."""
    engine = SearchEngine(Settings(data_dir=str(tmp_path / "data")), embedder=minilm)
    engine.upsert([
        page("delays", "Flight delays: rebooking passengers and keeping them informed",
             "When a flight is delayed, gate agents announce the new departure time every 30 "
             "minutes, rebook missed connections and push the delay to the app."),
        page("balloon", "Nearspace balloon flight",
             "Hackerspace project: a weather balloon carries a camera and a GPS tracker to 30 km. "
             "The launch was delayed by wind; the flight path is predicted with the CUSF "
             "predictor and the payload is recovered with a radio beacon."),
        *[post(i, text, START + timedelta(hours=i), author=f"fan{i}")
          for i, text in enumerate(DELAYS * 2)],
    ])
    yield engine
    engine.close()


@pytest.mark.slow
def test_topic_routes_to_documents_about_what_the_posts_say(airline: SearchEngine) -> None:
    voice = VoiceAnalyzer(airline)
    routed = [d["id"] for d in voice.report("flight delayed", None, None, ANYONE)
              .internal_documents]
    assert routed == ["wiki:delays"]
    # the words alone, without the posts behind them, would have routed to the balloon too
    by_words = [d["id"] for d in voice.router.internal_documents("flight delayed", ANYONE)]
    assert "wiki:balloon" in by_words


@pytest.mark.slow
def test_digest_routes_an_issue_only_where_the_posts_point(airline: SearchEngine) -> None:
    digest = DigestBuilder(airline).build("2024-W10", ANYONE)
    routed = {d["id"] for tp in digest.touch_points for d in tp.internal}
    assert routed == {"wiki:delays"}
