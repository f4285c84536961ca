""""Did you mean": corrections drawn only from vocabulary the asker may read.

The vocabulary is built from the titles and texts of *public* documents, plus the words of the
hits the asker actually received. Private text never feeds a suggestion, so a correction can
never reveal that a restricted word exists.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import select

from search import schema as t
from search.models import PUBLIC_TOKEN
from search.store import Store
from search.terms import fold, stem

_WORD = re.compile(r"[a-z]{3,24}")
MAX_WORDS = 30000
MAX_DOCS = 20000
REFRESH_SECONDS = 60.0


def vocabulary_words(text: str) -> list[str]:
    """Return the folded alphabetic words of ``text`` that spelling considers."""
    return _WORD.findall(fold(text))


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Return the optimal-string-alignment distance of ``a`` and ``b`` (capped at ``limit``)."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) >= limit:
            return limit
        prev2, prev = prev, cur
    return min(prev[-1], limit)


class Vocabulary:
    """Word frequencies with a one-delete index for fast near-miss lookup."""

    def __init__(self, counts: Counter[str]) -> None:
        self.counts = Counter(dict(counts.most_common(MAX_WORDS)))
        self.stems = {stem(w) for w in self.counts}
        self._index: dict[str, list[str]] = {}
        for word in self.counts:
            for key in _deletes(word) | {word}:
                self._index.setdefault(key, []).append(word)

    def __contains__(self, word: object) -> bool:
        return word in self.counts or (isinstance(word, str) and stem(word) in self.stems)

    def __len__(self) -> int:
        return len(self.counts)

    def candidates(self, word: str) -> list[tuple[int, int, str]]:
        """Return ``(distance, -frequency, word)`` for vocabulary words near ``word``."""
        probes = {word} | _deletes(word)
        probes |= {d2 for d in list(probes) for d2 in _deletes(d)} if len(word) > 4 else set()
        limit = 1 if len(word) <= 4 else 2
        seen: set[str] = set()
        out = []
        for probe in probes:
            for cand in self._index.get(probe, ()):
                if cand in seen:
                    continue
                seen.add(cand)
                dist = edit_distance(word, cand, limit + 1)
                if dist <= limit:
                    out.append((dist, -self.counts[cand], cand))
        return sorted(out)


class PublicVocabulary:
    """The vocabulary of public documents in the store, rebuilt when the store changes."""

    def __init__(self, store: Store, refresh_seconds: float = REFRESH_SECONDS) -> None:
        self.store = store
        self.refresh_seconds = refresh_seconds
        self._lock = threading.Lock()
        self._vocab: Vocabulary | None = None
        self._seq = -1
        self._built_at = 0.0

    def get(self) -> Vocabulary:
        """Return the current vocabulary, rebuilding it when the store has moved on."""
        with self._lock:
            stale = time.monotonic() - self._built_at > self.refresh_seconds
            if self._vocab is None or (stale and self.store.current_seq() != self._seq):
                self._seq = self.store.current_seq()
                self._vocab = Vocabulary(self._count())
                self._built_at = time.monotonic()
            return self._vocab

    def _count(self) -> Counter[str]:
        d = t.documents.c
        public = select(t.doc_access.c.num).where(t.doc_access.c.token == PUBLIC_TOKEN)
        query = (select(d.title, d.text).where(d.num.in_(public))
                 .order_by(d.num.desc()).limit(MAX_DOCS))
        counts: Counter[str] = Counter()
        with self.store.engine.connect() as conn:
            for title, text in conn.execute(query):
                counts.update(vocabulary_words(f"{title} {text}"))
        return counts


def suggest(query: str, vocabulary: Vocabulary, readable: Iterable[str] = ()) -> str | None:
    """Return a corrected query, or ``None`` when every word is known or nothing is close.

    Corrections come from ``vocabulary`` (public text) and from ``readable`` (text the asker
    was shown), never from anything else.
    """
    tokens = query.split()
    unknown = {fold(tok) for tok in tokens} - {""}
    unknown = {w for w in unknown if _WORD.fullmatch(w) and w not in vocabulary}
    if not unknown:
        return None
    mine = Counter(w for text in readable for w in vocabulary_words(text))
    mine_stems = {stem(w) for w in mine}
    changed = False
    out: list[str] = []
    for token in tokens:
        folded = fold(token)
        if folded not in unknown or folded in mine or stem(folded) in mine_stems:
            out.append(token)
            continue
        limit = 1 if len(folded) <= 4 else 2
        found = vocabulary.candidates(folded) + [
            (dist, -count, word) for word, count in mine.items()
            if (dist := edit_distance(folded, word, limit + 1)) <= limit]
        if found:
            out.append(min(found)[2])
            changed = True
        else:
            out.append(token)
    return " ".join(out) if changed else None
