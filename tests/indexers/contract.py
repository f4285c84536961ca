"""A reusable contract every indexer's test class inherits (Haystack-style)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import pytest

from indexers.base import Indexer, IndexerConfigError
from indexers.registry import available_indexers, load_indexer
from search.models import Document, Failure, Person

DATA = Path(__file__).resolve().parents[1] / "data"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def shared_path(*parts: str) -> Path:
    """Return a path under ../shared/data, skipping the test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not available: {path}")
    return path


class IndexerContract:
    """Tests every indexer must pass; subclasses set the class, a fixture and options."""

    indexer_class: ClassVar[type]
    fixture: ClassVar[str]  # path relative to tests/data
    options: ClassVar[Mapping[str, Any]] = {}
    yields_documents: ClassVar[bool] = True
    contributors_are_people: ClassVar[bool] = True

    def make(self, path: Path | str | None = None, **options: Any) -> Any:
        """Build the indexer under test over the fixture (or ``path``)."""
        merged = {**self.options, **options}
        return self.indexer_class(path if path is not None else DATA / self.fixture,
                                  options=merged)

    def crawl(self, indexer: Any = None) -> list[Any]:
        """Crawl once and return every item."""
        indexer = indexer or self.make()
        indexer.check()
        return list(indexer.crawl(None))

    # -- configuration ----------------------------------------------------------------------
    def test_satisfies_protocol(self) -> None:
        assert isinstance(self.make(), Indexer)
        assert self.indexer_class.__doc__

    def test_registered_under_its_name(self) -> None:
        name = self.indexer_class.name
        assert name in available_indexers()
        assert load_indexer(name) is self.indexer_class

    def test_check_fails_on_missing_path(self, tmp_path: Path) -> None:
        indexer = self.make(tmp_path / "does-not-exist")
        with pytest.raises(IndexerConfigError):
            indexer.check()

    def test_check_fails_on_empty_folder(self, tmp_path: Path) -> None:
        indexer = self.make(tmp_path)
        with pytest.raises(IndexerConfigError):
            indexer.check()

    def test_check_passes_on_fixture(self) -> None:
        self.make().check()

    def test_source_can_be_renamed(self) -> None:
        indexer = self.indexer_class(DATA / self.fixture, source="renamed", options=self.options)
        docs = [i for i in self.crawl(indexer) if isinstance(i, Document)]
        assert all(d.source == "renamed" and d.id.startswith("renamed:") for d in docs)

    # -- items ------------------------------------------------------------------------------
    def test_crawl_yields_only_items(self) -> None:
        items = self.crawl()
        assert items
        assert all(isinstance(i, Document | Person | Failure) for i in items)
        if self.yields_documents:
            assert any(isinstance(i, Document) for i in items)

    def test_fixture_crawls_without_failures(self) -> None:
        failures = [i for i in self.crawl() if isinstance(i, Failure)]
        assert failures == []

    def test_ids_are_source_prefixed_and_unique(self) -> None:
        indexer = self.make()
        docs = [i for i in self.crawl(indexer) if isinstance(i, Document)]
        ids = [d.id for d in docs]
        assert len(ids) == len(set(ids))
        for doc in docs:
            assert doc.source == indexer.source
            assert doc.id.startswith(f"{indexer.source}:") and len(doc.id) > len(doc.source) + 1

    def test_people_are_unique(self) -> None:
        people = [i.id for i in self.crawl() if isinstance(i, Person)]
        assert len(people) == len(set(people))

    def test_timestamps_are_timezone_aware(self) -> None:
        for item in self.crawl():
            if isinstance(item, Document):
                for value in (item.created_at, item.updated_at):
                    assert value is None or value.tzinfo is not None
                assert all(c.at is None or c.at.tzinfo is not None for c in item.contributions)

    def test_documents_have_text_and_title(self) -> None:
        for doc in (i for i in self.crawl() if isinstance(i, Document)):
            assert doc.title.strip()
            assert doc.text.strip() or doc.meta

    def test_contributors_are_yielded_people(self) -> None:
        if not self.contributors_are_people:
            pytest.skip("this source names contributors it does not describe")
        items = self.crawl()
        people = {i.id for i in items if isinstance(i, Person)}
        for doc in (i for i in items if isinstance(i, Document)):
            for c in doc.contributions:
                if c.role != "mentioned":
                    assert c.person_id in people, (doc.id, c)

    def test_checkpoint_is_json_serialisable(self) -> None:
        indexer = self.make()
        self.crawl(indexer)
        cursor = indexer.checkpoint()
        assert isinstance(cursor, dict)
        assert json.loads(json.dumps(cursor)) == cursor

    def test_second_crawl_yields_the_same_items(self) -> None:
        indexer = self.make()
        first = self.crawl(indexer)
        second = list(indexer.crawl(indexer.checkpoint()))

        def digest(items: list[Any]) -> dict[str, str]:
            return {i.id: i.content_hash for i in items if isinstance(i, Document)}

        assert digest(first) == digest(second)
        assert {i.id for i in first if isinstance(i, Person)} == \
            {i.id for i in second if isinstance(i, Person)}

    def test_failures_name_their_location(self) -> None:
        for item in self.crawl():
            if isinstance(item, Failure):
                assert item.location and item.reason
