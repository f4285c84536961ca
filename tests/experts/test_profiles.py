"""The candidate-centric profile evidence of the expert finder: recall, evidence, permissions."""

from __future__ import annotations

import pytest

from search.activity import readable_contributors
from search.engine import SearchEngine
from search.experts import ExpertSettings
from search.models import Principal
from tests.experts.conftest import MEMBER, OUTSIDER
from tests.experts.corpus import DOCS, SECURITY, by_id, doc, finder_with


def add_flink_pages(engine: SearchEngine) -> None:
    """Three public pages on flink checkpoints; "deep" wrote only the weakest match."""
    engine.upsert([
        doc("flink1", "Flink checkpoints", "Flink checkpoints and flink savepoints explained.",
            ("top", "author", 10)),
        doc("flink2", "Flink checkpoint tuning", "Tuning flink checkpoint intervals.",
            ("second", "author", 10)),
        doc("flink3", "Streaming jobs", "A long note on many streaming jobs, their owners, "
            "the on-call rota, dashboards and alerts; one of them uses flink.",
            ("deep", "accepted_answerer", 10)),
    ])


def test_profile_finds_a_contributor_beyond_the_top_hits(fresh_company: SearchEngine) -> None:
    add_flink_pages(fresh_company)
    shallow = by_id(finder_with(fresh_company, depth=1, profile_weight=0.0).find(
        "flink", OUTSIDER, limit=20))
    assert "deep" not in shallow
    deep = by_id(finder_with(fresh_company, depth=1, profile_weight=0.5).find(
        "flink", OUTSIDER, limit=20))
    assert {"top", "second", "deep"} <= set(deep)
    evidence = deep["deep"].evidence
    assert [(e.doc_id, e.role) for e in evidence] == [("wiki:flink3", "accepted_answerer")]
    assert 0 < evidence[0].relevance <= 1 and "flink" in evidence[0].snippet.lower()
    assert deep["deep"].documents == 1


def test_profile_weight_scales_the_deep_evidence(fresh_company: SearchEngine) -> None:
    add_flink_pages(fresh_company)
    low = by_id(finder_with(fresh_company, depth=1, profile_weight=0.25,
                            normalisation="none").find("flink", OUTSIDER, limit=20))
    high = by_id(finder_with(fresh_company, depth=1, profile_weight=0.5,
                             normalisation="none").find("flink", OUTSIDER, limit=20))
    assert high["deep"].score == pytest.approx(2 * low["deep"].score)
    # "top" has both the hybrid hit and the profile evidence of the same page
    assert high["top"].score > low["top"].score > high["deep"].score


def test_profile_uses_only_documents_the_asker_may_read(fresh_company: SearchEngine) -> None:
    fresh_company.upsert([doc("flink-secret", "Flink secret job",
                              "Flink flink flink checkpoints of the secret job.",
                              ("spy", "author", 1), access=SECURITY)])
    add_flink_pages(fresh_company)
    for depth in (1, 100):
        finder = finder_with(fresh_company, depth=depth, profile_weight=1.0)
        outsider = by_id(finder.find("flink checkpoints", OUTSIDER, limit=50))
        assert "spy" not in outsider
        for expert in outsider.values():
            assert "wiki:flink-secret" not in {e.doc_id for e in expert.evidence}
        assert "spy" in by_id(finder.find("flink checkpoints", MEMBER, limit=50))
    # the private-only lunch-menu author stays invisible to the anonymous asker
    finder = finder_with(fresh_company, depth=1, profile_weight=1.0)
    assert "prolific" not in by_id(finder.find("lunch menu soup", Principal.anonymous()))
    assert "prolific" in by_id(finder.find("lunch menu soup", MEMBER))


def test_private_page_never_moves_an_outsider_profile_score(
        fresh_company: SearchEngine) -> None:
    add_flink_pages(fresh_company)
    finder = finder_with(fresh_company, depth=1, profile_weight=1.0)
    before = {e.person.id: e.score for e in finder.find("flink", OUTSIDER, limit=20)}
    fresh_company.upsert([doc("flink-private", "Flink", "Flink flink flink.",
                              ("deep", "author", 1), ("top", "author", 1), access=SECURITY)])
    after = {e.person.id: e.score for e in finder.find("flink", OUTSIDER, limit=20)}
    assert after == pytest.approx(before)


def test_readable_contributors_rechecks_access_and_audience(company: SearchEngine) -> None:
    nums = company.store.nums_for([d.id for d in DOCS])
    private = {d.id for d in DOCS if not d.access.public}
    customer = {d.id for d in DOCS if d.audience != "internal"}
    outsider = readable_contributors(company.store, list(nums.values()), OUTSIDER)
    seen = {row.doc_id for _pid, row in outsider}
    assert seen and not seen & (private | customer)
    member = {row.doc_id for _pid, row in
              readable_contributors(company.store, list(nums.values()), MEMBER)}
    assert private <= member and not member & customer
    erin = {(pid, row.doc_id, row.role) for pid, row in
            readable_contributors(company.store, [nums["wiki:qkd"]], MEMBER)}
    assert ("erin", "wiki:qkd", "author") in erin
    assert readable_contributors(company.store, [nums["wiki:qkd"]], OUTSIDER) == []
    assert readable_contributors(company.store, [], OUTSIDER) == []


def test_pruning_with_profiles_keeps_the_exact_top(fresh_company: SearchEngine) -> None:
    docs = [doc(f"etl{i}", f"ETL pipeline note {i}", f"Airflow etl pipeline backfill {i}.",
                (f"star{i % 25:02d}", "accepted_answerer", 5),
                (f"quiet{i % 25:02d}", "answerer", 5))
            for i in range(75)]
    docs += [doc(f"chores{i}-{k}", f"Chores {k}", "Water the office plants.",
                 (f"star{i:02d}", "author", 9)) for i in range(25) for k in range(10)]
    fresh_company.upsert(docs)
    settings = {"log_strength": 1.0, "depth": 20, "profile_weight": 0.5}
    full = finder_with(fresh_company, **settings).find("airflow etl pipeline", OUTSIDER,
                                                      limit=100)
    assert len(full) >= 50
    for limit in (1, 3, 10):
        top = finder_with(fresh_company, **settings).find("airflow etl pipeline", OUTSIDER,
                                                         limit=limit)
        assert [(e.person.id, round(e.score, 9)) for e in top] == [
            (e.person.id, round(e.score, 9)) for e in full[:limit]]


def test_bad_profile_settings_are_rejected() -> None:
    with pytest.raises(ValueError, match="profile"):
        ExpertSettings(profile_weight=-1.0)
    with pytest.raises(ValueError, match="profile"):
        ExpertSettings(profile_depth=0)


def test_topic_background_ignores_private_documents(fresh_company: SearchEngine,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The background sample behind profile topics is drawn from readable documents only."""
    import search.people as people

    monkeypatch.setattr(people, "BACKGROUND_SAMPLE", 3)
    before = people.PeopleDirectory(fresh_company).background(OUTSIDER)
    fresh_company.upsert([doc(f"secret{i}", f"Secret {i}", "vaultword rotation plans",
                              ("spy", "author", 1), access=SECURITY) for i in range(12)])
    after = people.PeopleDirectory(fresh_company).background(OUTSIDER)
    assert after == before and before[0] == 3
    member = people.PeopleDirectory(fresh_company).background(MEMBER)
    assert member[0] == 3 and member != before  # the member's sample does include secrets
