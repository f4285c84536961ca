"""Untitled customer posts have one name everywhere, from the start of their own text."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from search.snippets import doc_label, hit_label, text_label

POST = "customers:twitter-1791744060178"
POST_TEXT = ("Really nice touch: Beacon's checklist links straight to the SDK snippet with our "
             "project key filled in.")
POST_LABEL = "Really nice touch: Beacon's checklist links straight to the SDK snippet with…"


def _text(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True).replace("&#39;", "'")


def _hit_titles(html: str) -> dict[str, str]:
    found = re.findall(r'<h2 class="hit-title"><a href="/documents/([^"]+)">([^<]*)</a>', html)
    return dict(found)


def test_a_text_label_keeps_whole_words_and_says_when_it_is_cut() -> None:
    assert text_label(POST_TEXT + " 👏") == POST_LABEL
    assert len(POST_LABEL) <= 80
    assert text_label("Short and\n  sweet.") == "Short and sweet."
    assert text_label("word " * 15 + "endings", 20) == "word word word word…"  # no part-word
    assert text_label("a, b, c, d, e, f, g, h", 8) == "a, b, c…"  # no comma before the ellipsis
    assert text_label("Got 6 emails in 3 days. Then more", 24) == "Got 6 emails in 3 days…"
    assert doc_label("", "", "c:1") == "c:1"
    assert doc_label("Billing runbook", "text", "w:1") == "Billing runbook"
    assert hit_label("", "… feedback: SSO login loop", "c:2") == "… feedback: SSO login loop"


def test_an_untitled_post_is_named_the_same_for_every_query(demo_client: FlaskClient) -> None:
    for query in ("Project Halcyon", "checklist SDK snippet", "project key filled"):
        titles = _hit_titles(_text(demo_client, f"/search?q={query}"))
        assert titles.get(POST) == POST_LABEL, (query, titles.get(POST))


def test_the_document_page_names_an_untitled_post_by_its_text(demo_client: FlaskClient) -> None:
    html = _text(demo_client, f"/documents/{POST}")
    assert "Untitled" not in html
    assert f"<h1>{POST_LABEL}</h1>" in html
    assert f"<title>{POST_LABEL} · socialsearch</title>" in html
    titled = _text(demo_client, "/documents/wiki:sso-okta-login-loop")
    heading = re.search(r"<h1>([^<]*)</h1>", titled)
    assert heading is not None and heading.group(1).strip()  # a title is kept as written
    assert f"<title>{heading.group(1)} · socialsearch</title>" in titled


def test_a_customer_profile_lists_contributions_by_name(demo_client: FlaskClient) -> None:
    html = _text(demo_client, "/people/c.jules_pm")
    contributions = html.split("Top contributions", 1)[1]
    assert f'href="/documents/{POST}">{POST_LABEL}</a>' in contributions
    assert not re.search(r'href="/documents/customers:[^"]+">customers:', contributions)


def test_the_hidden_link_text_names_the_post(demo_client: FlaskClient) -> None:
    html = _text(demo_client, "/search?q=checklist SDK snippet")
    hidden = re.findall(r'<span class="visually-hidden"> of ([^<]*)</span> ↗', html)
    assert hidden and all(h.strip() for h in hidden), hidden
    assert POST_LABEL in hidden
