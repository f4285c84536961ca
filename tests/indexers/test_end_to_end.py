"""run_indexer over a fixture Slack export with a real engine (hashing embedder)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexers.base import IndexerConfigError
from indexers.runner import run_indexer
from indexers.slack import SlackExportIndexer
from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.models import Principal
from tests.indexers.contract import DATA

ALICE = Principal(user_id="slack.U0000001")
CAROL = Principal(user_id="slack.U0000003")
ANON = Principal.anonymous()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[SearchEngine]:
    eng = SearchEngine(Settings(data_dir=str(tmp_path / "data"), embedder="hashing"),
                       embedder=HashingEmbedder())
    yield eng
    eng.close()


@pytest.fixture
def export(tmp_path: Path) -> Path:
    target = tmp_path / "export"
    shutil.copytree(DATA / "slack" / "export", target)
    return target


def found(engine: SearchEngine, query: str, who: Principal) -> list[str]:
    return [h.doc_id for h in engine.search(query, who, fusion="keyword").hits]


SECRET = "slack:G0000001:1578470000.000100"


def test_crawl_recrawl_access_and_deletion(engine: SearchEngine, export: Path) -> None:
    first = run_indexer(engine, SlackExportIndexer(export))
    assert (first.added, first.updated, first.unchanged, first.failed) == (7, 0, 0, 0)
    assert first.people == 3
    assert engine.store.count_documents() == 7

    second = run_indexer(engine, SlackExportIndexer(export))
    assert (second.added, second.updated, second.unchanged, second.deleted) == (0, 0, 7, 0)

    assert SECRET not in found(engine, "Bluebird codename", ANON)
    assert SECRET not in found(engine, "Bluebird codename", CAROL)  # not a member
    assert SECRET in found(engine, "Bluebird codename", ALICE)
    assert "slack:C0000001:1578300000.000100" in found(engine, "rotate vault keys", ANON)

    (export / "secret-project" / "2020-01-08.json").unlink()
    third = run_indexer(engine, SlackExportIndexer(export))
    assert third.deleted == 1 and third.unchanged == 6
    assert engine.store.get_document(SECRET) is None
    assert SECRET not in found(engine, "Bluebird codename", ALICE)


def test_a_broken_users_file_leaves_the_stored_messages_as_they_were(engine: SearchEngine,
                                                                     export: Path) -> None:
    run_indexer(engine, SlackExportIndexer(export))
    before = {s.doc.id: s.doc.text for part in engine.store.iter_documents() for s in part}
    (export / "users.json").write_text('[{"id": "U0000001", "name": "al')
    report = run_indexer(engine, SlackExportIndexer(export))
    assert (report.added, report.updated, report.deleted) == (0, 0, 0)
    assert any("no messages read" in f.reason for f in report.failures)
    assert {s.doc.id: s.doc.text for part in engine.store.iter_documents() for s in part} == before


def test_a_broken_day_keeps_what_was_stored(engine: SearchEngine, export: Path) -> None:
    run_indexer(engine, SlackExportIndexer(export))
    (export / "secret-project" / "2020-01-08.json").write_text('[{"type": "message", "us')
    report = run_indexer(engine, SlackExportIndexer(export))
    assert report.failed == 1 and report.deleted == 0
    assert report.failures[0].location.startswith("secret-project/2020-01-08.json:")
    assert engine.store.get_document(SECRET) is not None
    assert report.notes  # explains why nothing was deleted


def test_edit_updates_the_document(engine: SearchEngine, export: Path) -> None:
    run_indexer(engine, SlackExportIndexer(export))
    day = export / "mpdm-alice--bob--carol-1" / "2020-01-09.json"
    messages = json.loads(day.read_text())
    messages[0]["text"] = "Budget review moved to Monday"
    day.write_text(json.dumps(messages))
    report = run_indexer(engine, SlackExportIndexer(export))
    assert (report.added, report.updated, report.unchanged) == (0, 1, 6)


def test_bad_source_does_nothing(engine: SearchEngine, tmp_path: Path) -> None:
    with pytest.raises(IndexerConfigError):
        run_indexer(engine, SlackExportIndexer(tmp_path / "missing"))
    assert engine.store.count_documents() == 0
    assert engine.store.list_checkpoints() == []


def test_jsonl_check_refuses_what_it_cannot_read_or_is_not_jsonl(tmp_path: Path) -> None:
    from indexers.jsonl import JsonlIndexer

    (tmp_path / "folder.jsonl").mkdir()  # a folder named like a file: unreadable as one
    with pytest.raises(IndexerConfigError, match=r"cannot read folder\.jsonl"):
        JsonlIndexer(tmp_path).check()
    csv = tmp_path / "rows" / "posts.jsonl"
    csv.parent.mkdir()
    csv.write_text("id,text\n1,hello\n", encoding="utf-8")
    with pytest.raises(IndexerConfigError, match="is not JSON Lines"):
        JsonlIndexer(csv.parent).check()
    csv.write_text("not json\n" + json.dumps({"id": "x:1", "source": "x", "kind": "page",
                                                "title": "t", "text": "b"}) + "\n")
    JsonlIndexer(csv.parent).check()  # one bad line among good ones is the crawl's failure
