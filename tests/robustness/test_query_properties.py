"""Property: any query text gives a ``QueryError`` or a normal answer, never another exception."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import QueryError, SearchEngine
from search.experts import ExpertFinder, ExpertQueryError
from search.filters import Filters
from search.keyword import MAX_QUERY_CHARS, MAX_QUERY_TERMS, clean_query
from search.models import Access, Contribution, Document, Principal

ASKER = Principal(user_id="ann", groups=frozenset({"eng"}))
FRAGMENTS = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", '"', "'", "(", ")", "[", "]", "{", "}",
             "title:", "content:", "access:", "id:", "*", "?", "ka*", "~", "~2", "^", "^9",
             "[a TO z]", "{1 TO}", "\\", "/", "-", "+", ":", "<", ">", "=", "kafka", "billing",
             "refund", "\x00", "\u202e", "\ufeff", "𝔨𝔞𝔣𝔨𝔞", "🙂", "ß", "İ", "\u0301", " ", "\t",
             "\n", "#", "@", "%", "&amp;", "<script>", "$", "NEAR/3", "dc:", "0x", "1e309"]
QUERIES = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=6), max_size=30).map(" ".join),
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join),
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    """A small engine with public and private documents written by two people."""
    data = tmp_path_factory.mktemp("query-props") / "data"
    eng = SearchEngine(Settings(data_dir=str(data), embedder="hashing"),
                       embedder=HashingEmbedder(), post_sync=[])
    when = datetime(2024, 5, 1, tzinfo=UTC)
    words = ["kafka consumer lag", "billing refund invoice", "sso login loop", "title: colon"]
    eng.upsert([
        Document(id=f"wiki:{i}", source="wiki", kind="wiki", title=f"Page {i} {w}",
                 text=f"{w} runbook {i}", created_at=when,
                 contributions=(Contribution("ann" if i % 2 else "bob", "author", when),),
                 access=Access() if i % 3 else Access.restricted(groups=["eng"]))
        for i, w in enumerate(words * 3)
    ])
    yield eng
    eng.close()


def answer(engine: SearchEngine, query: str, fusion: str) -> None:
    try:
        result = engine.search(query, ASKER, fusion=fusion, limit=5)
    except QueryError:
        return
    assert result.total >= len(result.hits)
    assert all(h.doc_id.startswith("wiki:") for h in result.hits)


@given(QUERIES, st.sampled_from(["rrf", "linear", "keyword", "vector"]))
def test_search_answers_or_refuses_clearly(engine: SearchEngine, query: str, fusion: str) -> None:
    answer(engine, query, fusion)


@given(QUERIES)
def test_filtered_keyword_search_never_crashes(engine: SearchEngine, query: str) -> None:
    filters = Filters(sources=frozenset({"wiki"}), since=datetime(2020, 1, 1, tzinfo=UTC))
    with contextlib.suppress(QueryError):
        engine.search(query, Principal.anonymous(), filters=filters, fusion="keyword")


@given(QUERIES)
def test_expert_finding_answers_or_refuses_clearly(engine: SearchEngine, query: str) -> None:
    with contextlib.suppress(ExpertQueryError):
        ExpertFinder(engine).find(query, ASKER, limit=3)


@given(st.text())
def test_clean_query_is_bounded_and_control_free(query: str) -> None:
    cleaned = clean_query(query)
    assert len(cleaned) <= MAX_QUERY_CHARS
    assert len(cleaned.split()) <= MAX_QUERY_TERMS
    assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in cleaned)
    assert clean_query(cleaned) == cleaned


@pytest.mark.parametrize("query", [
    "kafka " * 100_000, "(" * 5000 + "kafka", '"' * 3001, "a*" * 2000, "title:" * 900,
    "x" * 1_000_000, "NOT " * 500 + "kafka", "\x00" * 10_000 + "kafka",
])
def test_huge_and_nested_queries_are_bounded(engine: SearchEngine, query: str) -> None:
    answer(engine, query, "rrf")


def test_fields_and_wildcards_cannot_reach_private_documents(engine: SearchEngine) -> None:
    """Field syntax must not let an anonymous user query the access field or see private hits."""
    anon = Principal.anonymous()
    for query in ("access:group:eng", "access:*", "id:wiki:0", "kafka OR access:__nobody__",
                  "*", "ka*"):
        try:
            hits = engine.search(query, anon, fusion="keyword").hits
        except QueryError:
            continue
        private = {f"wiki:{i}" for i in range(0, 12, 3)}
        assert not private & {h.doc_id for h in hits}, query


@pytest.mark.parametrize("query", ["NOT NOT kafka", "kafka NOT NOT lag", "(NOT NOT) kafka"])
def test_doubled_operators_still_search_the_words(engine: SearchEngine, query: str) -> None:
    """Regression (found by hypothesis): Whoosh raised IndexError on "NOT NOT x"."""
    hits = engine.search(query, ASKER, fusion="keyword").hits
    assert hits and all("kafka" in h.title for h in hits)
