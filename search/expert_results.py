"""What the expert finder returns: experts, their evidence, and the evidence snippets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from search.models import Document, Person
from search.people import person_to_dict
from search.snippets import SPACE
from search.terms import STOPWORDS, words

if TYPE_CHECKING:
    from search.engine import SearchEngine


@dataclass(frozen=True)
class Evidence:
    """A readable document that makes a person credible: their role in it, when, how relevant."""

    doc_id: str
    title: str
    snippet: str
    url: str
    role: str
    at: datetime | None
    relevance: float

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"doc_id": self.doc_id, "title": self.title, "snippet": self.snippet,
                "url": self.url, "role": self.role,
                "at": self.at.isoformat() if self.at else None,
                "relevance": round(self.relevance, 4)}


@dataclass(frozen=True)
class Expert:
    """A person who knows about a topic, their score and the evidence for it."""

    person: Person
    score: float
    evidence: list[Evidence]
    matched_skills: tuple[str, ...] = ()
    documents: int = 0
    tags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"person": person_to_dict(self.person), "score": float(f"{self.score:.6g}"),
                "matched_skills": list(self.matched_skills), "documents": self.documents,
                "tags": list(self.tags), "evidence": [e.to_dict() for e in self.evidence]}


class EvidenceSnippets:
    """Highlighted excerpts of evidence documents, cut around the first match and memoised."""

    WINDOW = 1200

    def __init__(self, engine: SearchEngine, query: str) -> None:
        self.engine = engine
        self.query = query
        self._terms: list[str] | None = None
        self._done: dict[str, str] = {}
        stems = {w[:5] for w in words(query) if len(w) > 2 and w not in STOPWORDS}
        self._find = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(stems)) + ")"
                                if stems else "$^", re.I)

    def get(self, doc: Document) -> str:
        """Return the snippet of ``doc`` for the query."""
        if doc.id not in self._done:
            if self._terms is None:
                self._terms = self.engine.keyword.query_terms(self.query)
            text, cut = doc.text, False
            if len(text) > self.WINDOW:
                match = self._find.search(text)
                start = max(0, (match.start() if match else 0) - self.WINDOW // 4)
                if start:  # begin at a word, not inside one
                    gap = SPACE.search(text, start, start + self.WINDOW // 4)
                    start = gap.end() if gap else start
                text, cut = text[start : start + self.WINDOW], start > 0
            snippet = self.engine.keyword.snippet(text, self._terms)
            self._done[doc.id] = "… " + snippet if cut and not snippet.startswith("…") else snippet
        return self._done[doc.id]
