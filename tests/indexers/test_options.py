"""Indexer options and awkward files: a bad option or damaged file is a clear error, no crash."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from indexers.base import IndexerConfigError
from indexers.customers import CustomerPostsIndexer
from indexers.directory import DirectoryIndexer
from indexers.export import decode_bytes
from indexers.jsonl import JsonlIndexer
from indexers.mediawiki import MediaWikiXmlIndexer
from indexers.mediawiki_json import MediaWikiJsonIndexer
from indexers.runner import run_indexer
from indexers.slack import SlackExportIndexer
from indexers.twitter import TwitterArchiveIndexer
from search.config import load_settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.models import Document, Failure

DATA = Path(__file__).resolve().parents[1] / "data"


def _slack(tmp_path: Path) -> Path:
    folder = tmp_path / "slack"
    (folder / "general").mkdir(parents=True)
    (folder / "users.json").write_text(json.dumps([{"id": "U1", "name": "ann"}]))
    (folder / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]))
    (folder / "general" / "2020-01-01.json").write_text(json.dumps(
        [{"type": "message", "user": "U1", "text": "hello", "ts": "1577880000.000100"}]))
    return folder


def _csv(tmp_path: Path, text: str, name: str = "posts.csv") -> Path:
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    return file


@pytest.mark.parametrize("options, message", [
    ({"window_minutes": "abc"}, "window_minutes must be a number"),
    ({"max_entry_mb": "-1"}, "max_entry_mb must be a number of at least 1"),
    ({"workspce_url": "https://acme.slack.com"}, "unknown option workspce_url"),
])
def test_slack_rejects_bad_options(tmp_path: Path, options: dict[str, str],
                                   message: str) -> None:
    with pytest.raises(IndexerConfigError, match=message):
        SlackExportIndexer(_slack(tmp_path), options=options).check()


def test_slack_accepts_its_documented_options(tmp_path: Path) -> None:
    indexer = SlackExportIndexer(_slack(tmp_path), options={
        "window_minutes": "10", "max_entry_mb": "64", "workspace_url": "https://acme.slack.com"})
    indexer.check()
    docs = [i for i in indexer.crawl() if isinstance(i, Document)]
    assert len(docs) == 1 and docs[0].url.startswith("https://acme.slack.com/archives/C1/")


def test_mediawiki_namespaces_must_be_numbers(tmp_path: Path) -> None:
    xml = tmp_path / "wiki.xml"
    xml.write_text("<mediawiki><page><title>A</title><ns>0</ns><id>1</id></page></mediawiki>")
    with pytest.raises(IndexerConfigError, match="namespaces must be namespace numbers"):
        MediaWikiXmlIndexer(xml, options={"namespaces": "main"}).check()
    MediaWikiXmlIndexer(xml, options={"namespaces": "0,4"}).check()


@pytest.mark.parametrize("cls", [CustomerPostsIndexer, DirectoryIndexer])
def test_a_delimiter_must_be_one_character(tmp_path: Path, cls: type) -> None:
    file = _csv(tmp_path, "id;name;text\n1;ann;hello\n")
    with pytest.raises(IndexerConfigError, match="delimiter must be tab, comma"):
        cls(file, options={"delimiter": "weird"}).check()
    cls(file, options={"delimiter": "semicolon"}).check()


def test_a_mapped_column_that_no_file_has_is_an_error(tmp_path: Path) -> None:
    file = _csv(tmp_path, "id,body,who\n1,the app crashes,ann\n")
    with pytest.raises(IndexerConfigError, match=r"no column 'message'.*body"):
        CustomerPostsIndexer(file, options={"text": "message"}).check()
    with pytest.raises(IndexerConfigError, match="no column 'sentiment'"):
        CustomerPostsIndexer(file, options={"keep": "sentiment"}).check()
    CustomerPostsIndexer(file, options={"text": "body", "author": "who"}).check()


def test_the_header_names_the_columns_even_when_no_row_parses(tmp_path: Path) -> None:
    file = _csv(tmp_path, 'id,text,author\n1,"an unterminated quote\n2,fine,bob\n')
    indexer = CustomerPostsIndexer(file)
    indexer.check()  # the header has a text column: the broken row is a failure, not a config error
    items = list(indexer.crawl())
    assert [type(i) for i in items] == [Failure]
    assert "fields" in items[0].reason


def test_unknown_options_are_named_for_every_builtin(tmp_path: Path) -> None:
    with pytest.raises(IndexerConfigError, match=r"unknown option x \(it takes: no options\)"):
        JsonlIndexer(DATA / "mini.jsonl", options={"x": "1"}).check()
    with pytest.raises(IndexerConfigError, match=r"unknown option slack_id.*slack"):
        DirectoryIndexer(_csv(tmp_path, "id,name\n1,Ann\n"), options={"slack_id": "s"}).check()
    with pytest.raises(IndexerConfigError, match="followers must be a number"):
        TwitterArchiveIndexer(DATA / "twitter" / "archive", options={"followers": "lots"}).check()


def test_a_truncated_utf16_file_is_read_not_a_crash(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + "text\nhello\n".encode("utf-16-le") + b"\x00"
    assert decode_bytes(data).startswith("text\nhello\n")
    file = tmp_path / "posts.csv"
    file.write_bytes(data)
    docs = [i for i in CustomerPostsIndexer(file).crawl() if isinstance(i, Document)]
    assert [d.text for d in docs] == ["hello"]


def test_two_indexers_cannot_share_a_source(tmp_path: Path) -> None:
    settings = load_settings(None, overrides={"data_dir": str(tmp_path / "d"),
                                              "embedder": "hashing"})
    engine = SearchEngine(settings, embedder=HashingEmbedder(), post_sync=[])
    xml = tmp_path / "wiki.xml"
    xml.write_text("<mediawiki><page><title>A</title><ns>0</ns><id>500</id><revision><id>2</id>"
                   "<timestamp>2020-01-01T00:00:00Z</timestamp><contributor><username>Ann"
                   "</username><id>3</id></contributor><text>alpha page</text></revision>"
                   "</page></mediawiki>")
    assert run_indexer(engine, MediaWikiXmlIndexer(xml)).added == 1
    with pytest.raises(IndexerConfigError, match="already holds documents indexed by mediawiki"):
        run_indexer(engine, MediaWikiJsonIndexer(DATA / "mediawiki-json"))
    assert engine.store.get_document("wiki:500").text == "alpha page"  # not overwritten
    report = run_indexer(engine, MediaWikiJsonIndexer(DATA / "mediawiki-json", source="wiki2"))
    assert report.added > 1 and engine.store.get_document("wiki:500") is not None
    engine.close()
