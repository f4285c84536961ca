"""The search page, person pages, document pages and their errors (Flask test client)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from search.facets import date_facet
from tests.web.conftest import SSO_HEADER
from web.services import month_range

ANN = {SSO_HEADER: "u.ann"}
BOB = {SSO_HEADER: "u.bob"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Collector()
    parser.feed(html)
    return parser.tags


def _text(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined]


def test_home_page(open_client: FlaskClient) -> None:
    response = open_client.get("/")
    html = _text(response)
    assert response.status_code == 200
    assert "Find things, find who knows, hear what customers say" in html
    assert "Demo mode" in html
    assert 'label for="q"' in html and 'role="search"' in html
    assert "who knows about kafka" in html
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_page_requires_identity_when_anonymous_is_off(client: FlaskClient) -> None:
    response = client.get("/search?q=kafka")
    assert response.status_code == 401
    assert "Please sign in" in _text(response)
    assert client.get("/static/style.css").status_code == 200


def test_sso_identity_shows_the_person(client: FlaskClient) -> None:
    html = _text(client.get("/", headers=ANN))
    assert "Ann Lee" in html and "Demo mode" not in html


def test_document_results_with_snippets_facets_and_explain(client: FlaskClient) -> None:
    response = client.get("/search?q=kafka consumer", headers=ANN)
    html = _text(response)
    assert response.status_code == 200
    assert "Kafka consumer runbook" in html
    assert '<mark class="hl t0">consumer</mark>' in html
    assert "Refine" in html and 'class="count"' in html
    assert "Why this result?" in html and "Keyword (BM25)" in html
    assert 'aria-current="page"' in html  # the Documents tab
    open_explain = _text(client.get("/search?q=kafka&explain=1", headers=ANN))
    assert '<details class="explain" open>' in open_explain


def test_facet_links_filter_and_can_be_removed(client: FlaskClient) -> None:
    html = _text(client.get("/search?q=invoice", headers=ANN))
    links = [a["href"] for t, a in _tags(html) if t == "a" and a.get("href")]
    facet = next(h for h in links if h and "source=customers" in h)
    filtered = _text(client.get(facet, headers=ANN))
    assert "Active filters" in filtered and "source: customers" in filtered
    assert "Billing FAQ" not in filtered
    month = _text(client.get("/search?q=invoice&month=2026-03", headers=ANN))
    assert "month: 2026-03" in month
    bad = client.get("/search?q=invoice&month=March", headers=ANN)
    assert bad.status_code == 400 and "month must look like" in _text(bad)
    year = _text(client.get("/search?q=invoice&month=2026", headers=ANN))
    assert "year: 2026" in year and "Billing FAQ" in year
    assert "Billing FAQ" not in _text(client.get("/search?q=invoice&month=1999", headers=ANN))


def test_a_facet_with_one_value_shows_only_once_chosen(client: FlaskClient) -> None:
    def titles(html: str) -> list[str]:
        return re.findall(r'<h2 class="facet-title">([^<]+)</h2>', html)

    everything = _text(client.get("/search?q=invoice", headers=ANN))
    assert "Source" in titles(everything)  # the results come from several sources
    only = _text(client.get("/search?q=invoice&source=customers", headers=ANN))
    assert "Source" in titles(only)  # one value, but chosen: it must stay to be unticked
    assert 'aria-current="true"' in only
    assert "Audience" not in titles(only)  # every customer post has audience "customer"


def test_date_facet_shows_years_when_months_would_not_fit() -> None:
    months = {f"{y}-{m:02d}": 1 for y in (2021, 2022, 2023) for m in range(1, 13)}
    assert date_facet(months) == [("2023", 12), ("2022", 12), ("2021", 12)]
    recent = {"2026-01": 2, "2026-02": 3, "2025-12": 1}
    assert date_facet(recent) == [("2026-02", 3), ("2026-01", 2), ("2025-12", 1)]
    one_year = {f"2024-{m:02d}": m for m in range(1, 13)}  # a year's months: the newest 8
    assert [v for v, _ in date_facet(one_year)] == [f"2024-{m:02d}" for m in range(12, 4, -1)]
    assert month_range("2024") == ("2024-01-01T00:00:00+00:00",
                                   "2024-12-31T23:59:59.999999+00:00")
    assert month_range("2024-02")[1] == "2024-02-29T23:59:59.999999+00:00"


def test_pagination_uses_opaque_cursors(demo_client: FlaskClient) -> None:
    client = demo_client
    html = _text(client.get("/search?q=invoice billing refund", headers=ANN))
    assert 'rel="next"' in html
    nxt = re.search(r'href="([^"]+)" rel="next"', html)
    assert nxt is not None
    url = nxt.group(1).replace("&amp;", "&")
    assert "cursor=" in url and "offset" not in url
    second = _text(client.get(url, headers=ANN))
    assert 'start="11"' in second or "Showing 11" in second
    tampered = client.get(url.replace("cursor=", "cursor=x"), headers=ANN)
    assert tampered.status_code == 400


def test_did_you_mean_link(client: FlaskClient) -> None:
    html = _text(client.get("/search?q=kafak", headers=ANN))
    assert "Did you mean" in html and "<strong>kafka</strong>" in html


def test_page_says_when_no_result_contains_the_words(client: FlaskClient) -> None:
    html = _text(client.get("/search?q=zeppelin+airship", headers=ANN))
    assert 'class="meaning-note"' in html and "closest in meaning" in html
    assert "meaning-note" not in _text(client.get("/search?q=kafka", headers=ANN))


def test_user_text_is_escaped_everywhere(client: FlaskClient) -> None:
    probe = "<script>alert(1)</script>"
    html = _text(client.get(f"/search?q={probe}", headers=ANN))
    assert probe not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    html = _text(client.get("/search?q=escaping notes", headers=ANN))
    assert "<script>alert('t')</script>" not in html
    assert "<img src=x" not in html
    doc = _text(client.get("/documents/wiki:xss", headers=ANN))
    assert "<img src=x" not in doc and "javascript:" not in doc


def test_empty_and_bad_queries_help_the_user(client: FlaskClient) -> None:
    response = client.get("/search?q=!!!", headers=ANN)
    assert response.status_code == 400
    assert "type a few words" in _text(response)
    none = _text(client.get("/search?q=invoice&since=2031-01-01", headers=ANN))
    assert "Nothing you can read matches" in none and "search without filters" in none
    assert "Explain ranking" not in none  # nothing to explain
    assert "Explain ranking" in _text(client.get("/search?q=invoice", headers=ANN))


def test_experts_tab_and_recognised_intent(client: FlaskClient) -> None:
    html = _text(client.get("/search?q=who knows about kafka", headers=BOB))
    assert "Who knows about “kafka”" in html
    assert "Showing people who know about" in html
    assert 'href="/people/u.ann"' in html
    assert "Evidence" in html and "<meter" in html
    explicit = _text(client.get("/search?q=kafka&mode=experts", headers=BOB))
    assert "Who knows about “kafka”" in explicit
    as_docs = _text(client.get("/search?q=who knows kafka&mode=search", headers=BOB))
    assert "Kafka consumer runbook" in as_docs


def test_person_page(client: FlaskClient) -> None:
    html = _text(client.get("/people/u.ann", headers=ANN))
    assert "Ann Lee" in html and "Staff Engineer" in html
    assert "Known for" in html and "Top contributions" in html and "Colleagues" in html
    assert "Kafka consumer runbook" in html
    hana = _text(client.get("/people/u.hana", headers=ANN))
    assert "Bob Stone" in hana and "Manager" in hana


def test_unknown_person_page_suggests(client: FlaskClient) -> None:
    response = client.get("/people/ann", headers=ANN)
    assert response.status_code == 404
    alert = _text(response).split('role="alert"')[1]
    assert alert.count("Ann Lee") == 1  # listed once, as a link, not again in the message
    assert "(u.ann)" not in alert and "did you mean" not in alert  # no raw ids in prose


def test_restricted_document_is_not_found_for_others(client: FlaskClient) -> None:
    assert client.get("/documents/slack:exec-1", headers=ANN).status_code == 404
    ok = client.get("/documents/slack:exec-1", headers=BOB)
    assert ok.status_code == 200 and "restricted" in _text(ok)
    assert client.get("/documents/nothing:here", headers=BOB).status_code == 404


def test_html_errors(client: FlaskClient) -> None:
    missing = client.get("/no/such/page", headers=ANN)
    assert missing.status_code == 404 and "We couldn’t find that" in _text(missing)
    assert client.post("/search", headers=ANN).status_code == 405


def test_voice_alias_redirects_to_customers_tab(client: FlaskClient) -> None:
    response = client.get("/voice?q=billing", headers=ANN)
    assert response.status_code == 302
    assert "mode=voice" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/", "/search?q=kafka", "/people/u.ann",
                                  "/documents/wiki:kafka"])
def test_pages_are_accessible_basics(client: FlaskClient, path: str) -> None:
    html = _text(client.get(path, headers=ANN))
    assert '<html lang="en">' in html and 'name="viewport"' in html
    assert 'class="skip-link"' in html and '<main id="main"' in html
    ids = {a.get("id") for _t, a in _tags(html)}
    for tag, attrs in _tags(html):
        if tag in ("input", "select") and attrs.get("type") != "hidden":
            assert attrs.get("id") in ids
            assert f'for="{attrs.get("id")}"' in html, attrs


def test_an_untitled_post_gets_a_title_cut_at_a_word(tmp_path: Path) -> None:
    from search.models import Document
    from tests.web.conftest import build_engine, close_app, make_app

    engine = build_engine(tmp_path)
    text = ("Refund for the duplicated subscription charge still has not arrived and the "
            "invoice page shows a failed payment for the second one")
    engine.upsert([Document(id="post:1", source="customers", kind="post", title="", text=text,
                            audience="customer")])
    app = make_app(engine, demo_mode=True)
    try:
        page = app.test_client().get("/search?q=duplicated subscription charge").get_data(
            as_text=True)
    finally:
        close_app(app)
        engine.close()
    title = re.search(r'<h2 class="hit-title"><a [^>]*>([^<]*)</a>', page)
    assert title is not None
    assert title.group(1) == ("Refund for the duplicated subscription charge still has not "
                              "arrived and the…")


def test_experts_show_the_topic_tags_they_are_active_in(demo_client: FlaskClient) -> None:
    api = demo_client.get("/api/v1/experts?q=sso", headers=ANN).get_json()
    tags = api["experts"][0]["tags"]
    assert tags, api["experts"][0]
    html = _text(demo_client.get("/search?q=who knows about sso", headers=ANN))
    first = html[html.index('class="expert-name"'):]
    first = first[:first.index("</li>")] if "</li>" in first else first
    assert "Active in" in first
    assert f'<span class="tag">{tags[0]}</span>' in first


def test_a_person_asked_as_a_topic_is_pointed_to_their_profile(demo_client: FlaskClient) -> None:
    html = _text(demo_client.get("/search?q=who knows about Lena", headers=ANN))
    note = html[html.index('class="named-person"'):]
    note = note[:note.index("</p>")]
    assert "<strong>Lena Kowalski</strong> is a person in the directory" in note
    assert '<a href="/people/u.lkowalski">see their profile</a>' in note
    assert "Who knows about “Lena”" in html  # the experts on the word are still listed below
    html = _text(demo_client.get("/search?q=who knows about priya", headers=ANN))
    note = html[html.index('class="named-person"'):]
    note = note[:note.index("</p>")]
    assert "is the name of 2 people in the directory" in note
    assert '<a href="/people/u.pnair">Priya Nair</a>' in note
    assert '<a href="/people/u.praman">Priya Raman</a>' in note
    for topic in ("kafka", "Jen Alvarez", "Lenard"):  # a topic; a customer; no one's name
        html = _text(demo_client.get(f"/search?q=who knows about {topic}", headers=ANN))
        assert "named-person" not in html, topic


def test_document_lists_each_contributor_once_with_every_role(demo_client: FlaskClient) -> None:
    html = _text(demo_client.get("/documents/wiki:sso-okta-login-loop"))
    contributors = html.split('class="contributors"', 1)[1].split("</ul>", 1)[0]
    assert contributors.count(">Hana Kim</a>") == 1
    hana = contributors.split(">Hana Kim</a>", 1)[1].split("</li>", 1)[0]
    assert ">author</span>" in hana and ">editor</span>" in hana
    assert "Owner: Hana Kim." in html  # the demo text is not broken mid-sentence


def test_document_header_names_the_source_once_and_the_last_update(
        demo_client: FlaskClient) -> None:
    header = _text(demo_client.get("/documents/wiki:sso-okta-login-loop")).split("</h1>", 1)[0]
    assert header.count(">wiki</span>") == 1  # source and kind are both "wiki"
    assert "14 Jul 2026" in header and "updated" in header and "16 Nov 2026" in header


def test_titles_that_are_links_read_as_their_host(tmp_path: Path) -> None:
    from search.models import Contribution, Document
    from tests.web.conftest import build_engine, close_app, make_app

    engine = build_engine(tmp_path / "data")
    engine.upsert([Document(
        id="slack:t1", source="slack", kind="thread",
        title="#tools: https://github.com/ayasdi/grapher/tree/main/docs", text="a graph tool",
        contributions=(Contribution("u.ann", "author"),))])
    app = make_app(engine, demo_mode=True)
    try:
        client = app.test_client()
        for url in ("/people/u.ann", "/search?q=graph+tool"):
            html = _text(client.get(url))
            assert "#tools: github.com/ayasdi/…" in html, url
            assert "https://github.com/ayasdi/grapher/tree" not in html, url
    finally:
        close_app(app)
        engine.close()
