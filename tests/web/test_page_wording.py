"""Wording and forms of the pages: the demo's labelling queue, charts, customers, date errors."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from search.wording import plural
from web.charts import Point, sentiment_chart, signed, volume_chart


def test_the_demo_queue_points_a_guest_to_view_as(demo_client: FlaskClient) -> None:
    html = demo_client.get("/sentiment/queue").get_data(as_text=True)
    assert "Sign in" not in html  # the demo has no sign-in
    notice = html.split("queue-progress", 1)[1].split("</p>", 2)[1]
    assert "pick an employee under" in notice and "View as" in notice


def test_chart_tooltips_count_one_post_in_the_singular() -> None:
    svg = str(sentiment_chart([Point("W35", 1, mean=-0.001), Point("W36", 3, mean=0.4)]))
    assert "W35: 0.00 (1 post)" in svg and "(1 posts)" not in svg
    assert "W36: +0.40 (3 posts)" in svg
    assert "1 post over 1 period;" in str(volume_chart([Point("W1", 1, 0, 1, 0)]))
    assert plural(2, "period") == "2 periods" and signed(-0.126) == "-0.13"


def test_influential_customers_label_their_mean_sentiment(demo_client: FlaskClient) -> None:
    html = demo_client.get("/search?mode=voice").get_data(as_text=True)
    customers = html.split('id="infl-title"', 1)[1].split("</section>", 1)[0]
    figures = re.findall(r"\d+ posts? ·</span> <span class=\"nowrap\">([^<]*)</span>", customers)
    assert figures, customers
    assert all(re.fullmatch(r"mean sentiment [+−]?\d\.\d\d", f) for f in figures), figures


def test_a_since_after_until_error_keeps_the_dates_to_fix(demo_client: FlaskClient) -> None:
    for extra in ("", "&mode=voice&bucket=day", "&source=wiki"):
        response = demo_client.get(f"/search?q=okta&since=2026-10-01&until=2026-09-01{extra}")
        assert response.status_code == 400, extra
        html = response.get_data(as_text=True)
        form = html.split('class="alert error"', 1)[1].split("</form>", 1)[0]
        assert 'name="since" value="2026-10-01"' in form, extra
        assert 'name="until" value="2026-09-01"' in form, extra
        assert '<input type="hidden" name="q" value="okta">' in form, extra
        for pair in extra.split("&")[1:]:  # the other choices are kept too
            name, value = pair.split("=")
            assert f'<input type="hidden" name="{name}" value="{value}">' in form, pair
    html = demo_client.get("/search?q=okta&cursor=garbage").get_data(as_text=True)
    assert 'name="since"' not in html.split('class="alert error"', 1)[1]  # no dates: no form
