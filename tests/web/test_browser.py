"""End-to-end in headless Chromium: what a user sees on the three main pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from search.engine import SearchEngine
from tests.browser import chromium, served

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Debian chromium driven by Playwright (skips when chromium is missing)."""
    with chromium() as instance:
        yield instance


@pytest.fixture(scope="module")
def server(demo_engine: SearchEngine) -> Iterator[str]:
    """Serve the demo-mode app with waitress on a free loopback port."""
    with served(demo_engine, threads=4) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page whose console errors (CSP violations, script errors) fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    expected = "Failed to load resource: the server responded with a status of 4"
    tab.on("console", lambda msg: errors.append(msg.text)
           if msg.type == "error" and not msg.text.startswith(expected) else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, errors


def test_search_from_the_home_page_with_the_keyboard(page: Any, server: str) -> None:
    page.goto(server + "/")
    assert "Demo mode" in page.inner_text(".demo-banner")
    box = page.get_by_label("Search, ask who knows about something, or ask what customers say")
    box.fill("invoice refund")
    box.press("Enter")
    page.wait_for_selector("ol.hits li.hit")
    assert "results" in page.inner_text("#results-title")
    assert page.locator("ol.hits mark").count() > 0
    assert page.locator(".facet-link").count() > 0
    first_title = page.locator(".hit-title a").first.inner_text()
    page.locator(".facet-link", has_text="wiki").first.click()
    page.wait_for_selector(".chips")
    assert "source: wiki" in page.inner_text(".chips") or "kind: wiki" in page.inner_text(".chips")
    page.get_by_role("link", name="Clear all").click()
    page.wait_for_selector("ol.hits")
    assert page.locator(".hit-title a").first.inner_text() == first_title
    page.locator("details.explain summary").first.click()
    assert "Keyword (BM25)" in page.locator("details.explain").first.inner_text()
    page.get_by_role("link", name="Next →").click()
    page.wait_for_selector("ol.hits[start='11']")


def test_the_demo_can_be_viewed_as_an_employee(page: Any, server: str) -> None:
    page.goto(server + "/search?q=halcyon")
    assert "Halcyon" not in page.inner_text("main")  # an exec-only project
    page.get_by_label("View as").select_option("u.dokafor")
    page.get_by_role("button", name="Switch").click()
    page.wait_for_selector("ol.hits li.hit")
    assert "halcyon" in page.url  # back on the same page, now as the CTO
    assert "Daniel Okafor" in page.inner_text(".whoami")
    assert "Halcyon" in page.inner_text("ol.hits")
    page.get_by_label("View as").select_option("")
    page.get_by_role("button", name="Switch").click()
    page.wait_for_selector("#results-title")
    assert "Halcyon" not in page.inner_text("main")
    assert "Guest" in page.inner_text(".whoami")


def test_did_you_mean_and_tabs(page: Any, server: str) -> None:
    page.goto(server + "/search?q=invoise")
    page.get_by_text("Did you mean").wait_for()
    page.locator(".suggestion a").click()
    page.wait_for_selector("ol.hits")
    assert "“invoice”" in page.inner_text("#results-title")
    page.get_by_role("link", name="Experts").click()
    page.wait_for_selector("#experts-title")
    assert "invoice" in page.inner_text("#experts-title")


def test_experts_and_a_person_page(page: Any, server: str) -> None:
    page.goto(server + "/")
    page.fill("#q", "who knows about SSO")
    page.click("form:has(#q) button[type=submit]")
    page.wait_for_selector(".expert-list .expert")
    assert "Showing people who know about" in page.inner_text(".intent-note")
    assert page.locator(".expert .evidence li").count() > 0
    name = page.locator(".expert-name a").first.inner_text()
    page.locator(".expert-name a").first.click()
    page.wait_for_selector(".profile h1")
    assert page.inner_text(".profile h1") == name
    for heading in ("Known for", "Top contributions", "Colleagues"):
        assert page.get_by_role("heading", name=heading).is_visible()
    assert page.locator(".work li").count() > 0


def test_voice_dashboard(page: Any, server: str) -> None:
    page.goto(server + "/")
    page.fill("#q", "what are customers saying about billing")
    page.keyboard.press("Enter")
    page.wait_for_selector("#voice-title")
    assert "billing" in page.inner_text("#voice-title")
    assert page.locator("svg.chart").count() == 2
    assert page.locator("svg.chart rect.bar").count() > 0
    assert page.locator("svg.chart path.line").count() == 1
    for heading in ("Spikes", "Themes", "Representative complaints", "Influential customers",
                    "Route to"):
        assert page.get_by_role("heading", name=heading).is_visible()
    assert page.locator(".spikes li").count() > 0
    page.get_by_text("Show the numbers").click()
    assert page.locator(".data-table tbody tr").count() > 3
    page.select_option("#v-bucket", "day")
    page.click(".voice-controls button")
    page.wait_for_url("**bucket=day**")
    assert "grouped by day" in page.inner_text(".voice-head")


# How many pixels the search box's placeholder is wider than the room inside the box (the
# input's scrollWidth ignores the placeholder, so it is measured in the input's own font).
PLACEHOLDER_OVERFLOW = """() => { const box = document.querySelector('#q');
  const style = getComputedStyle(box);
  const ctx = document.createElement('canvas').getContext('2d'); ctx.font = style.font;
  const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return ctx.measureText(box.placeholder).width - room; }"""


@pytest.mark.parametrize("width", [390, 320])  # a current phone and the smallest one in use
def test_pages_fit_a_phone_screen(browser: Any, server: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 844})
    try:
        tab = context.new_page()
        for path in ("/", "/search?q=billing", "/search?q=billing&mode=voice",
                     "/search?q=who+knows+sso", "/people/u.lkowalski", "/sentiment/queue",
                     "/search?mode=voice", "/digest"):
            tab.goto(server + path)
            overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (path, overflow)
            clipped = tab.evaluate(PLACEHOLDER_OVERFLOW)  # the big home box and the top bar's
            assert clipped <= 0, (path, clipped)
        tab.goto(server + "/search?q=who+knows+sso")  # the score sits below, not beside, the name
        width = tab.evaluate("document.querySelector('.expert-id').getBoundingClientRect().width")
        assert width >= 190, width
        for bucket in ("week", "day"):  # the numbers behind the chart, opened on a phone
            tab.goto(server + f"/search?q=billing&mode=voice&bucket={bucket}")
            tab.get_by_text("Show the numbers").click()
            assert tab.locator(".data-table tbody tr").count() > 3
            overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (bucket, overflow)
    finally:
        context.close()


def test_errors_are_friendly_in_the_browser(page: Any, server: str) -> None:
    page.goto(server + "/people/nobody-here")
    assert "We couldn’t find that" in page.inner_text("h1")
    page.goto(server + "/search?q=%21%21%21")
    assert "type a few words" in page.inner_text(".alert")
