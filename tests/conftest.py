"""Shared fixtures: settings in a temp dir, fake and real embedders, and a CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.config import Settings
from search.embedder import HashingEmbedder, MiniLMEmbedder
from search.engine import SearchEngine

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DEMO_CORPUS = Path(__file__).resolve().parents[1] / "search" / "demo_corpus"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings pointing at a fresh temp data dir, with the fast fake embedder."""
    return Settings(data_dir=str(tmp_path / "data"), embedder="hashing")


@pytest.fixture
def engine(settings: Settings) -> Iterator[SearchEngine]:
    """An engine over an empty temp store with the hashing embedder."""
    eng = SearchEngine(settings, embedder=HashingEmbedder())
    yield eng
    eng.close()


@pytest.fixture(scope="session")
def minilm() -> MiniLMEmbedder:
    """The real packaged MiniLM model, loaded once per test session."""
    return MiniLMEmbedder(threads=2)


@pytest.fixture
def runner() -> CliRunner:
    """A click test runner."""
    return CliRunner()


def shared_dataset(name: str) -> Path:
    """Return a ../shared/data folder or skip the test when it is absent."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path
