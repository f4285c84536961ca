"""In headless Chromium, pages full of stored payloads run none of them — even without the CSP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from search.engine import SearchEngine
from tests.browser import chromium, served
from tests.security import hostile
from tests.security.corpus import WEEK
from tests.web.conftest import SSO_HEADER

PAGES = ["/search?q=kafka+consumer+notes&explain=1", "/search?q=kafka&mode=experts",
         "/search?q=billing&mode=voice", "/people/u.mallory", "/documents/wiki:xss-title",
         "/documents/slack:xss-thread", f"/digest?week={WEEK}",
         "/search?q=" + quote(hostile.SCRIPT)]
# fire every handler an attribute could have smuggled in, then report what ran
PROBE = """() => {
  for (const el of document.querySelectorAll('*')) {
    for (const type of ['mouseover', 'click', 'focus', 'error', 'load']) {
      el.dispatchEvent(new Event(type, {bubbles: false, cancelable: true}));
    }
  }
  return {xss: window.__xss === undefined ? null : window.__xss, title: document.title};
}"""

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless chromium through Playwright (skips when it is missing)."""
    with chromium() as instance:
        yield instance


@pytest.fixture(scope="module")
def server(hostile_engine: SearchEngine) -> Iterator[str]:
    """The hostile corpus served by waitress on a loopback port."""
    with served(hostile_engine, threads=2) as url:
        yield url


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A browser context with the CSP switched off, so only escaping stands in the way."""
    ctx = browser.new_context(bypass_csp=True, extra_http_headers={SSO_HEADER: "u.reader"})
    yield ctx
    ctx.close()


def test_probe_detects_a_running_payload(context: Any) -> None:
    """The positive control: the same payload, injected raw, does run and is caught."""
    page = context.new_page()
    page.set_content(f"<html><head><title>ok</title></head><body>{hostile.IMG}</body></html>")
    page.wait_for_function("() => window.__xss !== undefined", timeout=10_000)
    assert page.evaluate(PROBE) == {"xss": 2, "title": "pwned"}


@pytest.mark.parametrize("path", PAGES)
def test_hostile_pages_run_no_payload(context: Any, server: str, path: str) -> None:
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    response = page.goto(server + path)
    assert response is not None and response.status in (200, 404)
    page.wait_for_load_state("load")
    page.mouse.move(400, 300)
    result = page.evaluate(PROBE)
    assert result["xss"] is None, f"a payload ran on {path}"
    assert result["title"] != "pwned" and not dialogs
    assert "window.__xss" in page.inner_text("body") or path.startswith("/search?q=billing")
