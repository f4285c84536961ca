"""The Milvus backend: one collection of passage rows behind both index protocols.

Everything Milvus-specific lives here, in ``milvus_schema.py`` (connection, collection schema,
row fields, sequences) and in ``milvus_expr.py`` (filter expressions). The keyword and vector
facades share one ``MilvusBackend``: vectors handed to the vector index wait until the keyword
index writes their document (the engine always does both in one sync).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

import numpy as np

from search.chunking import MAX_CHUNKS
from search.facets import FACET_FIELDS
from search.filters import Filters
from search.keyword import KeywordResult, analyse_terms, highlight_snippet
from search.milvus_expr import access_expr, combine, filters_expr, quoted
from search.milvus_schema import (
    ROW_FIELDS,
    SHIFT,
    MilvusCollection,
    MilvusIndexError,
    doc_fields,
    quiet_client,
)
from search.models import Document

__all__ = ["MilvusBackend", "MilvusIndexError", "MilvusKeywordIndex", "MilvusVectorIndex",
           "best_per_doc", "quiet_client"]

FACET_DEPTH = 1000  # facets and totals are counted over this many keyword matches
MAX_LIMIT = 16_384  # Milvus's topk ceiling
WRITE_ROWS = 500


class MilvusBackend(MilvusCollection):
    """Writes and searches passage rows; holds vectors staged until their document is written."""

    def __init__(self, uri: str, dimension: int, collection: str = "socialsearch",
                 token: str = "", timeout: float = 10.0) -> None:
        self.staged: dict[int, np.ndarray] = {}
        super().__init__(uri, dimension, collection=collection, token=token, timeout=timeout)

    def drop(self) -> None:
        """Forget staged vectors, then drop both collections and create empty ones."""
        with self._lock:
            self.staged.clear()
            super().drop()

    # -- writing ----------------------------------------------------------------------------
    def write(self, upserts: Sequence[tuple[int, Document, str]], nums: Sequence[int]) -> None:
        """Write documents (and staged vectors) plus vector-only changes for ``nums``."""
        with self._lock:
            fields = {num: doc_fields(doc, people) for num, doc, people in upserts}
            touched = list(dict.fromkeys([*fields, *nums]))
            if not touched:
                return
            existing = self._existing(touched, need_rows=[n for n in touched if n not in fields],
                                      need_vectors=[n for n in touched if n not in self.staged])
            rows: list[dict[str, Any]] = []
            stale: list[int] = []
            for num in touched:
                old_pks, old_fields, old_vectors = existing.get(num, ([], None, None))
                row_fields = fields.get(num) or old_fields
                vectors = self.staged.pop(num, old_vectors)
                if num not in fields and (row_fields is None or not row_fields["doc_id"]):
                    # no document: keep a vector-only row while it has vectors, else drop it
                    has_vectors = vectors is not None and len(vectors) > 0
                    row_fields = doc_fields(None, "") if has_vectors else None
                new = self._rows(num, row_fields, vectors) if row_fields is not None else []
                rows += new
                stale += sorted(set(old_pks) - {r["pk"] for r in new})
            for start in range(0, len(rows), WRITE_ROWS):
                self.call(self.client.upsert, self.name, rows[start : start + WRITE_ROWS])
            if stale:
                self.call(self.client.delete, self.name, ids=stale)

    def _rows(self, num: int, fields: dict[str, Any], vectors: np.ndarray | None) -> list[dict]:
        count = 0 if vectors is None else min(len(vectors), MAX_CHUNKS)
        rows = []
        for chunk in range(max(1, count)):
            dense = vectors[chunk] if vectors is not None and chunk < count else None
            rows.append({
                **fields, "pk": (num << SHIFT) | chunk, "num": num, "chunk": chunk,
                "text": fields["text"] if chunk == 0 else "",
                "dense": (np.zeros(self.dimension, np.float32) if dense is None
                          else np.asarray(dense, np.float32)).tolist(),
                "has_vector": dense is not None,
            })
        return rows

    def _existing(self, nums: list[int], need_rows: list[int], need_vectors: list[int]
                  ) -> dict[int, tuple[list[int], dict[str, Any] | None, np.ndarray | None]]:
        found: dict[int, tuple[list[int], dict[str, Any] | None, np.ndarray | None]] = {}
        want_rows, want_vectors = set(need_rows), set(need_vectors)
        fields = ["pk", "num", "chunk", "has_vector"]
        if want_vectors:
            fields.append("dense")
        if want_rows:
            fields += list(ROW_FIELDS)
        collected: dict[int, list[dict[str, Any]]] = {}
        for start in range(0, len(nums), 200):
            part = nums[start : start + 200]
            for row in self.call(self.client.query, self.name, filter=f"num in {part}",
                                 output_fields=fields):
                collected.setdefault(int(row["num"]), []).append(row)
        for num, rows in collected.items():
            rows.sort(key=lambda r: int(r["chunk"]))
            head = rows[0]
            row_fields = ({k: _plain(head[k]) for k in ROW_FIELDS}
                          if num in want_rows and int(head["chunk"]) == 0 else None)
            vectors = None
            if num in want_vectors:
                dense = [r["dense"] for r in rows if r["has_vector"]]
                vectors = np.asarray(dense, np.float32).reshape(len(dense), self.dimension)
            found[num] = ([int(r["pk"]) for r in rows], row_fields, vectors)
        return found

    def delete_ids(self, ids: Sequence[str]) -> None:
        """Delete every row of these document ids."""
        for start in range(0, len(ids), 500):
            part = list(ids[start : start + 500])
            self.call(self.client.delete, self.name, filter=f"doc_id in {quoted(part)}")

    def delete_nums(self, nums: Sequence[int]) -> None:
        """Delete every row of these document numbers."""
        for start in range(0, len(nums), 500):
            part = [int(n) for n in nums[start : start + 500]]
            self.call(self.client.delete, self.name, filter=f"num in {part}")

    # -- reading ----------------------------------------------------------------------------
    def search(self, data: Any, field: str, limit: int, expr: str,
               output: Sequence[str] = ("num",), group: bool = False) -> list[dict[str, Any]]:
        """Run one server-side search and return its hits."""
        if limit <= 0:
            return []
        params: dict[str, Any] = {"metric_type": "BM25" if field == "sparse" else "IP"}
        extra = {"group_by_field": "num"} if group else {}
        result = self.call(self.client.search, self.name, data=[data], anns_field=field,
                           limit=min(limit, MAX_LIMIT), filter=expr, output_fields=list(output),
                           search_params=params, **extra)
        return list(result[0]) if result else []

    def hybrid(self, text: str, vector: np.ndarray, limit: int, expr: str, ranker: Any
               ) -> list[tuple[int, float]]:
        """Fuse BM25 and dense searches inside the server; return ``(num, score)`` per document."""
        from pymilvus import AnnSearchRequest

        limit = min(max(limit, 1), MAX_LIMIT)
        requests = [
            AnnSearchRequest(data=[text], anns_field="sparse", param={"metric_type": "BM25"},
                             limit=limit, expr=combine("chunk == 0", expr)),
            AnnSearchRequest(data=[np.asarray(vector, np.float32).tolist()], anns_field="dense",
                             param={"metric_type": "IP"}, limit=limit,
                             expr=combine("has_vector == true", expr)),
        ]
        result = self.call(self.client.hybrid_search, self.name, requests, ranker=ranker,
                           limit=limit, output_fields=["num"])
        return best_per_doc(result[0] if result else [])


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, list | tuple) else value


def best_per_doc(hits: Sequence[Any]) -> list[tuple[int, float]]:
    """Collapse passage hits to documents, keeping each document's first (best) score."""
    seen: dict[int, float] = {}
    for hit in hits:
        num = int(hit["entity"]["num"]) if "entity" in hit else int(hit["num"])
        if num not in seen:
            seen[num] = float(hit["distance"])
    return list(seen.items())



class MilvusKeywordIndex:
    """The keyword protocol on Milvus: BM25 over the English analyzer, filters in the server."""

    def __init__(self, backend: MilvusBackend) -> None:
        self.backend = backend

    def apply(self, upserts: Sequence[tuple[int, Document, str]], deletes: Sequence[str],
              seq: int) -> None:
        """Write documents and deletions, then record ``seq`` (replaying is harmless)."""
        if deletes:
            self.backend.delete_ids(deletes)
        self.backend.write(upserts, [])
        self.backend.set_seq("keyword", seq)

    def applied_seq(self) -> int:
        """Return the store sequence the index reflects (-1 for a new index)."""
        return self.backend.get_seq("keyword")

    def search(self, text: str, k: int, tokens: list[str] | None,
               filters: Filters | None = None, facets: bool = False) -> KeywordResult:
        """Return the top ``k`` BM25 matches readable with ``tokens`` (filtered in the server)."""
        from search.keyword import clean_query

        query = clean_query(text)
        if not query.strip():
            return KeywordResult([])
        expr = combine("chunk == 0", access_expr(tokens), filters_expr(filters))
        depth = max(k, FACET_DEPTH) if facets else k
        output = ("num", *FACET_FIELDS) if facets else ("num",)
        hits = self.backend.search(query, "sparse", depth, expr, output)
        ranked = best_per_doc(hits)
        counts: dict[str, dict[str, int]] = {}
        if facets:
            for name in FACET_FIELDS:
                bucket: dict[str, int] = {}
                for hit in hits:
                    value = hit["entity"].get(name)
                    if value:
                        bucket[value] = bucket.get(value, 0) + 1
                counts[name] = bucket
        return KeywordResult(ranked[: max(k, 1)], counts, len(ranked))

    def hybrid_search(self, text: str, vector: np.ndarray, k: int, tokens: list[str] | None,
                      filters: Filters | None, method: str, vector_weight: float,
                      rrf_k: int) -> list[tuple[int, float]]:
        """Fuse both legs inside Milvus (RRF or weighted ranker) under the same filters."""
        from pymilvus import RRFRanker, WeightedRanker

        from search.keyword import clean_query

        ranker = (RRFRanker(rrf_k) if method == "rrf"
                  else WeightedRanker(1.0 - vector_weight, vector_weight))
        expr = combine(access_expr(tokens), filters_expr(filters))
        return self.backend.hybrid(clean_query(text), vector, k, expr, ranker)[:k]

    def query_terms(self, text: str) -> list[str]:
        """Return the analysed query terms used to highlight snippets."""
        return analyse_terms(text)

    def snippet(self, text: str, terms: Sequence[str], chars: int = 220) -> str:
        """Return an HTML-escaped excerpt computed from the stored text."""
        return highlight_snippet(text, terms, chars)

    def all_ids(self) -> set[str]:
        """Return every indexed document id."""
        return {str(v) for v in self.backend.iter_field("doc_id", 'chunk == 0 and doc_id != ""')}

    def doc_count(self) -> int:
        """Return how many documents the index holds."""
        return self.backend.count('chunk == 0 and doc_id != ""')

    def clear(self) -> None:
        """Drop everything."""
        self.backend.drop()

    def close(self) -> None:
        """Release the connection."""
        self.backend.close()


class MilvusVectorIndex:
    """The vector protocol on Milvus: passage vectors, a document scores by its best one."""

    def __init__(self, backend: MilvusBackend) -> None:
        self.backend = backend
        self.dimension = backend.dimension
        self._seq: int | None = None

    def upsert(self, num: int, vectors: np.ndarray) -> None:
        """Stage a document's passage vectors (written with its document, or on ``save``)."""
        self.backend.staged[num] = np.asarray(vectors[:MAX_CHUNKS], np.float32).copy()

    def delete(self, nums: Sequence[int]) -> None:
        """Stage the removal of documents' vectors."""
        for num in nums:
            self.backend.staged[int(num)] = np.zeros((0, self.dimension), np.float32)

    def flush(self) -> None:
        """Write staged vectors whose documents the keyword index has not written."""
        with self.backend._lock:
            staged = list(self.backend.staged)
            if staged:
                self.backend.write([], staged)

    def mark(self, seq: int) -> None:
        """Remember the store sequence to record on ``save``."""
        self._seq = seq

    def save(self) -> None:
        """Flush staged vectors and record the sequence."""
        self.flush()
        if self._seq is not None:
            self.backend.set_seq("vector", self._seq)

    def applied_seq(self) -> int:
        """Return the store sequence the saved index reflects."""
        return self.backend.get_seq("vector")

    def search(self, query: np.ndarray, k: int,
               accept: Callable[[list[int]], set[int]] | None = None,
               among: Collection[int] | None = None) -> list[tuple[int, float]]:
        """Return up to ``k`` accepted ``(num, score)``, widening until enough are found;
        only among ``among`` when given."""
        self.flush()
        expr = "has_vector == true"
        if among is not None:
            if not among:
                return []
            expr = combine(expr, f"num in {sorted(int(n) for n in among)}")
        total = len(self) if among is None else min(len(self), len(among))
        fetch = min(total, max(k * 4, 32), MAX_LIMIT)
        vec = np.asarray(query, np.float32).reshape(-1).tolist()
        while fetch > 0:
            ranked = best_per_doc(self.backend.search(vec, "dense", fetch, expr, group=True))
            allowed = {n for n, _ in ranked} if accept is None else accept([n for n, _ in ranked])
            kept = [(n, s) for n, s in ranked if n in allowed]
            if len(kept) >= k or fetch >= min(total, MAX_LIMIT):
                return kept[:k]
            fetch = min(total, fetch * 4, MAX_LIMIT)
        return []

    def search_filtered(self, query: np.ndarray, k: int, tokens: list[str] | None,
                        filters: Filters | None = None) -> list[tuple[int, float]]:
        """Return the best ``k`` documents readable with ``tokens``, filtered inside Milvus."""
        expr = combine("has_vector == true", access_expr(tokens), filters_expr(filters))
        vec = np.asarray(query, np.float32).reshape(-1).tolist()
        return best_per_doc(self.backend.search(vec, "dense", k, expr, group=True))[:k]

    def doc_nums(self) -> set[int]:
        """Return the numbers of every document with vectors."""
        self.flush()
        return {int(v) for v in self.backend.iter_field("num", "chunk == 0 and has_vector == true")}

    def __len__(self) -> int:
        return self.backend.count("chunk == 0 and has_vector == true")

    def reload_if_changed(self) -> None:
        """Nothing to reload: every process reads the server."""

    def clear(self) -> None:
        """Drop everything."""
        self._seq = None
        self.backend.drop()
