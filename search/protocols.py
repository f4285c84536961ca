"""The pluggable index protocols; Whoosh and FAISS implement them, other backends may too."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Protocol

import numpy as np

from search.filters import Filters
from search.keyword import KeywordResult
from search.models import Document


class KeywordIndex(Protocol):
    """A full-text index with filters, facets, access tokens and snippets."""

    def apply(self, upserts: Sequence[tuple[int, Document, str]], deletes: Sequence[str],
              seq: int) -> None:
        """Apply upserts and deletions atomically and record the store sequence."""
        ...

    def applied_seq(self) -> int:
        """Return the store sequence the index reflects."""
        ...

    def search(self, text: str, k: int, tokens: list[str] | None,
               filters: Filters | None = None, facets: bool = False) -> KeywordResult:
        """Return ranked ``(num, score)`` readable with ``tokens``."""
        ...

    def snippet(self, text: str, terms: Sequence[str], chars: int = 220) -> str:
        """Return an HTML-escaped highlighted excerpt."""
        ...

    def all_ids(self) -> set[str]:
        """Return every indexed document id."""
        ...

    def clear(self) -> None:
        """Drop everything."""
        ...


class VectorIndex(Protocol):
    """A passage-vector index; documents score by their best passage."""

    def upsert(self, num: int, vectors: np.ndarray) -> None:
        """Replace a document's passage vectors."""
        ...

    def delete(self, nums: Sequence[int]) -> None:
        """Remove documents' vectors."""
        ...

    def mark(self, seq: int) -> None:
        """Record the store sequence the index now reflects."""
        ...

    def save(self) -> None:
        """Persist atomically."""
        ...

    def applied_seq(self) -> int:
        """Return the store sequence the saved index reflects."""
        ...

    def search(self, query: np.ndarray, k: int,
               accept: Callable[[list[int]], set[int]] | None = None,
               among: Collection[int] | None = None) -> list[tuple[int, float]]:
        """Return up to ``k`` accepted ``(num, score)``, only among ``among`` when given."""
        ...

    def doc_nums(self) -> set[int]:
        """Return the numbers of every document with vectors."""
        ...

    def clear(self) -> None:
        """Drop everything."""
        ...
