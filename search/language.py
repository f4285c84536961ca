"""Is a customer post English? Common English words first, then a language identifier."""

from __future__ import annotations

from functools import cache, lru_cache

from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from search.phrases import MENTION, URL, WORD

ENGLISH_HINTS = frozenset({
    "the", "and", "is", "are", "was", "to", "of", "it", "this", "that", "my", "for", "not", "you",
    "have", "with", "on", "but", "be", "at", "so", "can"
})
# A post is foreign only when the identifier gives English less than this probability. Short
# English posts ("Good quality, great sound quality") are often *labelled* Frisian, Latin or
# Pidgin; of the airline tweets and Alexa reviews, none in English scored below 0.003 and all
# but one Spanish review below 0.0001 (the one left, four words long, 0.0014).
MAX_ENGLISH_PROBABILITY = 0.001


@cache
def _identifier() -> LanguageIdentifier:
    """Load py3langid's bundled model once per process (about half a second)."""
    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def _words(text: str) -> list[str]:
    return WORD.findall(URL.sub(" ", MENTION.sub(" ", text or "")))


def _hinted(words: list[str]) -> bool:
    if len(words) < 4:
        return True
    return sum(1 for w in words if w.lower() in ENGLISH_HINTS) / len(words) >= 0.08


def has_english_hints(text: str) -> bool:
    """Tell whether a text is short or holds common English words (the first, cheap check)."""
    return _hinted(_words(text))


@lru_cache(maxsize=65536)
def looks_english(text: str) -> bool:
    """Guess whether a text is English (short or wordless texts count as English)."""
    words = _words(text)
    if _hinted(words):
        return True
    probabilities = dict(_identifier().rank(" ".join(words)))
    return probabilities.get("en", 1.0) >= MAX_ENGLISH_PROBABILITY
