"""Re-sanitise engine snippets: escape everything, then re-allow only ``<mark class="...">``."""

from __future__ import annotations

import html
import re

from markupsafe import Markup

from search.snippets import plain_text

_TAG = re.compile(r"<[^>]*>?")
_OPEN_MARK = re.compile(r'<mark(?:\s+class="([A-Za-z0-9 _-]{0,64})")?\s*>')
_CLOSE_MARK = re.compile(r"</mark\s*>")


def _text(segment: str) -> str:
    # The engine escapes text already; unescape first so nothing is double-escaped.
    return html.escape(html.unescape(segment), quote=False)


def clean_snippet(snippet: str) -> str:
    """Return ``snippet`` as safe HTML in which only balanced ``<mark>`` tags survive."""
    out: list[str] = []
    depth = 0
    pos = 0
    for match in _TAG.finditer(snippet or ""):
        out.append(_text(snippet[pos:match.start()]))
        tag = match.group(0)
        opener = _OPEN_MARK.fullmatch(tag)
        if opener and depth == 0:
            classes = " ".join(opener.group(1).split()) if opener.group(1) else "hl"
            out.append(f'<mark class="{classes}">')
            depth = 1
        elif _CLOSE_MARK.fullmatch(tag) and depth == 1:
            out.append("</mark>")
            depth = 0
        elif not (opener or _CLOSE_MARK.fullmatch(tag)):
            out.append(_text(tag))
        pos = match.end()
    out.append(_text(snippet[pos:]))
    if depth:
        out.append("</mark>")
    return "".join(out)


def safe_snippet(snippet: str) -> Markup:
    """Return a cleaned snippet marked safe for Jinja (the only place ``Markup`` is built)."""
    return Markup(clean_snippet(snippet))


def plain_snippet(snippet: str) -> str:
    """Return a snippet as plain text (tags removed, entities decoded)."""
    return plain_text(snippet)


def slack_escape(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` as Slack's mrkdwn and plain_text require."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
