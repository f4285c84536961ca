"""Slack message markup (``mrkdwn``) to plain text, with mentions resolved to names."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

_ANGLE = re.compile(r"<([^<>\n]*)>")
_USER_REF = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")
_SPECIAL = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}


def mentioned_users(text: str) -> list[str]:
    """Return the user ids mentioned as ``<@U123>`` or ``<@U123|name>``, in order, once each."""
    return list(dict.fromkeys(_USER_REF.findall(text or "")))


def clean_mrkdwn(text: str, names: Mapping[str, str] | None = None,
                 channels: Mapping[str, str] | None = None) -> str:
    """Turn Slack markup into readable text: mentions become ``@Name``, links their labels."""
    names = names or {}
    channels = channels or {}

    def replace(match: re.Match[str]) -> str:
        body = match.group(1)
        target, _, label = body.partition("|")
        if target.startswith("@"):
            uid = target[1:]
            return "@" + (names.get(uid) or label or uid)
        if target.startswith("#"):
            cid = target[1:]
            return "#" + (label or channels.get(cid) or cid)
        if target.startswith("!"):
            word = target[1:].split("^", 1)[0]
            if word in _SPECIAL:
                return _SPECIAL[word]
            return label or ("@" + word)
        if label:
            return label
        return target[7:] if target.startswith("mailto:") else target

    return html.unescape(_ANGLE.sub(replace, text or "")).strip()
