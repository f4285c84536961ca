"""Customer posts (CSV/TSV/JSONL) and Twitter archive indexers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from indexers.base import IndexerConfigError
from indexers.customers import CustomerPostsIndexer
from indexers.twitter import TwitterArchiveIndexer
from search.models import Document, Failure, Person
from tests.indexers.contract import DATA, IndexerContract, shared_path

META_KEYS = {"author", "author_name", "followers", "likes", "reposts", "product", "channel",
             "rating"}


class TestCustomersContract(IndexerContract):
    indexer_class = CustomerPostsIndexer
    fixture = "customers/good"


class TestTwitterContract(IndexerContract):
    indexer_class = TwitterArchiveIndexer
    fixture = "twitter/archive"


def crawl(indexer: Any) -> list[Any]:
    indexer.check()
    return list(indexer.crawl())


def test_csv_with_bom_crlf_and_auto_detected_columns() -> None:
    indexer = CustomerPostsIndexer(DATA / "customers" / "good" / "tweets.csv")
    assert indexer.columns(indexer.path) == {
        "text": "text", "author": "name", "author_name": None, "time": "tweet_created",
        "followers": "user_followers", "likes": None, "reposts": "retweet_count",
        "product": "airline", "channel": None, "id": "tweet_id", "rating": None, "url": None}
    items = crawl(indexer)
    docs = {d.id: d for d in items if isinstance(d, Document)}
    # the empty post and the repeated row are skipped
    assert set(docs) == {"customers:1001", "customers:1002", "customers:1003"}
    lost = docs["customers:1001"]
    assert lost.audience == "customer" and lost.kind == "post"
    assert lost.text == "@AcmeAir my bag is lost & nobody answers"
    assert set(lost.meta) >= META_KEYS
    assert lost.meta["author"] == "JaneFlyer" and lost.meta["followers"] == 1500
    assert lost.meta["reposts"] == 2 and lost.meta["product"] == "Acme Air"
    assert lost.created_at is not None and lost.created_at.hour == 19  # -0800 → UTC
    author = lost.contributions[0]
    assert (author.person_id, author.role) == ("c.janeflyer", "author")
    assert docs["customers:1002"].text == "@AcmeAir great crew today,\nthanks!"
    people = [p for p in items if isinstance(p, Person)]
    assert [p.id for p in people] == ["c.janeflyer", "c.bobtravels"]  # one per customer
    assert people[0].groups == ("customers",)
    assert people[0].meta == {"customer": True, "followers": 1500}
    assert indexer.checkpoint()["skipped"] == 2


def test_jsonl_with_nested_columns() -> None:
    indexer = CustomerPostsIndexer(DATA / "customers" / "good" / "reviews.jsonl")
    docs = {d.id: d for d in crawl(indexer) if isinstance(d, Document)}
    r2 = docs["customers:r2"]
    assert r2.meta["author"] == "grumpy" and r2.meta["author_name"] == "Grumpy Gus"
    assert r2.meta["followers"] == 1200 and r2.meta["rating"] == 2.0
    assert r2.meta["product"] == "Echo Show" and r2.meta["channel"] == "app"
    assert docs["customers:r1"].created_at is not None


def test_explicit_mapping_and_defaults(tmp_path: Path) -> None:
    file = tmp_path / "support.csv"
    file.write_text("ticket,who,said,at\nT1,ann,The app crashes on login,2024-01-02T03:04:05Z\n")
    indexer = CustomerPostsIndexer(file, options={
        "id": "ticket", "author": "who", "text": "said", "time": "at",
        "default_product": "Mobile app", "default_channel": "support"})
    doc = next(d for d in crawl(indexer) if isinstance(d, Document))
    assert doc.id == "customers:T1" and doc.meta["channel"] == "support"
    assert doc.tags == ("Mobile app",)


def test_links_to_the_original_posts(tmp_path: Path) -> None:
    file = tmp_path / "posts.csv"
    file.write_text("id,user,text,permalink\n"
                    "1,ann,own link,https://forum.test/t/1\n"
                    "2,bob,templated,\n"
                    "3,,no author for the template,\n"
                    "4,eve,not a web link,javascript:alert(1)\n")
    indexer = CustomerPostsIndexer(file, options={
        "url_template": "https://x.test/{author}/status/{id}"})
    urls = {d.id: d.url for d in crawl(indexer) if isinstance(d, Document)}
    assert urls == {"customers:1": "https://forum.test/t/1",
                    "customers:2": "https://x.test/bob/status/2",
                    "customers:3": "", "customers:4": "https://x.test/eve/status/4"}
    plain = CustomerPostsIndexer(file)  # no template: only the posts' own links
    assert [d.url for d in crawl(plain) if isinstance(d, Document)] == [
        "https://forum.test/t/1", "", "", ""]


@pytest.mark.parametrize("template", ["https://x.test/{user}", "https://x.test/{}",
                                      "ftp://x.test/{id}", "https://x.test/{id.real}",
                                      "https://x.test/{id"])
def test_bad_url_template_is_refused(tmp_path: Path, template: str) -> None:
    file = tmp_path / "posts.csv"
    file.write_text("id,text\n1,hello\n")
    with pytest.raises(IndexerConfigError, match="url_template"):
        CustomerPostsIndexer(file, options={"url_template": template}).check()


def test_broken_rows_become_failures() -> None:
    indexer = CustomerPostsIndexer(DATA / "customers" / "broken", options={"time": "when"})
    items = crawl(indexer)
    failures = {f.location: f.reason for f in items if isinstance(f, Failure)}
    assert "unrecognised timestamp" in failures["posts.csv:3"]
    assert "6 fields" in failures["posts.csv:4"] and "2 fields" in failures["posts.csv:5"]
    assert "different content" in failures["posts.csv:6"]
    assert "invalid JSON" in failures["more.jsonl:2"]
    assert "JSON object" in failures["more.jsonl:3"]
    docs = {d.id: d for d in items if isinstance(d, Document)}
    assert set(docs) == {"customers:b1", "customers:b5", "customers:j1"}
    assert docs["customers:b1"].text == "Café crème is great"  # Latin-1 file
    assert docs["customers:b1"].created_at is not None  # 31-Jul-18


def test_check_needs_a_text_column(tmp_path: Path) -> None:
    file = tmp_path / "numbers.csv"
    file.write_text("a,b\n1,2\n")
    with pytest.raises(IndexerConfigError, match="text column"):
        CustomerPostsIndexer(file).check()


def test_twitter_archive() -> None:
    indexer = TwitterArchiveIndexer(DATA / "twitter" / "archive")
    items = crawl(indexer)
    person = items[0]
    assert isinstance(person, Person) and person.id == "c.acme_fan" and person.name == "Acme Fan"
    docs = {d.id: d for d in items if isinstance(d, Document)}
    assert set(docs) == {"twitter:1001", "twitter:1002"}  # retweet skipped
    assert indexer.left_out == {"retweets": 1}
    router = docs["twitter:1001"]
    assert router.text.startswith("The new Acme router drops wifi every hour & support is slow "
                                  "https://acme.test/router")
    assert router.meta["likes"] == 5 and router.meta["reposts"] == 1
    assert router.meta["author"] == "acme_fan" and router.meta["channel"] == "twitter"
    assert router.tags == ("AcmeRouter",) and router.audience == "customer"
    assert router.created_at is not None and router.created_at.tzinfo is not None
    assert docs["twitter:1002"].meta["in_reply_to"] == "AcmeHelp"
    with_rt = TwitterArchiveIndexer(DATA / "twitter" / "archive",
                                    options={"include_retweets": True})
    assert len([d for d in crawl(with_rt) if isinstance(d, Document)]) == 3


def test_broken_twitter_archive() -> None:
    items = crawl(TwitterArchiveIndexer(DATA / "twitter" / "broken"))
    failures = {f.location: f.reason for f in items if isinstance(f, Failure)}
    assert "tweets.js:2" in failures and "tweets.js:1" in failures  # bad date, duplicate
    assert "tweets.js:record 2" in failures
    assert any(loc.startswith("tweets-part1.js:") for loc in failures)
    assert [d.id for d in items if isinstance(d, Document)] == ["twitter:1"]


def test_malformed_account_file_is_a_failure_and_posts_still_index(tmp_path: Path) -> None:
    data = tmp_path / "archive" / "data"
    data.mkdir(parents=True)
    source = DATA / "twitter" / "archive" / "data" / "tweets.js"
    (data / "tweets.js").write_bytes(source.read_bytes())
    (data / "account.js").write_text("window.YTD.account.part0 = [null]", encoding="utf-8")
    items = crawl(TwitterArchiveIndexer(tmp_path / "archive", options={"handle": "acme_fan"}))
    failures = {f.location: f.reason for f in items if isinstance(f, Failure)}
    assert "unusable account file" in failures["account.js"]
    assert {d.id for d in items if isinstance(d, Document)} == {"twitter:1001", "twitter:1002"}


@pytest.mark.shared
def test_real_airline_tweets() -> None:
    indexer = CustomerPostsIndexer(shared_path("twitter-us-airline-sentiment", "Tweets.csv"),
                                   options={"keep": ["airline_sentiment"]})
    items = crawl(indexer)
    assert not [f for f in items if isinstance(f, Failure)]
    docs = [d for d in items if isinstance(d, Document)]
    # 14,640 rows; 155 repeat a tweet id with the same post (only the labels differ)
    assert len(docs) == 14_485
    assert len({d.meta["author"] for d in docs}) == 7_701
    assert len([p for p in items if isinstance(p, Person)]) == 7_701
    assert {d.meta["product"] for d in docs} == {
        "United", "US Airways", "American", "Southwest", "Delta", "Virgin America"}
    assert all(d.created_at is not None and d.created_at.year == 2015 for d in docs)
    assert not any("&amp;" in d.text for d in docs)
    assert {d.meta["airline_sentiment"] for d in docs} == {"negative", "neutral", "positive"}


@pytest.mark.shared
def test_real_alexa_reviews() -> None:
    indexer = CustomerPostsIndexer(shared_path("amazon-alexa-reviews", "amazon_alexa.tsv"))
    items = crawl(indexer)
    assert not [f for f in items if isinstance(f, Failure)]
    docs = [d for d in items if isinstance(d, Document)]
    assert len(docs) == 3_150 - 79  # blank reviews skipped
    assert indexer.left_out == {"rows without text": 79}
    assert {d.meta["rating"] for d in docs} == {1.0, 2.0, 3.0, 4.0, 5.0}
    assert "Black Dot" in {d.meta["product"] for d in docs}  # doubled spaces folded
    assert min(d.created_at for d in docs if d.created_at).date().isoformat() == "2018-05-16"
    assert not [p for p in items if isinstance(p, Person)]  # reviews are anonymous


@pytest.mark.shared
def test_real_twitter_archive() -> None:
    indexer = TwitterArchiveIndexer(shared_path("twitter-archive-andreruffert"))
    items = crawl(indexer)
    assert not [f for f in items if isinstance(f, Failure)]
    docs = [d for d in items if isinstance(d, Document)]
    assert len(docs) == 1_986 - 643  # retweets skipped
    assert indexer.checkpoint() == {"posts": 1_343, "retweets_skipped": 643}
    assert {d.meta["author_name"] for d in docs} == {"André Ruffert"}
    assert sum(1 for d in docs if d.meta["in_reply_to"]) > 400


def test_options_given_as_text_like_the_cli_does(tmp_path: Path) -> None:
    file = tmp_path / "posts.txt.csv"
    file.write_text("msg\tmood\tuser\nslow app\tsad\tann\n")
    indexer = CustomerPostsIndexer(file, options={"delimiter": "tab", "text": "msg",
                                                  "keep": "mood, user"})
    doc = next(d for d in crawl(indexer) if isinstance(d, Document))
    assert doc.meta["mood"] == "sad" and doc.meta["user"] == "ann"
    archive = TwitterArchiveIndexer(DATA / "twitter" / "archive",
                                    options={"include_retweets": "false"})
    assert len([d for d in crawl(archive) if isinstance(d, Document)]) == 2
