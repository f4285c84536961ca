"""On a phone, theme names and their figures do not overlap on the Customers dashboard."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from search.engine import SearchEngine
from tests.browser import chromium, served

pytestmark = pytest.mark.browser

# the rendered boxes of each theme's name and figures (the text itself, not its grid cell)
THEME_BOXES = """() => [...document.querySelectorAll('.themes li')].map(li => {
  const box = el => { const r = document.createRange(); r.selectNodeContents(el);
                      const b = r.getBoundingClientRect();
                      return [b.left, b.top, b.right, b.bottom]; };
  return [box(li.querySelector('strong')), box(li.querySelector('.figures'))]; })"""


@pytest.fixture(scope="module")
def server(demo_engine: SearchEngine) -> Iterator[str]:
    """Serve the demo-mode app on a free loopback port."""
    with served(demo_engine, threads=2) as url:
        yield url


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("width", [390, 320, 1280])
def test_theme_names_do_not_overlap_their_figures(server: str, width: int) -> None:
    with chromium() as browser:
        context = browser.new_context(viewport={"width": width, "height": 844})
        tab = context.new_page()
        tab.goto(server + "/search?mode=voice")
        boxes = tab.evaluate(THEME_BOXES)
        context.close()
    assert len(boxes) >= 3, boxes
    for name, figures in boxes:
        assert not _overlap(name, figures), (width, name, figures)
