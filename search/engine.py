"""The engine: keeps the store and both derived indexes consistent, and answers searches."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from search.backends import make_indexes
from search.chunking import passage_key, passages
from search.config import Settings
from search.embedder import Embedder, make_embedder
from search.facets import FacetCounts, add_counts
from search.filters import Filters
from search.fusion import drop_faint_vector_hits, fuse
from search.keyword import KeywordResult, clean_query
from search.models import Document, Hit, Person, Principal
from search.onnx_encoder import make_query_encoder
from search.read_cache import ReadCache
from search.snippets import doc_label
from search.store import Store, StoredDoc, UpsertCounts

Progress = Callable[[int], None]
PostSyncHook = Callable[["SearchEngine", Sequence[StoredDoc]], object]
KEYWORD_COMMIT_EVERY = 2000
VECTOR_SAVE_SECONDS = 60.0
FILTER_LIST_SHARE = 4  # a filter leaving at most 1/4 of the vectors searches only those
# A hit that only the vector leg found is shown when its cosine to the query reaches this
# (benchmarks/search_floor.py). Only calibrated embedders have a floor.
SEARCH_SIMILARITY = {"all-MiniLM-L6-v2": 0.2}
NO_FLOOR = -math.inf  # as ``min_vector_score``: keep every neighbour
MEANING_ONLY_NOTE = ("No document you can read contains these words; these results are the "
                     "closest in meaning.")


class QueryError(ValueError):
    """The query cannot be answered as given (empty, or only punctuation)."""


@dataclass(frozen=True)
class SearchResult:
    """A page of hits with facet counts, the number of candidates and per-leg timings."""

    query: str
    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    timings_ms: dict[str, float] = field(default_factory=dict)
    offset: int = 0
    keyword_matches: int | None = None  # the keyword leg's candidates; None: it did not run

    @property
    def meaning_only(self) -> bool:
        """Return whether there are hits but none of them contains the query's words."""
        return self.keyword_matches == 0 and self.total > 0


@dataclass(frozen=True)
class DoctorReport:
    """What ``doctor`` found: counts per part and documents missing or extra in an index."""

    store_docs: int
    keyword_docs: int
    vector_docs: int
    store_seq: int
    keyword_seq: int
    vector_seq: int
    missing_keyword: list[str]
    extra_keyword: list[str]
    missing_vector: list[int]
    extra_vector: list[int]

    @property
    def healthy(self) -> bool:
        """Tell whether store and indexes agree."""
        return not (self.missing_keyword or self.extra_keyword or self.missing_vector
                    or self.extra_vector) and self.keyword_seq >= self.store_seq \
            and self.vector_seq >= self.store_seq


def default_post_sync_hooks() -> list[PostSyncHook]:
    """Return the hooks every engine runs on each indexed batch: customer-post sentiment."""
    from search.sentiment_store import classify_batch

    return [classify_batch]


class SearchEngine:
    """Store + Whoosh + FAISS behind one object; the store is the source of truth."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None,
                 sync_on_open: bool = True,
                 post_sync: Sequence[PostSyncHook] | None = None) -> None:
        self.settings = settings
        self.post_sync: list[PostSyncHook] = (
            default_post_sync_hooks() if post_sync is None else list(post_sync))
        settings.data_path.mkdir(parents=True, exist_ok=True)
        self.store = Store(settings.resolved_store_url)
        self.embedder = embedder or make_embedder(settings.embedder)
        self.query_encoder = make_query_encoder(settings.query_encoder, self.embedder)
        self.keyword, self.vector = make_indexes(settings, self.embedder.dimension)
        self._last_vector_save = time.monotonic()
        self._query_vector = lru_cache(maxsize=512)(self._embed_query)
        self.reads = ReadCache(self.store)
        if sync_on_open and self.pending():
            self.sync()

    def close(self) -> None:
        """Release files and connections."""
        self.keyword.close()
        self.store.close()

    # -- writing ----------------------------------------------------------------------------
    def upsert(self, docs: Iterable[Document], progress: Progress | None = None,
               save_vectors: bool = True, compact: bool = True) -> UpsertCounts:
        """Store documents (skipping unchanged ones) and bring both indexes up to date."""
        counts = self.store.upsert_documents(docs)
        self.sync(progress=progress, save_vectors=save_vectors, compact=compact)
        return counts

    def delete(self, ids: Sequence[str], save_vectors: bool = True) -> int:
        """Delete documents by id from the store and both indexes."""
        removed = self.store.delete_documents(ids)
        self.sync(save_vectors=save_vectors)
        return removed

    def upsert_people(self, persons: Iterable[Person]) -> int:
        """Store people (names feed the keyword index the next time their documents change)."""
        return self.store.upsert_people(persons)

    def pending(self) -> bool:
        """Tell whether an index lags behind the store (after a crash, or another writer)."""
        target = self.store.current_seq()
        return self.keyword.applied_seq() < target or self.vector.applied_seq() < target

    def sync(self, progress: Progress | None = None, save_vectors: bool = True,
             compact: bool = True) -> int:
        """Apply every store change newer than each index's recorded sequence; return the count.

        Re-applying a change is harmless, so a crash at any point only means some work is
        redone on the next run; vectors come from the embedding cache and are not recomputed.
        ``compact=False`` leaves merging the keyword index's small segments to a later
        ``compact()`` (an index run merges once at its end, not after every batch).
        """
        target = self.store.current_seq()
        kw_seq, vec_seq = self.keyword.applied_seq(), self.vector.applied_seq()
        if kw_seq >= target and vec_seq >= target:
            return 0
        start = min(kw_seq, vec_seq)
        tombs = self.store.deletions_since(start)
        self.vector.delete([num for num, _id, seq in tombs if seq > vec_seq])
        kw_deletes = [doc_id for _num, doc_id, seq in tombs if seq > kw_seq]
        pending: list[tuple[int, Document, str]] = []
        applied = 0
        for batch in self.store.changes_since(start, self.settings.sync_batch):
            self._embed_into_vector([s for s in batch if s.seq > vec_seq])
            for hook in self.post_sync:
                hook(self, batch)
            pending += [(s.num, s.doc, self._people_text(s.doc)) for s in batch if s.seq > kw_seq]
            if len(pending) >= KEYWORD_COMMIT_EVERY:
                self.keyword.apply(pending, kw_deletes, seq=kw_seq)
                pending, kw_deletes = [], []
            applied += len(batch)
            if progress:
                progress(len(batch))
        self.keyword.apply(pending, kw_deletes, seq=target)
        if compact:
            self.compact()
        self.vector.mark(target)
        now = time.monotonic()
        if save_vectors or now - self._last_vector_save > VECTOR_SAVE_SECONDS:
            self.save_vectors()
        return applied

    def compact(self) -> None:
        """Merge the keyword index's small segments (Whoosh); other backends need nothing."""
        merge = getattr(self.keyword, "compact", None)
        if merge is not None:
            merge()

    def save_vectors(self) -> None:
        """Persist the vector index and forget deletions both indexes have applied."""
        self.vector.save()
        self._last_vector_save = time.monotonic()
        self.store.prune_tombstones(min(self.keyword.applied_seq(), self.vector.applied_seq()))

    def _people_text(self, doc: Document) -> str:
        ids = doc.author_ids
        if not ids:
            return ""
        return " ".join(p.name for p in self.store.get_people(ids))

    def _embed_into_vector(self, stored: Sequence[StoredDoc]) -> None:
        if not stored:
            return
        name = self.embedder.name
        per_doc = [(s.num, passages(s.doc.title, s.doc.text)) for s in stored]
        keys = [passage_key(name, p) for _num, ps in per_doc for p in ps]
        cached = self.store.get_embeddings(keys)
        missing = {passage_key(name, p): p for _num, ps in per_doc for p in ps
                   if passage_key(name, p) not in cached}
        if missing:
            vectors = self.embedder.embed(list(missing.values()))
            fresh = dict(zip(missing.keys(), vectors, strict=True))
            self.store.put_embeddings(fresh)
            cached.update(fresh)
        for num, ps in per_doc:
            if ps:
                self.vector.upsert(num, np.vstack([cached[passage_key(name, p)] for p in ps]))
            else:
                self.vector.delete([num])

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild both indexes from the store (vectors come from the embedding cache)."""
        self.keyword.clear()
        self.vector.clear()
        self.vector.save()
        return self.sync(progress=progress)

    def doctor(self) -> DoctorReport:
        """Compare the store with both indexes and report any disagreement."""
        self.vector.reload_if_changed()
        ids_by_num: dict[int, str] = {}
        expected_vec: set[int] = set()
        for batch in self.store.iter_documents():
            for s in batch:
                ids_by_num[s.num] = s.doc.id
                if passages(s.doc.title, s.doc.text):
                    expected_vec.add(s.num)
        store_ids = set(ids_by_num.values())
        kw_ids = self.keyword.all_ids()
        vec_nums = self.vector.doc_nums()
        return DoctorReport(
            store_docs=len(store_ids), keyword_docs=len(kw_ids), vector_docs=len(vec_nums),
            store_seq=self.store.current_seq(), keyword_seq=self.keyword.applied_seq(),
            vector_seq=self.vector.applied_seq(),
            missing_keyword=sorted(store_ids - kw_ids), extra_keyword=sorted(kw_ids - store_ids),
            missing_vector=sorted(expected_vec - vec_nums),
            extra_vector=sorted(vec_nums - expected_vec),
        )

    # -- reading ----------------------------------------------------------------------------
    def _embed_query(self, text: str) -> np.ndarray:
        return self.query_encoder.embed([text])[0]

    def query_vector(self, text: str) -> np.ndarray:
        """Return the query encoder's vector for ``text`` (cached; do not modify it)."""
        return self._query_vector(text)

    def search(self, query: str, principal: Principal, filters: Filters | None = None,
               limit: int = 10, offset: int = 0, fusion: str | None = None,
               facets: bool = True, snippets: bool = True,
               min_vector_score: float | None = None) -> SearchResult:
        """Answer a hybrid query for ``principal``: only documents they may read are used.

        ``snippets=False`` skips highlighting (the costly part of hydrating many hits).
        Hits only the vector leg found need a cosine of ``min_vector_score`` (default: the
        embedder's calibrated floor, none for others; ``NO_FLOOR`` keeps every neighbour).
        """
        text = clean_query(query)
        if not text or not any(ch.isalnum() for ch in text):
            raise QueryError("the query is empty: type a few words to search for"
                             + (" ('*' alone means every post only when asking what customers "
                                "say)" if query.strip() == "*" else ""))
        limit = max(1, min(limit, 100))
        offset = max(0, offset)
        method = fusion or self.settings.fusion
        # one depth for every page: a deeper retrieval for later pages would fuse another
        # list, and walking the pages would repeat some documents and skip others
        depth = self.settings.candidates
        timings: dict[str, float] = {}
        tokens = principal.tokens()
        seq = self.reads.refresh()  # caches below hold only what the store has at ``seq``

        kw: Any = None
        ranked_kw: list[tuple[int, float]] = []
        if method != "vector":
            t0 = time.perf_counter()
            kw = self.keyword.search(text, depth, tokens, filters, facets=facets)
            ranked_kw = kw.ranked
            timings["keyword"] = (time.perf_counter() - t0) * 1000
        ranked_vec: list[tuple[int, float]] = []
        if method != "keyword":
            t0 = time.perf_counter()
            self.vector.reload_if_changed()
            vec = self._query_vector(text)
            timings["embed"] = (time.perf_counter() - t0) * 1000
            t1 = time.perf_counter()

            def accept(nums: list[int]) -> set[int]:
                if filters is None or filters.empty:
                    return set(nums) if tokens is None else self.reads.mask(tokens, seq).keep(nums)
                return self.store.readable_nums(nums, principal, filters)

            in_server = getattr(self.vector, "search_filtered", None)  # access in the server
            ranked_vec = (in_server(vec, depth, tokens, filters) if in_server is not None
                          else self.vector.search(vec, depth, accept=accept,
                                                  among=self._filtered_nums(principal, filters)))
            timings["vector"] = (time.perf_counter() - t1) * 1000
        # RRF runs inside the server where the backend can; linear fusion stays here, because
        # Milvus's WeightedRanker squeezes BM25 scores together (docs/scale-out.md).
        hybrid = getattr(self.keyword, "hybrid_search", None)
        if hybrid is not None and method == "rrf":
            t0 = time.perf_counter()
            fused = hybrid(text, vec, depth, tokens, filters, method,
                           self.settings.vector_weight, self.settings.rrf_k)
            timings["fusion"] = (time.perf_counter() - t0) * 1000
        else:
            fused = fuse(ranked_kw, ranked_vec, method, self.settings.vector_weight,
                         self.settings.rrf_k)
        floor = (SEARCH_SIMILARITY.get(self.embedder.name) if min_vector_score is None
                 else min_vector_score)
        if floor is not None and ranked_vec:
            fused = drop_faint_vector_hits(fused, {num for num, _ in ranked_kw},
                                           dict(ranked_vec), floor)
        facet_counts = kw.facets if kw is not None else {}
        if facets:
            facet_counts = self._count_meaning_hits(facet_counts, kw, fused, seq)
        page = fused[offset : offset + limit]
        t0 = time.perf_counter()
        terms: list[str] = []
        if snippets:
            parsed = getattr(kw, "terms", None)  # the keyword leg's own parse of the query
            terms = parsed if parsed is not None else self.keyword.query_terms(text)
        hits = self._hits(page, ranked_kw, ranked_vec, terms if snippets else None, seq)
        timings["hydrate"] = (time.perf_counter() - t0) * 1000
        return SearchResult(query=text, hits=hits, total=len(fused),
                            facets=facet_counts,
                            timings_ms=timings, offset=offset,
                            keyword_matches=len(ranked_kw) if kw is not None else None)

    def _count_meaning_hits(self, counts: FacetCounts, kw: KeywordResult | None,
                            fused: list[tuple[int, float]], seq: int) -> FacetCounts:
        """Add the kept hits only the vector leg found to the keyword leg's facet counts.

        Left as they are when the keyword leg matched more documents than it returned: a
        vector hit past its cut may be a match it has counted already.
        """
        matched = {num for num, _ in kw.ranked} if kw is not None else set()
        if kw is not None and kw.total > len(matched):
            return counts
        extra = [num for num, _ in fused if num not in matched]
        return add_counts(counts, self.reads.facet_values(extra, seq)) if extra else counts

    def _filtered_nums(self, principal: Principal, filters: Filters | None) -> set[int] | None:
        """Return the documents a selective filter leaves (``None``: no filter, or too many)."""
        if filters is None or filters.empty:
            return None
        limit = max(self.settings.candidates, len(self.vector) // FILTER_LIST_SHARE)
        return self.store.filtered_nums(principal, filters, limit)

    def _hits(self, page: list[tuple[int, float]], ranked_kw: list[tuple[int, float]],
              ranked_vec: list[tuple[int, float]], terms: list[str] | None,
              seq: int) -> list[Hit]:
        """Hydrate a page of fused hits; ``terms=None`` skips snippets."""
        if not page:
            return []
        kw_pos = {num: (rank, score) for rank, (num, score) in enumerate(ranked_kw, start=1)}
        vec_pos = {num: (rank, score) for rank, (num, score) in enumerate(ranked_vec, start=1)}
        stored = self.reads.documents([n for n, _ in page], seq)
        hits = []
        for num, score in page:
            doc = stored.get(num)
            if doc is None:  # deleted after the index answered
                continue
            kwr = kw_pos.get(num)
            vcr = vec_pos.get(num)
            hits.append(Hit(
                doc_id=doc.id, score=score, title=doc.title,
                snippet=self.keyword.snippet(doc.text, terms) if terms is not None else "",
                url=doc.url,
                source=doc.source,
                kind=doc.kind, audience=doc.audience, created_at=doc.created_at,
                keyword_rank=kwr[0] if kwr else None, keyword_score=kwr[1] if kwr else None,
                vector_rank=vcr[0] if vcr else None, vector_score=vcr[1] if vcr else None,
                meta=dict(doc.meta), label=doc_label(doc.title, doc.text, doc.id),
            ))
        return hits

    def stats(self) -> dict[str, Any]:
        """Return counts of documents, people and index state."""
        return {
            "documents": self.store.count_documents(),
            "people": self.store.count_people(),
            "by_source": self.store.count_by("source"),
            "by_kind": self.store.count_by("kind"),
            "by_audience": self.store.count_by("audience"),
            "keyword_docs": self.keyword.doc_count(),
            "vector_docs": len(self.vector),
            "store_seq": self.store.current_seq(),
            "keyword_seq": self.keyword.applied_seq(),
            "vector_seq": self.vector.applied_seq(),
            "embedder": self.embedder.name,
            "fusion": self.settings.fusion,
        }
