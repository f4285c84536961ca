"""No leaks, anywhere: every read path × every asker × adversarial queries, against a twin corpus.

Each asker is compared with a *twin*: the same app over a corpus holding only the documents that
asker may read. A read path leaks when the full corpus answers differently from the twin in
anything but ranking scores — a canary word or an unreadable document id shows up more often
than in the twin's answer (which only echoes the query), or a count, facet, suggestion, expert,
profile, voice figure or digest figure differs.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from werkzeug.test import TestResponse

from search.models import Principal
from tests.security import corpus
from tests.security.conftest import TALLY, World, headers_for
from tests.security.leaks import counts, fingerprint, forbidden_tokens, referenced_ids

PUBLIC_QUERIES = ["kafka", "billing", "deployment keys", "invoices outage", "salary bands",
                  "acquisition terms", "incident review"]
PROBE_QUERIES = [*corpus.CANARIES, "zorblax*", "zorblaxit", "vorpelmos", "glimmerwox",
                 "frabjul*", "quarkvault kafka", "mimblewick billing"]
QUERIES = PUBLIC_QUERIES + PROBE_QUERIES
# the default run takes a cross-section; the slow run takes every query
FAST_QUERIES = ["kafka", "billing", "zorblaxite", "glimmerwox", "frabjul*", "quarkvault kafka"]
PERSON_IDS = [p.id for p in corpus.people()] + ["x.snorkelquin", "c.drizzlefang", "c.alice"]
PRIVATE_DOCS = [d.id for d in corpus.documents() if not d.access.public]


@dataclass(frozen=True)
class Path:
    """One read path: how to ask it, and whether its JSON answer is compared field by field."""

    name: str
    ask: Callable[[World, str, corpus.Asker, str], TestResponse]
    structured: bool = False


def _get(url: str) -> Callable[[World, str, corpus.Asker, str], TestResponse]:
    def ask(world: World, which: str, asker: corpus.Asker, q: str) -> TestResponse:
        return world.client(which).get(url.format(q=quote(q, safe="")),
                                       headers=headers_for(asker))
    return ask


def _slack(template: str) -> Callable[[World, str, corpus.Asker, str], TestResponse]:
    def ask(world: World, which: str, asker: corpus.Asker, q: str) -> TestResponse:
        return world.slack(which, asker, template.format(q=q))
    return ask


FILTERS = urlencode([("source", "quarkvault"), ("source", "hr"), ("source", "wiki"),
                     ("author", "u.ghost"), ("author", "u.ann")])
QUERY_PATHS = [
    Path("api /search", _get("/api/v1/search?q={q}&limit=100&explain=1"), True),
    Path("api /search (filters)", _get("/api/v1/search?q={q}&limit=100&" + FILTERS), True),
    Path("api /experts", _get("/api/v1/experts?q={q}&limit=50"), True),
    Path("api /people", _get("/api/v1/people?q={q}"), True),
    Path("api /voice", _get("/api/v1/voice?q={q}"), True),
    Path("api /voice/posts.csv", _get("/api/v1/voice/posts.csv?q={q}")),
    Path("page search", _get("/search?q={q}&explain=1")),
    Path("page experts", _get("/search?q={q}&mode=experts")),
    Path("page voice", _get("/search?q={q}&mode=voice")),
    Path("page /voice.csv", _get("/voice.csv?q={q}")),
    Path("slack search", _slack("{q}")),
    Path("slack experts", _slack("who knows {q}")),
    Path("slack voice", _slack("customers {q}")),
    Path("slack people", _slack("people {q}")),
]
ID_PATHS = [
    Path("api /people/<id>", _get("/api/v1/people/{q}"), True),
    Path("page /people/<id>", _get("/people/{q}")),
]
DOC_PATHS = [Path("page /documents/<id>", _get("/documents/{q}"))]
HOME_PATHS = [Path("page / (examples)", _get("/?from={q}"))]
WEEK_PATHS = [
    Path("api /digest", _get("/api/v1/digest?week={q}"), True),
    Path("page /digest", _get("/digest?week={q}")),
    Path("page /digest.md", _get("/digest.md?week={q}")),
]


def _body(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def check(world: World, path: Path, asker: corpus.Asker, q: str) -> list[str]:
    """Run one case; return what leaked (empty when nothing did)."""
    started = time.process_time()
    full = path.ask(world, "full", asker, q)
    forbidden = forbidden_tokens(asker)
    seen = {tok: n for tok, n in counts(_body(full), forbidden).items() if n}
    problems: list[str] = []
    twin: TestResponse | None = None
    if seen or path.structured:
        twin = path.ask(world, asker.name, asker, q)
        echoed = counts(_body(twin), list(seen))
        problems += [f"{tok!r} ×{n} (twin ×{echoed[tok]})" for tok, n in seen.items()
                     if n > echoed[tok]]
    if twin is not None and full.status_code != twin.status_code:
        problems.append(f"status {full.status_code} vs twin {twin.status_code}")
    if path.structured and twin is not None and full.is_json:
        data, expected = full.get_json(), twin.get_json()
        readable = {d.id for d in corpus.readable(asker.principal)}
        unreadable = [i for i in referenced_ids(data)
                      if i not in readable and i in {d.id for d in corpus.documents()}]
        if unreadable:
            problems.append(f"refers to unreadable documents {unreadable}")
        if fingerprint(data) != fingerprint(expected):
            problems.append("answer differs from the twin corpus: "
                            + _first_difference(fingerprint(data), fingerprint(expected)))
    TALLY.count(path.name, time.process_time() - started)
    if problems:
        TALLY.leaks.append(f"{path.name} as {asker.name} q={q!r}: {'; '.join(problems)}")
    return problems


def _first_difference(a: Any, b: Any, where: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                return _first_difference(a.get(key), b.get(key), f"{where}.{key}")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _first_difference(x, y, f"{where}[{i}]")
    return f"{where or '<root>'}: {json.dumps(a, default=str)[:160]} != " \
           f"{json.dumps(b, default=str)[:160]}"


def _run(world: World, paths: list[Path], values: list[str]) -> tuple[int, list[str]]:
    ran, leaks = 0, []
    for asker in corpus.ASKERS:
        for path in paths:
            for value in values:
                ran += 1
                leaks += [f"{path.name} as {asker.name} q={value!r}: {p}"
                          for p in check(world, path, asker, value)]
    return ran, leaks


def test_query_paths_leak_nothing(world: World) -> None:
    ran, leaks = _run(world, QUERY_PATHS, FAST_QUERIES)
    assert ran == len(corpus.ASKERS) * len(QUERY_PATHS) * len(FAST_QUERIES)
    assert not leaks, "\n".join(leaks[:20])


@pytest.mark.slow
def test_query_paths_leak_nothing_for_every_probe(world: World) -> None:
    rest = [q for q in QUERIES if q not in FAST_QUERIES]
    ran, leaks = _run(world, QUERY_PATHS, rest)
    assert ran == len(corpus.ASKERS) * len(QUERY_PATHS) * len(rest)
    assert not leaks, "\n".join(leaks[:20])


def test_profiles_leak_nothing(world: World) -> None:
    ran, leaks = _run(world, ID_PATHS, PERSON_IDS)
    assert ran == len(corpus.ASKERS) * len(ID_PATHS) * len(PERSON_IDS)
    assert not leaks, "\n".join(leaks[:20])


def test_documents_and_digests_leak_nothing(world: World) -> None:
    ran, leaks = _run(world, DOC_PATHS, [*PRIVATE_DOCS, "hr:no-such-page"])
    more, week_leaks = _run(world, WEEK_PATHS, [corpus.WEEK, "2026-W09"])
    home, home_leaks = _run(world, HOME_PATHS, ["home"])
    assert ran + more + home == len(corpus.ASKERS) * (len(PRIVATE_DOCS) + 2
                                                      + 2 * len(WEEK_PATHS))
    assert not leaks + week_leaks + home_leaks, "\n".join((leaks + week_leaks + home_leaks)[:20])


# --- positive controls: members do see what the suite hunts for --------------------------

def _asker(name: str) -> corpus.Asker:
    return next(a for a in corpus.ASKERS if a.name.startswith(name))


@pytest.mark.parametrize(("who", "query", "canary"), [
    ("bob", "zorblaxite", "zorblaxite"), ("bob", "quintravex", "quintravex"),
    ("eve", "salary bands", "vorpelmoss"), ("eve", "salary bands", "plonkavarre"),
    ("greta", "glimmerwoxx", "glimmerwoxx"), ("greta", "kafka hardening", "quarkvault"),
    ("dan", "billing outage", "frabjulent")])
def test_members_see_the_canaries(world: World, who: str, query: str, canary: str) -> None:
    asker = _asker(who)
    response = world.client("full").get(f"/api/v1/search?q={quote(query)}&limit=100",
                                        headers=headers_for(asker))
    assert canary in response.get_data(as_text=True).lower()
    assert canary not in forbidden_tokens(asker)


def test_forbidden_tokens_are_absent_from_public_text() -> None:
    public = " ".join(d.title + " " + d.text + " " + d.url for d in corpus.documents()
                      if d.access.public).lower()
    directory = json.dumps([p.__dict__ for p in corpus.people()], default=str).lower()
    for canary in corpus.CANARIES:
        assert canary not in public and canary not in directory
    anonymous = set(forbidden_tokens(corpus.ASKERS[0]))
    assert set(corpus.CANARIES) <= anonymous


# --- targeted checks that name the indirect leaks ------------------------------------------

def _experts(world: World, asker: corpus.Asker, topic: str) -> dict[str, dict[str, Any]]:
    data = world.client("full").get(f"/api/v1/experts?q={quote(topic)}&limit=50",
                                    headers=headers_for(asker)).get_json()
    return {e["person"]["id"]: e for e in data["experts"]}


def test_person_with_only_private_evidence_is_not_an_expert(world: World) -> None:
    for asker in corpus.ASKERS:
        found = _experts(world, asker, "kafka billing deployment")
        readable = {d.id for d in corpus.readable(asker.principal)}
        if "security" in asker.principal.groups:
            assert "u.ghost" in found  # the positive control: her evidence is readable
        else:
            assert "u.ghost" not in found, asker.name
        assert ("x.snorkelquin" in found) == ("slack:exec-1" in readable), asker.name
        for expert in found.values():
            assert {e["doc_id"] for e in expert["evidence"]} <= readable


def test_collaborators_only_from_readable_co_authorship(world: World) -> None:
    def collaborators(asker: corpus.Asker) -> set[str]:
        data = world.client("full").get("/api/v1/people/u.ann",
                                        headers=headers_for(asker)).get_json()
        return {c["person"]["id"] for c in data["colleagues"] if c["relation"] == "collaborator"}

    carl = collaborators(_asker("carl"))
    assert "u.dan" in carl  # public co-authorship
    assert not carl & {"u.bob", "x.snorkelquin", "u.ghost"}
    assert {"u.bob", "x.snorkelquin"} <= collaborators(_asker("bob"))
    assert "u.ghost" in collaborators(_asker("greta"))


def test_private_author_profile_looks_like_a_stranger(world: World) -> None:
    carl = _asker("carl")
    for pid in ("x.snorkelquin", "c.drizzlefang"):
        response = world.client("full").get(f"/api/v1/people/{pid}", headers=headers_for(carl))
        assert response.status_code == 404
        assert pid not in json.dumps(response.get_json()["error"]["details"])
    ghost = world.client("full").get("/api/v1/people/u.ghost",
                                     headers=headers_for(carl)).get_json()
    assert ghost["contributions"] == [] and ghost["topics"] == []
    assert ghost["contribution_count"] == 0
    assert not [c for c in ghost["colleagues"] if c["relation"] == "collaborator"]


def test_private_document_is_indistinguishable_from_a_missing_one(world: World) -> None:
    carl = headers_for(_asker("carl"))
    client = world.client("full")
    private = client.get("/documents/hr:bands", headers=carl)
    missing = client.get("/documents/hr:bandz", headers=carl)
    assert private.status_code == missing.status_code == 404
    assert _body_of(private).replace("hr:bands", "X") == _body_of(missing).replace("hr:bandz", "X")


def _body_of(response: TestResponse) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["zorblaxit", "vorpelmos", "glimmerwox", "frabjulen"])
def test_no_suggestion_from_private_words(world: World, query: str) -> None:
    for asker in corpus.ASKERS:
        data = world.client("full").get(f"/api/v1/search?q={query}",
                                        headers=headers_for(asker)).get_json()
        target = next(c for c in corpus.CANARIES if c.startswith(query[:6]))
        if target in corpus.forbidden_canaries(asker.principal):
            assert data["suggestion"] is None or target not in data["suggestion"], asker.name


def test_facets_and_totals_match_the_readable_corpus(world: World) -> None:
    for asker in corpus.ASKERS:
        for query in ("kafka", "billing"):
            url = f"/api/v1/search?q={query}&limit=5"
            full = world.client("full").get(url, headers=headers_for(asker)).get_json()
            twin = world.client(asker.name).get(url, headers=headers_for(asker)).get_json()
            assert full["total"] == twin["total"] and full["facets"] == twin["facets"]
    anonymous = world.client("full").get("/api/v1/search?q=kafka",
                                         headers=headers_for(corpus.ASKERS[0])).get_json()
    assert "quarkvault" not in anonymous["facets"]["source"]
    assert "hr" not in anonymous["facets"]["source"]


def test_voice_excludes_restricted_posts_and_their_influencer(world: World) -> None:
    for asker in corpus.ASKERS:
        data = world.client("full").get("/api/v1/voice?q=billing",
                                        headers=headers_for(asker)).get_json()
        names = json.dumps(data["influencers"]).lower()
        if "support" in asker.principal.groups:
            assert "drizzlefang" in names  # 250k followers: the top influencer for support
        else:
            assert "drizzlefang" not in names and "frabjulent" not in json.dumps(data).lower()


def test_collection_statistics_side_channel(world: World) -> None:
    """BM25 statistics come from the asker's readable set: private documents move no score."""
    for asker in corpus.ASKERS:
        for query in ("kafka", "billing", "onboarding checklist"):
            url = f"/api/v1/search?q={query}&limit=100&explain=1"
            full = world.client("full").get(url, headers=headers_for(asker)).get_json()
            twin = world.client(asker.name).get(url, headers=headers_for(asker)).get_json()
            scores = {h["id"]: h["explain"]["keyword_score"] for h in full["hits"]}
            assert scores, (asker.name, query)
            assert scores == {h["id"]: h["explain"]["keyword_score"] for h in twin["hits"]}


def test_principals_of_the_suite_match_the_directory() -> None:
    people = {p.id: p for p in corpus.people()}
    for asker in corpus.ASKERS[1:]:
        person = people[asker.sso_user or ""]
        assert asker.principal == Principal(person.id, frozenset(person.groups))
        assert person.handles["slack"] == asker.slack_user
