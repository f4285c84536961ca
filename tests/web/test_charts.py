"""Server-side SVG charts: well-formed, labelled, escaped, and sane when empty."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from web.charts import Point, sentiment_chart, volume_chart

NS = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_volume_chart_stacks_sentiments_and_marks_spikes() -> None:
    points = [Point("W40", 4, 1, 2, 1), Point("W41", 12, 2, 2, 8, spike=True),
              Point("W42", 0)]
    root = _parse(str(volume_chart(points)))
    assert root.get("role") == "img"
    assert root.find(f"{NS}title") is not None and root.find(f"{NS}desc") is not None
    rects = root.findall(f".//{NS}rect")
    assert len(rects) == 6
    assert any("Spike" in (t.text or "") for t in root.iter(f"{NS}title"))
    assert "12" in (root.find(f"{NS}desc").text or "")  # type: ignore[union-attr]


def test_sentiment_chart_has_a_line_and_a_zero_axis() -> None:
    points = [Point("a", 3, mean=0.5), Point("b", 0), Point("c", 5, mean=-0.4)]
    root = _parse(str(sentiment_chart(points)))
    assert root.find(f".//{NS}path") is not None
    assert len(root.findall(f".//{NS}circle")) == 2


def test_labels_are_escaped_and_empty_series_say_so() -> None:
    svg = str(volume_chart([Point("<b>&", 2, 1, 1, 0)]))
    assert "<b>" not in svg and "&lt;b&gt;&amp;" in svg
    _parse(svg)
    assert "No posts" in str(volume_chart([]))
    assert "No posts" in str(sentiment_chart([Point("x", 0)]))


def test_the_sentiment_line_breaks_at_periods_without_posts() -> None:
    points = [Point("a", 3, mean=0.5), Point("b", 2, mean=0.1), Point("c", 0),
              Point("d", 5, mean=-0.4), Point("e", 1, mean=-0.2)]
    path = _parse(str(sentiment_chart(points))).find(f".//{NS}path")
    assert path is not None
    steps = (path.get("d") or "").split()
    assert [s[0] for s in steps] == ["M", "L", "M", "L"]  # a-b, then d-e: nothing bridges c
