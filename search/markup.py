"""Escaping for text exports (CommonMark and Slack mrkdwn), so stored text renders inert.

Customer posts, titles and names are written by people outside our control: in a Markdown
export they must not become raw HTML, links or emphasis, and in Slack mrkdwn they must not become
mentions (``<!channel>``, ``<@U…>``) or links (``<http://evil|click>``).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlparse

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~!#])")
# URL characters kept as they are; everything else (spaces, <, >, |, quotes, parentheses, which
# would end a Markdown link destination) is percent-encoded
_URL_SAFE = ":/?#[]@!$&'*+,;=%~-._"


def safe_url(url: str | None) -> str | None:
    """Return ``url`` percent-encoded when it is an http(s) link with a host, else ``None``."""
    parsed = urlparse((url or "").strip())
    if parsed.scheme.lower() not in ("http", "https") or not parsed.netloc:
        return None
    return quote((url or "").strip(), safe=_URL_SAFE)


def markdown_text(text: str) -> str:
    """Escape ``text`` for CommonMark: no HTML, links, code or emphasis can come out of it."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text or "")


def markdown_link(label: str, url: str | None) -> str:
    """Return a Markdown link to an http(s) ``url``, or the escaped label alone."""
    target = safe_url(url)
    text = markdown_text(label)
    return f"[{text}]({target})" if target else text


def mrkdwn_text(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` as Slack's mrkdwn requires (no mentions, no links)."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn_link(label: str, url: str | None) -> str:
    """Return a Slack ``<url|label>`` link to an http(s) ``url``, or the escaped label alone."""
    target = safe_url(url)
    text = mrkdwn_text(label).replace("|", "¦")
    return f"<{mrkdwn_text(target).replace('|', '%7C')}|{text}>" if target else text
