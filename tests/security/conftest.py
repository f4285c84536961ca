"""Fixtures of the security suite: the adversarial corpus, per-asker "public view" twins, apps."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.models import Document, Person
from tests.security import corpus, hostile
from tests.web.conftest import SSO_HEADER, close_app, make_app, slack_body, slack_sign


@dataclass
class Tally:
    """How many leak cases ran and which of them leaked (reported at the end of the session)."""

    cases: int = 0
    leaks: list[str] = field(default_factory=list)
    by_path: dict[str, int] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)

    def count(self, path: str, cpu_seconds: float = 0.0) -> None:
        """Record one case on ``path`` and the CPU time it took."""
        self.cases += 1
        self.by_path[path] = self.by_path.get(path, 0) + 1
        self.cpu[path] = self.cpu.get(path, 0.0) + cpu_seconds


TALLY = Tally()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print how many access-control cases ran and how many leaked."""
    if not TALLY.cases:
        return
    terminalreporter.section("access-control leak cases")
    for path, n in sorted(TALLY.by_path.items()):
        terminalreporter.write_line(f"{path:<28} {n:>5} cases {TALLY.cpu[path]:>7.1f} s CPU")
    terminalreporter.write_line(f"total: {TALLY.cases} cases, {len(TALLY.leaks)} leaked")


def build(path: Path, docs: list[Document], people: list[Person]) -> SearchEngine:
    """Index ``docs`` and ``people`` into a fresh engine with the fast hashing embedder."""
    engine = SearchEngine(Settings(data_dir=str(path), embedder="hashing"),
                          embedder=HashingEmbedder())
    engine.upsert(docs)
    engine.upsert_people(people)
    return engine


@dataclass
class World:
    """The full corpus and, per asker, a twin holding only what that asker may read."""

    full: SearchEngine
    views: dict[str, SearchEngine]
    apps: dict[str, Flask] = field(default_factory=dict)
    _stamp: itertools.count[int] = field(default_factory=itertools.count)

    def app(self, which: str) -> Flask:
        """Return the (cached) demo-mode app on the full engine (``"full"``) or an asker's twin."""
        if which not in self.apps:
            engine = self.full if which == "full" else self.views[which]
            self.apps[which] = make_app(engine, demo_mode=True)
        return self.apps[which]

    def client(self, which: str) -> FlaskClient:
        """Return a test client of ``app(which)``."""
        return self.app(which).test_client()

    def slack(self, which: str, asker: corpus.Asker, text: str) -> Any:
        """Send a correctly signed ``/ask`` command as ``asker`` and return the response."""
        body = slack_body(text, user=asker.slack_user, trigger_id=f"t{next(self._stamp)}")
        return self.client(which).post("/slack/commands", data=body, headers=slack_sign(body))


def headers_for(asker: corpus.Asker) -> dict[str, str]:
    """Return the SSO header that identifies ``asker`` (none for anonymous)."""
    return {SSO_HEADER: asker.sso_user} if asker.sso_user else {}


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The adversarial corpus indexed once, plus one public-view twin per asker."""
    people = corpus.people()
    full = build(tmp_path_factory.mktemp("full"), corpus.documents(), people)
    views = {a.name: build(tmp_path_factory.mktemp("view"), corpus.readable(a.principal), people)
             for a in corpus.ASKERS}
    found = World(full, views)
    yield found
    for application in found.apps.values():
        close_app(application)
    for engine in [full, *views.values()]:
        engine.close()


@pytest.fixture(scope="session")
def hostile_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    """An engine over the hostile (stored XSS, mrkdwn injection) corpus."""
    engine = build(tmp_path_factory.mktemp("hostile"), hostile.hostile_documents(),
                   hostile.hostile_people())
    yield engine
    engine.close()
