"""Expertise by tag: people credited through the tags of the top hits, only over readable work."""

from __future__ import annotations

from typing import Any

import pytest

from search.engine import SearchEngine
from search.experts import Expert, ExpertFinder, ExpertSettings
from search.tag_evidence import tag_weights
from tests.experts.conftest import MEMBER, OUTSIDER
from tests.experts.corpus import NOW, SECURITY, by_id, days_ago, doc, finder_with

# one hit, raw totals, no decay, availability or skills: scores follow the formula exactly
EXACT = {"depth": 1, "tag_depth": 1, "normalisation": "none", "half_life_days": None,
         "availability_half_life_days": None, "skill_bonus": 0.0}
TOPIC = "consumer lag"


def add_lag_pages(engine: SearchEngine) -> None:
    """A page matching the topic, and a kafka page that does not mention it."""
    engine.upsert([
        doc("lag", "Consumer lag alerts", "Alerting on consumer lag per partition.",
            ("lena", "answerer", 10), tags=("kafka",)),
        doc("upgrade", "Broker upgrade notes", "Rolling upgrade of the brokers, one by one.",
            ("tao", "answerer", 10), tags=("kafka",)),
    ])


def ranking(experts: list[Expert]) -> list[tuple[str, float, tuple[str, ...]]]:
    """Return ids, rounded scores and tags, best first."""
    return [(e.person.id, round(e.score, 9), e.tags) for e in experts]


def test_tag_finds_a_contributor_whose_pages_do_not_match(fresh_company: SearchEngine) -> None:
    add_lag_pages(fresh_company)
    off = by_id(finder_with(fresh_company, tag_weight=0.0, **EXACT).find(TOPIC, OUTSIDER))
    assert set(off) == {"lena"} and off["lena"].score == pytest.approx(3.0)
    on = by_id(finder_with(fresh_company, tag_weight=1.0, **EXACT).find(TOPIC, OUTSIDER))
    # kafka credits over readable internal pages: lena 3, tao 3, zed 5 (accepted answer on the
    # corpus's kafka page), amy 0.5; the best (zed) scales to tag_weight × the best total (3)
    assert on["tao"].score == pytest.approx(3.0 * 3 / 5)
    assert on["lena"].score == pytest.approx(3.0 + 3.0 * 3 / 5)
    assert on["zed"].score == pytest.approx(3.0)
    assert on["amy"].score == pytest.approx(3.0 * 0.5 / 5)
    assert "c.eve" not in on  # a customer is never an expert, whatever they wrote
    assert on["tao"].tags == ("kafka",) and on["tao"].to_dict()["tags"] == ["kafka"]
    # a tag-only expert's evidence is their work under the topic's tags
    assert [(e.doc_id, e.role, e.at, e.relevance) for e in on["tao"].evidence] == [
        ("wiki:upgrade", "answerer", days_ago(10), 1.0)]
    assert on["tao"].documents == 1  # the evidence shown is counted, not "0 documents"
    assert [e.doc_id for e in on["zed"].evidence] == ["wiki:kafka"]
    # people found through the hits keep their hit evidence first, then tagged work
    assert [e.doc_id for e in on["lena"].evidence] == ["wiki:lag"]


def test_private_tags_and_contributions_never_move_an_outsider(
        fresh_company: SearchEngine) -> None:
    add_lag_pages(fresh_company)
    fresh_company.upsert([doc("ops", "Ops runbook", "Restart order for the brokers.",
                              ("bystander", "author", 10), tags=("secret-ops",))])
    finder = finder_with(fresh_company, tag_weight=1.0, depth=5, tag_depth=5)
    before = ranking(finder.find(TOPIC, OUTSIDER, limit=50))
    fresh_company.upsert([
        # the best match for the topic, readable by the security team only, with its own tag
        doc("lag-secret", "Consumer lag incident", "Consumer lag incident: consumer lag grew.",
            ("insider", "accepted_answerer", 1), access=SECURITY, tags=("secret-ops",)),
        # private kafka work that would raise tao and a newcomer under the kafka tag
        doc("kafka-private", "Kafka quotas", "Quotas per client.", ("tao", "accepted_answerer", 1),
            ("newcomer", "answerer", 1), access=SECURITY, tags=("kafka",)),
    ])
    after = ranking(finder.find(TOPIC, OUTSIDER, limit=50))
    assert after == before
    assert not {"insider", "bystander", "newcomer"} & {pid for pid, _s, _t in after}
    member = by_id(finder.find(TOPIC, MEMBER, limit=50))
    assert {"insider", "bystander", "newcomer"} <= set(member)
    assert "secret-ops" in member["bystander"].tags
    outsider = by_id(finder.find(TOPIC, OUTSIDER, limit=50))
    assert "wiki:kafka-private" not in {e.doc_id for x in outsider.values() for e in x.evidence}
    assert "wiki:kafka-private" in {e.doc_id for e in member["newcomer"].evidence}


def test_customer_posts_give_no_tag_credit(fresh_company: SearchEngine) -> None:
    add_lag_pages(fresh_company)
    fresh_company.upsert([doc("rant", "Kafka is slow", "Why is it slow.", ("fan", "author", 1),
                              audience="customer", tags=("kafka",))])
    found = by_id(finder_with(fresh_company, tag_weight=1.0, **EXACT).find(TOPIC, OUTSIDER))
    assert "fan" not in found and "tao" in found


def test_since_and_recency_decay_apply_to_tag_credit(fresh_company: SearchEngine) -> None:
    add_lag_pages(fresh_company)
    fresh_company.upsert([doc("old", "Old kafka notes", "Zookeeper era notes.",
                              ("veteran", "accepted_answerer", 190), tags=("kafka",))])
    exact = {**EXACT, "half_life_days": 180.0}
    found = by_id(finder_with(fresh_company, tag_weight=1.0, **exact).find(TOPIC, OUTSIDER))
    # ages count from the newest contribution in the store (1 day ago: the customer post of
    # the corpus is not internal, the newest internal work is 10 days old)
    assert found["veteran"].score / found["tao"].score == pytest.approx(
        5 * 0.5 ** (180 / 180) / 3)
    recent = by_id(finder_with(fresh_company, tag_weight=1.0, **exact).find(
        TOPIC, OUTSIDER, since=days_ago(60)))
    assert "veteran" not in recent and "zed" in recent and "tao" in recent


def test_the_finder_sees_new_tagged_work_after_an_index_change(
        fresh_company: SearchEngine) -> None:
    add_lag_pages(fresh_company)
    finder = finder_with(fresh_company, tag_weight=1.0, **EXACT)
    assert "newcomer" not in by_id(finder.find(TOPIC, OUTSIDER))
    fresh_company.upsert([doc("acl", "Kafka ACLs", "Granting topic ACLs.",
                              ("newcomer", "answerer", 2), tags=("kafka",))])
    assert by_id(finder.find(TOPIC, OUTSIDER))["newcomer"].tags == ("kafka",)


class _WithoutReadCache:
    """The engine seen through a wrapper without its read cache (as the benchmark wraps it)."""

    def __init__(self, engine: SearchEngine) -> None:
        self._engine = engine

    def __getattr__(self, name: str) -> Any:
        if name == "reads":
            raise AttributeError(name)
        return getattr(self._engine, name)


def test_the_finder_scores_the_same_without_the_read_cache(fresh_company: SearchEngine) -> None:
    add_lag_pages(fresh_company)
    settings = ExpertSettings(tag_weight=1.0)
    shared = ExpertFinder(fresh_company, settings, clock=lambda: NOW)
    local = ExpertFinder(_WithoutReadCache(fresh_company), settings,  # type: ignore[arg-type]
                         clock=lambda: NOW)
    for principal in (OUTSIDER, MEMBER):
        assert ranking(local.find(TOPIC, principal)) == ranking(shared.find(TOPIC, principal))


def test_topic_tags_split_each_hit_over_its_tags() -> None:
    weights = tag_weights([(1.0, ("kafka", "streaming")), (0.5, ("kafka",)), (0.2, ())])
    assert weights == pytest.approx({"kafka": 1.0, "streaming": 0.5})
    assert list(tag_weights([(1.0, ("b",)), (1.0, ("a",)), (0.1, ("c",))], limit=2)) == ["a", "b"]


def test_no_tags_no_change(fresh_company: SearchEngine) -> None:
    off = finder_with(fresh_company, tag_weight=0.0).find("grpc deadlines", OUTSIDER)
    on = finder_with(fresh_company, tag_weight=1.0).find("grpc deadlines", OUTSIDER)
    assert ranking(on) == ranking(off) and on


def test_bad_tag_settings_are_rejected() -> None:
    with pytest.raises(ValueError, match="tag_weight"):
        ExpertSettings(tag_weight=-1.0)
    with pytest.raises(ValueError, match="tag_depth"):
        ExpertSettings(tag_depth=0)


def test_without_the_contribution_table_the_tag_signal_waits(
        fresh_company: SearchEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above MAX_ROWS (and while a big table loads) no per-query scan stands in for the table."""
    import search.activity_table as activity_table

    add_lag_pages(fresh_company)
    monkeypatch.setattr(activity_table, "MAX_ROWS", 3)
    without = finder_with(fresh_company, tag_weight=1.0, **EXACT).find(TOPIC, OUTSIDER)
    assert ranking(without) == ranking(
        finder_with(fresh_company, tag_weight=0.0, **EXACT).find(TOPIC, OUTSIDER))
    monkeypatch.setattr(activity_table, "MAX_ROWS", 2_000_000)
    fresh_company.upsert([doc("bump", "Secret note", "Nothing.", ("spy", "author", 1),
                              access=SECURITY)])
    assert "tao" in by_id(finder_with(fresh_company, tag_weight=1.0, **EXACT).find(
        TOPIC, OUTSIDER))


def test_big_stores_build_the_tag_credits_in_the_background(
        fresh_company: SearchEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above SYNC_ROWS the table, tags and credits load in threads; then the signal is used."""
    import time

    import search.activity_lookup as activity_lookup

    add_lag_pages(fresh_company)
    monkeypatch.setattr(activity_lookup, "SYNC_ROWS", 0)
    finder = finder_with(fresh_company, tag_weight=1.0, **EXACT)
    deadline = time.monotonic() + 30
    while "tao" not in by_id(finder.find(TOPIC, OUTSIDER)):
        assert time.monotonic() < deadline, "the tag credits never loaded"
        time.sleep(0.05)
    assert by_id(finder.find(TOPIC, OUTSIDER))["tao"].score == pytest.approx(3.0 * 3 / 5)
