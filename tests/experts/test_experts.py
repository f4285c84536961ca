"""Expert finding: role weights, recency, skills, normalisation, permissions and bad input."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest

from search.engine import SearchEngine
from search.experts import ExpertFinder, ExpertQueryError, ExpertSettings
from search.models import Principal
from tests.experts.conftest import MEMBER, OUTSIDER
from tests.experts.corpus import DOCS, SECURITY, by_id, days_ago, doc, finder_with


def test_accepted_answer_outweighs_comment_by_the_role_weights(finder: ExpertFinder) -> None:
    ranked = finder.find("kafka partition rebalancing", OUTSIDER)
    assert ranked[0].person.id == "zed"  # zed's id sorts after amy's: only the role puts it first
    found = by_id(ranked)
    assert found["zed"].score / found["amy"].score == pytest.approx(5.0 / 0.5)
    assert found["zed"].evidence[0].role == "accepted_answerer"
    assert found["amy"].evidence[0].role == "commenter"


def test_custom_role_weights_change_the_order(company: SearchEngine) -> None:
    weights = {"accepted_answerer": 0.5, "commenter": 5.0}
    finder = finder_with(company, role_weights=weights)
    assert finder.find("kafka partition rebalancing", OUTSIDER)[0].person.id == "amy"


def test_recent_contributions_weigh_more_with_the_half_life(company: SearchEngine) -> None:
    decayed = by_id(finder_with(company, half_life_days=365.0, availability_half_life_days=None
                                ).find("grpc deadline", OUTSIDER))
    assert decayed["fresh"].score / decayed["stale"].score == pytest.approx(
        0.5 ** (10 / 365) / 0.5 ** (730 / 365))
    flat = by_id(finder_with(company, half_life_days=None, availability_half_life_days=None
                             ).find("grpc deadline", OUTSIDER))
    assert flat["fresh"].score == pytest.approx(flat["stale"].score)


def test_since_drops_older_contributions(finder: ExpertFinder) -> None:
    found = by_id(finder.find("grpc deadline", OUTSIDER, since=days_ago(100)))
    assert "fresh" in found and "stale" not in found


def test_declared_skill_breaks_a_tie_and_is_reported(finder: ExpertFinder) -> None:
    found = finder.find("kubernetes ingress controller", OUTSIDER)
    ids = [e.person.id for e in found]
    # kim and amos answered the same page at the same time; only kim declares Kubernetes
    assert ids.index("kim") < ids.index("amos")
    assert by_id(found)["kim"].matched_skills == ("Kubernetes",)
    assert by_id(found)["amos"].matched_skills == ()


def test_words_shared_by_chance_are_not_expertise(company: SearchEngine) -> None:
    topic = "kubernetes ingress controller"
    on = by_id(finder_with(company, topic_floor=float("-inf")).find(topic, OUTSIDER))
    assert "amos" in on  # evidence from a page that matches the words
    # no hit is close enough in meaning (the hashing embedder never reaches 0.99): no page counts
    gated = by_id(finder_with(company, topic_floor=0.99).find(topic, OUTSIDER))
    assert "amos" not in gated
    assert gated["kim"].matched_skills == ("Kubernetes",) and gated["kim"].evidence == []
    keyword_only = by_id(finder_with(company, topic_floor=0.99, fusion="keyword").find(
        topic, OUTSIDER))
    assert "amos" in keyword_only  # no vector leg, no cosine to ask: the words are the evidence


def test_skill_alone_makes_an_expert_without_evidence(finder: ExpertFinder) -> None:
    found = by_id(finder.find("cryptography", OUTSIDER))
    assert found["carol"].matched_skills == ("cryptography",)
    assert found["carol"].evidence == []


def test_expert_by_skill_alone_keeps_their_directory_entry(finder: ExpertFinder) -> None:
    carol = by_id(finder.find("cryptography", OUTSIDER))["carol"].person
    assert (carol.name, carol.title) == ("Carol Diaz", "Security Engineer")


def test_log_normalisation_uses_only_readable_activity(company: SearchEngine) -> None:
    finder = finder_with(company, normalisation="log")
    # "prolific" wrote 12 more pages, all private to the security team
    outsider = by_id(finder.find("hadoop cluster sizing", OUTSIDER))
    assert outsider["prolific"].score == pytest.approx(outsider["focused"].score)
    member = by_id(finder.find("hadoop datanodes yarn containers", MEMBER))
    assert member["focused"].score > member["prolific"].score
    raw = by_id(finder_with(company, normalisation="none").find(
        "hadoop datanodes yarn containers", MEMBER))
    assert raw["prolific"].score >= raw["focused"].score


def test_model2_normalisation_penalises_prolific_people(company: SearchEngine) -> None:
    found = by_id(finder_with(company, normalisation="model2", model2_prior=1.0).find(
        "hadoop datanodes yarn containers", MEMBER))
    assert found["focused"].score > 3 * found["prolific"].score


def test_private_evidence_is_invisible_to_outsiders(finder: ExpertFinder) -> None:
    assert "erin" not in by_id(finder.find("quantum key distribution", OUTSIDER))
    member = by_id(finder.find("quantum key distribution", MEMBER))
    assert member["erin"].evidence[0].doc_id == "wiki:qkd"


def test_evidence_lists_only_readable_documents(finder: ExpertFinder) -> None:
    private = {d.id for d in DOCS if not d.access.public}
    for topic in ("terraform secrets vault", "terraform state", "quantum key", "lunch menu soup"):
        for expert in finder.find(topic, OUTSIDER, limit=50):
            assert not {e.doc_id for e in expert.evidence} & private
    zoe = by_id(finder.find("terraform secrets vault", MEMBER))["zoe"]
    assert "wiki:terraform-secret" in {e.doc_id for e in zoe.evidence}


def test_anonymous_sees_no_private_only_contributor(finder: ExpertFinder) -> None:
    assert "prolific" not in by_id(finder.find("lunch menu soup bread", Principal.anonymous()))
    assert "prolific" in by_id(finder.find("lunch menu soup bread", MEMBER))


def test_customers_and_customer_posts_never_make_experts(finder: ExpertFinder) -> None:
    assert "c.eve" not in by_id(finder.find("kafka partition rebalancing", MEMBER, limit=50))
    # dave only replied to a customer-audience post about refunds
    assert "dave" not in by_id(finder.find("refund policy", MEMBER, limit=50))


def test_contributor_missing_from_directory_is_still_an_expert(finder: ExpertFinder) -> None:
    zed = by_id(finder.find("kafka partition rebalancing", OUTSIDER))["zed"]
    assert zed.person.name == "zed"


def test_evidence_carries_snippet_role_time_and_relevance(finder: ExpertFinder) -> None:
    zoe = by_id(finder.find("pandas dataframe merge_asof", OUTSIDER))["zoe"]
    assert zoe.documents == 2
    assert [e.doc_id for e in zoe.evidence][:2] in (["wiki:pandas", "wiki:pandas-merge"],
                                                   ["wiki:pandas-merge", "wiki:pandas"])
    first = zoe.evidence[0]
    assert "<mark" in first.snippet and first.role == "author"
    assert first.at == days_ago(60) or first.at == days_ago(70)
    assert 0 < first.relevance <= 1.0
    data = json.loads(json.dumps(zoe.to_dict()))
    assert data["person"]["name"] == "Zoë Ångström" and data["evidence"][0]["role"] == "author"
    assert "groups" not in data["person"]


def test_json_scores_keep_their_precision_on_old_data(finder: ExpertFinder) -> None:
    """Recency decay makes scores tiny on years-old data; JSON keeps six significant digits."""
    zoe = by_id(finder.find("pandas dataframe merge_asof", OUTSIDER))["zoe"]
    old = dataclasses.replace(zoe, score=zoe.score * 1e-9)
    assert old.to_dict()["score"] == pytest.approx(old.score, rel=1e-5)
    assert old.to_dict()["score"] > 0


def test_exclude_and_limit(finder: ExpertFinder) -> None:
    found = finder.find("kafka partition rebalancing", OUTSIDER, limit=1, exclude={"zed"})
    assert [e.person.id for e in found] == ["amy"]


@pytest.mark.parametrize("topic", ["", "   ", "?!", "\n"])
def test_empty_topic_is_a_clear_error(finder: ExpertFinder, topic: str) -> None:
    with pytest.raises(ExpertQueryError, match="empty"):
        finder.find(topic, OUTSIDER)


def test_topic_matching_nothing_gives_no_experts(finder: ExpertFinder) -> None:
    assert finder.find("xylophone zeppelin", OUTSIDER) == []


def test_empty_store_gives_no_experts(engine: SearchEngine) -> None:
    assert ExpertFinder(engine).find("anything at all", Principal.anonymous()) == []


def test_bad_settings_are_rejected() -> None:
    with pytest.raises(ValueError, match="normalisation"):
        ExpertSettings(normalisation="bogus")
    with pytest.raises(ValueError, match="half_life"):
        ExpertSettings(half_life_days=0)


def test_private_document_added_later_does_not_change_outsider_scores(
        fresh_company: SearchEngine) -> None:
    company = fresh_company
    finder = finder_with(company)
    before = {e.person.id: e.score for e in finder.find("hadoop cluster sizing", OUTSIDER)}
    company.upsert([doc("hadoop-private", "Hadoop cluster sizing for the secret project",
                        "Sizing hadoop datanodes for the secret project.",
                        ("focused", "author", 1), access=SECURITY)])
    after = {e.person.id: e.score for e in finder.find("hadoop cluster sizing", OUTSIDER)}
    assert after["focused"] == pytest.approx(before["focused"])
    member = by_id(finder.find("hadoop cluster sizing", MEMBER))["focused"]
    assert "wiki:hadoop-private" in {e.doc_id for e in member.evidence}


def test_pruned_normalisation_keeps_the_exact_top(fresh_company: SearchEngine) -> None:
    # 25 "stars" have the most evidence but also many unrelated pages (high bound, low exact
    # score); 25 "quiet" people have less evidence and nothing else. Activity is looked up in
    # bound order, so stopping after the first batch would wrongly return stars.
    docs = [doc(f"etl{i}", f"ETL pipeline note {i}", f"Airflow etl pipeline backfill {i}.",
                (f"star{i % 25:02d}", "accepted_answerer", 5),
                (f"quiet{i % 25:02d}", "answerer", 5))
            for i in range(75)]
    docs += [doc(f"chores{i}-{k}", f"Chores {k}", "Water the office plants.",
                 (f"star{i:02d}", "author", 9)) for i in range(25) for k in range(30)]
    fresh_company.upsert(docs)
    finder = finder_with(fresh_company, log_strength=1.0)
    for topic in ("airflow etl pipeline", "etl backfill note"):
        full = finder.find(topic, OUTSIDER, limit=100)
        assert len(full) >= 50 and full[0].person.id.startswith("quiet")
        for limit in (1, 3, 10):
            top = finder_with(fresh_company, log_strength=1.0).find(topic, OUTSIDER, limit=limit)
            assert [(e.person.id, round(e.score, 9)) for e in top] == [
                (e.person.id, round(e.score, 9)) for e in full[:limit]]


def test_activity_cache_follows_store_changes(fresh_company: SearchEngine) -> None:
    finder = finder_with(fresh_company, log_strength=1.0, availability_half_life_days=None)
    before = by_id(finder.find("hadoop cluster sizing", OUTSIDER))["focused"].score
    fresh_company.upsert([doc("cooking", "Sourdough starter", "Feed the starter daily.",
                              ("focused", "author", 3))])
    after = by_id(finder.find("hadoop cluster sizing", OUTSIDER))["focused"].score
    assert after == pytest.approx(before / (1 + math.log(2)))
