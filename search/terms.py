"""Accent-insensitive folding, word splitting and stopwords for people search, experts, profiles."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_STOPWORD_TEXT = """
a about above after again against all also am an and any are as at be because been before being
below between both but by can cannot could did do does doing done down during each either else
etc even ever every few for from further get gets getting got had has have having he her here hers
him his how however i if in into is it its itself just know like make many may me might more most
much must my need new no nor not now of off often on once one only or other our ours out over own
per please put rather really same see seem she should show since so some still such take than that
the their theirs them then there these they thing things this those though through thus to too
try two under until up upon us use used using very via want was way we well were what when where
whether which while who whom whose why will with within without would yes yet you your yours
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*[+#]*", re.UNICODE)


# Letters that carry no combining mark, so NFKD leaves them alone.
_LETTERS = str.maketrans({"ı": "i", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe",
                          "Œ": "oe", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d",
                          "Ð": "d", "þ": "th", "Þ": "th", "ħ": "h", "Ħ": "h"})


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents, so ``Zoë`` and ``zoe`` (or ``Yılmaz``) match."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_LETTERS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def words(text: str) -> list[str]:
    """Split folded ``text`` into words (keeps ``c++``, ``node.js`` and ``o'brien`` whole)."""
    return _WORD.findall(fold(text))


def stem(word: str) -> str:
    """Return a very light stem: plural ``s``/``es``/``ies`` removed from longer words."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def content_terms(text: str) -> set[str]:
    """Return the stemmed, non-stopword words of ``text`` (used to match topics and skills)."""
    return {stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1}


def skill_match(skills: Iterable[str], topic_terms: set[str]) -> tuple[float, tuple[str, ...]]:
    """Score how well declared ``skills`` cover a topic: best share of a skill's words in it.

    Returns the score in [0, 1] and the skills that matched (at least half of their words).
    """
    return skill_cover(((s, frozenset(content_terms(s))) for s in skills), topic_terms)


def skill_cover(skills: Iterable[tuple[str, frozenset[str]]], topic_terms: set[str]
                ) -> tuple[float, tuple[str, ...]]:
    """Like ``skill_match`` for skills whose content terms are already computed."""
    best = 0.0
    matched: list[str] = []
    for skill, terms in skills:
        if not terms:
            continue
        cover = len(terms & topic_terms) / len(terms)
        if cover >= 0.5:
            matched.append(skill)
            best = max(best, cover)
    return best, tuple(matched)
