"""HTML wiki export indexer: contract, Confluence-style pages, zips and bad input."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from indexers.htmlwiki import HtmlWikiIndexer
from search.models import Document, Failure, Person
from tests.indexers.contract import DATA, IndexerContract

SPACE = DATA / "htmlwiki" / "space"


class TestHtmlWikiContract(IndexerContract):
    indexer_class = HtmlWikiIndexer
    fixture = "htmlwiki/space"


def crawl(path: Path, **options: Any) -> list[Any]:
    indexer = HtmlWikiIndexer(path, options=options)
    indexer.check()
    return list(indexer.crawl())


def test_confluence_page() -> None:
    items = crawl(SPACE, base_url="https://wiki.acme.test/eng/")
    docs = {d.id: d for d in items if isinstance(d, Document)}
    page = docs["htmlwiki:Onboarding_1001"]
    assert page.title == "Onboarding"
    assert page.url == "https://wiki.acme.test/eng/Onboarding_1001.html"
    assert page.meta["breadcrumbs"] == ["Engineering", "Engineering Home"]
    assert page.meta["links"] == ["Deploy-Guide_1002.html", "https://chat.example.com/c/eng"]
    assert page.tags == ("Engineering",)
    assert "Request a laptop from IT & set up your VPN access." in page.text
    assert "Vault Alice" in page.text
    for noise in ("do not index me", "color: red", "Created by", "checklist.pdf",
                  "Document generated", "Engineering Home"):
        assert noise not in page.text
    assert [(c.person_id, c.role) for c in page.contributions] == [
        ("htmlwiki.alice-smith", "author"), ("htmlwiki.bob-jones", "editor")]
    assert page.updated_at is not None and (page.updated_at.month, page.updated_at.day) == (3, 3)
    assert page.created_at is None  # Confluence only says when it was last modified


def test_created_only_and_meta_author() -> None:
    docs = {d.id: d for d in crawl(SPACE) if isinstance(d, Document)}
    home = docs["htmlwiki:index"]
    assert home.created_at is not None and home.created_at.day == 6
    deploy = docs["htmlwiki:Deploy-Guide_1002"]
    assert deploy.title == "Deploy Guide"
    assert [c.role for c in deploy.contributions] == ["author"]  # "last modified on" only
    assert "Search" not in deploy.text  # <nav> dropped
    plain = docs["htmlwiki:misc/plain"]  # Latin-1 without a charset, <meta name="author">
    assert plain.title == "Café notes" and "Crème brûlée" in plain.text
    assert plain.contributions[0].person_id == "htmlwiki.dave-null"


def test_people_once_each() -> None:
    people = [p for p in crawl(SPACE) if isinstance(p, Person)]
    assert sorted(p.name for p in people) == ["Alice Smith", "Bob Jones", "Carol Díaz", "Dave Null"]
    assert next(p for p in people if p.name == "Carol Díaz").id == "htmlwiki.carol-diaz"


def test_bad_dates_fail_and_truncated_pages_still_index() -> None:
    items = crawl(DATA / "htmlwiki" / "broken")
    failures = [f for f in items if isinstance(f, Failure)]
    assert [f.location for f in failures] == ["Bad-Date_1.html"]
    docs = [d for d in items if isinstance(d, Document)]
    assert [d.title for d in docs] == ["Truncated"]


def test_zip_export_with_unsafe_entries(tmp_path: Path) -> None:
    archive = tmp_path / "space.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in sorted(SPACE.rglob("*.htm*")):
            zf.write(file, "eng/" + file.relative_to(SPACE).as_posix())
        zf.writestr("../escape.html", "<p>nope</p>")
    items = crawl(archive)
    assert any(isinstance(f, Failure) and f.location == "../escape.html" for f in items)
    assert {d.id for d in items if isinstance(d, Document)} == {
        "htmlwiki:eng/index", "htmlwiki:eng/Onboarding_1001", "htmlwiki:eng/Deploy-Guide_1002",
        "htmlwiki:eng/misc/plain"}


def test_exclude_patterns() -> None:
    docs = [d for d in crawl(SPACE, exclude=["index.html", "misc/*"]) if isinstance(d, Document)]
    assert {d.id for d in docs} == {"htmlwiki:Onboarding_1001", "htmlwiki:Deploy-Guide_1002"}


def test_xhtml_pages_with_an_xml_prolog(tmp_path: Path) -> None:
    (tmp_path / "page.xhtml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        "<head><title>X</title></head><body><h1>Runbook</h1><p>Restart the queue.</p></body>"
        "</html>")
    docs = [d for d in crawl(tmp_path) if isinstance(d, Document)]
    assert [(d.title, "Restart the queue." in d.text) for d in docs] == [("Runbook", True)]
