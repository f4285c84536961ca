"""Fixtures of the expert and people tests: an engine over the hand-built corpus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.experts import ExpertFinder, ExpertSettings
from search.models import Principal
from search.people import PeopleDirectory
from tests.experts.corpus import DOCS, NOW, PEOPLE

OUTSIDER = Principal(user_id="dave", groups=frozenset({"staff"}))
MEMBER = Principal(user_id="carol", groups=frozenset({"staff", "security-team"}))


def build_company(path: Path) -> SearchEngine:
    """Return an engine holding the hand-built company corpus (hashing embedder)."""
    engine = SearchEngine(Settings(data_dir=str(path), embedder="hashing"),
                          embedder=HashingEmbedder())
    engine.upsert_people(PEOPLE)
    engine.upsert(DOCS)
    return engine


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    """The company engine, shared by a module's tests: tests must not change it."""
    engine = build_company(tmp_path_factory.mktemp("company"))
    yield engine
    engine.close()


@pytest.fixture
def fresh_company(tmp_path: Path) -> Iterator[SearchEngine]:
    """A company engine of one's own, for tests that add documents or people."""
    engine = build_company(tmp_path / "data")
    yield engine
    engine.close()


@pytest.fixture
def finder(company: SearchEngine) -> ExpertFinder:
    """An expert finder with a fixed clock."""
    return ExpertFinder(company, ExpertSettings(), clock=lambda: NOW)


@pytest.fixture
def directory(company: SearchEngine) -> PeopleDirectory:
    """The people directory of the company."""
    return PeopleDirectory(company)
