"""The keyword leg: a Whoosh BM25F index with filters, facets, access control and snippets.

Everything Whoosh-specific lives in this module.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh import index, sorting
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.idsets import BitSet
from whoosh.qparser import OrGroup, QueryParser, plugins
from whoosh.query import And, DateRange, Every, NullQuery, Or, Query, Term
from whoosh.reading import SegmentReader
from whoosh.searching import Searcher

from search.facets import FACET_FIELDS, facet_month
from search.filters import Filters
from search.keyword_stats import CollectionStats, ReadableBM25F
from search.models import Document
from search.snippets import highlight_snippet as best_window_snippet

META_ID = "__meta__"
MAX_QUERY_CHARS = 2000
MAX_QUERY_TERMS = 64
COMPACT_DOCS = 10_000  # ``compact`` merges the small segments holding up to this many documents


class KeywordIndexError(RuntimeError):
    """The keyword index is missing, corrupt or cannot be written."""


@dataclass(frozen=True)
class KeywordResult:
    """Ranked ``(num, score)`` pairs plus facet counts and the number of matches."""

    ranked: list[tuple[int, float]]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    total: int = 0
    terms: list[str] | None = None  # the query's highlight terms, when the leg parsed it


def _analyzer() -> Any:
    return StemmingAnalyzer()


def build_schema() -> Schema:
    """Return the Whoosh schema: one combined stemmed field plus title, people and filters."""
    return Schema(
        id=ID(stored=True, unique=True),
        num=NUMERIC(stored=True, numtype=int, bits=64),
        content=TEXT(analyzer=_analyzer()),
        title=TEXT(analyzer=_analyzer(), field_boost=1.0),
        people=TEXT(analyzer=_analyzer()),
        tags=KEYWORD(lowercase=True, commas=True, scorable=True),
        source=ID(),
        kind=ID(),
        audience=ID(),
        month=ID(),
        created=DATETIME(),
        authors=KEYWORD(commas=True),
        access=KEYWORD(commas=True),
        seq=STORED(),
    )


def clean_query(text: str) -> str:
    """Trim a user query to a safe size: bounded length and number of terms, no control chars."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text or "")[:MAX_QUERY_CHARS]
    words = text.split()
    return " ".join(words[:MAX_QUERY_TERMS])


def _abandon(writer: Any) -> None:
    """Cancel a failed write; when cancelling fails too (a full disk), still drop the lock.

    Whoosh's ``cancel`` writes the pending segment before unlocking, so on a full disk it
    raises again and would leave the index locked for the rest of the process.
    """
    try:
        writer.cancel()
    except Exception:
        lock = getattr(writer, "writelock", None)
        if lock is not None:
            lock.release()
        writer.is_closed = True


class WhooshIndex:
    """BM25F keyword index over a combined title+text field, stored in a directory."""

    def __init__(self, path: Path, title_boost: float = 0.5) -> None:
        self.path = Path(path)
        self.title_boost = title_boost
        self._lock = threading.Lock()
        self._read_lock = threading.RLock()
        self._searcher: Searcher | None = None
        self._filter_sets: dict[Any, Any] = {}
        self._nums: dict[int, int] = {}  # Whoosh docnum -> store num, for the current searcher
        self._weighting = ReadableBM25F()
        self._stats: CollectionStats | None = None
        self._ix = self._open()
        self._parser = self._make_parser()
        self._title_parser = QueryParser("title", self._ix.schema, group=OrGroup)

    def _open(self) -> Any:
        try:
            if not self.path.exists() or not index.exists_in(str(self.path)):
                self.path.mkdir(parents=True, exist_ok=True)
                return index.create_in(str(self.path), build_schema())
            opened = index.open_dir(str(self.path))
            opened.searcher().close()  # reads every segment: a damaged one fails here, not later
            return opened
        except Exception as exc:
            raise KeywordIndexError(
                f"keyword index at {self.path} cannot be opened ({exc}); "
                "run `socialsearch reindex` to rebuild it from the store"
            ) from exc

    def _make_parser(self) -> QueryParser:
        parser = QueryParser("content", self._ix.schema, group=OrGroup)
        for plugin_type in (plugins.WildcardPlugin, plugins.RangePlugin, plugins.FieldsPlugin,
                            plugins.BoostPlugin):
            parser.remove_plugin_class(plugin_type)
        return parser

    # -- writing ----------------------------------------------------------------------------
    def apply(self, upserts: Sequence[tuple[int, Document, str]], deletes: Sequence[str],
              seq: int) -> None:
        """Apply upserts ``(num, doc, people names)`` and deletions by id, recording ``seq``."""
        try:
            writer = self._ix.writer(limitmb=128)
        except Exception as exc:
            raise KeywordIndexError(f"cannot write keyword index at {self.path}: {exc}") from exc
        try:
            # one searcher for every deletion: update_document would open one per document
            stale = [*deletes, *(doc.id for _num, doc, _people in upserts), META_ID]
            with writer.searcher() as searcher:
                for doc_id in dict.fromkeys(stale):
                    writer.delete_by_term("id", doc_id, searcher=searcher)
            for num, doc, people in upserts:
                writer.add_document(**self._fields(num, doc, people))
            writer.add_document(id=META_ID, seq=seq, access="__nobody__")
            writer.commit()
        except Exception as exc:
            _abandon(writer)
            raise KeywordIndexError(f"keyword index update failed: {exc}") from exc

    @staticmethod
    def _fields(num: int, doc: Document, people: str) -> dict[str, Any]:
        created = doc.created_at
        fields: dict[str, Any] = {
            "id": doc.id,
            "num": num,
            "content": "\n".join(p for p in (doc.title, doc.text, people, " ".join(doc.tags)) if p),
            "title": doc.title,
            "people": people,
            "tags": ",".join(doc.tags),
            "source": doc.source,
            "kind": doc.kind,
            "audience": doc.audience,
            "authors": ",".join(doc.author_ids),
            "access": ",".join(doc.access.tokens()) or "__nobody__",
        }
        if created is not None:
            fields["created"] = created.replace(tzinfo=None)
            fields["month"] = facet_month(created)
        return fields

    def compact(self) -> int:
        """Merge the small segments (and drop emptied ones); return how many were merged.

        Every search sets up matchers once per segment, and each ``apply`` leaves a small
        segment behind (at least the sequence marker), so a small index spread over a few
        segments searched about twice as slowly as the same index in one. Large segments are
        left alone, so the cost of a merge stays bounded whatever the index size.
        """
        chosen: list[Any] = []
        budget = COMPACT_DOCS
        for seg in sorted(self._ix._segments(), key=lambda seg: seg.doc_count()):
            live = seg.doc_count()
            if live == 0 or live <= budget:
                budget -= live
                chosen.append(seg)
        if len(chosen) < 2 and not any(seg.doc_count() == 0 for seg in chosen):
            return 0  # rewriting one segment alone would gain nothing
        names = {seg.segment_id() for seg in chosen}

        def merge_small(writer: Any, segments: list[Any]) -> list[Any]:
            kept = []
            for seg in segments:
                if seg.segment_id() in names:
                    reader = SegmentReader(writer.storage, writer.schema, seg)
                    writer.add_reader(reader)
                    reader.close()
                else:
                    kept.append(seg)
            return kept

        try:
            writer = self._ix.writer(limitmb=128)
        except Exception as exc:
            raise KeywordIndexError(f"cannot write keyword index at {self.path}: {exc}") from exc
        try:
            writer.commit(mergetype=merge_small)
        except Exception as exc:
            _abandon(writer)
            raise KeywordIndexError(f"keyword index compaction failed: {exc}") from exc
        return len(names)

    def segment_count(self) -> int:
        """Return how many segments the index is stored in."""
        return len(self._ix._segments())

    def clear(self) -> None:
        """Delete everything and start an empty index."""
        self.close()
        shutil.rmtree(self.path, ignore_errors=True)
        self._ix = self._open()
        self._parser = self._make_parser()
        self._title_parser = QueryParser("title", self._ix.schema, group=OrGroup)

    # -- reading ----------------------------------------------------------------------------
    def _get_searcher(self) -> Searcher:
        with self._lock:
            if self._searcher is None:
                self._searcher = self._ix.searcher(weighting=self._weighting)
                self._forget_caches()
            elif not self._searcher.up_to_date():
                self._searcher = self._searcher.refresh()
                self._forget_caches()
            return self._searcher

    def _forget_caches(self) -> None:
        """Drop what was cached for the previous searcher (call with ``_lock`` held)."""
        self._filter_sets.clear()
        self._stats = None
        self._nums = {}

    def applied_seq(self) -> int:
        """Return the store sequence this index reflects (-1 for a new index)."""
        searcher = self._get_searcher()
        with self._read_lock:
            stored = searcher.document(id=META_ID)
        return int(stored["seq"]) if stored and "seq" in stored else -1

    def doc_count(self) -> int:
        """Return how many documents the index holds."""
        count = self._get_searcher().doc_count()
        return count - 1 if self._get_searcher().document(id=META_ID) else count

    def all_ids(self) -> set[str]:
        """Return every indexed document id."""
        reader = self._get_searcher().reader()
        return {
            stored["id"] for _num, stored in reader.iter_docs() if stored.get("id") != META_ID
        }

    def parse(self, text: str) -> Query | None:
        """Parse a user query; syntax errors degrade to plain terms, empty gives ``None``."""
        cleaned = clean_query(text)
        if not cleaned:
            return None
        try:
            query = self._parser.parse(cleaned)
        except Exception:
            # lower case too: Whoosh's operators (e.g. "NOT NOT x") are upper case only
            plain = re.sub(r"[^\w\s]", " ", cleaned).lower()
            query = self._parser.parse(plain) if plain.strip() else None
        if query is None or query is NullQuery:
            return None
        if self.title_boost:
            title_parser = self._title_parser
            words = re.sub(r"[^\w\s]", " ", cleaned)
            try:
                title_query = title_parser.parse(words)
            except Exception:
                title_query = title_parser.parse(words.lower())
            if title_query is not NullQuery:
                query = Or([query, title_query.with_boost(self.title_boost)])
        return query

    def search(self, text: str, k: int, tokens: list[str] | None,
               filters: Filters | None = None, facets: bool = False) -> KeywordResult:
        """Return the top ``k`` matches readable with ``tokens`` (``None`` reads everything)."""
        query = self.parse(text)
        if query is None:
            return KeywordResult([], terms=[])
        searcher = self._get_searcher()
        key = (None if tokens is None else tuple(tokens), filters)
        groupedby = (
            {name: sorting.FieldFacet(name, allow_overlap=False) for name in FACET_FIELDS}
            if facets else None
        )
        # the shared searcher's term files are read with seek + read: one reader at a time
        # (threads only interleave Python under the GIL anyway; extra processes scale out)
        with self._read_lock:
            restrict = self._filter_set(searcher, key, self._filter(tokens, filters))
            # BM25 statistics from the asker's readable set: private documents move no score
            self._weighting.view = self._collection_stats(searcher).view(tokens)
            results = searcher.search(query, limit=max(k, 1), filter=restrict,
                                      groupedby=groupedby, maptype=sorting.Count)
            ranked = [(num, float(score)) for score, docnum in results.top_n
                      if (num := self._store_num(searcher, docnum)) >= 0]
            facet_counts: dict[str, dict[str, int]] = {}
            if facets:
                for name in FACET_FIELDS:
                    groups = results.groups(name)
                    facet_counts[name] = {
                        str(key): int(count) for key, count in groups.items() if key is not None
                    }
            # counting every match is costly without facets (which have collected them anyway)
            total = len(results) if facets else results.scored_length()
        return KeywordResult(ranked, facet_counts, total, _highlight_terms(query))

    def _store_num(self, searcher: Searcher, docnum: int) -> int:
        """Return the store number of a Whoosh document (-1 for the sequence marker).

        Remembered per searcher (call with ``_read_lock`` held): unpickling stored fields
        for every one of a hundred candidates cost more than the rest of the collection.
        """
        nums = self._nums
        num = nums.get(docnum)
        if num is None:
            stored = searcher.stored_fields(docnum)
            num = int(stored["num"]) if stored.get("id") != META_ID and "num" in stored else -1
            with self._lock:
                if self._searcher is searcher:
                    nums[docnum] = num
        return num

    def _collection_stats(self, searcher: Searcher) -> CollectionStats:
        """Return the statistics cache of ``searcher`` (call with ``_read_lock`` held)."""
        with self._lock:
            if self._stats is None or self._stats.searcher is not searcher:
                self._stats = CollectionStats(searcher)
            return self._stats

    def _filter_set(self, searcher: Searcher, key: Any, restrict: Query | None) -> Any:
        """Return the filter's matching documents, cached until the index changes.

        Whoosh would otherwise rebuild the set (e.g. every public document) on each search.
        An empty set is falsy to Whoosh, which would then ignore it, so the query is kept.
        """
        if restrict is None:
            return None
        with self._lock:
            found = self._filter_sets.get(key)
        if found is None:
            docs = BitSet(searcher.docs_for_query(restrict), size=searcher.doc_count_all())
            found = docs if docs else restrict
            with self._lock:
                if len(self._filter_sets) >= 256:
                    self._filter_sets.clear()
                self._filter_sets[key] = found
        return found

    def _filter(self, tokens: list[str] | None, filters: Filters | None) -> Query | None:
        parts: list[Query] = []
        if tokens is not None:
            parts.append(Or([Term("access", tok) for tok in tokens]))
        if filters is not None and not filters.empty:
            if filters.sources:
                parts.append(Or([Term("source", s) for s in sorted(filters.sources)]))
            if filters.kinds:
                parts.append(Or([Term("kind", s) for s in sorted(filters.kinds)]))
            if filters.audience:
                parts.append(Term("audience", filters.audience))
            if filters.since or filters.until:
                parts.append(DateRange("created", _naive(filters.since), _naive(filters.until)))
            if filters.authors:
                parts.append(Or([Term("authors", a) for a in sorted(filters.authors)]))
        if not parts:
            return None
        return And(parts) if len(parts) > 1 else parts[0]

    def query_terms(self, text: str) -> list[str]:
        """Return the analysed terms of a query (used for highlighting)."""
        query = self.parse(text)
        return [] if query is None else _highlight_terms(query)

    def snippet(self, text: str, terms: Sequence[str], chars: int = 220) -> str:
        """Return an HTML-escaped excerpt of ``text`` with matched terms wrapped in ``<mark>``."""
        return highlight_snippet(text, terms, chars)

    def vocabulary_has(self, word: str) -> bool:
        """Tell whether a stemmed word occurs in the combined field."""
        searcher = self._get_searcher()
        with self._read_lock:
            return bool(searcher.doc_frequency("content", word))

    def close(self) -> None:
        """Close the shared searcher."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    def everything(self) -> Query:
        """Return a query that matches every document (for tests and tools)."""
        return Every()


def analyse_terms(text: str) -> list[str]:
    """Return the stemmed terms of a text as the keyword index sees them (for highlighting)."""
    return sorted({token.text for token in _analyzer()(clean_query(text))})


def highlight_snippet(text: str, terms: Sequence[str], chars: int = 220) -> str:
    """Return an HTML-escaped excerpt of ``text`` with matched terms wrapped in ``<mark>``."""
    return best_window_snippet(text, terms, chars)


def _highlight_terms(query: Query) -> list[str]:
    """Return the sorted content and title terms of a parsed query."""
    return sorted({
        term.decode() if isinstance(term, bytes) else str(term)
        for fieldname, term in query.iter_all_terms() if fieldname in ("content", "title")
    })


def _naive(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=None) if value is not None else None
