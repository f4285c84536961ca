"""People search (names, titles, departments, skills) and profiles built from readable work.

The directory itself (names, titles, departments, managers, declared skills) is treated as
visible to every principal, like a company phone book. Everything derived from documents —
topics, top contributions, collaborators, counts — uses only documents the asker may read.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from search.activity import co_contributors, readable_contributions
from search.filters import Filters
from search.models import ROLE_WEIGHTS, Document, Person, Principal
from search.phrases import URL
from search.terms import STOPWORDS, content_terms, fold, skill_cover, stem, words

if TYPE_CHECKING:
    from search.engine import SearchEngine

CUSTOMER_GROUP = "customers"
BACKGROUND_SAMPLE = 1000
MIN_KEYNESS = 10.83  # log-likelihood G² of a topic word: p < 0.001 that it is this common by chance
HEX_RUN = re.compile(r"(?=[0-9a-f]*[0-9][0-9a-f]*[0-9])[0-9a-f]{6,}")  # commit ids, hashes
PROFILE_DOCS = 200


class Background(NamedTuple):
    """What readable documents around a person look like: document frequencies in a sample."""

    size: int
    words: Counter[str]
    tags: Counter[str]


class PeopleQueryError(ValueError):
    """A people query is empty."""


class PersonNotFoundError(LookupError):
    """No person with this id is known to the asker; ``suggestions`` holds likely matches."""

    def __init__(self, person_id: str, suggestions: Sequence[Person] = ()) -> None:
        hint = ""
        if suggestions:
            hint = "; did you mean " + ", ".join(f"{p.name} ({p.id})" for p in suggestions) + "?"
        super().__init__(f"no person with id {person_id!r}{hint}")
        self.person_id = person_id
        self.suggestions = list(suggestions)


def is_customer(person: Person) -> bool:
    """Tell whether a person is a customer (member of the ``customers`` group)."""
    return any(fold(g) == CUSTOMER_GROUP for g in person.groups)


def person_to_dict(person: Person) -> dict[str, Any]:
    """Return the directory fields of a person as a JSON-ready dict (groups are left out)."""
    return {"id": person.id, "name": person.name, "title": person.title,
            "department": person.department, "manager_id": person.manager_id,
            "skills": list(person.skills), "emails": list(person.emails)}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class PersonMatch:
    """One people-search result: the person, a score and the fields that matched."""

    person: Person
    score: float
    matched: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"person": person_to_dict(self.person), "score": round(self.score, 4),
                "matched": list(self.matched)}


@dataclass(frozen=True)
class Topic:
    """Something a person is known for: a tag of their documents or a distinctive term."""

    term: str
    weight: float
    kind: str

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"term": self.term, "weight": round(self.weight, 4), "kind": self.kind}


@dataclass(frozen=True)
class ContributionSummary:
    """A readable document a person contributed to, with their strongest role in it."""

    doc_id: str
    title: str
    url: str
    source: str
    kind: str
    role: str
    at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"doc_id": self.doc_id, "title": self.title, "url": self.url,
                "source": self.source, "kind": self.kind, "role": self.role, "at": _iso(self.at)}


@dataclass(frozen=True)
class Colleague:
    """A related person: ``manager``, ``report`` or ``collaborator`` (with shared documents)."""

    person: Person
    relation: str
    shared_documents: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"person": person_to_dict(self.person), "relation": self.relation,
                "shared_documents": self.shared_documents}


@dataclass(frozen=True)
class Profile:
    """A person, what they are known for, their top readable work and their colleagues."""

    person: Person
    in_directory: bool
    topics: list[Topic]
    contributions: list[ContributionSummary]
    contribution_count: int
    colleagues: list[Colleague]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"person": person_to_dict(self.person), "in_directory": self.in_directory,
                "topics": [x.to_dict() for x in self.topics],
                "contributions": [x.to_dict() for x in self.contributions],
                "contribution_count": self.contribution_count,
                "colleagues": [x.to_dict() for x in self.colleagues]}


@dataclass(frozen=True)
class _Entry:
    person: Person
    name: str
    name_words: tuple[str, ...]
    ids: tuple[str, ...]
    title_words: tuple[str, ...]
    dept_words: tuple[str, ...]
    skills: tuple[tuple[str, tuple[str, ...]], ...]
    skill_terms: tuple[tuple[str, frozenset[str]], ...]


def _entry(p: Person) -> _Entry:
    ids = {fold(p.id)} | {fold(e) for e in p.emails} | {fold(e.split("@")[0]) for e in p.emails}
    ids |= {fold(h).lstrip("@") for h in p.handles.values() if h}
    return _Entry(p, fold(p.name).strip(), tuple(words(p.name)), tuple(sorted(ids)),
                  tuple(words(p.title)), tuple(words(p.department)),
                  tuple((s, tuple(stem(w) for w in words(s))) for s in p.skills),
                  tuple((s, frozenset(content_terms(s))) for s in p.skills))


def _field_score(q: str, values: Sequence[str], exact: float, prefix: float) -> float:
    if q in values or stem(q) in values:
        return exact
    if len(q) >= 2 and any(v.startswith(q) for v in values):
        return prefix
    return 0.0


def _token_score(e: _Entry, q: str) -> tuple[float, str]:
    options: list[tuple[float, str]] = [
        (_field_score(q, e.name_words, 3.0, 2.0) or (1.0 if len(q) >= 3 and q in e.name else 0.0),
         "name"),
        (_field_score(q, e.ids, 3.0, 1.5), "id"),
        (_field_score(q, e.title_words, 1.5, 0.75), "title"),
        (_field_score(q, e.dept_words, 1.5, 0.75), "department"),
    ]
    for skill, skill_words in e.skills:
        options.append((_field_score(stem(q), skill_words, 2.0, 1.0), f"skill:{skill}"))
    return max(options, key=lambda item: item[0])


def _match(e: _Entry, query: str, tokens: Sequence[str]) -> PersonMatch | None:
    whole = fold(query).strip()
    if whole in e.ids:
        return PersonMatch(e.person, 10.0, ("id",))
    total = 0.0
    matched: list[str] = []
    for q in tokens:
        score, where = _token_score(e, q)
        if score <= 0:
            return None
        total += score
        matched.append(where)
    if whole == e.name:
        total += 5.0
    return PersonMatch(e.person, total, tuple(dict.fromkeys(matched)))


class PeopleDirectory:
    """Find people by name, title, department or skill, and build their profiles."""

    def __init__(self, engine: SearchEngine, cache_seconds: float = 10.0) -> None:
        self.engine = engine
        self.store = engine.store
        self.cache_seconds = cache_seconds
        self._entries: list[_Entry] = []
        self._loaded_at = -math.inf
        self._loaded_count = -1
        self._background: dict[tuple[Any, ...], Background] = {}

    def entries(self) -> list[_Entry]:
        """Return the cached directory (reloaded when it changes size or grows stale)."""
        count = self.store.count_people()
        if count != self._loaded_count or time.monotonic() - self._loaded_at > self.cache_seconds:
            self._entries = [_entry(p) for p in self.store.iter_people()]
            self._loaded_at, self._loaded_count = time.monotonic(), count
        return self._entries

    def people(self, include_customers: bool = False) -> list[Person]:
        """Return everyone in the directory (customers only when asked)."""
        return [e.person for e in self.entries()
                if include_customers or not is_customer(e.person)]

    def skilled(self, topic_terms: set[str]) -> list[tuple[Person, float, tuple[str, ...]]]:
        """Return non-customers whose declared skills cover ``topic_terms``, with the match."""
        out = []
        for e in self.entries():
            if e.skill_terms and not is_customer(e.person):
                score, matched = skill_cover(e.skill_terms, topic_terms)
                if score > 0:
                    out.append((e.person, score, matched))
        return out

    def search(self, query: str, principal: Principal, limit: int = 10,
               include_customers: bool = False) -> list[PersonMatch]:
        """Rank people whose name, id, title, department or skills match every query word."""
        tokens = [w for w in words(query) if w not in STOPWORDS] or words(query)
        if not tokens:
            raise PeopleQueryError("the people query is empty: type part of a name, a title, "
                                   "a department or a skill")
        found = [m for e in self.entries()
                 if (include_customers or not is_customer(e.person))
                 and (m := _match(e, query, tokens)) is not None]
        found.sort(key=lambda m: (-m.score, fold(m.person.name), m.person.id))
        return found[: max(1, limit)]

    def resolve(self, person_id: str) -> Person | None:
        """Return the person known by an id, e-mail or ``source:handle`` alias, or ``None``."""
        key = person_id.strip()
        person = self.store.get_person(key)
        if person is None and key:
            alias = f"email:{key}" if "@" in key and ":" not in key else key
            resolved = self.store.resolve_alias(alias)
            person = self.store.get_person(resolved) if resolved else None
        return person

    def profile(self, person_id: str, principal: Principal, top: int = 10) -> Profile:
        """Build a person's profile from the documents ``principal`` may read.

        Raises ``PersonNotFoundError`` (with suggestions) for ids that are neither in the
        directory nor a contributor to any readable document.
        """
        person = self.resolve(person_id)
        pid = person.id if person else person_id.strip()
        rows = readable_contributions(self.store, pid, principal) if pid else []
        if person is None and not rows:
            suggestions: list[Person] = []
            if words(person_id):
                suggestions = [m.person for m in self.search(person_id, principal, limit=5)]
            raise PersonNotFoundError(person_id, suggestions)
        best: dict[int, tuple[float, str, datetime | None]] = {}
        for row in rows:
            weight = ROLE_WEIGHTS.get(row.role, 0.5) * row.weight
            if row.num not in best or weight > best[row.num][0]:
                best[row.num] = (weight, row.role, row.at)
        ranked = sorted(best, key=lambda n: (-best[n][0], -_ts(best[n][2])))
        docs = {s.num: s.doc for s in self.store.stored_by_nums(ranked[:PROFILE_DOCS])}
        contributions = [
            ContributionSummary(d.id, d.title, d.url, d.source, d.kind, best[n][1], best[n][2])
            for n in ranked[:top] if (d := docs.get(n)) is not None
        ]
        topics = self._topics([(docs[n], best[n][0]) for n in ranked if n in docs], principal,
                              skip={stem(w) for w in words((person.name if person else "")
                                                           + " " + pid)})
        colleagues = self._colleagues(person or Person(pid, pid), set(best))
        return Profile(person or Person(pid, name=pid), person is not None, topics,
                       contributions, len(best), colleagues)

    def _colleagues(self, person: Person, nums: set[int], limit: int = 5) -> list[Colleague]:
        out: list[Colleague] = []
        if person.manager_id:
            manager = self.store.get_person(person.manager_id)
            if manager is not None:
                out.append(Colleague(manager, "manager"))
        reports = sorted((e.person for e in self.entries() if e.person.manager_id == person.id),
                         key=lambda p: fold(p.name))
        out += [Colleague(p, "report") for p in reports]
        shared = co_contributors(self.store, nums, exclude={person.id})
        ranked = sorted(shared.items(), key=lambda item: (-item[1], item[0]))
        known = {p.id: p for p in self.store.get_people([pid for pid, _ in ranked[:50]])}
        picked = 0
        listed = {c.person.id for c in out}
        for pid, count in ranked[:50]:
            other = known.get(pid, Person(pid, name=pid))
            if is_customer(other) or pid in listed or picked >= limit:
                continue
            out.append(Colleague(other, "collaborator", count))
            picked += 1
        return out

    def _topics(self, docs: list[tuple[Document, float]], principal: Principal,
                skip: set[str], limit: int = 10) -> list[Topic]:
        if not docs:
            return []
        tags: dict[str, float] = {}
        tagged: Counter[str] = Counter()
        mine: Counter[str] = Counter()
        surface: dict[str, Counter[str]] = {}
        for doc, weight in docs:
            for tag in set(doc.tags):
                tags[tag] = tags.get(tag, 0.0) + weight
            tagged.update(set(doc.tags))
            seen = set()
            for word in topic_words(doc):
                key = stem(word)
                surface.setdefault(key, Counter())[word] += 1
                seen.add(key)
            mine.update(seen)
        # compare with the same kind of writing: a Q&A regular's words against Q&A threads,
        # so the site's own labels ("answer", "score") and Slack's ("uploaded") are no topics
        audience = "customer" if all(d.audience == "customer" for d, _ in docs) else "internal"
        sources = frozenset(d.source for d, _ in docs)
        size, background, background_tags = self.background(principal, audience, sources)
        # a tag counts when it is commoner in their work than around it: not #general for all
        tags = {tag: w for tag, w in tags.items()
                if tagged[tag] * size > len(docs) * background_tags.get(tag, 0)}
        floor = 2 if len(docs) >= 3 else 1
        scored = {k: keyness(n, len(docs), background.get(k, 0), size)
                  for k, n in mine.items()
                  if n >= floor and sum(surface[k].values()) >= 2  # once in one page: chance
                  and n * size > len(docs) * background.get(k, 0)}  # commoner here than around
        scored = {k: g for k, g in scored.items() if g >= MIN_KEYNESS}
        out: list[Topic] = []
        if tags:
            top_tag = max(tags.values())
            best_tags = sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
            out += [Topic(tag, w / top_tag, "tag") for tag, w in best_tags]
        taken = {stem(fold(x.term)) for x in out}
        if scored:
            top_term = max(scored.values())
            names = {w for e in self.entries() for w in e.name_words}
            for key, score in sorted(scored.items(), key=lambda kv: (-kv[1], kv[0])):
                if key in taken or key in skip or score <= 0 or set(surface[key]) <= names:
                    continue  # a word only ever written as someone's name is no topic
                out.append(Topic(surface[key].most_common(1)[0][0], score / top_term, "term"))
                if len(out) >= limit:
                    break
        return out

    def background(self, principal: Principal, audience: str | None = None,
                   sources: frozenset[str] = frozenset()) -> Background:
        """Return the document frequencies of stems and tags over a sample of readable
        documents (of one audience and some sources, when given)."""
        key = (tuple(principal.tokens() or ["*"]), audience, tuple(sorted(sources)),
               self.store.current_seq())
        if key in self._background:
            return self._background[key]
        # sample among readable documents only: how many private ones exist must not matter
        chosen = Filters(sources=sources, audience=audience)
        nums = sorted(self.store.filtered_nums(principal, chosen, limit=10**12) or ())
        step = max(1, len(nums) // BACKGROUND_SAMPLE)
        readable = nums[::step][:BACKGROUND_SAMPLE]
        df: Counter[str] = Counter()
        tags: Counter[str] = Counter()
        for stored in self.store.stored_by_nums(readable):
            df.update({stem(w) for w in topic_words(stored.doc)})
            tags.update(set(stored.doc.tags))
        if len(self._background) > 16:
            self._background.clear()
        self._background[key] = Background(len(readable), df, tags)
        return self._background[key]


def keyness(hits: int, docs: int, background_hits: int, background_docs: int) -> float:
    """Return Dunning's log-likelihood G² that a word is as common in ``docs`` as around them."""
    table = ((hits, docs - hits), (background_hits, background_docs - background_hits))
    total = docs + background_docs
    g2 = 0.0
    for row in table:
        for col, observed in enumerate(row):
            expected = sum(row) * (table[0][col] + table[1][col]) / total if total else 0.0
            if observed > 0 and expected > 0:
                g2 += observed * math.log(observed / expected)
    return 2.0 * g2


def topic_words(doc: Document) -> list[str]:
    """Return the words of a document that could name a topic (no links, hashes or stopwords)."""
    text = URL.sub(" ", f"{doc.title}\n{doc.text}")
    return [w for w in words(text)
            if len(w) >= 3 and w not in STOPWORDS and any(c.isalpha() for c in w)
            and re.split(r"['’]", w, maxsplit=1)[0] not in STOPWORDS  # what's, i'm
            and not w.endswith(("n't", "n’t"))  # isn't, don't
            and not HEX_RUN.search(w)]


def _ts(value: datetime | None) -> float:
    return value.timestamp() if value else float("-inf")
