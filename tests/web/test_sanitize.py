"""Snippets are re-sanitised: only <mark class="..."> survives; Slack text is escaped."""

from __future__ import annotations

import pytest

from web.sanitize import clean_snippet, plain_snippet, safe_snippet, slack_escape


def test_engine_snippet_round_trips() -> None:
    snippet = 'When <mark class="hl t0">consumer</mark> lag &lt;grows&gt; &amp; more'
    assert clean_snippet(snippet) == snippet


@pytest.mark.parametrize("evil", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<mark onclick="alert(1)">x</mark>',
    '<mark class="a" style="x">x</mark>',
    '<mark class="&quot;><script>">x</mark>',
    "<svg/onload=alert(1)>",
    "<scr<script>ipt>alert(1)</script>",
    "text <a href='javascript:alert(1)'>link</a>",
    "<mark",
])
def test_no_tag_but_mark_survives(evil: str) -> None:
    out = clean_snippet(evil)
    without_marks = out.replace('<mark class="hl">', "").replace("</mark>", "")
    assert "<" not in without_marks.replace("&lt;", "")
    assert "onerror=" not in out or "&lt;" in out
    assert "<script" not in out and "<img" not in out and "<a " not in out


def test_marks_are_balanced_and_not_nested() -> None:
    assert clean_snippet("<mark>a") == '<mark class="hl">a</mark>'
    assert clean_snippet("a</mark>b") == "ab"
    assert clean_snippet('<mark class="x"><mark class="y">a</mark></mark>') == \
        '<mark class="x">a</mark>'


def test_entities_are_not_double_escaped_and_text_tags_stay_text() -> None:
    assert clean_snippet("&lt;mark&gt;x&lt;/mark&gt;") == "&lt;mark&gt;x&lt;/mark&gt;"
    assert clean_snippet("R&D &amp; ops") == "R&amp;D &amp; ops"
    assert str(safe_snippet("<b>x</b>")) == "&lt;b&gt;x&lt;/b&gt;"


def test_plain_and_slack() -> None:
    assert plain_snippet('a <mark class="hl">b</mark> &amp; c') == "a b & c"
    assert slack_escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"
