"""Stored XSS and mrkdwn injection render inert: pages, snippets, JSON, Block Kit, Markdown."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from markdown_it import MarkdownIt

from search.digest import render_markdown
from search.engine import SearchEngine
from search.markup import markdown_link, markdown_text, mrkdwn_link, mrkdwn_text, safe_url
from tests.security import hostile
from tests.security.corpus import WEEK
from tests.web.conftest import SSO_HEADER, close_app, make_app, slack_body, slack_sign

READER = {SSO_HEADER: "u.reader"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text", "data:application")
PAGES = [
    "/search?q=kafka", "/search?q=kafka&explain=1", "/search?q=kafka+consumer+notes",
    "/search?q=who+knows+kafka", "/search?q=kafka&mode=experts",
    "/search?q=billing&mode=voice", "/search?q=billing+terrible&mode=voice",
    "/people/u.mallory", "/documents/wiki:xss-title", "/documents/slack:xss-thread",
    f"/digest?week={WEEK}",
    # reflected: the query and unknown ids are echoed back
    "/search?q=" + quote(hostile.SCRIPT), "/search?q=" + quote(hostile.IMG) + "&mode=voice",
    "/people/" + quote(hostile.SVG, safe=""), "/documents/" + quote(hostile.SCRIPT, safe=""),
]


@pytest.fixture(scope="module")
def hostile_app(hostile_engine: SearchEngine) -> Iterator[Flask]:
    """A demo-mode app over the hostile corpus."""
    app = make_app(hostile_engine, demo_mode=True)
    yield app
    close_app(app)


@pytest.fixture
def client(hostile_app: Flask) -> FlaskClient:
    """A client of the hostile app."""
    return hostile_app.test_client()


def assert_inert_html(markup: str) -> BeautifulSoup:
    """Assert that ``markup`` holds no script, event handler or script URL; return the tree."""
    soup = BeautifulSoup(markup, "html.parser")
    assert not soup.find_all(["script", "iframe", "object", "embed", "base", "foreignobject"])
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), f"<{tag.name} {name}=…> in page"
            values = value if isinstance(value, list) else [value]
            for item in values:
                if name.lower() in ("href", "src", "action", "formaction", "xlink:href"):
                    assert not str(item).strip().lower().startswith(BAD_SCHEMES), item
    for img in soup.find_all("img"):
        assert str(img.get("src", "")).startswith(("/", "data:image/")), img
    return soup


@pytest.mark.parametrize("url", PAGES)
def test_pages_render_hostile_text_inert(client: FlaskClient, url: str) -> None:
    response = client.get(url, headers=READER)
    assert response.status_code in (200, 404), response.status_code
    assert response.mimetype == "text/html"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert_inert_html(response.get_data(as_text=True))


def test_payloads_are_shown_as_text(client: FlaskClient) -> None:
    """The checks above are not vacuous: the payloads reach the page, as visible text."""
    page = client.get("/documents/wiki:xss-title", headers=READER).get_data(as_text=True)
    text = assert_inert_html(page).get_text()
    assert hostile.SCRIPT in text and hostile.IMG in text and "<!channel>" in text
    assert "&lt;script&gt;" in page
    person = client.get("/people/u.mallory", headers=READER).get_data(as_text=True)
    assert hostile.SCRIPT in assert_inert_html(person).get_text()
    search = client.get("/search?q=kafka+consumer+notes", headers=READER).get_data(as_text=True)
    assert "window.__xss=1" in assert_inert_html(search).get_text()


def test_search_snippets_only_carry_mark_tags(client: FlaskClient) -> None:
    data = client.get("/api/v1/search?q=kafka+notes+lag+channel&limit=20",
                      headers=READER).get_json()
    assert data["hits"]
    for hit in data["hits"]:
        tags = re.findall(r"<[^>]*>", hit["snippet"])
        assert all(re.fullmatch(r'<mark class="[\w -]*">|</mark>', t) for t in tags), tags
    experts = client.get("/api/v1/experts?q=kafka", headers=READER).get_json()["experts"]
    snippets = [e["snippet"] for x in experts for e in x["evidence"]]
    assert snippets and all("<script" not in s and "<img" not in s for s in snippets)


def test_json_api_is_data_and_never_sniffed_as_html(client: FlaskClient) -> None:
    for url in ("/api/v1/search?q=kafka", "/api/v1/people/u.mallory",
                "/api/v1/voice?q=billing", f"/api/v1/digest?week={WEEK}",
                "/api/v1/search?q=" + quote(hostile.SCRIPT)):
        response = client.get(url, headers=READER)
        assert response.status_code == 200
        assert response.mimetype == "application/json"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        json.loads(response.get_data(as_text=True))
    person = client.get("/api/v1/people/u.mallory", headers=READER).get_json()
    assert person["person"]["name"] == f"Mallory {hostile.SCRIPT}"  # data comes back unchanged


def _slack_texts(blocks: Any) -> Iterator[str]:
    if isinstance(blocks, dict):
        for key, value in blocks.items():
            if key == "text" and isinstance(value, str):
                yield value
            elif key not in ("value", "url", "action_id", "block_id"):
                yield from _slack_texts(value)
    elif isinstance(blocks, list):
        for value in blocks:
            yield from _slack_texts(value)


def assert_inert_mrkdwn(text: str) -> None:
    """Assert that mrkdwn ``text`` has no mention, broadcast or non-http(s) link."""
    for control in re.findall(r"<([^>]*)>", text):
        target = control.split("|", 1)[0]
        assert re.match(r"https?://[^\s<>|]+$", target), f"control sequence <{control}>"
        assert "evil.example.com" not in target, f"hostile link <{control}>"
    # Slack has no [label](url) links, so "[click](javascript:…)" stays literal text there


@pytest.mark.parametrize("command", ["kafka consumer notes", "who knows kafka",
                                     "customers billing", "people mallory", "kafka lag",
                                     hostile.SLACK])
def test_slack_block_kit_is_escaped(client: FlaskClient, command: str) -> None:
    body = slack_body(command, user="U0RITA")
    reply = client.post("/slack/commands", data=body, headers=slack_sign(body)).get_json()
    texts = list(_slack_texts(reply["blocks"]))
    assert texts
    for text in texts:
        assert_inert_mrkdwn(text)
    joined = "\n".join(texts)
    if command != hostile.SLACK:
        assert "&lt;!channel&gt;" in joined or "&lt;script&gt;" in joined  # payloads reached it


def test_markdown_digest_renders_inert(client: FlaskClient) -> None:
    response = client.get(f"/digest.md?week={WEEK}", headers=READER)
    assert response.status_code == 200
    source = response.get_data(as_text=True)
    assert "terrible" in source  # the hostile posts are in the export
    assert re.search(r"(?<!\\)<", source) is None, "an unescaped < in the Markdown export"
    rendered = MarkdownIt("commonmark").render(source)  # raw HTML passes through CommonMark
    soup = assert_inert_html(rendered)
    assert not soup.find_all(["img", "a"]) or all(
        str(a.get("href", "")).startswith(("http://", "https://")) for a in soup.find_all("a"))
    assert "window.__xss=1" in soup.get_text()  # still readable, as text


def test_markdown_and_mrkdwn_escaping_helpers() -> None:
    assert markdown_text("<b>*x*</b> [a](b)") == r"\<b\>\*x\*\</b\> \[a\](b)"
    assert markdown_link("t", "javascript:alert(1)") == "t"
    assert markdown_link("a]b", "https://x.example/p (1)") == r"[a\]b](https://x.example/p%20%281%29)"
    assert mrkdwn_text("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"
    assert mrkdwn_link("a|b", "https://x.example/?a=1&b=|<!here>") == \
        "<https://x.example/?a=1&amp;b=%7C%3C!here%3E|a¦b>"
    assert mrkdwn_link("x", "data:text/html,hi") == "x"
    assert safe_url("HTTPS://x.example") == "HTTPS://x.example" and safe_url("//x") is None


def test_slack_flavour_of_the_digest_is_escaped(hostile_engine: SearchEngine) -> None:
    from search.digest import DigestBuilder
    from search.models import Principal

    digest = DigestBuilder(hostile_engine).build(WEEK, Principal("u.reader",
                                                                 frozenset({"engineering"})))
    assert digest.touch_points
    slack = render_markdown(digest, slack=True)
    assert "&lt;!channel&gt;" in slack  # the hostile posts reached the export, escaped
    for line in slack.splitlines():
        assert_inert_mrkdwn(line)
