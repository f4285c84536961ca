"""The document page: section headings the indexer recorded are set apart and listed."""

from __future__ import annotations

import re
from pathlib import Path

from indexers.htmlwiki import HtmlWikiIndexer
from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.models import Document
from tests.web.conftest import SSO_HEADER, close_app, make_app
from web.document_text import TextBlock, document_headings, text_blocks

SECTIONS = ["Overview", "Setup", "<b>Risks</b>", "Owners"]
TEXT = ("Intro line.\n\nOverview\n\nWhat it does.\nSecond line.\n\nSetup\n\nRun it.\n\n"
        "<b>Risks</b>\n\nThe text says Overview in passing.\n\nOwners\n\nReferences")


def test_blocks_split_at_headings_and_drop_trailing_empty_sections() -> None:
    blocks = text_blocks(TEXT + "\n\nExternal links", [*SECTIONS, "References", "External links"])
    assert blocks[:3] == [TextBlock("Intro line."), TextBlock("Overview", "section-2"),
                          TextBlock("What it does.\nSecond line.")]
    # "Owners", "References" and "External links" end the page with nothing under them
    assert [b.text for b in blocks if b.anchor] == ["Overview", "Setup", "<b>Risks</b>"]
    assert blocks[-1] == TextBlock("The text says Overview in passing.")  # a mention is no heading
    assert text_blocks("Just text.", []) == [TextBlock("Just text.")]
    assert document_headings({"headings": "Overview"}) == []  # not a list: ignored
    assert document_headings({"headings": ["A", 3, None]}) == ["A"]


def test_the_page_shows_sections_escaped_and_a_list_of_them(tmp_path: Path) -> None:
    engine = SearchEngine(Settings(data_dir=str(tmp_path), embedder="hashing"),
                          embedder=HashingEmbedder())
    engine.upsert([Document(id="wiki:guide", source="wiki", kind="wiki", title="Guide",
                            text=TEXT, meta={"headings": SECTIONS}),
                   Document(id="wiki:plain", source="wiki", kind="wiki", title="Plain",
                            text="Overview\n\nNo headings were recorded for this page.")])
    app = make_app(engine)
    try:
        client = app.test_client()
        html = client.get("/documents/wiki:guide", headers={SSO_HEADER: "u.ann"}).get_data(True)
        headings = re.findall(r'<h2 class="doc-heading" id="(section-\d+)">([^<]*)</h2>', html)
        assert [text for _, text in headings] == [
            "Overview", "Setup", "&lt;b&gt;Risks&lt;/b&gt;", "Owners"]
        assert "<b>Risks</b>" not in html
        for anchor, _ in headings:
            assert f'href="#{anchor}"' in html  # listed under "On this page"
        plain = client.get("/documents/wiki:plain", headers={SSO_HEADER: "u.ann"}).get_data(True)
        assert "doc-heading" not in plain and "On this page" not in plain
    finally:
        close_app(app)
        engine.close()


def test_html_wiki_pages_record_their_headings() -> None:
    space = Path(__file__).resolve().parents[1] / "data" / "htmlwiki" / "space"
    indexer = HtmlWikiIndexer(space)
    indexer.check()
    page = next(d for d in indexer.crawl()
                if isinstance(d, Document) and d.id == "htmlwiki:Onboarding_1001")
    assert page.meta["headings"] == ["First week"]
    assert "First week" in page.text.split("\n")
