"""Tests of the canonical store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from search.filters import Filters
from search.models import Access, Contribution, Document, Person, Principal
from search.store import Store, sqlite_url


def doc(i: int, **kw: object) -> Document:
    base: dict[str, object] = {"id": f"wiki:{i}", "source": "wiki", "kind": "wiki",
                               "title": f"Page {i}", "text": f"text {i}",
                               "created_at": datetime(2024, 1, 1 + i, tzinfo=UTC)}
    base.update(kw)
    return Document(**base)  # type: ignore[arg-type]


def test_upsert_counts_and_round_trip(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path / "s.db"))
    original = doc(1, contributions=(Contribution("alice", "author", datetime(2024, 1, 1)),),
                   access=Access.restricted(groups=["eng"]), tags=("a", "b"), meta={"k": 1})
    assert store.upsert_documents([original, doc(2)]).added == 2
    assert store.upsert_documents([original, doc(2)]).unchanged == 2
    assert store.upsert_documents([doc(2, text="changed")]).updated == 1
    loaded = store.get_document("wiki:1")
    assert loaded == original
    assert loaded is not None and loaded.content_hash == original.content_hash


def test_unchanged_upsert_does_not_advance_sequence(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path / "s.db"))
    store.upsert_documents([doc(1)])
    seq = store.current_seq()
    store.upsert_documents([doc(1)])
    assert store.current_seq() == seq


def test_delete_leaves_tombstone_and_keeps_numbers_unique(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path / "s.db"))
    store.upsert_documents([doc(1), doc(2)])
    old = store.nums_for(["wiki:2"])["wiki:2"]
    assert store.delete_documents(["wiki:2", "wiki:missing"]) == 1
    assert store.get_document("wiki:2") is None
    assert [(n, i) for n, i, _ in store.deletions_since(0)] == [(old, "wiki:2")]
    store.upsert_documents([doc(3)])
    assert store.nums_for(["wiki:3"])["wiki:3"] > old  # numbers are never reused


def test_changes_since_pages_through_everything(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path / "s.db"))
    store.upsert_documents([doc(i) for i in range(1, 8)])
    seq = store.current_seq()
    store.upsert_documents([doc(3, text="new")])
    assert [s.doc.id for b in store.changes_since(seq) for s in b] == ["wiki:3"]
    assert sum(len(b) for b in store.changes_since(-1, batch=2)) == 7


def test_readable_nums_applies_access_and_filters(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path / "s.db"))
    store.upsert_documents([
        doc(1), doc(2, access=Access.restricted(groups=["eng"])),
        doc(3, source="slack", contributions=(Contribution("bob", "author"),)),
    ])
    nums = store.nums_for(["wiki:1", "wiki:2", "wiki:3"])
    allnums = list(nums.values())
    assert store.readable_nums(allnums, Principal.anonymous()) == {nums["wiki:1"], nums["wiki:3"]}
    eng = Principal(user_id="x", groups=frozenset({"eng"}))
    assert nums["wiki:2"] in store.readable_nums(allnums, eng)
    assert store.readable_nums(allnums, Principal.system(), Filters.parse({"source": "slack"})) \
        == {nums["wiki:3"]}
    assert store.readable_nums(allnums, Principal.system(), Filters.parse({"author": "bob"})) \
        == {nums["wiki:3"]}
    since = Filters.parse({"since": "2024-01-03"})
    assert store.readable_nums(allnums, Principal.system(), since) == {nums["wiki:2"],
                                                                       nums["wiki:3"]}


def test_people_and_aliases(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path / "s.db"))
    store.upsert_people([Person("u.a", "Ann", emails=("Ann@X.com",), handles={"slack": "U1"},
                                skills=("kafka",), groups=("eng",))])
    assert store.resolve_alias("email:ann@x.com") == "u.a"
    assert store.resolve_alias("slack:U1") == "u.a"
    assert store.resolve_alias("slack:nobody") is None
    person = store.get_person("u.a")
    assert person is not None and person.skills == ("kafka",) and person.groups == ("eng",)


def test_checkpoints_and_embedding_cache(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path / "s.db"))
    assert store.get_checkpoint("x") is None
    store.set_checkpoint("x", {"cursor": 5})
    store.set_checkpoint("x", {"cursor": 6})
    assert store.get_checkpoint("x") == {"cursor": 6}
    vec = np.arange(4, dtype=np.float32)
    store.put_embeddings({"k": vec})
    store.put_embeddings({"k": vec * 2})  # existing keys are kept
    assert np.array_equal(store.get_embeddings(["k", "missing"])["k"], vec)


def test_store_survives_reopen(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "s.db")
    Store(url).upsert_documents([doc(1)])
    assert Store(url).count_documents() == 1
