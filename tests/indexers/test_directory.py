"""Employee directory indexer (CSV, JSON, LDIF) and the LDIF reader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from indexers.base import IndexerConfigError
from indexers.directory import DirectoryIndexer
from indexers.ldif import LdifEntry, LdifProblem, normalise_dn, parse_ldif, rdn_value
from search.models import Document, Failure, Person
from tests.indexers.contract import DATA, IndexerContract, shared_path


class TestDirectoryContract(IndexerContract):
    indexer_class = DirectoryIndexer
    fixture = "directory/good"
    yields_documents = False


def crawl(path: Any, **options: Any) -> list[Any]:
    indexer = DirectoryIndexer(path, options=options)
    indexer.check()
    return list(indexer.crawl())


def test_ldif_reader() -> None:
    text = ("version: 1\n\n# c\ndn: cn=A B,dc=x\ncn:: QcOpIEI=\ndescription: long\n  folded\n"
            "mail: a@x\nmail: b@x\n\ndn: cn=C,dc=x\nchangetype: delete\n\n"
            "dn: cn=D,dc=x\nno colon here\n")
    items = list(parse_ldif(text))
    assert isinstance(items[0], LdifEntry) and items[0].first("cn") == "Aé B"
    assert items[0].first("description") == "long folded"
    assert items[0].all("mail") == ["a@x", "b@x"]
    assert isinstance(items[1], LdifProblem) and items[1].line == 14  # delete record skipped
    assert normalise_dn("cn=Armine Conner,ou=Management,dc=apporchard, dc=com ") == \
        "cn=armine conner,ou=management,dc=apporchard,dc=com"
    assert rdn_value("cn=Armine Conner,ou=Management") == "Armine Conner"


def test_an_ldif_cut_off_inside_an_entry_leaves_that_entry_out() -> None:
    whole = "dn: cn=A,dc=x\ncn: A\n\ndn: cn=B,dc=x\ncn: B\ntitle: Head of Sales\n"
    assert [i.first("cn") for i in parse_ldif(whole) if isinstance(i, LdifEntry)] == ["A", "B"]
    items = list(parse_ldif(whole[:-12]))  # "title: Head" : B would lose its title
    assert [i.first("cn") for i in items if isinstance(i, LdifEntry)] == ["A"]
    assert [(p.line, "cut off" in p.reason) for p in items if isinstance(p, LdifProblem)] == [
        (4, True)]
    assert len(list(parse_ldif(whole.replace("\n", "\r\n")))) == 2


def test_people_from_csv_json_and_ldif() -> None:
    people = {p.id: p for p in crawl(DATA / "directory" / "good")}
    assert set(people) == {"asmith", "bjones", "cjones", "dlee", "emeyer", "focean", "grao"}
    alice = people["asmith"]
    assert alice.name == "Alice Smith" and alice.emails == ("alice@example.com",)
    assert alice.title == "Data engineer" and alice.department == "Platform"
    assert alice.manager_id == "cjones"
    assert alice.skills == ("python", "kafka", "vault") and alice.groups == ("eng", "platform")
    assert alice.handles == {"slack": "U0000001"}
    assert people["bjones"].skills == ("kubernetes", "terraform")
    assert people["cjones"].manager_id is None
    assert people["dlee"].manager_id == "cjones"  # by name
    assert people["emeyer"].manager_id == "dlee"  # by e-mail
    assert people["dlee"].skills == ("figma", "ux") and people["dlee"].department == "Design"
    frank = people["focean"]  # LDIF: CRLF, folding, DN with spaces and a trailing space
    assert frank.name == "Frank Ocean" and frank.title == "Account executive"
    assert frank.manager_id == "grao"
    assert "secret" not in str(frank) and "userPassword" not in str(frank.meta)
    gita = people["grao"]
    assert gita.name == "Gita Raï"  # base64 value
    assert gita.groups == ("managers",)


def test_broken_directory() -> None:
    items = crawl(DATA / "directory" / "broken")
    failures = {f.location: f.reason for f in items if isinstance(f, Failure)}
    people = {p.id: p for p in items if isinstance(p, Person)}
    assert set(people) == {"h1", "h4", "kai"}  # more.json is truncated: no "lee"
    assert "duplicate" in failures["people.csv:3"]
    assert "people.csv:4" in failures and "people.csv:5" in failures
    assert "base64" in failures["org.ldif:1"] and "org.ldif:6" in failures
    assert any(loc.startswith("more.json") for loc in failures)
    assert people["h1"].manager_id is None and people["h1"].meta["manager_ref"] == "nobody-known"
    assert people["h4"].manager_id == "h1"


def test_a_table_without_id_and_name_columns_is_refused_before_reading(tmp_path: Path) -> None:
    posts = tmp_path / "tweets.csv"
    posts.write_text("tweet_id,name,text\n1,jane,my bag is lost\n")
    with pytest.raises(IndexerConfigError, match=r"needs an id or e-mail column.*"
                                                 r"use `socialsearch index customers`"):
        DirectoryIndexer(posts).check()
    split = tmp_path / "people.csv"  # an e-mail and first/last names are enough
    split.write_text("mail,first_name,last_name\nann@x.test,Ann,Lee\n")
    assert [p.id for p in crawl(split) if isinstance(p, Person)] == ["ann"]
    mapped = DirectoryIndexer(posts, options={"id": "tweet_id"})
    mapped.check()  # a mapping names the column the guess missed


@pytest.mark.shared
def test_real_ldif_directory() -> None:
    items = crawl(shared_path("ldif-example-directory"))
    people = {p.id: p for p in items if isinstance(p, Person)}
    failures = [f for f in items if isinstance(f, Failure)]
    # 1,000 entries; two different people share uid KaeferJ: the second is reported
    assert len(people) == 999
    assert [(f.location, f.reason) for f in failures] == [
        ("Example.ldif:18513", "duplicate person id 'KaeferJ'")]
    armine = people["ConnerA"]
    assert armine.name == "Armine Conner" and armine.department == "Management"
    assert armine.emails == ("connera@ns-mail6.com",)
    assert armine.title == "Supreme Management Mascot"
    assert sum(1 for p in people.values() if p.manager_id) == 998
    assert all(p.manager_id in people for p in people.values() if p.manager_id)
    assert not any(isinstance(i, Document) for i in items)
    departments = {p.department for p in people.values()}
    assert departments == {"Human Resources", "Peons", "Administrative", "Product Testing",
                           "Payroll", "Product Development", "Management", "Janitorial"}


def test_entries_that_are_no_person_are_left_out_and_counted() -> None:
    indexer = DirectoryIndexer(DATA / "directory" / "good")
    indexer.check()
    list(indexer.crawl())
    assert indexer.left_out == {"entries that are no person (groups, organisational units …)": 1}
