"""The in-memory contribution table gives exactly the activity that SQL gives, per asker."""

from __future__ import annotations

import pytest

from search.activity import readable_activity
from search.activity_table import ActivityTable
from search.engine import SearchEngine
from search.models import ROLE_WEIGHTS, Principal
from tests.experts.conftest import MEMBER, OUTSIDER
from tests.experts.corpus import SECURITY, by_id, doc, finder_with

ASKERS = [OUTSIDER, MEMBER, Principal.anonymous(), Principal(superuser=True)]


def mask_for(engine: SearchEngine, principal: Principal) -> object:
    """Return the engine's readable mask for the principal (``None`` for a superuser)."""
    tokens = principal.tokens()
    seq = engine.reads.refresh()
    return None if tokens is None else engine.reads.mask(tokens, seq)


@pytest.mark.parametrize("asker", ASKERS, ids=["outsider", "member", "anonymous", "superuser"])
def test_table_matches_sql(fresh_company: SearchEngine, asker: Principal) -> None:
    fresh_company.upsert([doc("two-roles", "Kafka runbook", "Kafka notes.",
                              ("alice", "author", 1), ("alice", "editor", 1)),
                          doc("secret", "Secret kafka", "Kafka secret.", ("alice", "author", 2),
                              ("spy", "answerer", 1), access=SECURITY)])
    table = ActivityTable.load(fresh_company.store)
    assert table is not None
    people = sorted(set(table.people) | {"nobody"})
    expected = readable_activity(fresh_company.store, people, asker)
    got = table.activity(mask_for(fresh_company, asker), ROLE_WEIGHTS, 0.5)  # type: ignore[arg-type]
    assert set(got) == set(expected)
    for pid, act in expected.items():
        assert got[pid].documents == act.documents and got[pid].roles == act.roles, pid
        assert got[pid].weighted == pytest.approx(act.weighted) and got[pid].last == act.last
    assert ("spy" in got) == (asker in (MEMBER, ASKERS[3]))


def test_too_many_contributions_fall_back_to_sql(fresh_company: SearchEngine,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import search.activity_table as activity_table

    assert ActivityTable.load(fresh_company.store, max_rows=3) is None
    monkeypatch.setattr(activity_table, "MAX_ROWS", 3)
    # tag evidence needs the table (tests/experts/test_tag_evidence.py): compare without it
    sql = by_id(finder_with(fresh_company, tag_weight=0.0).find("kafka", OUTSIDER, limit=20))
    monkeypatch.setattr(activity_table, "MAX_ROWS", 2_000_000)
    # move the store on without changing what the outsider reads (nor their BM25 statistics)
    fresh_company.upsert([doc("bump", "Secret kafka", "Kafka.", ("spy", "author", 1),
                              access=SECURITY)])
    table = by_id(finder_with(fresh_company, tag_weight=0.0).find("kafka", OUTSIDER, limit=20))
    assert sql and {k: round(v.score, 9) for k, v in sql.items()} == {
        k: round(v.score, 9) for k, v in table.items()}


def test_table_follows_index_runs(fresh_company: SearchEngine) -> None:
    finder = finder_with(fresh_company)
    before = by_id(finder.find("kafka", OUTSIDER, limit=20))
    fresh_company.upsert([doc(f"k{i}", f"Kafka {i}", "Kafka kafka consumer lag.",
                              ("newbie", "author", 1)) for i in range(3)])
    after = by_id(finder.find("kafka", OUTSIDER, limit=20))
    assert "newbie" not in before and after["newbie"].documents == 3


def test_big_stores_load_the_table_in_the_background(fresh_company: SearchEngine,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Above SYNC_ROWS the first queries answer from SQL while the table loads, then use it."""
    import time

    import search.activity_lookup as activity_lookup

    monkeypatch.setattr(activity_lookup, "SYNC_ROWS", 0)
    # tag evidence waits for the table (tests/experts/test_tag_evidence.py): compare without it
    first = by_id(finder_with(fresh_company, tag_weight=0.0).find("kafka", OUTSIDER, limit=20))
    seq = fresh_company.reads.refresh()
    deadline = time.monotonic() + 30
    while not fresh_company.reads.peek("activity-table", seq)[0]:
        assert time.monotonic() < deadline, "the table never loaded"
        time.sleep(0.05)
    assert isinstance(fresh_company.reads.peek("activity-table", seq)[1], ActivityTable)
    again = by_id(finder_with(fresh_company, tag_weight=0.0).find("kafka", OUTSIDER, limit=20))
    assert first and {k: round(v.score, 9) for k, v in first.items()} == {
        k: round(v.score, 9) for k, v in again.items()}
