"""Stack Exchange dump indexer: contract, fixture, bad input and the real Cardano dump."""

from __future__ import annotations

from typing import Any

import pytest

from indexers.stackexchange import StackExchangeIndexer, parse_tags, score_weight
from search.models import Document, Failure, Person
from tests.indexers.contract import DATA, IndexerContract, shared_path


class TestStackExchangeContract(IndexerContract):
    indexer_class = StackExchangeIndexer
    fixture = "stackexchange/dump"


def crawl(path: Any, **options: Any) -> list[Any]:
    indexer = StackExchangeIndexer(path, options=options)
    indexer.check()
    return list(indexer.crawl())


def test_tags_and_weights() -> None:
    assert parse_tags("<a><b-c>") == ("a", "b-c")
    assert parse_tags("|a|b|") == ("a", "b")
    assert score_weight(-3) == 1.0 and score_weight(0) == 1.0 and score_weight(25) > 4


def test_question_with_answers_and_comments() -> None:
    items = crawl(DATA / "stackexchange" / "dump", base_url="https://qa.acme.test/")
    docs = {d.id: d for d in items if isinstance(d, Document)}
    assert set(docs) == {"qa:1", "qa:4"}
    q = docs["qa:1"]
    assert q.kind == "qa" and q.title == "Rotating vault keys"
    assert q.url == "https://qa.acme.test/questions/1"
    assert q.tags == ("vault", "security")
    assert q.meta == {"score": 10, "tags": ["vault", "security"], "answer_count": 2,
                      "accepted_answer_id": "3", "views": 120, "closed": False}
    assert "How do I rotate vault keys?" in q.text and "alert(1)" not in q.text
    accepted = q.text.index("Accepted answer (score 25)")
    assert accepted < q.text.index("Answer (score -1)")  # accepted answer first
    assert "Run the rotate job & check the audit log." in q.text
    assert "Comment: This worked, thanks & cheers" in q.text
    roles = {(c.person_id, c.role): c.weight for c in q.contributions}
    assert roles[("qa.17", "asker")] == 1.0
    assert roles[("qa.14", "accepted_answerer")] == score_weight(25)
    assert roles[("qa.5", "answerer")] == 1.0
    assert roles[("qa.5", "editor")] == 1.0
    assert roles[("qa.5", "commenter")] == 1.0 and roles[("qa.17", "commenter")] == 1.0
    assert not any(c.person_id == "qa.-1" for d in docs.values() for c in d.contributions)
    assert docs["qa:4"].tags == ("staking", "pools")


def test_only_participants_become_people_unless_asked() -> None:
    people = {p.id: p for p in crawl(DATA / "stackexchange" / "dump") if isinstance(p, Person)}
    assert set(people) == {"qa.5", "qa.14", "qa.17"}  # no lurker, no Community bot
    assert people["qa.14"].handles == {"qa": "14"} and people["qa.14"].name == "Alice Smith"
    everyone = crawl(DATA / "stackexchange" / "dump", all_users=True)
    assert "qa.99" in {p.id for p in everyone if isinstance(p, Person)}


def test_broken_dump_reports_and_continues() -> None:
    items = crawl(DATA / "stackexchange" / "broken")
    docs = {d.title for d in items if isinstance(d, Document)}
    failures = {f.location: f.reason for f in items if isinstance(f, Failure)}
    assert docs == {"Good", "Also good"}
    assert "Posts.xml:row Id=2" in failures  # bad date
    assert "duplicate" in failures["Posts.xml:row Id=1"]
    assert "unknown question" in failures["Posts.xml:row Id=3"]
    assert any(loc.startswith("Posts.xml:") and "XML error" in r for loc, r in failures.items())
    assert any(loc.startswith("Users.xml:") for loc in failures)  # truncated users file


@pytest.mark.shared
def test_real_cardano_dump() -> None:
    indexer = StackExchangeIndexer(shared_path("stackexchange-cardano"))
    items = crawl(indexer.path)
    assert not [f for f in items if isinstance(f, Failure)]
    docs = [d for d in items if isinstance(d, Document)]
    people = {p.id: p for p in items if isinstance(p, Person)}
    assert len(docs) == 1042
    assert sum(d.meta["answer_count"] for d in docs) == 1496
    accepted = [c for d in docs for c in d.contributions if c.role == "accepted_answerer"]
    assert len(accepted) == 459
    top: dict[str, int] = {}
    for c in accepted:
        top[people[c.person_id].name] = top.get(people[c.person_id].name, 0) + 1
    assert top["Marek Mahut - StakeNuts"] == 71
    assert top["eddex"] == 25 and top["Mitchell Turner"] == 25
    assert all(c.person_id in people for d in docs for c in d.contributions)
    first = next(d for d in docs if d.id == "qa:1")
    assert first.title == "How Cardano is different from Ethereum (2.0)?"
    assert first.tags == ("proof-of-work", "governance", "ethereum")
    assert "&lt;" not in first.text and "<p>" not in first.text


def test_flag_options_given_as_text() -> None:
    quiet = crawl(DATA / "stackexchange" / "dump", all_users="false")
    assert "qa.99" not in {p.id for p in quiet if isinstance(p, Person)}
    loud = crawl(DATA / "stackexchange" / "dump", all_users="yes")
    assert "qa.99" in {p.id for p in loud if isinstance(p, Person)}
