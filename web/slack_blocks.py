"""Block Kit replies for the slash command; every piece of user text is escaped (&, <, >)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote, urlparse

from search.experts import Expert
from search.models import Hit, Person
from search.people import PersonMatch
from search.snippets import hit_label as label_of
from search.snippets import origin
from web.sanitize import clean_snippet, slack_escape

MAX_TEXT = 2900  # section text is limited to 3000 characters
# Block Kit button limits (Slack's button element reference): value 2000, url 3000 characters
MAX_BUTTON_VALUE = 2000
MAX_BUTTON_URL = 3000
MAX_TOPIC = 500  # the longest question the web page and a shared answer use
SHARE_ACTION = "share_to_channel"
HELP_TEXT = (
    "*Ask socialsearch* — answers use only what you may read.\n"
    "• `/ask onboarding checklist` — search documents, threads and Q&A\n"
    "• `/ask who knows kafka` — find the people who know a topic, with their evidence\n"
    "• `/ask customers billing` — what customers are saying: sentiment, themes, spikes "
    "(`/ask customers` alone: every post)\n"
    "• `/ask people ann` — look someone up in the directory\n"
    "• `/ask help` — this message\n"
    "Replies are visible only to you; use *Share to channel* to post them "
    "(shared answers show only what everyone may read)."
)


def esc(text: str) -> str:
    """Escape user text for mrkdwn or plain_text."""
    return slack_escape(text)


def _units(text: str) -> int:
    """Return the length of ``text`` in UTF-16 code units, which is never less than Slack's."""
    return len(text.encode("utf-16-le")) // 2


def _fit(text: str, limit: int, cost: Callable[[str], int]) -> str:
    """Return the longest prefix of ``text`` whose characters cost at most ``limit`` in all."""
    used = 0
    for i, char in enumerate(text):
        used += cost(char)
        if used > limit:
            return text[:i]
    return text


def _clip(text: str, limit: int = MAX_TEXT) -> str:
    """Shorten ``text`` to ``limit`` UTF-16 units (at a space near the end if there is one)."""
    if _units(text) <= limit:
        return text
    cut = _fit(text, limit - 1, _units)
    head, space, tail = cut.rpartition(" ")
    cut = head if space and len(tail) <= 100 else cut
    return re.sub(r"&[a-z]*$", "", cut) + "…"  # never half an &amp; escape


def snippet_mrkdwn(snippet: str, limit: int = 300) -> str:
    """Turn an engine snippet into escaped mrkdwn with matches in bold."""
    cleaned = clean_snippet(snippet)
    parts = re.split(r"(<mark[^>]*>.*?</mark>)", cleaned)
    out = []
    for part in parts:
        inner = re.fullmatch(r"<mark[^>]*>(.*?)</mark>", part)
        text = html.unescape(re.sub(r"<[^>]+>", "", inner.group(1) if inner else part))
        text = esc(text).replace("*", "∗")
        out.append(f"*{text.strip()}*" if inner and text.strip() else text)
    return _clip(re.sub(r"\s+", " ", "".join(out)).strip(), limit)


def link(url: str | None, label: str) -> str:
    """Return a mrkdwn link for http(s) URLs, or the escaped label alone."""
    text = esc(label).replace("|", "¦") or "(untitled)"
    parsed = urlparse(url or "")
    if parsed.scheme in ("http", "https") and parsed.netloc:
        return f"<{esc(url or '')}|{text}>"
    return f"*{text}*"


def hit_label(hit: Hit, width: int = 80) -> str:
    """Return a hit's name as the web page shows it: its title, or the start of its own text."""
    return hit.label or label_of(hit.title, hit.snippet, hit.doc_id, width)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _clip(text)}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _clip(text, 1900)}]}


def _json_units(char: str) -> int:
    """Return how many UTF-16 code units ``char`` takes inside a JSON string."""
    return _units(json.dumps(char, ensure_ascii=False)) - 2


def share_value(mode: str, topic: str) -> str:
    """Return the share button's value: the mode and question as JSON, within Slack's limit."""
    def dump(question: str) -> str:
        return json.dumps({"m": mode, "q": question}, ensure_ascii=False, separators=(",", ":"))

    room = MAX_BUTTON_VALUE - _units(dump(""))
    return dump(_fit(topic[:MAX_TOPIC], room, _json_units))


def _actions(mode: str, topic: str, open_url: str | None) -> dict[str, Any]:
    elements: list[dict[str, Any]] = [{
        "type": "button", "action_id": SHARE_ACTION, "style": "primary",
        "text": {"type": "plain_text", "text": "Share to channel"},
        "value": share_value(mode, topic),
    }]
    if open_url:
        elements.append({"type": "button", "action_id": "open_in_socialsearch",
                         "text": {"type": "plain_text", "text": "Open in socialsearch"},
                         "url": open_url})
    return {"type": "actions", "elements": elements}


def reply(blocks: list[dict[str, Any]], text: str, shared: bool = False) -> dict[str, Any]:
    """Wrap blocks in a message: ephemeral unless it is shared to the channel."""
    return {"response_type": "in_channel" if shared else "ephemeral",
            "text": _clip(text, 3000), "blocks": blocks[:50]}


def help_message() -> dict[str, Any]:
    """Return the help text as an ephemeral message."""
    return reply([_section(HELP_TEXT)], "How to use /ask")


def error_message(message: str) -> dict[str, Any]:
    """Return an ephemeral error message."""
    return reply([_section(f":warning: {esc(message)}")], message)


def search_url(base: str | None, mode: str, topic: str) -> str | None:
    """Return a link to the web page for this question (within Slack's URL limit), if known."""
    if not base:
        return None
    start = f"{base.rstrip('/')}/search?mode={mode}&q="
    room = MAX_BUTTON_URL - _units(start)
    if room <= 0:
        return None
    return start + quote(_fit(topic[:MAX_TOPIC], room, lambda char: len(quote(char))))


def _footer(blocks: list[dict[str, Any]], mode: str, topic: str, base: str | None,
            shared: bool, note: str | None) -> None:
    if note:
        blocks.append(_context(esc(note)))
    if not shared:
        blocks.append(_actions(mode, topic, search_url(base, mode, topic)))


def search_message(topic: str, hits: Sequence[Hit], total: int, base: str | None = None,
                   shared: bool = False, note: str | None = None,
                   header: str = "", hint: str | None = None) -> dict[str, Any]:
    """Return the reply to a document search."""
    blocks = [_section(f"{header}*Search:* {esc(topic)} — {total} result"
                       f"{'' if total == 1 else 's'}")]
    if not hits:
        blocks.append(_section("Nothing you can read matches. Try fewer or different words."))
    elif hint:
        blocks.append(_context(esc(hint)))
    for hit in hits[:5]:
        url = hit.url if urlparse(hit.url or "").scheme in ("http", "https") else (
            f"{base.rstrip('/')}/documents/{quote(hit.doc_id)}" if base else None)
        blocks.append(_section(f"{link(url, hit_label(hit))}\n"
                               f"{snippet_mrkdwn(hit.snippet)}"))
        when = f" · {hit.created_at:%d %b %Y}" if hit.created_at else ""
        blocks.append(_context(f"{esc(' · '.join(origin(hit.source, hit.kind)))}{when}"))
    _footer(blocks, "search", topic, base, shared, note)
    return reply(blocks, f"Search results for {topic}", shared)


def _person_line(person: Person, base: str | None) -> str:
    """Return a person's linked name with their title and department."""
    url = f"{base.rstrip('/')}/people/{quote(person.id)}" if base else None
    role = esc(person.role(", "))
    return f"{link(url, person.name)}{' — ' + role if role else ''}"


def experts_message(topic: str, experts: Sequence[Expert], base: str | None = None,
                    shared: bool = False, note: str | None = None, header: str = "",
                    named: Sequence[Person] = ()) -> dict[str, Any]:
    """Return the reply to "who knows about X" (saying first when X names a directory person)."""
    blocks = [_section(f"{header}*Who knows about* {esc(topic)}")]
    if named:
        blocks.append(_section(_named_line(topic, named, base)))
    if not experts:
        blocks.append(_section("No one stands out for this topic in what you can read."))
    for expert in experts[:5]:
        lines = [_person_line(expert.person, base)]
        if expert.matched_skills:
            lines.append("Skills: " + ", ".join(esc(s) for s in expert.matched_skills))
        if expert.tags:
            lines.append("Active in: " + ", ".join(esc(tag) for tag in expert.tags[:5]))
        for ev in expert.evidence[:3]:
            lines.append(f"• {link(ev.url, ev.title or ev.doc_id)} ({esc(ev.role)})")
        blocks.append(_section("\n".join(lines)))
    _footer(blocks, "experts", topic, base, shared, note)
    return reply(blocks, f"Experts on {topic}", shared)


def _named_line(topic: str, named: Sequence[Person], base: str | None) -> str:
    """Return the line saying the topic is a directory person (or several), linked."""
    if len(named) == 1:
        person = named[0]
        url = f"{base.rstrip('/')}/people/{quote(person.id)}" if base else None
        return (f":bust_in_silhouette: {link(url, person.name)} ({esc(person.id)}) is a person "
                "in the directory — see their profile. Below: who knows about the word.")
    people = "\n".join(f"• {_person_line(p, base)}" for p in named[:8])
    return (f":busts_in_silhouette: “{esc(topic)}” is the name of {len(named)} people in the "
            f"directory — see their profiles:\n{people}\nBelow: who knows about the word.")


def people_message(query: str, people: Sequence[PersonMatch], base: str | None = None,
                   shared: bool = False, note: str | None = None,
                   header: str = "") -> dict[str, Any]:
    """Return the reply to a directory lookup."""
    blocks = [_section(f"{header}*People matching* {esc(query)}")]
    if not people:
        blocks.append(_section("No one in the directory matches."))
    for match in people[:8]:
        blocks.append(_section(_person_line(match.person, base)))
    _footer(blocks, "people", query, base, shared, note)
    return reply(blocks, f"People matching {query}", shared)


def voice_message(topic: str, report: dict[str, Any], base: str | None = None,
                  shared: bool = False, note: str | None = None,
                  header: str = "") -> dict[str, Any]:
    """Return the reply to "what are customers saying about Y" from a voice report dict."""
    from web.voice_service import summary_lines

    everything = topic.strip() in ("", "*")
    title = "*What customers say:* all posts" if everything else \
        f"*What customers say about* {esc(topic)}"
    blocks = [_section(f"{header}{title}")]
    blocks += [_section(line) for line in summary_lines(report, esc, link)]
    _footer(blocks, "voice", topic, base, shared, note)
    return reply(blocks, "Customer voice on all posts" if everything else
                 f"Customer voice on {topic}", shared)
