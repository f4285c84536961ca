"""Indexer fixes from the p27 CLI findings: files of the wrong kind refused in check(), a cut-off
tweets.js, worded failure reasons, failures beyond the report's list, lists in wiki tables."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from indexers.base import IndexerConfigError
from indexers.customers import CustomerPostsIndexer
from indexers.directory import DirectoryIndexer
from indexers.export import looks_binary
from indexers.jsonl import JsonlIndexer
from indexers.mediawiki_json import MediaWikiJsonIndexer
from indexers.runner import MAX_REPORTED_FAILURES, run_indexer
from indexers.twitter import TwitterArchiveIndexer
from indexers.wikitext import clean_wikitext
from search.engine import SearchEngine
from search.models import Document, Failure, Person
from tests.indexers.contract import DATA, shared_path

TWEETS = DATA / "twitter" / "archive" / "data" / "tweets.js"


def crawl(indexer: Any) -> list[Any]:
    indexer.check()
    return list(indexer.crawl())


def random_bytes(path: Path, size: int = 2000) -> Path:
    path.write_bytes(os.urandom(size))
    return path


# -- files of the wrong kind --------------------------------------------------------------------
def test_looks_binary_tells_random_bytes_from_text_in_any_encoding() -> None:
    assert looks_binary(os.urandom(2000))
    text = "id,name,text\n1,Zoë,\"naïve – café\"\t\n" * 50
    for data in (text.encode("utf-8"), text.encode("cp1252"), text.encode("utf-16"),
                 b"\xef\xbb\xbf" + text.encode("utf-8"), b""):
        assert not looks_binary(data)


def test_a_binary_file_given_as_csv_is_refused_without_mojibake(tmp_path: Path) -> None:
    garbage = random_bytes(tmp_path / "garbage.csv")
    for indexer in (CustomerPostsIndexer(garbage), DirectoryIndexer(garbage)):
        with pytest.raises(IndexerConfigError) as info:
            indexer.check()
        assert "garbage.csv is not a text CSV file" in str(info.value)
        assert "columns" not in str(info.value) and len(str(info.value)) < 200


def test_a_binary_or_foreign_ldif_is_refused_and_a_real_one_accepted(tmp_path: Path) -> None:
    with pytest.raises(IndexerConfigError, match=r"garbage\.ldif is not an LDIF file: it "
                                                 r"holds binary data"):
        DirectoryIndexer(random_bytes(tmp_path / "garbage.ldif")).check()
    text = tmp_path / "notes.ldif"
    text.write_text("just some notes\nthat are no directory\n")
    with pytest.raises(IndexerConfigError, match="does not start with 'dn:'"):
        DirectoryIndexer(text).check()
    good = tmp_path / "good.ldif"
    good.write_text("# exported\nversion: 1\n\ndn: uid=ann,dc=x\nuid: ann\ncn: Ann Lee\n\n")
    assert [p.id for p in crawl(DirectoryIndexer(good)) if isinstance(p, Person)] == ["ann"]
    cut = tmp_path / "cut.ldif"  # the cut-off last entry stays a failure (fixed before)
    cut.write_text("dn: uid=ann,dc=x\nuid: ann\ncn: Ann Lee\n\ndn: uid=bob,dc=x\nuid: bo")
    items = crawl(DirectoryIndexer(cut))
    assert [p.id for p in items if isinstance(p, Person)] == ["ann"]
    assert any("cut off" in f.reason for f in items if isinstance(f, Failure))


def test_a_file_that_is_no_twitter_archive_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IndexerConfigError, match=r"garbage\.csv is not a Twitter archive"):
        TwitterArchiveIndexer(random_bytes(tmp_path / "garbage.csv")).check()
    csv = tmp_path / "tweets.csv"
    csv.write_text("tweet_id,text\n1,hello\n")
    with pytest.raises(IndexerConfigError, match="use `socialsearch index customers`"):
        TwitterArchiveIndexer(csv).check()
    folder = tmp_path / "archive" / "data"
    folder.mkdir(parents=True)
    random_bytes(folder / "tweets.js")
    with pytest.raises(IndexerConfigError, match=r"tweets\.js is not a Twitter archive"):
        TwitterArchiveIndexer(tmp_path / "archive").check()


def test_a_cut_off_tweets_file_keeps_the_tweets_before_the_break(tmp_path: Path) -> None:
    whole = crawl(TwitterArchiveIndexer(TWEETS, options={"include_retweets": True}))
    expected = [d.id for d in whole if isinstance(d, Document)]
    text = TWEETS.read_text(encoding="utf-8")
    last = text.rindex('"tweet"')  # cut inside the last record
    cut = tmp_path / "tweets.js"
    cut.write_text(text[:last + 30], encoding="utf-8")
    items = crawl(TwitterArchiveIndexer(cut, options={"include_retweets": True}))
    assert [d.id for d in items if isinstance(d, Document)] == expected[:-1]
    failures = [f for f in items if isinstance(f, Failure)]
    assert len(failures) == 1 and failures[0].location.startswith("tweets.js:")
    assert "the file ends inside a record (cut off?)" in failures[0].reason
    assert f"the {len(expected) - 1} records before it were read" in failures[0].reason \
        or (len(expected) == 2 and "the record before it was read" in failures[0].reason)
    damaged = tmp_path / "damaged" / "tweets.js"
    damaged.parent.mkdir()
    damaged.write_text(text.replace("},", "} oops,", 1), encoding="utf-8")
    failures = [f for f in crawl(TwitterArchiveIndexer(damaged)) if isinstance(f, Failure)]
    assert len(failures) == 1 and "invalid JSON at column" in failures[0].reason


# -- worded failure reasons ---------------------------------------------------------------------
def test_mediawiki_json_failures_are_worded_without_python_exception_names(tmp_path: Path
                                                                           ) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "Array.json").write_text("[1, 2, 3]")
    (pages / "Cut.json").write_text('{"title": "Cut",\n "ns": 0,\n "id": 5, '
                                    '"latest_revision": {"te')
    (pages / "NoTitle.json").write_text('{"ns": 0, "id": 6, "latest_revision": {"id": 1}}')
    (pages / "Odd.json").write_text('{"title": "Odd", "ns": 0, "id": 7, "latest_revision": [1]}')
    failures = {f.location: f.reason for f in crawl(MediaWikiJsonIndexer(tmp_path))
                if isinstance(f, Failure)}
    assert failures == {
        "Array.json": "not a page: the file holds a JSON list, not an object with title, id "
                      "and latest_revision",
        "Cut.json:3": "invalid JSON at column 31: unterminated string",
        "NoTitle.json": "not a page: no 'title' field",
        "Odd.json": "not a page: a field holds the wrong kind of value",
    }
    assert not any(re.search(r"[A-Z]\w+Error", reason) for reason in failures.values())
    lines = tmp_path / "docs.jsonl"
    lines.write_text('not json\n{"title": "no id"}\n{"id": "x:1", "contributions": [5]}\n')
    failures = {f.location: f.reason for f in crawl(JsonlIndexer(lines))
                if isinstance(f, Failure)}
    assert failures == {"docs.jsonl:1": "invalid JSON at column 1: expecting value",
                        "docs.jsonl:2": "not a record: no 'id' field",
                        "docs.jsonl:3": "not a record: a field holds the wrong kind of value"}


# -- failures beyond the report's list ----------------------------------------------------------
def test_the_report_says_how_many_failures_it_does_not_list(engine: SearchEngine,
                                                            tmp_path: Path) -> None:
    source = tmp_path / "many.jsonl"
    good = {"id": "t:1", "title": "fine", "text": "fine"}
    lines = [json.dumps(good)] + ["not json"] * 60 + [json.dumps(good)] * 5  # + 5 duplicates
    source.write_text("\n".join(lines) + "\n")
    report = run_indexer(engine, JsonlIndexer(source, source="t"))
    assert report.failed == 65 and len(report.failures) == MAX_REPORTED_FAILURES
    assert report.as_dict()["failures_not_listed"] == 15


def test_the_kept_documents_note_counts_in_words(engine: SearchEngine, tmp_path: Path) -> None:
    source = tmp_path / "posts.csv"
    rows = ["1,one,2024-01-01", "2,two,2024-01-02", "3,three,2024-01-03"]

    def run(*lines: str) -> list[str]:
        source.write_text("\n".join(["id,text,date", *lines]) + "\n")
        return run_indexer(engine, CustomerPostsIndexer(source)).notes

    assert run(*rows) == []
    assert run(rows[0], "4,four,notadate") == [
        "2 documents missing from the source were kept because 1 record failed to parse"]
    assert run(*rows[:2], "4,four,notadate", "5,five,notadate") == [
        "1 document missing from the source was kept because 2 records failed to parse"]


# -- lists inside wiki table cells --------------------------------------------------------------
def test_a_list_in_a_table_cell_becomes_lines_without_markers() -> None:
    text = clean_wikitext("{|\n|\n* first item\n* second item\n** nested item\n|}").text
    assert text == "first item\nsecond item\nnested item"
    row = clean_wikitext("{|\n| Rules:\n# one\n#: more on one\n# two\n| next cell\n|-\n"
                         "| plain || cells\n|}").text
    assert row.split("\n") == ["Rules:", "one", "more on one", "two", "next cell",
                               "plain cells"]
    assert clean_wikitext("{|\n| a cell\ncontinued here\n|}").text == "a cell continued here"


@pytest.mark.shared
def test_real_wiki_pages_lose_the_list_markers_of_their_tables() -> None:
    indexer = MediaWikiJsonIndexer(shared_path("mediawiki-heatsynclabs"))
    docs = {d.title: d for d in crawl(indexer) if isinstance(d, Document)}
    rules = docs["Rules"].text.split("\n")
    assert "Never use a file with a bare tang." in rules
    assert "Lock the unused axes so they can't move while cutting" in rules
    assert {"Hack Your Hackerspace", "Operational Policies"} <= set(docs["Main Page"].text
                                                                   .split("\n"))
    runs = re.compile(r"\S \*{1,3} ?[A-Z]")  # "… bolted down properly *HeatSync Training …"
    assert not runs.search(docs["Rules"].text) and not runs.search(docs["Main Page"].text)
