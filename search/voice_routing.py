"""Who inside can act on what customers say: the internal documents and experts on a topic.

Used by the voice report (for its topic and its most negative themes) and by the weekly digest
(for its routed touch points). Everything is found for one principal: only what they may read.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import numpy as np

from search.filters import Filters
from search.models import Principal

if TYPE_CHECKING:
    from search.engine import SearchEngine

log = logging.getLogger(__name__)
# A keyword hit routes a report only when it is also this close to the topic (cosine): one
# shared word ("lost" in "lost luggage" and in "lost our delegation") is not evidence. Only
# calibrated embedders have a floor; with others every keyword hit routes.
ROUTE_SIMILARITY = {"all-MiniLM-L6-v2": 0.25}
# And a document routes only when it is this close (cosine, its best passage) to the centre of
# the posts themselves: a few words such as "flight delayed" or "bags" match a balloon launch
# or a leather workshop by words and by meaning, the complaints behind them do not.
FOCUS_SIMILARITY = {"all-MiniLM-L6-v2": 0.40}


class Router:
    """Finds the internal documents and the experts that a customer topic routes to."""

    def __init__(self, engine: SearchEngine, min_similarity: float) -> None:
        self.engine = engine
        self.min_similarity = min_similarity
        self.route_similarity = ROUTE_SIMILARITY.get(engine.embedder.name)
        self.focus_similarity = FOCUS_SIMILARITY.get(engine.embedder.name)

    def internal_documents(self, query: str, principal: Principal,
                           posts: np.ndarray | None = None) -> list[dict[str, Any]]:
        """Return the internal documents (top 5) that answer ``query`` for ``principal``;
        with the vectors of the ``posts`` behind it, only those close to what they say."""
        from search.engine import QueryError

        try:
            result = self.engine.search(query, principal, Filters(audience="internal"),
                                        limit=5, facets=False)
        except QueryError:
            return []
        floor = self.route_similarity
        hits = [h for h in result.hits
                if (h.keyword_rank is not None
                    and (floor is None or (h.vector_score or 0.0) >= floor))
                or (h.vector_score is not None and h.vector_score >= self.min_similarity)]
        if hits and posts is not None and len(posts) and self.focus_similarity is not None:
            near = self.closeness(posts, [h.doc_id for h in hits])
            hits = [h for h in hits if near.get(h.doc_id, -1.0) >= self.focus_similarity]
        return [h.to_dict() for h in hits]

    def closeness(self, posts: np.ndarray, doc_ids: list[str]) -> dict[str, float]:
        """Return the cosine of each document's best passage to the centre of ``posts``."""
        centre = np.asarray(posts, dtype=np.float32).mean(axis=0)
        norm = float(np.linalg.norm(centre))
        nums = self.engine.store.nums_for(doc_ids)
        if norm == 0.0 or not nums:
            return {}
        self.engine.vector.reload_if_changed()
        found = dict(self.engine.vector.search(centre / norm, len(nums), among=nums.values()))
        return {doc_id: found[num] for doc_id, num in nums.items() if num in found}

    def experts(self, query: str, principal: Principal,
                limit: int = 5) -> tuple[list[dict[str, Any]], str | None]:
        """Return the experts on ``query`` for ``principal``, and why there are none, if broken."""
        if not query:
            return [], None
        try:
            from search.experts import ExpertFinder  # type: ignore[import-not-found,unused-ignore]
        except ImportError:
            return [], "expert finding is not installed: no experts suggested"
        try:
            found = ExpertFinder(self.engine).find(query, principal, limit=limit)
        except Exception as exc:  # a failing helper must not sink the report
            log.warning("expert finding failed for %r: %s", query, exc)
            return [], f"expert finding failed: {exc}"
        return [e.to_dict() for e in found], None
