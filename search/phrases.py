"""Key phrases of short customer texts: tokens, n-grams and weighted log-odds between groups."""

from __future__ import annotations

import html
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

STOPWORDS = frozenset({
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "aren't", "as", "at", "be", "because", "been", "before", "being", "below", "between",
    "both", "but", "by", "can", "can't", "cannot", "could", "couldn't", "did", "didn't", "do",
    "does", "doesn't", "doing", "don't", "down", "during", "each", "even", "ever", "every", "few",
    "for", "from", "further", "get", "gets", "got", "had", "hadn't", "has", "hasn't", "have",
    "haven't", "having", "he", "he'd", "he'll", "he's", "her", "here", "here's", "hers", "herself",
    "him", "himself", "his", "how", "how's", "i", "i'd", "i'll", "i'm", "i've", "if", "in", "into",
    "is", "isn't", "it", "it's", "its", "itself", "just", "let's", "like", "me", "more", "most",
    "much", "must", "mustn't", "my", "myself", "no", "nor", "not", "now", "of", "off", "on",
    "once", "one", "only", "or", "other", "ought", "our", "ours", "ourselves", "out", "over",
    "own", "really", "same", "shan't", "she", "she'd", "she'll", "she's", "should", "shouldn't",
    "so", "some", "still", "such", "than", "that", "that's", "the", "their", "theirs", "them",
    "themselves", "then", "there", "there's", "these", "they", "they'd", "they'll", "they're",
    "they've", "this", "those", "through", "to", "too", "under", "until", "up", "us", "very",
    "via", "was", "wasn't", "we", "we'd", "we'll", "we're", "we've", "were", "weren't", "what",
    "what's", "when", "when's", "where", "where's", "which", "while", "who", "who's", "whom",
    "why", "why's", "will", "with", "won't", "would", "wouldn't", "you", "you'd", "you'll",
    "you're", "you've", "your", "yours", "yourself", "yourselves", "im", "dont", "cant", "didnt",
    "doesnt", "ive", "youre", "thats", "isnt", "wont", "rt", "amp", "u", "ur", "pls", "plz", "yes",
    "ok", "okay", "oh", "yeah", "hi", "hey", "thanks", "thank", "lol", "going", "go", "know",
    "need", "want", "make", "made", "day", "today", "time", "way", "well", "back", "see",
    "say", "said", "says", "another",
    # greetings and sign-offs of support messages: the same in every ticket, never a topic
    "hello", "hiya", "greetings", "dear", "please", "advance", "hope", "regards", "cheers",
    "sincerely", "best", "wishes"
})
URL = re.compile(r"https?://\S+|www\.\S+")
MENTION = re.compile(r"(?<!\w)[@#](\w+)")
WORD = re.compile(r"[^\W\d_](?:[\w']*[^\W_])?", re.UNICODE)


def _words(text: str, keep_hashtags: bool) -> list[str | None]:
    """Return words in order, with ``None`` where a stop word or short word was dropped."""
    text = URL.sub(" . ", html.unescape(text or ""))
    text = MENTION.sub(lambda m: f" {m.group(1)} " if keep_hashtags and m.group(0)[0] == "#"
                       else " . ", text)
    out: list[str | None] = []
    for match in re.finditer(r"[^\W\d_](?:[\w']*[^\W_])?|\d[\w.,:]*|[.!?;:,()\[\]\n]", text):
        word = match.group(0).lower().strip("'")
        keep = len(word) > 1 and word not in STOPWORDS and word[0].isalpha()
        out.append(word if keep else None)
    return out


def tokens(text: str, keep_hashtags: bool = True) -> list[str]:
    """Return lower-cased word tokens without URLs, @mentions, numbers or stop words."""
    return [w for w in _words(text, keep_hashtags) if w is not None]


def ngrams(words: Sequence[str | None], max_n: int = 2) -> list[str]:
    """Return unigrams and n-grams (up to ``max_n``) of adjacent kept words (``None`` breaks)."""
    out = [w for w in words if w is not None]
    for n in range(2, max_n + 1):
        for i in range(len(words) - n + 1):
            window = words[i : i + n]
            if all(w is not None for w in window) and len(set(window)) == n:
                out.append(" ".join(w for w in window if w is not None))
    return out


@lru_cache(maxsize=65536)
def _terms(text: str, max_n: int) -> frozenset[str]:
    return frozenset(ngrams(_words(text, True), max_n))


def doc_terms(text: str, max_n: int = 2, exclude: Iterable[str] = ()) -> set[str]:
    """Return the distinct terms (uni- and bigrams) of one text, minus ``exclude``."""
    skip = set(exclude)
    terms = _terms(text or "", max_n)
    return {g for g in terms if not (set(g.split()) & skip)} if skip else set(terms)


def document_frequencies(texts: Iterable[str], max_n: int = 2,
                         exclude: Iterable[str] = ()) -> Counter[str]:
    """Count in how many texts each term occurs (each text counts once per term)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(_terms(text or "", max_n))
    return without(counts, exclude)


def without(counts: Counter[str], exclude: Iterable[str]) -> Counter[str]:
    """Return ``counts`` without the terms that contain an excluded word."""
    skip = set(exclude)
    if not skip:
        return counts
    return Counter({t: c for t, c in counts.items() if not (set(t.split()) & skip)})


def log_odds(foreground: Counter[str], background: Counter[str], fg_total: int, bg_total: int,
             prior: float = 0.5) -> dict[str, float]:
    """Return the z-scored log-odds ratio of each term, foreground vs background.

    Counts are per document; the prior smooths both groups by ``prior`` pseudo-documents
    scaled by the term's pooled frequency (Monroe, Colaresi & Quinn's informative Dirichlet prior).
    """
    pooled_total = max(1, fg_total + bg_total)
    scores: dict[str, float] = {}
    for term, fg in foreground.items():
        bg = background.get(term, 0)
        alpha = prior * 10 * (fg + bg) / pooled_total + 0.01
        fg_odds = (fg + alpha) / max(1e-9, fg_total - fg + alpha)
        bg_odds = (bg + alpha) / max(1e-9, bg_total - bg + alpha)
        delta = math.log(fg_odds) - math.log(bg_odds)
        variance = 1 / (fg + alpha) + 1 / (bg + alpha)
        scores[term] = delta / math.sqrt(variance)
    return scores


def distinctive_phrases(fg_texts: Sequence[str], bg_texts: Sequence[str], top: int = 5,
                        min_docs: int = 2, exclude: Iterable[str] = (),
                        min_z: float = 1.0) -> list[tuple[str, float]]:
    """Return the ``top`` terms most over-represented in ``fg_texts`` against ``bg_texts``."""
    skip = list(exclude)
    return distinctive_terms(document_frequencies(fg_texts, exclude=skip), len(fg_texts),
                             document_frequencies(bg_texts, exclude=skip), len(bg_texts),
                             top, min_docs, min_z)


def distinctive_terms(fg: Counter[str], fg_total: int, bg: Counter[str], bg_total: int,
                      top: int = 5, min_docs: int = 2,
                      min_z: float = 1.0) -> list[tuple[str, float]]:
    """Return the ``top`` most over-represented terms, given per-document term counts.

    A bigram is preferred over its own words when it is about as frequent, so labels read as
    phrases ("lost bag") rather than single words.
    """
    floor = min(min_docs, max(1, fg_total))
    scored = log_odds(Counter({k: v for k, v in fg.items() if v >= floor}), bg,
                      fg_total, bg_total)
    ranked = sorted(((term, z) for term, z in scored.items() if z >= min_z),
                    key=lambda item: (-item[1], item[0]))
    return pick_phrases(ranked, fg, top)


def pick_phrases(ranked: Iterable[tuple[str, float]], fg: Mapping[str, int],
                 top: int) -> list[tuple[str, float]]:
    """Return the first ``top`` of ``ranked`` terms, a bigram replacing its words when it is at
    least half as frequent (``fg``: per-document counts) and a word skipped under its bigram."""
    chosen: list[tuple[str, float]] = []
    for term, z in ranked:
        words = term.split()
        if len(words) == 1:
            if any(term in c.split() for c, _ in chosen):
                continue
        else:
            covered = [c for c, _ in chosen if c in words]
            if any(fg[term] * 2 < fg[c] for c in covered):
                continue
            chosen = [(c, cz) for c, cz in chosen if c not in covered]
        chosen.append((term, z))
        if len(chosen) >= top:
            break
    return chosen


def frequent_phrases(texts: Sequence[str], top: int = 5, exclude: Iterable[str] = ()) -> list[str]:
    """Return the most frequent terms of ``texts`` (used when there is no background)."""
    counts = document_frequencies(texts, exclude=exclude)
    return [term for term, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]


@lru_cache(maxsize=65536)
def has_words(text: str) -> bool:
    """Tell whether a text holds at least one letter-word (emoji-only posts do not)."""
    return bool(WORD.search(URL.sub(" ", MENTION.sub(" ", text or ""))))
