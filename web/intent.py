"""Recognise which of the three questions a query asks: search, experts or customer voice."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Mode = Literal["search", "experts", "voice"]
MODES: tuple[Mode, ...] = ("search", "experts", "voice")
MODE_LABELS: dict[str, str] = {
    "search": "Documents",
    "experts": "Experts",
    "voice": "Customers",
}

_TOPIC = r"(?P<topic>.+)"
_CONNECTORS = r"about|on|with|regarding|re:?|for|in|of"
_ABOUT = rf"(?:{_CONNECTORS})?\s*"

_EXPERT_PATTERNS = [
    rf"who\s+(?:really\s+)?knows?\s+(?:anything\s+|something\s+|a\s+lot\s+|most\s+)?{_ABOUT}{_TOPIC}",
    rf"who(?:'s|\s+is|\s+are)\s+(?:an?\s+|the\s+)?(?:experts?|go-to|specialists?)\s+{_ABOUT}{_TOPIC}",
    rf"who\s+(?:can|could)\s+help\s+(?:me\s+|us\s+)?{_ABOUT}{_TOPIC}",
    rf"who\s+(?:should|can|do)\s+i\s+(?:ask|talk\s+to|contact)\s+{_ABOUT}{_TOPIC}",
    rf"who\s+(?:works|worked|wrote)\s+{_ABOUT}{_TOPIC}",
    rf"(?:find\s+(?:me\s+)?)?(?:experts|specialists)\s+{_ABOUT}{_TOPIC}",
    rf"(?:find\s+(?:me\s+)?)?(?:an?\s+)?(?:expert|specialist)\s+(?:about|on|in|for|with)\s+{_TOPIC}",
    rf"(?:who|experts?)\s*[:\-]\s*{_TOPIC}",
]

_VOICE_PATTERNS = [
    rf"what\s+(?:are|do|did|were)\s+(?:our\s+|the\s+)?(?:customers?|users|clients)\s+"
    rf"(?:saying|say|think(?:ing)?|feel(?:ing)?|tweeting|writing)\s+{_ABOUT}{_TOPIC}",
    rf"how\s+do\s+(?:our\s+|the\s+)?(?:customers?|users|clients)\s+(?:feel|think)\s+{_ABOUT}{_TOPIC}",
    rf"(?:customer|user|client)\s+(?:feedback|sentiment|complaints?|opinions?|voice)\s+{_ABOUT}{_TOPIC}",
    rf"voice\s+of\s+(?:the\s+)?customers?\s+{_ABOUT}{_TOPIC}",
    rf"(?:sentiment|complaints?|feedback)\s+{_ABOUT}{_TOPIC}",
    rf"customers\s*[:\-]?\s+{_ABOUT}{_TOPIC}",
]

# the same questions without a topic ask about every customer post
_VOICE_EVERYTHING = [
    r"what\s+(?:are|do|did|were)\s+(?:our\s+|the\s+)?(?:customers?|users|clients)\s+"
    r"(?:saying|say|think(?:ing)?|feel(?:ing)?|tweeting|writing)"
    r"(?:\s+(?:about|of)(?:\s+(?:us|anything|everything|it\s+all))?)?",
    r"how\s+do\s+(?:our\s+|the\s+)?(?:customers?|users|clients)\s+(?:feel|think)",
    r"(?:customer|user|client)\s+(?:feedback|sentiment|complaints|opinions|voice)",
    r"voice\s+of\s+(?:the\s+)?customers?",
]
ALL_POSTS = "*"  # the voice topic that means every customer post

# "/ask customers" alone asks about every post (docs/slack.md); in the search box the bare word
# stays a document search: there an empty box on the Customers tab asks about every post
_COMMAND_EVERYTHING = r"customers\s*[:\-]?"

_SEARCH_PATTERNS = [
    rf"(?:search|find|look\s+up|docs?|documents?)\s*[:\-]?\s+(?:for\s+)?{_TOPIC}",
]


@dataclass(frozen=True)
class Intent:
    """What the asker wants (``mode``), about what (``topic``), and whether a phrase said so."""

    mode: Mode
    topic: str
    recognised: bool = False


def _tidy(topic: str) -> str:
    topic = re.sub(r"\s+", " ", topic).strip()
    topic = re.sub(r"^(?:the|a|an)\s+", "", topic, flags=re.IGNORECASE)
    return topic.strip(" ?!.,;:\"'")


def _first(patterns: list[str], text: str) -> str | None:
    for pattern in patterns:
        match = re.fullmatch(pattern, text, flags=re.IGNORECASE)
        if match:
            topic = _tidy(match.group("topic"))
            # "who knows about" has no topic: "about" is not what anyone knows about
            if topic and not re.fullmatch(_CONNECTORS, topic, flags=re.IGNORECASE):
                return topic
    return None


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip().rstrip("?!. ")


def parse_intent(text: str) -> Intent:
    """Parse a free-text question into an ``Intent``; plain words mean a document search."""
    cleaned = _clean(text)
    for mode, patterns in (("experts", _EXPERT_PATTERNS), ("voice", _VOICE_PATTERNS),
                           ("search", _SEARCH_PATTERNS)):
        if mode == "voice" and any(re.fullmatch(p, cleaned, flags=re.IGNORECASE)
                                   for p in _VOICE_EVERYTHING):
            return Intent("voice", ALL_POSTS, True)
        topic = _first(patterns, cleaned)
        if topic is not None:
            return Intent(mode, topic, True)  # type: ignore[arg-type]
    return Intent("search", cleaned, False)


def parse_command(text: str) -> Intent:
    """Parse a Slack ``/ask`` text like ``parse_intent``; ``customers`` alone means every post."""
    if re.fullmatch(_COMMAND_EVERYTHING, _clean(text), flags=re.IGNORECASE):
        return Intent("voice", ALL_POSTS, True)
    return parse_intent(text)


def resolve_intent(text: str, mode: str | None) -> Intent:
    """Apply an explicit mode from a tab or select; ``auto``/empty lets the parser decide."""
    parsed = parse_intent(text)
    if mode in MODES and mode != parsed.mode:
        # An explicit choice wins over the parser; the topic it extracted is kept.
        return Intent(mode, parsed.topic, False)
    return parsed
