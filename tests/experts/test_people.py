"""People search (accents, partial names, titles, skills) and profiles (readable work only)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from search.engine import SearchEngine
from search.models import Document, Person, Principal
from search.people import PeopleDirectory, PeopleQueryError, PersonNotFoundError
from search.terms import fold, skill_match, words
from tests.experts.conftest import MEMBER, OUTSIDER
from tests.experts.corpus import doc


def ids(directory: PeopleDirectory, query: str, **kw: object) -> list[str]:
    """Return the ids found for a query, in rank order."""
    return [m.person.id for m in directory.search(query, OUTSIDER, **kw)]  # type: ignore[arg-type]


def test_fold_and_words_ignore_accents_and_case() -> None:
    assert fold("Zoë ÅNGSTRÖM") == "zoe angstrom"
    assert words("C++ and Node.js, O'Brien!") == ["c++", "and", "node.js", "o'brien"]
    assert fold("Yılmaz Søren Łukasz Straße") == "yilmaz soren lukasz strasse"


def test_skill_match_scores_coverage_of_each_skill() -> None:
    assert skill_match(["Machine Learning", "Go"], {"machine", "learning", "model"}) == (
        1.0, ("Machine Learning",))
    assert skill_match(["machine learning"], {"learning"}) == (0.5, ("machine learning",))
    assert skill_match(["Kubernetes"], {"terraform"}) == (0.0, ())


@pytest.mark.parametrize("query", ["zoe", "Zoë", "ZOE", "angstrom", "Ångström", "zoe angs"])
def test_names_match_without_accents_and_in_part(directory: PeopleDirectory,
                                                 query: str) -> None:
    assert ids(directory, query) == ["zoe"]


def test_ambiguous_name_returns_everyone_ranked(directory: PeopleDirectory) -> None:
    assert ids(directory, "martin") == ["alice", "dave"]  # Martín and Martin, tie by name
    assert ids(directory, "dave martin")[0] == "dave"
    assert ids(directory, "mar") == ["alice", "dave"]


def test_exact_full_name_ranks_first(directory: PeopleDirectory) -> None:
    found = directory.search("Alice Martín", OUTSIDER)
    assert found[0].person.id == "alice" and found[0].score > 6
    assert found[0].matched == ("name",)


def test_search_by_skill_title_department_and_email(directory: PeopleDirectory) -> None:
    assert ids(directory, "kubernetes") == ["alice", "kim"]
    assert ids(directory, "kube") == ["alice", "kim"]
    assert ids(directory, "machine learning") == ["zoe"]
    assert ids(directory, "security engineer") == ["carol"]
    assert set(ids(directory, "platform")) == {"alice", "bob", "kim"}
    assert ids(directory, "alice.martin@example.com") == ["alice"]
    match = directory.search("kubernetes", OUTSIDER)[0]
    assert match.matched == ("skill:Kubernetes",)


def test_every_word_must_match(directory: PeopleDirectory) -> None:
    assert ids(directory, "zoe platform") == []
    assert ids(directory, "nobody-like-this") == []


def test_customers_are_hidden_unless_asked(directory: PeopleDirectory) -> None:
    assert ids(directory, "eve") == []
    assert ids(directory, "eve", include_customers=True) == ["c.eve"]


def test_limit_and_json(directory: PeopleDirectory) -> None:
    assert len(directory.search("platform", OUTSIDER, limit=1)) == 1
    data = json.loads(json.dumps(directory.search("zoe", OUTSIDER)[0].to_dict()))
    assert data["person"]["skills"] == ["machine learning", "Python"]


@pytest.mark.parametrize("query", ["", "  ", "!!"])
def test_empty_people_query_is_a_clear_error(directory: PeopleDirectory, query: str) -> None:
    with pytest.raises(PeopleQueryError, match="empty"):
        directory.search(query, OUTSIDER)


def test_directory_sees_new_people(fresh_company: SearchEngine) -> None:
    company, directory = fresh_company, PeopleDirectory(fresh_company)
    assert ids(directory, "yusuf") == []
    company.upsert_people([Person("yusuf", "Yusuf Öztürk", title="Designer")])
    assert ids(directory, "ozturk") == ["yusuf"]


def test_profile_topics_come_from_readable_documents(directory: PeopleDirectory) -> None:
    outsider = directory.profile("zoe", OUTSIDER)
    terms = {t.term for t in outsider.topics}
    assert {"pandas", "terraform"} <= terms
    assert "vault" not in terms  # only tagged on a private page
    assert not terms & {"zoe", "zoë", "angstrom", "ångström"}  # her own name is no topic
    assert outsider.topics[0].weight == pytest.approx(1.0)
    member_terms = {t.term for t in directory.profile("zoe", MEMBER).topics}
    assert "vault" in member_terms


def test_topic_words_stand_out_from_the_same_kind_of_writing(fresh_company: SearchEngine) -> None:
    def thread(native: str, title: str, text: str, who: str) -> Document:
        return replace(doc(native, title, text, (who, "answerer", 10)), id=f"qa:{native}",
                       source="qa", kind="qa")

    # wiki pages next to a Q&A site whose threads all carry the site's labels and links
    fresh_company.upsert([doc(f"page{i}", f"Office {subject} {i}", f"Where the {subject} is.",
                              ("prolific", "author", 25))
                          for i, subject in enumerate(["lunch", "parking", "printers"] * 15)])
    fresh_company.upsert([
        thread(f"t{i}", f"Question {i} about {subject}",
               f"Answer (accepted, score {i}): see https://github.com/acme/{subject} and commit "
               f"845f22e50f8ab4 for the {subject} fix. Comment: thanks, isn't it done?",
               "prolific")
        for i, subject in enumerate(["lunch", "parking", "printers", "badges", "wifi"] * 6)])
    fresh_company.upsert([
        thread(f"asof{i}", f"merge_asof question {i}",
               "Answer (accepted, score 2): merge_asof needs sorted keys; see "
               "https://github.com/acme/merge_asof and commit 845f22e50f8ab4. Comment: thanks, "
               "isn't it done? merge_asof with tolerance windows.", "yan") for i in range(3)])
    terms = {t.term for t in PeopleDirectory(fresh_company).profile("yan", OUTSIDER).topics}
    assert {"asof", "tolerance", "windows"} <= terms
    assert not terms & {"answer", "accepted", "score", "comment", "thanks", "github.com",
                        "845f22e50f8ab4", "isn't", "https"}


def test_a_tag_everyone_shares_is_no_topic(fresh_company: SearchEngine) -> None:
    def chat(native: str, channel: str, who: str) -> Document:
        return replace(doc(native, f"#{channel}: note {native}", f"message {native}",
                           (who, "author", 5), tags=(channel,)),
                       id=f"slack:{native}", source="slack", kind="thread")

    fresh_company.upsert([chat(f"g{i}", "general", "prolific") for i in range(30)]
                         + [chat(f"y{i}", "general", "yan") for i in range(6)]
                         + [chat(f"d{i}", "datajam", "yan") for i in range(3)])
    tags = {t.term for t in PeopleDirectory(fresh_company).profile("yan", OUTSIDER).topics
            if t.kind == "tag"}
    assert tags == {"datajam"}  # #general is where everyone writes


def test_colleagues_names_are_no_topics(fresh_company: SearchEngine) -> None:
    fresh_company.upsert([doc(f"pairing{i}", f"Pairing with Kim Park on pandas {i}",
                              "Kim Park and I reviewed the pandas dataframes; Kim Park merged.",
                              ("zoe", "author", 10)) for i in range(3)])
    terms = {t.term for t in PeopleDirectory(fresh_company).profile("zoe", OUTSIDER).topics}
    assert "pandas" in terms
    assert not terms & {"kim", "park"}  # a colleague's name, not something Zoë knows about


def test_profile_contributions_are_readable_only(directory: PeopleDirectory) -> None:
    outsider = directory.profile("zoe", OUTSIDER)
    assert {c.doc_id for c in outsider.contributions} == {
        "wiki:terraform", "wiki:pandas", "wiki:pandas-merge"}
    assert outsider.contribution_count == 3
    member = directory.profile("zoe", MEMBER)
    assert "wiki:terraform-secret" in {c.doc_id for c in member.contributions}
    assert member.contribution_count == 4
    assert outsider.contributions[0].at is not None
    assert outsider.contributions[0].at >= outsider.contributions[-1].at  # type: ignore[operator]


def test_profile_colleagues(directory: PeopleDirectory) -> None:
    bob = directory.profile("bob", OUTSIDER)
    assert [c.person.id for c in bob.colleagues if c.relation == "report"] == [
        "alice", "kim", "zoe"]
    zoe = directory.profile("zoe", OUTSIDER)
    relations = {(c.relation, c.person.id) for c in zoe.colleagues}
    assert ("manager", "bob") in relations
    assert ("collaborator", "alice") in relations
    assert ("collaborator", "bob") not in relations  # already listed as manager
    assert ("collaborator", "erin") not in relations  # erin shares only a private page
    assert ("collaborator", "erin") in {
        (c.relation, c.person.id) for c in directory.profile("zoe", MEMBER).colleagues}


def test_profile_never_lists_customers_as_collaborators(directory: PeopleDirectory) -> None:
    zed = directory.profile("zed", OUTSIDER)
    assert not zed.in_directory
    assert [c.person.id for c in zed.colleagues] == ["amy"]


def test_profile_by_email_alias(directory: PeopleDirectory) -> None:
    assert directory.profile("alice.martin@example.com", OUTSIDER).person.id == "alice"


def test_profile_of_person_without_contributions(directory: PeopleDirectory) -> None:
    dave = directory.profile("carol", Principal.anonymous())
    assert dave.contributions == [] and dave.topics == [] and dave.contribution_count == 0
    assert json.loads(json.dumps(dave.to_dict()))["person"]["id"] == "carol"


def test_unknown_person_suggests_close_names(directory: PeopleDirectory) -> None:
    with pytest.raises(PersonNotFoundError, match="did you mean Alice Martín") as info:
        directory.profile("alic", OUTSIDER)
    assert [p.id for p in info.value.suggestions] == ["alice"]
    with pytest.raises(PersonNotFoundError, match="no person with id ''"):
        directory.profile("", OUTSIDER)


def test_private_only_contributor_is_unknown_to_outsiders(directory: PeopleDirectory) -> None:
    with pytest.raises(PersonNotFoundError):
        directory.profile("ghost", OUTSIDER)
    assert directory.profile("ghost", MEMBER).contribution_count == 1
    assert directory.profile("prolific", OUTSIDER).contribution_count == 1
    assert directory.profile("prolific", MEMBER).contribution_count == 13


def test_keyness_is_large_only_for_words_much_commoner_in_the_person_s_work() -> None:
    from search.people import MIN_KEYNESS, keyness

    assert keyness(10, 10, 10, 1000) > 40  # in all their pages, in 1 % of the rest
    assert keyness(5, 10, 500, 1000) == pytest.approx(0.0, abs=1e-9)  # as common everywhere
    assert keyness(1, 1, 0, 1000) > MIN_KEYNESS > keyness(1, 2, 10, 1000)
