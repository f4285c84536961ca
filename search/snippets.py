"""Snippets: the densest window of a document's text around the query terms, marked up.

A cheaper stand-in for Whoosh's highlighter (which re-analyses and scores fragments of every
hit): words are found with the same tokeniser pattern, stop-word rule and Porter stemmer the
keyword index uses, only words whose first letters could match a query term are stemmed, and
one window of ``chars`` characters holding the most distinct terms is kept.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import lru_cache

from whoosh.analysis import STOP_WORDS
from whoosh.lang.porter import stem

WORD = re.compile(r"\w+(?:\.?\w+)*")  # Whoosh's default RegexTokenizer pattern
PREFIX = 2
SPACE = re.compile(r"\s+")


@lru_cache(maxsize=50_000)
def stem_word(word: str) -> str:
    """Return the index term of one lower-cased word ("" for stop words and 1-letter words)."""
    if len(word) < 2 or word in STOP_WORDS:
        return ""
    return stem(word)


def find_terms(text: str, terms: Sequence[str]) -> list[tuple[int, int, str]]:
    """Return ``(start, end, term)`` of every word of ``text`` whose stem is a query term."""
    wanted = frozenset(terms)
    if not wanted:
        return []
    prefixes = frozenset(t[:PREFIX] for t in wanted)
    found = []
    for match in WORD.finditer(text):
        word = match.group().lower()
        if word[:PREFIX] not in prefixes:
            continue
        term = stem_word(word)
        if term in wanted:
            found.append((match.start(), match.end(), term))
    return found


def best_window(found: list[tuple[int, int, str]], chars: int) -> tuple[int, int]:
    """Return the span of at most ``chars`` characters covering the most distinct terms."""
    best_score, best_span = (-1, -1), (found[0][0], found[0][1])
    right = 0
    for left, (start, _end, _term) in enumerate(found):
        right = max(right, left)
        while right + 1 < len(found) and found[right + 1][1] - start <= chars:
            right += 1
        span = found[left : right + 1]
        score = (len({t for _s, _e, t in span}), len(span))
        if score > best_score:
            best_score, best_span = score, (start, found[right][1])
    return best_span


def _window(text: str, lo: int, hi: int, chars: int) -> tuple[int, int]:
    """Widen the matched span ``lo..hi`` to about ``chars`` characters on word boundaries."""
    spare = max(0, chars - (hi - lo))
    start = max(0, lo - spare // 3)
    end = min(len(text), max(hi, start + chars))
    if start > 0:
        gap = SPACE.search(text, start, lo)
        start = gap.end() if gap else start
    if end < len(text):
        gaps = [g.start() for g in SPACE.finditer(text, hi, end)]
        end = gaps[-1] if gaps else end
    return start, end


def highlight_snippet(text: str, terms: Sequence[str], chars: int = 220) -> str:
    """Return an HTML-escaped excerpt of ``text`` with matched terms wrapped in ``<mark>``."""
    if not text:
        return ""
    found = find_terms(text, terms)
    if not found:
        plain = text[:chars].rsplit(" ", 1)[0] if len(text) > chars else text
        return html.escape(plain, quote=False) + (" …" if len(text) > chars else "")
    start, end = _window(text, *best_window(found, chars), chars)
    classes: dict[str, int] = {}
    parts = ["… "] if start > 0 else []
    cursor = start
    for m_start, m_end, term in found:
        if m_start < start or m_end > end:
            continue
        number = classes.setdefault(term, len(classes))
        parts.append(html.escape(text[cursor:m_start], quote=False))
        parts.append(f'<mark class="hl t{number}">'
                     f"{html.escape(text[m_start:m_end], quote=False)}</mark>")
        cursor = m_end
    parts.append(html.escape(text[cursor:end], quote=False))
    if end < len(text):
        parts.append(" …")
    return "".join(parts)


MARKUP = re.compile(r"<[^>]*>?")  # an unterminated tag at the end too


def plain_text(snippet: str) -> str:
    """Return a marked-up snippet as plain text (tags removed, entities decoded)."""
    return html.unescape(MARKUP.sub("", snippet or ""))


LINK = re.compile(r"\bhttps?://(?:www\.)?([^/\s?#]+)(\S*)")
LINK_SEGMENT = 20  # the first path segment is kept when it is at most this long


def short_links(text: str) -> str:
    """Shorten each web address in ``text`` to its host and first short path segment
    ("github.com/houstondatavis/…"), for labels."""
    def shorten(match: re.Match[str]) -> str:
        rest = match.group(2).rstrip("…")
        parts = [p for p in re.split(r"[?#]", rest, maxsplit=1)[0].split("/") if p]
        first = parts[0] if parts and len(parts[0]) <= LINK_SEGMENT else ""
        more = len(parts) > (1 if first else 0) or bool(re.search(r"[?#].", rest)) \
            or match.group(2).endswith("…")
        return match.group(1) + (f"/{first}" if first else "") + ("/…" if more else "")

    return LINK.sub(shorten, text)


def origin(source: str, kind: str) -> list[str]:
    """Return a document's source and kind for display, the source alone when they are equal."""
    return [source] if source == kind else [source, kind]


def own_title(title: str, text: str) -> str:
    """Return ``title``, or "" when it only repeats the start of ``text`` (a post's first line)."""
    start = " ".join(title.removesuffix("…").split())
    return "" if start and " ".join(text.split()).startswith(start) else title


LABEL_SCAN = 1000  # characters of a text read to build its label: links whole, posts entire
LABEL_TRAIL = " .,;:-–—"  # left off before the ellipsis of a cut label ("days.…")


def text_label(text: str, width: int = 80) -> str:
    """Return the start of ``text`` on one line as a label: links shortened to their host,
    whole words, at most ``width`` characters with "…" when it is cut."""
    flat = " ".join(short_links(text[:LABEL_SCAN]).split())
    if len(flat) <= width:
        return flat
    head = flat[: width - 1]
    rest = flat[width - 1 :].split(" ", 1)[0]  # what the cut leaves of the last word
    if any(c.isalnum() for c in rest) and " " in head:  # never end on part of a word
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(LABEL_TRAIL) + "…"


def doc_label(title: str, text: str, doc_id: str, width: int = 80) -> str:
    """Return a document's name: its title, or for an untitled one (a customer post) the
    start of its own text, the same for every query; its id when it has neither."""
    if title:
        return short_links(title)
    return text_label(text, width) or doc_id


def hit_label(title: str, snippet: str, doc_id: str, width: int = 80) -> str:
    """Return a hit's title, or for an untitled one its snippet cut at a word (for callers
    without the document's text); web addresses in it are shortened to their host."""
    return doc_label(title, plain_text(snippet), doc_id, width)
