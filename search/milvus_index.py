"""The Milvus backend: one collection of passage rows behind both index protocols.

Everything Milvus-specific lives here and in ``milvus_expr.py``. A row is one passage of a
document (primary key ``num << 10 | passage``) with its MiniLM vector in ``dense``; passage 0
also carries the document's keyword text, which Milvus's English analyzer and a BM25 function
turn into the ``sparse`` field. Access tokens, source, kind, audience, dates and authors are
scalar fields on every row, so access is enforced inside the server's filter expression.
The keyword and vector facades share one ``MilvusBackend``: vectors handed to the vector index
wait until the keyword index writes their document (the engine always does both in one sync).
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from search.chunking import MAX_CHUNKS
from search.filters import Filters
from search.keyword import KeywordIndexError, KeywordResult, analyse_terms, highlight_snippet
from search.milvus_expr import NO_DATE, access_expr, combine, epoch, filters_expr, quoted
from search.models import Document

SHIFT = 10
TEXT_BYTES = 65_535  # Milvus VARCHAR limit: longer keyword text is cut (documented)
FACET_DEPTH = 1000  # facets and totals are counted over this many keyword matches
MAX_LIMIT = 16_384  # Milvus's topk ceiling
WRITE_ROWS = 500
FACET_FIELDS = ("source", "kind", "audience", "month")
ROW_FIELDS = ("doc_id", "text", "access", "source", "kind", "audience", "month", "created",
              "authors")


class MilvusIndexError(KeywordIndexError):
    """Milvus is unreachable, or the collection does not match this configuration."""


@contextmanager
def quiet_client() -> Iterator[None]:
    """Silence milvus-lite's pkg_resources warning and pymilvus's logged RPC tracebacks."""
    log = logging.getLogger("pymilvus")
    if log.level == logging.NOTSET:
        log.setLevel(logging.CRITICAL)  # errors reach the caller as MilvusIndexError
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated")
        yield


def _is_local(uri: str) -> bool:
    return not uri.partition("://")[1] and not uri.startswith("unix:")


class MilvusBackend:
    """A Milvus collection of passage rows plus a tiny collection holding applied sequences."""

    def __init__(self, uri: str, dimension: int, collection: str = "socialsearch",
                 token: str = "", timeout: float = 10.0) -> None:
        with quiet_client():
            from pymilvus import MilvusClient

        self.uri = uri
        self.dimension = dimension
        self.name = collection
        self.meta = f"{collection}_meta"
        self.timeout = timeout
        self._lock = threading.RLock()
        self.staged: dict[int, np.ndarray] = {}
        if _is_local(uri):
            os.makedirs(os.path.dirname(os.path.abspath(uri)), exist_ok=True)
        try:
            with quiet_client():
                # a connection of its own: a shared one outlives a server restart badly
                self.client = MilvusClient(uri=uri, token=token, timeout=timeout, dedicated=True)
        except Exception as exc:
            raise MilvusIndexError(f"Milvus at {uri} is unreachable: {_reason(exc)}") from exc
        self.call(self._ensure)

    # -- plumbing ---------------------------------------------------------------------------
    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a client call, turning Milvus and connection errors into ``MilvusIndexError``."""
        from pymilvus.exceptions import MilvusException

        try:
            return fn(*args, **kwargs)
        except MilvusIndexError:
            raise
        except (MilvusException, OSError, RuntimeError) as exc:
            raise MilvusIndexError(
                f"Milvus at {self.uri} (collection {self.name}) failed: {_reason(exc)}; "
                "committed documents stay in the store: rerun to resume"
            ) from exc

    def _ensure(self) -> None:
        if not self.client.has_collection(self.meta):
            self._create_meta()
        if not self.client.has_collection(self.name):
            self._create_rows()
        else:
            self._check_dimension()
        for name in (self.meta, self.name):
            self.client.load_collection(name)

    def _create_meta(self) -> None:
        from pymilvus import DataType

        schema = self.client.create_schema(auto_id=False)
        schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=64)
        schema.add_field("value", DataType.INT64)
        schema.add_field("unused", DataType.FLOAT_VECTOR, dim=2)
        index = self.client.prepare_index_params()
        index.add_index("unused", index_type="FLAT", metric_type="IP")
        self.client.create_collection(self.meta, schema=schema, index_params=index,
                                      consistency_level="Strong")

    def _create_rows(self) -> None:
        from pymilvus import DataType, Function, FunctionType

        schema = self.client.create_schema(auto_id=False)
        schema.add_field("pk", DataType.INT64, is_primary=True)
        schema.add_field("num", DataType.INT64)
        schema.add_field("chunk", DataType.INT64)
        schema.add_field("doc_id", DataType.VARCHAR, max_length=512)
        schema.add_field("text", DataType.VARCHAR, max_length=TEXT_BYTES, enable_analyzer=True,
                         analyzer_params={"type": "english"})
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_field("dense", DataType.FLOAT_VECTOR, dim=self.dimension)
        schema.add_field("has_vector", DataType.BOOL)
        schema.add_field("access", DataType.ARRAY, element_type=DataType.VARCHAR,
                         max_capacity=4096, max_length=256)
        schema.add_field("authors", DataType.ARRAY, element_type=DataType.VARCHAR,
                         max_capacity=1024, max_length=256)
        for name, length in (("source", 128), ("kind", 64), ("audience", 16), ("month", 8)):
            schema.add_field(name, DataType.VARCHAR, max_length=length)
        schema.add_field("created", DataType.INT64)
        schema.add_function(Function(name="text_bm25", function_type=FunctionType.BM25,
                                     input_field_names=["text"], output_field_names=["sparse"]))
        index = self.client.prepare_index_params()
        index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
        index.add_index("dense", index_type="FLAT", metric_type="IP")
        self.client.create_collection(self.name, schema=schema, index_params=index,
                                      consistency_level="Strong")

    def _check_dimension(self) -> None:
        info = self.client.describe_collection(self.name)
        for spec in info.get("fields", []):
            if spec.get("name") == "dense":
                dim = int(spec.get("params", {}).get("dim", self.dimension))
                if dim != self.dimension:
                    raise MilvusIndexError(
                        f"Milvus collection {self.name} at {self.uri} has dimension {dim}, the "
                        f"embedder {self.dimension}; run `socialsearch reindex --backend milvus`"
                    )

    def drop(self) -> None:
        """Drop both collections and create empty ones."""
        with self._lock:
            self.staged.clear()
            for name in (self.name, self.meta):
                self.call(self.client.drop_collection, name)
            self.call(self._ensure)

    def close(self) -> None:
        """Close the client connection."""
        self.client.close()

    # -- sequences --------------------------------------------------------------------------
    def get_seq(self, key: str) -> int:
        """Return a recorded store sequence (-1 when none)."""
        rows = self.call(self.client.query, self.meta, filter=f"key == {quoted([key])[1:-1]}",
                         output_fields=["value"])
        return int(rows[0]["value"]) if rows else -1

    def set_seq(self, key: str, seq: int) -> None:
        """Record a store sequence (after the rows it covers were written)."""
        self.call(self.client.upsert, self.meta,
                  [{"key": key, "value": int(seq), "unused": [1.0, 0.0]}])

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

    def iter_field(self, field: str, expr: str, batch: int = 2000) -> Iterator[Any]:
        """Yield one field of every row matching ``expr`` (query iterator, any size)."""
        iterator = self.call(self.client.query_iterator, self.name, batch_size=batch,
                             filter=expr, output_fields=[field])
        try:
            while True:
                rows = self.call(iterator.next)
                if not rows:
                    return
                for row in rows:
                    yield row[field]
        finally:
            iterator.close()

    def count(self, expr: str) -> int:
        """Return how many rows match ``expr``."""
        rows = self.call(self.client.query, self.name, filter=expr, output_fields=["count(*)"])
        return int(rows[0]["count(*)"]) if rows else 0


def _reason(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc)
    return " ".join(str(message).split())[:300]


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


def _cut(text: str, limit: int = TEXT_BYTES) -> str:
    raw = text.encode("utf-8")
    return text if len(raw) <= limit else raw[:limit].decode("utf-8", "ignore")


def doc_fields(doc: Document | None, people: str) -> dict[str, Any]:
    """Return the row fields of a document (``None``: a vector-only row nobody may read)."""
    if doc is None:
        return {"doc_id": "", "text": "", "access": [], "source": "", "kind": "",
                "audience": "", "month": "", "created": NO_DATE, "authors": []}
    content = "\n".join(p for p in (doc.title, doc.text, people, " ".join(doc.tags)) if p)
    created = doc.created_at
    return {
        "doc_id": doc.id, "text": _cut(content.replace("\x00", " ")),
        "access": doc.access.tokens() or ["__nobody__"], "source": doc.source,
        "kind": doc.kind, "audience": doc.audience,
        "month": created.strftime("%Y-%m") if created else "", "created": epoch(created),
        "authors": [a[:256] for a in doc.author_ids][:1024],
    }


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
               accept: Callable[[list[int]], set[int]] | None = None) -> list[tuple[int, float]]:
        """Return up to ``k`` accepted ``(num, score)``, widening until enough are found."""
        self.flush()
        total = len(self)
        fetch = min(total, max(k * 4, 32), MAX_LIMIT)
        vec = np.asarray(query, np.float32).reshape(-1).tolist()
        while fetch > 0:
            ranked = best_per_doc(self.backend.search(vec, "dense", fetch, "has_vector == true",
                                                      group=True))
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
