"""MediaWiki indexers (XML export and per-page JSON) and the wikitext cleaner."""

from __future__ import annotations

import bz2
import shutil
from pathlib import Path
from typing import Any

import pytest

from indexers.base import IndexerConfigError
from indexers.mediawiki import MediaWikiXmlIndexer, is_ip
from indexers.mediawiki_json import MediaWikiJsonIndexer
from indexers.wikitext import clean_wikitext
from search.models import Document, Failure, Person
from tests.indexers.contract import DATA, IndexerContract, shared_path

XML = DATA / "mediawiki" / "export.xml"


class TestMediaWikiXmlContract(IndexerContract):
    indexer_class = MediaWikiXmlIndexer
    fixture = "mediawiki/export.xml"


class TestMediaWikiJsonContract(IndexerContract):
    indexer_class = MediaWikiJsonIndexer
    fixture = "mediawiki-json"


def crawl(indexer: Any) -> list[Any]:
    indexer.check()
    return list(indexer.crawl())


def test_wikitext_is_cleaned() -> None:
    source = (
        "{{Infobox|a={{nested|x}}}}'''Bold''' and ''italic'' [[Target page|label]] [[Plain]] "
        "[https://x.test/a ext label] [https://x.test/b]<ref name=n>cite</ref><ref name=m/>\n"
        "== Heading ==\n* item <!-- hidden -->\n[[File:A.png|thumb|120px|A caption]]\n"
        "{| class=\"wikitable\"\n! H1 !! H2\n|-\n| style=\"x\" | c1 || c2\n|}\n"
        "[[Category:Tools|sort]] [[de:Werkzeug]] __NOTOC__ &amp; done<br/>end"
    )
    wiki = clean_wikitext(source)
    assert wiki.categories == ("Tools",)
    assert wiki.headings == ("Heading",) and "\nHeading\n" in wiki.text
    for expected in ("Bold and italic label Plain ext label", "Heading", "item", "A caption",
                     "H1 H2", "c1 c2", "& done\nend"):
        assert expected in wiki.text
    for unwanted in ("{{", "}}", "[[", "'''", "cite", "hidden", "style=", "Werkzeug", "NOTOC",
                     "thumb", "120px", "x.test"):
        assert unwanted not in wiki.text
    assert clean_wikitext("#REDIRECT [[Other page]]").redirect == "Other page"


def test_templates_that_are_running_text_keep_their_text() -> None:
    source = (
        "Algeria ({{IPAc-en|æ|l|ˈ|dʒ|ɪər|i|ə}}; {{lang-ar|الجزائر}}) has an area of "
        "{{convert|2381741|km2|sqmi|abbr=on}} and {{convert|2|to|5|km}} of "
        "{{nowrap|[[Coast|the coast]]}}. "
        "{{As of|2014|lc=y}} it is {{lang|fr|grand}}.{{citation needed|date=May 2020}} "
        "Adobe ({{IPA|əˈdoʊbiː}}, {{respell|ə|DOH|bee}}; from Spanish) and "
        "Alabama ({{IPAc-en|ˌ|æ}})."
    )
    text = clean_wikitext(source).text
    assert text == (
        "Algeria (الجزائر) has an area of 2381741 km2 and 2 to 5 km of the coast. "
        "As of 2014 it is grand. Adobe (from Spanish) and Alabama."
    )
    assert clean_wikitext("call init() twice").text == "call init() twice"


def test_ip_detection() -> None:
    assert is_ip("10.0.0.7") and is_ip("2001:db8::1") and not is_ip("Will")


def test_pages_authors_editors_and_namespaces() -> None:
    items = crawl(MediaWikiXmlIndexer(XML))
    docs = {d.title: d for d in items if isinstance(d, Document)}
    assert set(docs) == {"Laser cutter", "Board meeting 2020"}  # no redirect, no Talk page
    laser = docs["Laser cutter"]
    assert laser.id == "wiki:10"
    assert laser.url == "https://wiki.acme.test/wiki/Laser_cutter"
    assert laser.tags == ("Tools", "Safety")
    assert "Laser cutter safety & training." in laser.text
    assert "tool calendar" in laser.text and "Safety manual" not in laser.text
    roles = {(c.person_id, c.role): c.weight for c in laser.contributions}
    assert roles == {("wiki.Alice_Smith", "author"): 1.0, ("wiki.Bob_Jones", "editor"): 2.0}
    assert laser.meta["anonymous_edits"] == 1 and laser.meta["revisions"] == 4
    assert laser.created_at is not None and laser.created_at.year == 2019
    assert laser.updated_at is not None and laser.updated_at.month == 2
    board = docs["Board meeting 2020"]  # first revision not in the export: no known author
    assert [c.role for c in board.contributions] == ["editor"]
    people = {p.id: p for p in items if isinstance(p, Person)}
    assert people["wiki.Alice_Smith"].handles == {"wiki": "Alice Smith"}


def test_other_namespaces_on_request() -> None:
    indexer = MediaWikiXmlIndexer(XML, options={"namespaces": [0, 1]})
    titles = {d.title for d in crawl(indexer) if isinstance(d, Document)}
    assert "Talk:Laser cutter" in titles
    assert indexer.checkpoint()["redirects"] == 1
    assert indexer.left_out == {"redirects": 1}  # reported by the run, not as a failure
    everything = MediaWikiXmlIndexer(XML, options={"namespaces": "all"})
    assert len([d for d in crawl(everything) if isinstance(d, Document)]) == 3


def test_bz2_export_reads_like_plain(tmp_path: Path) -> None:
    packed = tmp_path / "export.xml.bz2"
    packed.write_bytes(bz2.compress(XML.read_bytes()))
    plain = {d.id: d.content_hash for d in crawl(MediaWikiXmlIndexer(XML))
             if isinstance(d, Document)}
    assert {d.id: d.content_hash for d in crawl(MediaWikiXmlIndexer(packed))
            if isinstance(d, Document)} == plain


def test_truncated_export_keeps_earlier_pages() -> None:
    items = crawl(MediaWikiXmlIndexer(DATA / "mediawiki" / "broken"))
    docs = [d for d in items if isinstance(d, Document)]
    failures = {f.location: f.reason for f in items if isinstance(f, Failure)}
    assert [d.title for d in docs] == ["First page"]
    assert "truncated.xml:page Bad date" in failures
    assert "truncated.xml:page 1" in failures  # duplicate page id
    assert any(loc.startswith("truncated.xml:") and "XML error" in r for loc, r in failures.items())


def test_check_rejects_other_xml(tmp_path: Path) -> None:
    from indexers.base import IndexerConfigError

    other = tmp_path / "feed.xml"
    other.write_text("<rss><channel/></rss>")
    with pytest.raises(IndexerConfigError, match="MediaWiki"):
        MediaWikiXmlIndexer(other).check()


def test_each_mediawiki_indexer_points_at_the_other_for_its_dump() -> None:
    with pytest.raises(IndexerConfigError, match="use `socialsearch index mediawiki-json"):
        MediaWikiXmlIndexer(DATA / "mediawiki-json").check()
    with pytest.raises(IndexerConfigError, match="use `socialsearch index mediawiki "):
        MediaWikiJsonIndexer(DATA / "mediawiki").check()
    with pytest.raises(IndexerConfigError) as plain:  # no dump of either kind: no hint
        MediaWikiJsonIndexer(DATA / "slack").check()
    assert "use `socialsearch" not in str(plain.value)


def test_json_pages_with_and_without_history() -> None:
    items = crawl(MediaWikiJsonIndexer(DATA / "mediawiki-json"))
    docs = {d.title: d for d in items if isinstance(d, Document)}
    assert set(docs) == {"Access Card Procedure", "Laser Cutter"}  # no redirect, no File:
    access = docs["Access Card Procedure"]
    assert access.url == "https://wiki.hack.test/wiki/Access_Card_Procedure"
    roles = {(c.person_id, c.role): c.weight for c in access.contributions}
    assert roles == {("wiki.Will", "author"): 2.0, ("wiki.Cgprincess", "editor"): 1.0}
    assert access.meta["anonymous_edits"] == 1  # the IP written as a username
    assert "operations meeting" in access.text and "[[" not in access.text
    laser = docs["Laser Cutter"]
    assert [(c.person_id, c.role) for c in laser.contributions] == [("wiki.Eric_Ose", "editor")]
    assert laser.created_at is not None and laser.created_at.year == 2010
    assert "{{" not in laser.text


def test_json_page_that_is_broken(tmp_path: Path) -> None:
    shutil.copytree(DATA / "mediawiki-json", tmp_path / "wiki")
    pages = tmp_path / "wiki" / "data" / "pages"
    (pages / "Broken.json").write_text('{"title": "Broken", "ns": 0, "id": 9, "lat')
    (pages / "Latin.json").write_bytes(
        '{"title": "Caf\xe9", "ns": 0, "id": 77, "latest_revision": {"id": 1, "timestamp": '
        '"2015-01-01T00:00:00Z", "contributor": {"username": "Will"}, "text": "cr\xe8me"}}'
        .encode("latin-1"))
    items = crawl(MediaWikiJsonIndexer(tmp_path / "wiki"))
    assert any(isinstance(f, Failure) and f.location.startswith("Broken.json") for f in items)
    assert any(isinstance(d, Document) and d.title == "Café" and d.text == "crème" for d in items)



def test_blanked_page_is_no_document_and_given_data_folder_still_finds_urls(
        tmp_path: Path) -> None:
    shutil.copytree(DATA / "mediawiki-json", tmp_path / "wiki")
    (tmp_path / "wiki" / "data" / "pages" / "Blanked.json").write_text(
        '{"title": "Blanked", "ns": 0, "id": 78, "latest_revision": {"id": 2, "timestamp": '
        '"2023-08-25T21:29:05Z", "contributor": {"username": "Vandal"}, "text": "  \\n "}}')
    indexer = MediaWikiJsonIndexer(tmp_path / "wiki" / "data")  # siteinfo is in ../dumps
    items = crawl(indexer)
    docs = {d.title: d for d in items if isinstance(d, Document)}
    assert set(docs) == {"Access Card Procedure", "Laser Cutter"}
    assert indexer.checkpoint()["blank"] == 1 and indexer.checkpoint()["documents"] == 2
    assert not any(isinstance(p, Person) and p.id == "wiki.Vandal" for p in items)
    assert docs["Laser Cutter"].url == "https://wiki.hack.test/wiki/Laser_Cutter"


# -- the real exports ---------------------------------------------------------------------------
@pytest.mark.shared
def test_real_enwiki_sample() -> None:
    folder = shared_path("mediawiki-enwiki-sample")
    articles = folder / "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
    indexer = MediaWikiXmlIndexer(articles)
    items = crawl(indexer)
    docs = [d for d in items if isinstance(d, Document)]
    assert not [f for f in items if isinstance(f, Failure)]
    # 205 main-namespace pages, 99 of them redirects (one more redirect is in ns 4)
    assert len(docs) == 106 and indexer.checkpoint()["redirects"] == 99
    anarchism = next(d for d in docs if d.title == "Anarchism")
    assert anarchism.url == "https://en.wikipedia.org/wiki/Anarchism"
    assert "{{" not in anarchism.text and "[[" not in anarchism.text
    assert "anarchism" in anarchism.text.lower() and len(anarchism.text) > 10_000
    assert anarchism.contributions == ()  # last edit by an IP
    people = {p.id for p in items if isinstance(p, Person)}
    assert all(c.person_id in people for d in docs for c in d.contributions)
    tables = crawl(MediaWikiXmlIndexer(folder / "enwiki-table-markup.xml.bz2"))
    prison = next(d for d in tables if isinstance(d, Document) and "Prison Break" in d.title)
    assert "Wentworth Miller Michael Scofield" in prison.text
    assert "wikitable" not in prison.text


@pytest.mark.shared
def test_real_heatsynclabs_wiki() -> None:
    indexer = MediaWikiJsonIndexer(shared_path("mediawiki-heatsynclabs"))
    items = crawl(indexer)
    assert not [f for f in items if isinstance(f, Failure)]
    docs = {d.title: d for d in items if isinstance(d, Document)}
    # 383 main-namespace page files, 62 of them redirects and 9 blanked
    assert indexer.checkpoint()["redirects"] == 62 and indexer.checkpoint()["blank"] == 9
    assert len(docs) == 312 and "Laser Cutter" not in docs  # blanked in 2023
    access = docs["Access Card Procedure"]
    roles = {(c.person_id, c.role) for c in access.contributions}
    assert ("wiki.Will", "author") in roles and ("wiki.Cgprincess", "editor") in roles
    assert access.meta["anonymous_edits"] == 2
    assert access.url == "https://wiki.heatsynclabs.org/wiki/Access_Card_Procedure"
    people = {p.id for p in items if isinstance(p, Person)}
    assert "wiki.Eric_Ose" in people and not any(p.startswith("wiki.72.") for p in people)
    every = MediaWikiJsonIndexer(shared_path("mediawiki-heatsynclabs"),
                                 options={"namespaces": "all"})
    # 934 files: 599 pages with text; most of the rest are File: pages without a description
    assert len([d for d in crawl(every) if isinstance(d, Document)]) == 599
    assert every.checkpoint()["blank"] > 250


def test_full_history_out_of_order_keeps_the_newest_text(tmp_path: Path) -> None:
    def revision(rev: int, day: int, user: str, text: str, parent: bool = True) -> str:
        parent_tag = f"<parentid>{rev - 1}</parentid>" if parent else ""
        return (f"<revision><id>{rev}</id>{parent_tag}<timestamp>2020-01-{day:02d}T00:00:00Z"
                f"</timestamp><contributor><username>{user}</username></contributor>"
                f"<text>{text}</text></revision>")

    revisions = (revision(3, 20, "Bob Jones", "newest text")
                 + revision(1, 1, "Alice Smith", "first text", parent=False)
                 + revision(2, 10, "Bob Jones", "middle text"))
    file = tmp_path / "history.xml"
    file.write_text(f"<mediawiki><page><title>P</title><ns>0</ns><id>5</id>{revisions}"
                    "</page></mediawiki>")
    indexer = MediaWikiXmlIndexer(file, options={"namespaces": "0,1"})
    doc = next(d for d in crawl(indexer) if isinstance(d, Document))
    assert doc.text == "newest text"
    assert {(c.person_id, c.role, c.weight) for c in doc.contributions} == {
        ("wiki.Alice_Smith", "author", 1.0), ("wiki.Bob_Jones", "editor", 2.0)}


def test_a_caption_with_single_brackets_is_still_a_caption() -> None:
    source = ("Intro. [[File:X.jpg|thumb|Front row: [[Alexey Rykov|Rykov]] as in the "
              "[[Party|party Congress]] [above].]] After. [[Image:C4.png|thumb|right| "
              "Bicyclo[1.1.0]butane has no isomer.]] End.")
    assert clean_wikitext(source).text == (
        "Intro. Front row: Rykov as in the party Congress [above]. After. "
        "Bicyclo[1.1.0]butane has no isomer. End.")


def test_a_table_cell_emptied_by_a_dropped_template_leaves_no_markup() -> None:
    source = ("{| class=\"wikitable\"\n!\n!Labial\n|-\n![[Stop consonant|Stop]]\n"
              "|style=border-right:0|{{IPAc-en|p}}||style=border-left:0|{{IPAc-en|b}}\n"
              "|style=border-right:0|t||style=border-left:0|d\n|}")
    assert clean_wikitext(source).text == "Labial\nStop t d"


def test_a_malformed_header_row_leaves_no_markup() -> None:
    source = ("{| class=\"wikitable\"\n|-\n! colspan=\"2\" ! colspan=\"1\" rowspan=\"2\"|Actor "
              "!! rowspan=\"2\"|Character\n|-\n! style=\"width:120px;\"|Country!! "
              "style=\"width:60px;\"|Export\n!! style=\"width:60px;\"|Import</tr>\n|-\n"
              "| Finland ||16%|| style=\"text-align:right\"|14%\n|}")
    assert clean_wikitext(source).text == "Actor Character\nCountry Export Import\nFinland 16% 14%"
