"""The leak matrix with the real MiniLM embedder: semantic matches must respect access too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from search.config import Settings
from search.embedder import MiniLMEmbedder
from search.engine import SearchEngine
from search.models import Document
from tests.security import corpus
from tests.security.conftest import World
from tests.security.test_access import QUERY_PATHS, check
from tests.web.conftest import close_app

pytestmark = pytest.mark.slow

ASKERS = [a for a in corpus.ASKERS if a.name.startswith(("anonymous", "carl", "dan"))]
QUERIES = ["kafka", "billing outage", "acquisition of a company", "salary", "security exploit",
           "zorblaxite", "frabjul*"]


@pytest.fixture(scope="module")
def minilm_world(tmp_path_factory: pytest.TempPathFactory,
                 minilm: MiniLMEmbedder) -> Iterator[World]:
    """The adversarial corpus and three askers' twins, embedded with MiniLM."""
    def build(docs: list[Document]) -> SearchEngine:
        path = tmp_path_factory.mktemp("minilm")
        engine = SearchEngine(Settings(data_dir=str(path), embedder="minilm"), embedder=minilm)
        engine.upsert(docs)
        engine.upsert_people(corpus.people())
        return engine

    world = World(build(corpus.documents()),
                  {a.name: build(corpus.readable(a.principal)) for a in ASKERS})
    yield world
    for app in world.apps.values():
        close_app(app)
    for engine in [world.full, *world.views.values()]:
        engine.close()


def test_semantic_paths_leak_nothing(minilm_world: World) -> None:
    leaks = [f"{path.name} as {asker.name} q={q!r}: {problem}"
             for asker in ASKERS for path in QUERY_PATHS for q in QUERIES
             for problem in check(minilm_world, path, asker, q)]
    assert not leaks, "\n".join(leaks[:20])
