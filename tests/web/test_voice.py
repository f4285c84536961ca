"""The customer-voice dashboard, the weekly digest (page, Markdown, API) on the demo corpus."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from search.config import Settings
from search.digest_week import default_week
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.models import Document, Principal
from tests.web.conftest import SSO_HEADER, close_app, make_app
from web.state import EXTENSION


def _html(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined]


def test_dashboard_shows_everything_a_voice_report_says(demo_client: FlaskClient) -> None:
    response = demo_client.get("/search?q=what are customers saying about billing")
    html = _html(response)
    assert response.status_code == 200
    assert "What customers say about “billing”" in html
    assert html.count('<svg class="chart"') == 2
    assert 'class="bar negative"' in html and 'class="line"' in html
    for heading in ("Spikes", "Themes", "Representative complaints", "Representative praise",
                    "Influential customers", "Route to", "Show the numbers"):
        assert heading in html
    assert "2026-W41" in html  # the double-charge incident week
    assert "/people/u." in html  # an internal expert to route to
    assert "Weekly digest" in html


def test_dashboard_period_and_bucket(demo_client: FlaskClient) -> None:
    html = _html(demo_client.get(
        "/search?q=billing&mode=voice&bucket=day&since=2026-10-01&until=2026-10-20"))
    assert "grouped by day" in html and "2026-10-05" in html
    bad = demo_client.get("/search?q=billing&mode=voice&since=2026-11-01&until=2026-10-01")
    assert bad.status_code == 400 and "after" in _html(bad)


def test_customers_tab_with_an_empty_box_shows_every_post(demo_client: FlaskClient) -> None:
    home = _html(demo_client.get("/"))
    assert 'href="/search?mode=voice"' in home  # "See everything customers say"
    response = demo_client.get("/voice")
    assert response.status_code == 302
    response = demo_client.get(response.headers["Location"])
    html = _html(response)
    assert response.status_code == 200
    assert "What customers say: all posts" in html and "<title>All customer posts" in html
    billing = _html(demo_client.get("/search?q=billing&mode=voice"))
    total = int(html.split('<span class="label">Posts</span><span class="value">')[1]
                .split("<")[0])
    part = int(billing.split('<span class="label">Posts</span><span class="value">')[1]
               .split("<")[0])
    assert total > part > 0  # every post, not the ones about a topic
    box = html.split('id="q"')[1].split(">")[0]
    assert 'value=""' in box or "value=" not in box  # the box stays empty
    empty = _html(demo_client.get("/search?mode=voice&since=2020-01-01&until=2020-02-01"))
    assert "No customer posts you may read in this period" in empty
    assert "socialsearch index customers" in empty
    assert 'id="hero-title"' in _html(demo_client.get("/search?mode=experts"))  # home
    asked = _html(demo_client.get("/search?q=what are customers saying"))
    assert "What customers say: all posts" in asked
    assert "Showing what customers say in all their posts." in asked
    assert "Search documents instead" not in asked


def test_dashboard_empty_state(demo_client: FlaskClient) -> None:
    html = _html(demo_client.get("/search?q=billing&mode=voice&since=2020-01-01&until=2020-02-01"))
    assert "No customer posts about" in html and "widen the period" in html
    # what customers do write about, taken from the store, each a link to its own report
    none = _html(demo_client.get("/search?q=zeppelin airships&mode=voice"))
    subjects = re.findall(r'<a href="/search\?q=([^&"]+)&amp;mode=voice">', none)
    assert "Customers you may read write most about" in none and subjects
    assert all(_html(demo_client.get(f"/search?q={s}&mode=voice")).count("No customer posts") == 0
               for s in subjects)


def test_voice_api(demo_client: FlaskClient) -> None:
    body = demo_client.get("/api/v1/voice?q=billing").get_json()
    assert body["total"] > 20 and body["bucket"] == "week"
    assert any(s["bucket"] == "2026-W41" for s in body["spikes"])
    assert body["themes"] and body["influencers"] and body["most_negative"]
    everything = demo_client.get("/api/v1/voice").get_json()
    assert everything["topic"] == "*" and everything["total"] > body["total"]
    star = demo_client.get("/api/v1/voice?q=*").get_json()
    assert {**everything, "timings_ms": None} == {**star, "timings_ms": None}
    assert demo_client.get("/api/v1/voice?q=" + "x" * 501).status_code == 400
    assert demo_client.get("/api/v1/voice?q=x&since=soon").status_code == 400


def test_a_chosen_period_is_compared_with_the_one_before(demo_client: FlaskClient) -> None:
    url = "/search?q=billing&mode=voice&since=2026-10-01&until=2026-10-30"
    page = _html(demo_client.get(url))
    assert page.count("in the 30 days before") == 3  # posts, mean score, negative share
    body = demo_client.get("/api/v1/voice?q=billing&since=2026-10-01&until=2026-10-30").get_json()
    previous = body["previous"]
    assert previous["days"] == 30 and previous["until"].startswith("2026-09-30T23:59:59")
    assert body["until"].startswith("2026-10-30T23:59:59")  # a date alone: its whole day
    assert "days before" not in _html(demo_client.get("/search?q=billing&mode=voice"))
    assert demo_client.get("/api/v1/voice?q=billing").get_json()["previous"] is None


def test_voice_posts_download_as_csv(demo_client: FlaskClient) -> None:
    import csv
    import io

    report = demo_client.get("/api/v1/voice?q=billing").get_json()
    page = _html(demo_client.get("/search?q=billing&mode=voice"))
    assert 'href="/voice.csv?q=billing"' in page and "Download the posts (CSV)" in page
    download = demo_client.get("/voice.csv?q=billing")
    assert download.mimetype == "text/csv"
    assert "attachment" in download.headers["Content-Disposition"]
    assert "customer-posts-billing-" in download.headers["Content-Disposition"]
    text = download.get_data(as_text=True)
    assert text.startswith("\ufeffid,created_at,")  # Excel reads UTF-8 only with the mark
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == report["total"]
    assert {r["id"] for r in rows} >= {p["id"] for p in report["most_negative"]}
    dates = [r["created_at"] for r in rows]
    assert dates == sorted(dates, reverse=True)
    api = demo_client.get("/api/v1/voice/posts.csv?q=billing&since=2026-10-01")
    assert api.mimetype == "text/csv" and not api.get_data(as_text=True).startswith("\ufeff")
    since = list(csv.DictReader(io.StringIO(api.get_data(as_text=True))))
    assert since and len(since) < len(rows) and all(r["created_at"] >= "2026-10" for r in since)
    assert demo_client.get("/voice.csv?q=billing&since=soon").status_code == 400
    bad = demo_client.get("/api/v1/voice/posts.csv?since=2026-10-02&until=2026-10-01")
    assert bad.status_code == 400 and "after" in bad.get_json()["error"]["message"]


def test_digest_page_markdown_and_api(demo_client: FlaskClient) -> None:
    html = _html(demo_client.get("/digest?week=2026-W41"))
    assert "Customer touch points — 2026-W41" in html
    assert "Issue" in html and "Route to" in html
    assert 'href="/digest?week=2026-W40"' in html and 'href="/digest?week=2026-W42"' in html
    md = demo_client.get("/digest.md?week=2026-W41")
    assert md.mimetype == "text/markdown"
    assert md.get_data(as_text=True).startswith("# Customer touch points — 2026-W41")
    body = demo_client.get("/api/v1/digest?week=2026-W41").get_json()
    assert body["week"] == "2026-W41" and body["touch_points"]
    assert body["touch_points"][0]["kind"] in ("issue", "win", "trend")
    assert demo_client.get("/digest?week=W41").status_code == 400
    import re

    trends = _html(demo_client.get("/digest?week=2026-W47"))
    assert re.search(r"\d+× usual|[+-]\d+% vs usual", trends)  # a trend says how much it rose


def test_default_digest_week(demo_app: Flask) -> None:
    state = demo_app.extensions[EXTENSION]
    anyone = Principal.anonymous()
    assert default_week(state.engine, anyone, datetime(2026, 11, 25, tzinfo=UTC)) == \
        "2026-W47"
    assert default_week(state.engine, anyone, datetime(2027, 6, 1, tzinfo=UTC)) == \
        "2026-W47"  # long after the newest post: the newest post's week
    # Eleven days after the newest post (20 Nov): the last full week (W48) has no post yet,
    # so the digest opens on the newest post's week rather than on an empty one.
    assert default_week(state.engine, anyone, datetime(2026, 12, 1, tzinfo=UTC)) == \
        "2026-W47"


def test_voice_needs_identity_like_everything_else(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/api/v1/voice?q=billing").status_code == 401
    assert client.get("/api/v1/digest").status_code == 401
    assert client.get("/api/v1/voice/posts.csv").status_code == 401
    assert client.get("/voice.csv").status_code == 401
    assert client.get("/digest").status_code == 401


def test_dashboard_shows_one_card_per_spiking_period(demo_client: FlaskClient) -> None:
    import re

    body = demo_client.get("/api/v1/voice?q=billing").get_json()
    buckets = [s["bucket"] for s in body["spikes"]]
    assert len(buckets) > len(set(buckets))  # volume and negativity both rose in one week
    html = _html(demo_client.get("/search?q=billing&mode=voice"))
    spikes = html[html.index('<ul class="spikes">'):]
    spikes = spikes[:spikes.index("</ul>")]
    cards = re.findall(r"<li><strong>([^<]+)</strong>", spikes)
    assert sorted(cards) == sorted(set(buckets))
    week = spikes[spikes.index("2026-W41"):]
    week = week[:week.index("</li>")]
    assert "posts, about" in week and "% negative, about" in week
    kpi = re.search(r'Spikes</span><span class="value">(\d+)<', html)
    assert kpi is not None and int(kpi.group(1)) == len(set(buckets))


def test_an_empty_digest_points_at_the_newest_posts_or_says_there_are_none(
        client: FlaskClient, tmp_path: Path) -> None:
    ann = {SSO_HEADER: "u.ann"}
    later = client.get("/digest?week=2031-W01", headers=ann).get_data(as_text=True)
    assert "No touch points in 2031-W01" in later
    assert 'href="/digest?week=2026-W10">2026-W10</a>' in later  # the newest post, 3 March 2026
    engine = SearchEngine(Settings(data_dir=str(tmp_path), embedder="hashing"),
                          embedder=HashingEmbedder())
    engine.upsert([Document(id="wiki:a", source="wiki", kind="wiki", title="A", text="a page")])
    app = make_app(engine)
    try:
        empty = app.test_client().get("/digest", headers=ann).get_data(as_text=True)
        assert "no dated customer posts you may read" in empty and "the week before" not in empty
    finally:
        close_app(app)
        engine.close()


def test_ratings_appear_where_reviews_carry_them(demo_client: FlaskClient) -> None:
    everything = _html(demo_client.get("/search?mode=voice"))
    assert "Average rating" in everything and "of 298 posts rated" in everything
    assert re.search(r"· rated \d / 5", everything)  # on a rated representative post
    body = demo_client.get("/api/v1/voice?q=*").get_json()
    assert body["ratings"]["count"] == 23 and body["ratings"]["scale"] == 5.0
