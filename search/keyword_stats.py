"""BM25 collection statistics drawn only from the documents the asker may read.

Whoosh's BM25F takes IDF and average field length from the whole index, so the score of a
readable document would move with the number of private documents sharing its words: an
indirect leak. Here both statistics come from the asker's readable set, so two indexes that
differ only in documents the asker cannot read give that asker identical scores.
"""

from __future__ import annotations

from collections import OrderedDict
from math import log
from typing import Any

import numpy as np
from whoosh.query import Every, Or, Query, Term
from whoosh.scoring import BM25F, BM25FScorer

MAX_CACHED_TERMS = 4096
MAX_CACHED_VIEWS = 256


class CollectionStats:
    """Per-searcher caches: field lengths, term postings and one view per readable set."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        self.size = searcher.doc_count_all()
        self._lengths: dict[str, np.ndarray] = {}
        self._postings: OrderedDict[tuple[str, Any], np.ndarray] = OrderedDict()
        self._views: OrderedDict[tuple[str, ...] | None, ReadableView] = OrderedDict()

    def view(self, tokens: list[str] | None) -> ReadableView:
        """Return the statistics view of the documents readable with ``tokens`` (all if None)."""
        key = None if tokens is None else tuple(sorted(tokens))
        found = self._views.get(key)
        if found is None:
            query: Query = Every() if tokens is None else Or([Term("access", t) for t in tokens])
            mask = np.zeros(self.size, dtype=bool)
            docs = np.fromiter(self.searcher.docs_for_query(query), dtype=np.int64)
            mask[docs] = True
            found = ReadableView(self, mask)
            self._views[key] = found
            if len(self._views) > MAX_CACHED_VIEWS:
                self._views.popitem(last=False)
        return found

    def lengths(self, fieldname: str) -> np.ndarray:
        """Return every document's (quantised) length of ``fieldname``, by document number."""
        found = self._lengths.get(fieldname)
        if found is None:
            found = np.zeros(self.size, dtype=np.float64)
            for reader, base in self.searcher.reader().leaf_readers():
                count = reader.doc_count_all()
                found[base:base + count] = [
                    reader.doc_field_length(num, fieldname) or 0 for num in range(count)]
            self._lengths[fieldname] = found
        return found

    def postings(self, fieldname: str, text: Any) -> np.ndarray:
        """Return the document numbers holding a term (live documents only)."""
        key = (fieldname, text)
        found = self._postings.get(key)
        if found is None:
            reader = self.searcher.reader()
            if (fieldname, text) in reader:
                found = np.fromiter(reader.postings(fieldname, text).all_ids(), dtype=np.int64)
            else:
                found = np.zeros(0, dtype=np.int64)
            self._postings[key] = found
            if len(self._postings) > MAX_CACHED_TERMS:
                self._postings.popitem(last=False)
        else:
            self._postings.move_to_end(key)
        return found


class ReadableView:
    """IDF and average field length over one readable set of documents."""

    def __init__(self, stats: CollectionStats, mask: np.ndarray) -> None:
        self.stats = stats
        self.mask = mask
        self.count = int(mask.sum())
        self._avg: dict[str, float] = {}

    def doc_frequency(self, fieldname: str, text: Any) -> int:
        """Return how many readable documents hold the term."""
        ids = self.stats.postings(fieldname, text)
        return int(self.mask[ids].sum()) if len(ids) else 0

    def idf(self, fieldname: str, text: Any) -> float:
        """Return Whoosh's IDF formula evaluated on the readable set."""
        return log(max(self.count, 1) / (self.doc_frequency(fieldname, text) + 1)) + 1

    def avg_length(self, fieldname: str) -> float:
        """Return the mean length of ``fieldname`` over the readable set (1 when empty)."""
        found = self._avg.get(fieldname)
        if found is None:
            total = float(self.stats.lengths(fieldname)[self.mask].sum())
            found = total / self.count if self.count and total else 1.0
            self._avg[fieldname] = found
        return found


class _ReadableScorer(BM25FScorer):
    """BM25F scorer whose global statistics come from a :class:`ReadableView`."""

    def __init__(self, searcher: Any, fieldname: str, text: Any, view: ReadableView,
                 b: float, k1: float, qf: float = 1) -> None:
        # deliberately not calling BM25FScorer.__init__: it reads whole-index statistics
        self.idf = view.idf(fieldname, text)
        self.avgfl = view.avg_length(fieldname)
        self.B = b
        self.K1 = k1
        self.qf = qf
        self.setup(searcher, fieldname, text)


class ReadableBM25F(BM25F):
    """BM25F that scores with the statistics of the current asker's readable set.

    Set :attr:`view` before each search (under the index's read lock); ``None`` falls back to
    Whoosh's whole-index statistics.
    """

    def __init__(self) -> None:
        super().__init__()
        self.view: ReadableView | None = None

    def scorer(self, searcher: Any, fieldname: str, text: Any, qf: float = 1) -> Any:
        """Return a scorer for one term, using the readable-set statistics when a view is set."""
        view = self.view
        if view is None or not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf=qf)
        b = self._field_B.get(fieldname, self.B)
        return _ReadableScorer(searcher, fieldname, text, view, b, self.K1, qf=qf)

