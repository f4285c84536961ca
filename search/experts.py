"""Expert finding ("who knows about X"): people ranked by evidence in documents the asker may read.

Document-centric (Balog et al.'s "model 2" family): the topic is run through the hybrid engine
for the asker, and each of the top documents passes its relevance on to its contributors,
weighted by their role, the contribution's own weight and its age. Declared skills add a bonus,
and each person's total is normalised by their overall activity so prolific people do not win
every topic, then scaled by availability: how recently the person last contributed to anything
the asker may read (people active this week rank above equally matched people who went quiet
months ago). Tag evidence (``tag_weight``, ``search.tag_evidence``) adds the people who work
most under the tags of the top hits (channels, spaces, categories, Q&A tags), so someone whose
pages did not match the words but who answers in that area is found too. An optional
candidate-centric "profile" signal (``profile_weight``, off by default: it did not raise MRR on
the benchmark's dev split) also credits the contributors of the keyword leg's deeper readable
hits.

Permission safety: evidence comes only from the engine's principal-filtered hits on internal
documents; the activity used for normalisation and availability, and the tag credits, are
counted over internal documents the *asker* may read (``search.activity.readable_activity``,
``search.tag_evidence``); declared skills come from the directory, which every principal may
see. So no score, rank or evidence depends on a document the asker cannot read.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from search.activity import (
    Activity,
    ContributionRow,
    latest_contribution_time,
    readable_contributors,
)
from search.activity_lookup import ActivityLookup
from search.expert_results import Evidence, EvidenceSnippets, Expert
from search.expert_settings import ExpertSettings
from search.expert_settings import default_role_weights as default_role_weights  # re-exported
from search.filters import Filters
from search.models import Contribution, Document, Hit, Person, Principal
from search.people import PeopleDirectory, is_customer
from search.tag_evidence import TagLookup, TopicTags
from search.terms import content_terms

if TYPE_CHECKING:
    from search.engine import SearchEngine, SearchResult


class ExpertQueryError(ValueError):
    """The topic is empty or cannot be searched."""


@dataclass
class _Candidate:
    raw: float = 0.0
    doc_ids: set[str] = field(default_factory=set)
    items: list[tuple[float, float, Hit, Contribution]] = field(default_factory=list)
    profile: list[tuple[float, float, ContributionRow]] = field(default_factory=list)
    last: datetime | None = None
    tags: tuple[str, ...] = ()

    def saw(self, at: datetime | None) -> None:
        """Remember the latest time of this person's evidence."""
        if at is not None and (self.last is None or at > self.last):
            self.last = at

    @property
    def documents(self) -> int:
        """Return how many distinct readable documents give evidence for this person."""
        return len(self.doc_ids)


class ExpertFinder:
    """Rank people for a topic from the hybrid engine's hits, with the evidence for each.

    Normalisation counts (documents and role-weighted activity per person) are taken over the
    internal documents the *asker* may read, so private work never moves anyone's rank.
    """

    def __init__(self, engine: SearchEngine, settings: ExpertSettings | None = None,
                 clock: Callable[[], datetime] | None = None,
                 directory: PeopleDirectory | None = None) -> None:
        self.engine = engine
        self.settings = settings or ExpertSettings()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.directory = directory or PeopleDirectory(engine)
        self._activities = ActivityLookup(engine, self.settings.role_weights,
                                          self.settings.default_role_weight)
        self._latest: tuple[int, datetime | None] = (-1, None)
        self._tags = TagLookup(engine, self._activities)

    def find(self, topic: str, principal: Principal, limit: int = 10,
             since: datetime | None = None, exclude: Collection[str] = ()) -> list[Expert]:
        """Return up to ``limit`` experts on ``topic`` for ``principal``, best first.

        ``since`` ignores contributions made before that time; ``exclude`` drops person ids
        (e.g. the asker). An empty topic raises ``ExpertQueryError``; a topic that matches
        nothing returns an empty list.
        """
        from search.engine import NO_FLOOR, QueryError

        if not topic or not topic.strip() or not any(ch.isalnum() for ch in topic):
            raise ExpertQueryError("the topic is empty: type a few words, e.g. 'kubernetes'")
        limit = max(1, min(int(limit), 100))
        try:  # every neighbour: ``_collect`` applies the finder's own, measured floor
            result = self.engine.search(topic, principal, Filters(audience="internal"),
                                        limit=min(self.settings.depth, 100),
                                        fusion=self.settings.fusion, facets=False,
                                        snippets=False, min_vector_score=NO_FLOOR)
        except QueryError as exc:
            raise ExpertQueryError(str(exc)) from exc
        hits = result.hits if self._on_topic(result) else []
        docs = {d.id: d for d in self.engine.store.get_documents([h.doc_id for h in hits])}
        candidates = self._collect(hits, docs, since)
        if self.settings.profile_weight > 0:
            self._add_profiles(candidates, result.query, principal, since)
        excluded = set(exclude)
        tagged = None
        if self.settings.tag_weight > 0:
            tagged = self._add_tag_evidence(candidates, hits, docs, principal, since,
                                            excluded)
        people = {p.id: p for p in self.engine.store.get_people(sorted(candidates))}
        terms = content_terms(topic)
        skilled = {p.id: (p, score, matched) for p, score, matched in self.directory.skilled(terms)}
        for pid in list(candidates):
            person = people.get(pid)
            if pid in excluded or (person is not None and is_customer(person)):
                del candidates[pid]
        bonus = {pid: self.settings.skill_bonus * match for pid, (_p, match, _m) in skilled.items()}
        scores = self._normalise(candidates, principal, limit, bonus)
        top = max(scores.values(), default=0.0) or 1.0
        ranked: list[tuple[float, Person, tuple[str, ...]]] = []
        for pid in set(scores) | (set(skilled) - excluded):
            known, match, matched = skilled.get(pid, (None, 0.0, ()))
            person = people.get(pid) or known or Person(pid, name=pid)
            ranked.append((scores.get(pid, 0.0) + self.settings.skill_bonus * match * top,
                           person, matched))
        ranked.sort(key=lambda item: (-item[0], item[1].id))
        ranked = [item for item in ranked[:limit] if item[0] > 0]
        if tagged is not None:  # experts short of evidence: their work under the topic's tags
            room = {p.id: self.settings.evidence_per_expert - len(candidates[p.id].items)
                    for _s, p, _m in ranked if p.id in candidates and candidates[p.id].tags}
            for pid, found in tagged.evidence(self.engine.store, room, principal).items():
                for doc, row, relevance in found:
                    docs[doc.id] = doc
                    candidates[pid].profile.append((row.weight, relevance, row))
        self._load_profile_evidence([candidates.get(p.id) for _s, p, _m in ranked], docs)
        snippets = EvidenceSnippets(self.engine, result.query)
        return [self._expert(score, person, matched, candidates.get(person.id), docs, snippets)
                for score, person, matched in ranked]

    def _relevance(self, rank: int, score: float, top: float) -> float:
        if self.settings.relevance == "score":
            return score / top if top > 0 else 0.0
        k = self.settings.rank_k
        return (k + 1.0) / (k + rank)

    def _on_topic(self, result: SearchResult) -> bool:
        """Tell whether any hit is close in meaning to the topic (``topic_floor``).

        When none is, the keyword hits share only a word with it ("computing" in "the new code
        computes …" for "quantum computing"): no basis for calling their authors experts.
        Without a vector leg (keyword fusion) there is no cosine to ask, so every hit counts.
        """
        from search.engine import SEARCH_SIMILARITY

        floor = self.settings.topic_floor
        if floor is None:
            floor = SEARCH_SIMILARITY.get(self.engine.embedder.name)
        if floor is None or not result.hits or "vector" not in result.timings_ms:
            return True
        return any((h.vector_score or 0.0) >= floor for h in result.hits)

    def _related(self, hit: Hit) -> bool:
        """Keep keyword matches and vector neighbours that are similar enough to be evidence."""
        if hit.keyword_rank is not None:
            return True
        return hit.vector_score is not None and hit.vector_score >= self.settings.min_vector_score

    def _decay(self, at: datetime | None) -> float:
        half = self.settings.half_life_days
        if half is None or at is None:
            return 1.0
        age = (self.clock() - at).total_seconds() / 86400.0
        return 0.5 ** (max(0.0, age) / half)

    def _weight(self, c: Contribution, doc: Document) -> float:
        role = self.settings.role_weights.get(c.role, self.settings.default_role_weight)
        return role * c.weight * self._decay(c.at or doc.updated_at or doc.created_at)

    def _collect(self, hits: list[Hit], docs: Mapping[str, Document],
                 since: datetime | None) -> dict[str, _Candidate]:
        candidates: dict[str, _Candidate] = {}
        hits = [h for h in hits if self._related(h)]
        top = max((h.score for h in hits), default=0.0)
        for rank, hit in enumerate(hits, start=1):
            doc = docs.get(hit.doc_id)
            if doc is None or doc.audience != "internal":
                continue
            relevance = self._relevance(rank, hit.score, top)
            best: dict[str, tuple[float, Contribution]] = {}
            for c in doc.contributions:
                when = c.at or doc.updated_at or doc.created_at
                if since is not None and (when is None or when < since):
                    continue
                weight = self._weight(c, doc)
                if c.person_id not in best or weight > best[c.person_id][0]:
                    best[c.person_id] = (weight, c)
            total = sum(w for w, _c in best.values()) or 1.0
            for pid, (weight, c) in best.items():
                share = weight / total if self.settings.share_documents else weight
                cand = candidates.setdefault(pid, _Candidate())
                cand.raw += relevance * share
                cand.saw(c.at or doc.updated_at or doc.created_at)
                cand.doc_ids.add(doc.id)
                cand.items.append((relevance * share, relevance, hit, c))
        return candidates

    def _add_profiles(self, candidates: dict[str, _Candidate], text: str,
                      principal: Principal, since: datetime | None) -> None:
        """Add the profile evidence: contributions to the keyword leg's deep readable hits."""
        ranked = self.engine.keyword.search(text, self.settings.profile_depth, principal.tokens(),
                                            Filters(audience="internal")).ranked
        k = self.settings.profile_rank_k
        relevance = {num: (k + 1.0) / (k + rank)
                     for rank, (num, _score) in enumerate(ranked, start=1)}
        best: dict[tuple[str, int], tuple[float, ContributionRow]] = {}
        for pid, row in readable_contributors(self.engine.store, list(relevance), principal):
            if since is not None and (row.at is None or row.at < since):
                continue
            role = self.settings.role_weights.get(row.role, self.settings.default_role_weight)
            weight = role * row.weight * self._decay(row.at)
            key = (pid, row.num)
            if key not in best or weight > best[key][0]:
                best[key] = (weight, row)
        for (pid, num), (weight, row) in best.items():
            gain = self.settings.profile_weight * relevance[num] * weight
            if gain <= 0:
                continue
            cand = candidates.setdefault(pid, _Candidate())
            cand.raw += gain
            cand.saw(row.at)
            cand.doc_ids.add(row.doc_id)
            cand.profile.append((gain, relevance[num], row))

    def _add_tag_evidence(self, candidates: dict[str, _Candidate], hits: list[Hit],
                          docs: Mapping[str, Document], principal: Principal,
                          since: datetime | None, excluded: set[str]) -> TopicTags | None:
        """Credit people for readable work under the tags of the top hits (see tag_evidence)."""
        related = [h for h in hits if self._related(h)][: self.settings.tag_depth]
        top = max((h.score for h in related), default=0.0)
        best_raw = max((c.raw for pid, c in candidates.items() if pid not in excluded),
                       default=0.0)
        if best_raw <= 0:
            return None
        topic = self._tags.topic(
            principal, [(self._relevance(rank, h.score, top), docs[h.doc_id].tags)
                        for rank, h in enumerate(related, start=1)
                        if h.doc_id in docs and docs[h.doc_id].audience == "internal"],
            self.settings.role_weights, self.settings.default_role_weight,
            self.settings.half_life_days, since)
        if topic is not None:
            for pid, (gain, tags) in topic.gains(best_raw, self.settings.tag_weight,
                                                 excluded).items():
                cand = candidates.setdefault(pid, _Candidate())
                cand.raw += gain
                cand.tags = tags
        return topic

    def _load_profile_evidence(self, cands: list[_Candidate | None],
                               docs: dict[str, Document]) -> None:
        """Load the documents that profile-only evidence of the shown experts will cite."""
        want: list[str] = []
        for cand in cands:
            if cand is None or len(cand.items) >= self.settings.evidence_per_expert:
                continue
            shown = {hit.doc_id for _w, _r, hit, _c in cand.items}
            extra = [row.doc_id for _g, _r, row in sorted(cand.profile, key=lambda x: -x[0])
                     if row.doc_id not in shown]
            want.extend(extra[: self.settings.evidence_per_expert - len(cand.items)])
        missing = sorted({i for i in want if i not in docs})
        if missing:
            docs.update({d.id: d for d in self.engine.store.get_documents(missing)})

    def _activity(self, ids: list[str], principal: Principal) -> dict[str, Activity]:
        """Return readable activity per person (see :class:`ActivityLookup`)."""
        return self._activities.get(ids, principal)

    def _normalised(self, cand: _Candidate, act: Activity) -> float:
        """Return the candidate's total, normalised by activity and scaled by availability."""
        if self.settings.normalisation == "none":
            score = cand.raw
        elif self.settings.normalisation == "log":
            docs = max(1, act.documents, cand.documents)
            score = cand.raw / (1.0 + math.log(docs)) ** self.settings.log_strength
        else:
            score = cand.raw / (act.weighted + self.settings.model2_prior)
        return score * self._availability(cand, act)

    def _availability(self, cand: _Candidate, act: Activity) -> float:
        """Return ``floor + (1 - floor) × 0.5 ** (days since last readable work / half-life)``.

        The last contribution is the latest of the readable activity and the evidence itself
        (both readable by the asker), so the factor lies in ``[floor, 1]``.
        """
        half = self.settings.availability_half_life_days
        if half is None:
            return 1.0
        times = [t for t in (act.last, cand.last) if t is not None]
        if not times:
            return 1.0
        age = (self.clock() - max(times)).total_seconds() / 86400.0
        floor = self.settings.availability_floor
        return floor + (1.0 - floor) * 0.5 ** (max(0.0, age) / half)

    def _availability_ceiling(self) -> float:
        """Return the largest availability factor anyone can have: that of the newest work.

        The newest contribution in the whole store (private ones included) only bounds the
        factor from above, so it decides how early the exact look-ups may stop, never a score.
        """
        half = self.settings.availability_half_life_days
        if half is None:
            return 1.0
        seq = self.engine.store.current_seq()
        if self._latest[0] != seq:
            self._latest = (seq, latest_contribution_time(self.engine.store))
        latest = self._latest[1]
        if latest is None:
            return 1.0
        age = (self.clock() - latest).total_seconds() / 86400.0
        floor = self.settings.availability_floor
        return floor + (1.0 - floor) * 0.5 ** (max(0.0, age) / half)

    def _normalise(self, candidates: dict[str, _Candidate], principal: Principal, limit: int,
                   bonus: Mapping[str, float]) -> dict[str, float]:
        """Return normalised scores of the candidates that can reach the top ``limit``.

        With log (or no) normalisation a person's readable document count is at least their
        evidence count and the availability factor is at most 1, which bounds their score from
        above; activity is looked up in that order and stops once no remaining person can enter
        the top ``limit`` (skill bonus included).
        """
        if not candidates:
            return {}
        strength = self.settings.log_strength
        normalisation = self.settings.normalisation
        if normalisation == "none" and self.settings.availability_half_life_days is None:
            return {pid: c.raw for pid, c in candidates.items()}
        if normalisation == "model2" or (normalisation == "log" and strength < 0):
            act = self._activity(list(candidates), principal)
            return {pid: self._normalised(c, act[pid]) for pid, c in candidates.items()}
        if normalisation == "none":
            strength = 0.0
        most = self._availability_ceiling()
        bound = {pid: most * c.raw / (1.0 + math.log(max(1, c.documents))) ** strength
                 for pid, c in candidates.items()}
        ceiling = max(bound.values())
        upper = {pid: b + bonus.get(pid, 0.0) * ceiling for pid, b in bound.items()}
        order = sorted(candidates, key=lambda pid: (-upper[pid], pid))
        rest_bound = [0.0] * (len(order) + 1)
        for i in range(len(order) - 1, -1, -1):
            rest_bound[i] = max(rest_bound[i + 1], bound[order[i]])
        exact: dict[str, float] = {}
        step = max(20, 2 * limit)
        for start in range(0, len(order), step):
            batch = order[start : start + step]
            act = self._activity(batch, principal)
            exact.update({pid: self._normalised(candidates[pid], act[pid]) for pid in batch})
            done = start + len(batch)
            if done >= len(order):
                break
            top = max(exact.values())
            finals = sorted((v + bonus.get(p, 0.0) * top for p, v in exact.items()), reverse=True)
            if (len(finals) >= limit and finals[limit - 1] >= upper[order[done]]
                    and top >= rest_bound[done]):
                break
        return exact

    def _expert(self, score: float, person: Person, matched: tuple[str, ...],
                cand: _Candidate | None, docs: Mapping[str, Document],
                snippets: EvidenceSnippets) -> Expert:
        evidence: list[Evidence] = []
        if cand is not None:
            for _weight, relevance, hit, c in sorted(cand.items, key=lambda x: -x[0]):
                snippet = hit.snippet or snippets.get(docs[hit.doc_id])
                evidence.append(Evidence(hit.doc_id, hit.title, snippet, hit.url, c.role,
                                         c.at or hit.created_at, relevance))
                if len(evidence) >= self.settings.evidence_per_expert:
                    break
            shown = {e.doc_id for e in evidence}
            for _gain, relevance, row in sorted(cand.profile, key=lambda x: -x[0]):
                doc = docs.get(row.doc_id)
                if len(evidence) >= self.settings.evidence_per_expert:
                    break
                if doc is None or doc.id in shown or doc.audience != "internal":
                    continue
                shown.add(doc.id)
                evidence.append(Evidence(doc.id, doc.title, snippets.get(doc), doc.url, row.role,
                                         row.at or doc.created_at, relevance))
        # the count covers every document shown, tag evidence included ("0 documents" over two)
        counted = len((cand.doc_ids if cand else set()) | {e.doc_id for e in evidence})
        return Expert(person, score, evidence, matched, counted, cand.tags if cand else ())
