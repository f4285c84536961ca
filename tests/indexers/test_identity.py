"""Identity resolution: directory people win; e-mail, then handle, then unambiguous full name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from indexers.directory import DirectoryIndexer
from indexers.identity import IdentityResolver
from indexers.mediawiki import MediaWikiXmlIndexer
from indexers.runner import run_indexer
from indexers.slack import SlackExportIndexer
from indexers.stackexchange import StackExchangeIndexer
from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.models import Access, Contribution, Document, Person, Principal
from search.store import Store, sqlite_url
from tests.indexers.contract import DATA

DIRECTORY = [
    Person(id="asmith", name="Alice Smith", emails=("alice@example.com",),
           handles={"slack": "U0000001"}),
    Person(id="bjones", name="Bob Jones", emails=("bob@example.com",)),
    Person(id="cjones1", name="Chris Jones", emails=("chris1@example.com",)),
    Person(id="cjones2", name="Chris Jones", emails=("chris2@example.com",)),
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    st = Store(sqlite_url(tmp_path / "store.db"))
    st.upsert_people(DIRECTORY)
    yield st
    st.close()


def test_email_then_handle_then_name(store: Store) -> None:
    resolver = IdentityResolver(store)
    by_email = Person(id="slack.U9", name="Somebody", emails=("BOB@example.com",),
                      handles={"slack": "U9"})
    assert resolver.match(by_email) == "bjones"
    by_handle = Person(id="slack.U0000001", name="A.", handles={"slack": "U0000001"})
    assert resolver.match(by_handle) == "asmith"
    by_name = Person(id="wiki.Alice_Smith", name="alice  SMITH", handles={"wiki": "Alice Smith"})
    assert resolver.match(by_name) == "asmith"


def test_no_match_when_ambiguous_short_or_conflicting(store: Store) -> None:
    resolver = IdentityResolver(store)
    assert resolver.match(Person(id="wiki.Chris", name="Chris Jones")) is None  # two of them
    assert resolver.match(Person(id="wiki.Alice", name="Alice")) is None  # one word
    other_slack_user = Person(id="slack.U7", name="Alice Smith", handles={"slack": "U7"})
    assert resolver.match(other_slack_user) is None  # asmith is already slack U0000001


def test_merge_rewrites_documents_and_sticks(store: Store) -> None:
    resolver = IdentityResolver(store)
    merged = resolver.resolve(Person(id="qa.14", name="Alice Smith", handles={"qa": "14"}))
    assert isinstance(merged, Person) and merged.id == "asmith"
    assert merged.handles == {"slack": "U0000001", "qa": "14"}
    assert merged.emails == ("alice@example.com",)
    doc = Document(id="qa:1", source="qa", kind="qa", title="t", text="x",
                   contributions=(Contribution("qa.14", "answerer"), Contribution("qa.2", "asker")),
                   access=Access.restricted(users=["qa.14", "qa.2"]))
    rewritten = resolver.resolve(doc)
    assert isinstance(rewritten, Document)
    assert [c.person_id for c in rewritten.contributions] == ["asmith", "qa.2"]
    assert rewritten.access.users == {"asmith", "qa.2"}
    store.upsert_people([merged])
    assert store.resolve_alias("qa:14") == "asmith"  # the next crawl matches by handle


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[SearchEngine]:
    eng = SearchEngine(Settings(data_dir=str(tmp_path / "data"), embedder="hashing"),
                       embedder=HashingEmbedder())
    yield eng
    eng.close()


def test_directory_then_sources_share_people(engine: SearchEngine) -> None:
    run_indexer(engine, DirectoryIndexer(DATA / "directory" / "good"))
    slack = run_indexer(engine, SlackExportIndexer(DATA / "slack" / "export"))
    wiki = run_indexer(engine, MediaWikiXmlIndexer(DATA / "mediawiki" / "export.xml"))
    run_indexer(engine, StackExchangeIndexer(DATA / "stackexchange" / "dump"))
    store = engine.store

    thread = store.get_document("slack:C0000001:1578300000.000100")
    assert thread is not None
    ids = {c.person_id for c in thread.contributions}
    assert {"asmith", "bjones"} <= ids  # by slack handle (directory) and by e-mail
    assert "slack.U0000003" in ids  # Carol is not in the directory
    laser = store.get_document("wiki:10")
    assert laser is not None
    assert {c.person_id for c in laser.contributions} == {"asmith", "bjones"}  # by full name
    qa = store.get_document("qa:1")
    assert qa is not None and "asmith" in {c.person_id for c in qa.contributions}
    alice = store.get_person("asmith")
    assert alice is not None and alice.title == "Data engineer"  # directory fields kept
    assert alice.handles == {"slack": "U0000001", "wiki": "Alice Smith", "qa": "14"}
    assert {d for d, _c in store.contributions_of("asmith")} >= {
        "slack:C0000001:1578300000.000100", "wiki:10", "qa:1"}

    secret = "slack:G0000001:1578470000.000100"
    hits = engine.search("Bluebird codename", Principal(user_id="asmith"), fusion="keyword")
    assert secret in [h.doc_id for h in hits.hits]
    hits = engine.search("Bluebird codename", Principal(user_id="slack.U0000001"),
                         fusion="keyword")
    assert secret not in [h.doc_id for h in hits.hits]  # the canonical id is the directory's

    again = run_indexer(engine, SlackExportIndexer(DATA / "slack" / "export"))
    assert (again.added, again.updated, again.unchanged) == (0, 0, slack.added)
    wiki_again = run_indexer(engine, MediaWikiXmlIndexer(DATA / "mediawiki" / "export.xml"))
    assert wiki_again.unchanged == wiki.added
