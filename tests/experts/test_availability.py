"""The availability factor: scores scaled by how recently a person did readable work."""

from __future__ import annotations

import pytest

from search.activity import Activity, readable_activity
from search.engine import SearchEngine
from search.experts import ExpertFinder, ExpertSettings
from search.models import Principal
from tests.experts.conftest import MEMBER, OUTSIDER
from tests.experts.corpus import SECURITY, by_id, days_ago, doc, finder_with

ISOLATED = {"normalisation": "none", "half_life_days": None, "skill_bonus": 0.0}


def add_twins(engine: SearchEngine) -> None:
    """Two answerers of the same page, 40 days ago; "busy" also wrote a public note 2 days ago."""
    engine.upsert([
        doc("spark", "Spark shuffle tuning", "Tuning spark shuffle partitions and spill.",
            ("busy", "answerer", 40), ("quiet", "answerer", 40)),
        doc("rota", "On-call rota", "Who is on call this week.", ("busy", "author", 2)),
    ])


def factor(days: float, half: float, floor: float) -> float:
    """Return the expected availability factor."""
    return floor + (1 - floor) * 0.5 ** (days / half)


def test_recently_active_person_ranks_first_by_the_formula(fresh_company: SearchEngine) -> None:
    add_twins(fresh_company)
    found = by_id(finder_with(fresh_company, availability_half_life_days=7.0,
                              availability_floor=0.1, **ISOLATED).find("spark shuffle", OUTSIDER))
    assert found["busy"].score > found["quiet"].score
    assert found["busy"].score / found["quiet"].score == pytest.approx(
        factor(2, 7, 0.1) / factor(40, 7, 0.1))
    off = by_id(finder_with(fresh_company, availability_half_life_days=None, **ISOLATED).find(
        "spark shuffle", OUTSIDER))
    assert off["busy"].score == pytest.approx(off["quiet"].score)
    assert found["busy"].score == pytest.approx(off["busy"].score * factor(2, 7, 0.1))


def test_floor_keeps_long_quiet_people_findable(fresh_company: SearchEngine) -> None:
    fresh_company.upsert([doc("mainframe", "COBOL batch jobs", "Our cobol batch jobs at night.",
                              ("veteran", "author", 2000))])
    found = by_id(finder_with(fresh_company, availability_half_life_days=7.0,
                              availability_floor=0.25, **ISOLATED).find("cobol batch", OUTSIDER))
    off = by_id(finder_with(fresh_company, availability_half_life_days=None, **ISOLATED).find(
        "cobol batch", OUTSIDER))
    assert found["veteran"].score == pytest.approx(off["veteran"].score * 0.25, rel=1e-6)
    zero = by_id(finder_with(fresh_company, availability_half_life_days=7.0,
                             availability_floor=0.0, **ISOLATED).find("cobol batch", OUTSIDER))
    assert 0 < zero["veteran"].score < 1e-50


def test_private_recent_work_counts_only_for_those_who_may_read_it(
        fresh_company: SearchEngine) -> None:
    fresh_company.upsert([
        doc("spark", "Spark shuffle tuning", "Tuning spark shuffle partitions and spill.",
            ("busy", "answerer", 40), ("quiet", "answerer", 40)),
    ])
    settings = {"availability_half_life_days": 7.0, "availability_floor": 0.1, **ISOLATED}
    finder = finder_with(fresh_company, **settings)
    before = by_id(finder.find("spark shuffle", OUTSIDER))
    fresh_company.upsert([doc("incident", "Incident review", "A secret incident review.",
                              ("busy", "author", 1), access=SECURITY)])
    outsider = by_id(finder.find("spark shuffle", OUTSIDER))
    assert outsider["busy"].score == pytest.approx(before["busy"].score)
    assert outsider["busy"].score == pytest.approx(outsider["quiet"].score)
    member = by_id(finder.find("spark shuffle", MEMBER))
    assert member["busy"].score / member["quiet"].score == pytest.approx(
        factor(1, 7, 0.1) / factor(40, 7, 0.1))
    assert "wiki:incident" not in {e.doc_id for e in outsider["busy"].evidence}


def test_customer_posts_do_not_count_as_recent_work(fresh_company: SearchEngine) -> None:
    fresh_company.upsert([
        doc("spark", "Spark shuffle tuning", "Tuning spark shuffle partitions and spill.",
            ("busy", "answerer", 40), ("quiet", "answerer", 40)),
        doc("tweet", "Loving it", "Great product.", ("busy", "author", 1), audience="customer"),
    ])
    found = by_id(finder_with(fresh_company, **ISOLATED).find("spark shuffle", OUTSIDER))
    assert found["busy"].score == pytest.approx(found["quiet"].score)


def test_readable_activity_reports_the_latest_readable_contribution(
        fresh_company: SearchEngine) -> None:
    add_twins(fresh_company)
    fresh_company.upsert([doc("incident", "Incident review", "A secret incident review.",
                              ("busy", "author", 1), access=SECURITY)])
    outsider = readable_activity(fresh_company.store, ["busy", "quiet", "nobody"], OUTSIDER)
    assert outsider["busy"].last == days_ago(2)
    assert outsider["quiet"].last == days_ago(40)
    assert "nobody" not in outsider
    assert readable_activity(fresh_company.store, ["busy"], MEMBER)["busy"].last == days_ago(1)
    anonymous = readable_activity(fresh_company.store, ["busy"], Principal.anonymous())
    assert anonymous["busy"].last == days_ago(2)


def test_pruning_with_availability_stops_early_and_keeps_the_exact_top(
        fresh_company: SearchEngine) -> None:
    docs = [doc("lead", "Airflow etl pipeline", "Airflow etl pipeline: airflow etl pipeline.",
                ("lead", "answerer", 1))]
    docs += [doc(f"etl{i}", f"Note {i}", f"Airflow etl pipeline backfill {i}" + " notes" * i,
                 (f"p{i:02d}", "answerer", 1 if i < 30 else 400)) for i in range(59)]
    fresh_company.upsert(docs)
    # relevance falls slowly with rank (rank_k 30) and only availability tells people apart:
    # the quiet people ranked 31+ have bounds high enough that a factor above 1 would matter
    settings = {"normalisation": "none", "depth": 60, "rank_k": 30.0, "skill_bonus": 0.0,
                "half_life_days": None, "availability_half_life_days": 7.0,
                "availability_floor": 0.1}
    full = finder_with(fresh_company, **settings).find("airflow etl pipeline", OUTSIDER,
                                                      limit=100)
    assert len(full) >= 50 and full[0].person.id == "lead"
    for limit in (1, 3, 10):
        finder = finder_with(fresh_company, **settings)
        looked_up = spy_on_activity(finder)
        top = finder.find("airflow etl pipeline", OUTSIDER, limit=limit)
        assert [(e.person.id, round(e.score, 9)) for e in top] == [
            (e.person.id, round(e.score, 9)) for e in full[:limit]]
        if limit == 1:
            assert len(looked_up) < 60  # pruned: not everyone's activity was read


def spy_on_activity(finder: ExpertFinder) -> list[str]:
    """Record the person ids whose readable activity the finder looks up."""
    looked_up: list[str] = []
    lookup = finder._activity

    def spy(ids: list[str], principal: Principal) -> dict[str, Activity]:
        looked_up.extend(ids)
        return lookup(ids, principal)

    finder._activity = spy  # type: ignore[method-assign]
    return looked_up


def test_bad_availability_settings_are_rejected() -> None:
    with pytest.raises(ValueError, match="availability_half_life"):
        ExpertSettings(availability_half_life_days=0)
    with pytest.raises(ValueError, match="availability_floor"):
        ExpertSettings(availability_floor=1.5)


def test_pruning_stops_early_when_everyone_has_been_quiet(fresh_company: SearchEngine) -> None:
    """The newest work in the store caps the availability factor, so old corpora prune too."""
    import dataclasses
    from datetime import timedelta

    from tests.experts.corpus import NOW

    docs = [doc(f"etl{i}", f"Note {i}", f"Airflow etl pipeline backfill {i}" + " notes" * i,
                (f"p{i:02d}", "answerer", 400)) for i in range(59)]
    fresh_company.upsert(docs)
    settings = dataclasses.replace(
        ExpertSettings(), normalisation="none", depth=60, rank_k=30.0, skill_bonus=0.0,
        half_life_days=None, availability_half_life_days=7.0, availability_floor=0.1)
    later = NOW + timedelta(days=3650)  # everyone's last work is ten years old
    full = ExpertFinder(fresh_company, settings, clock=lambda: later).find(
        "airflow etl pipeline", OUTSIDER, limit=100)
    finder = ExpertFinder(fresh_company, settings, clock=lambda: later)
    looked_up = spy_on_activity(finder)
    top = finder.find("airflow etl pipeline", OUTSIDER, limit=1)
    assert [(e.person.id, round(e.score, 9)) for e in top] == [
        (e.person.id, round(e.score, 9)) for e in full[:1]]
    assert len(looked_up) <= 20  # one batch: nobody's bound can beat the first exact score
