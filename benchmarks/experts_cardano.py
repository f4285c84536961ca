"""Expert finding on cardano.stackexchange: who will give the accepted answer to a later question?

Questions are split by time. Everything posted before the split is indexed (one document per
question with its earlier answers, comments and, when the edit predates the split, its last
editor); for each later question with an accepted answer
whose author posted before the split, we ask "who knows about <title>" and score where the
accepted answerer ranks. Two baselines run side by side: (a) overall answer counts, (b) BM25 over
answers (with their question's title) summed per author. The expert model's settings are picked
on a dev split (index before 50 %, queries 50-80 %) and reported on the test split (index before
80 %, queries 80-100 %). Latency is measured on the demo corpus (or the Cardano index when the
demo corpus is absent) and on 100k synthetic documents with the hashing embedder.

Run: .venv/bin/python benchmarks/experts_cardano.py [--embedder minilm] [--scale 100000]
"""

from __future__ import annotations

import argparse
import dataclasses
import html
import random
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from common import REPO, SHARED_DATA, WORK, percentile, print_table, require

from search.config import Settings
from search.embedder import HashingEmbedder, MiniLMEmbedder
from search.engine import SearchEngine
from search.experts import ExpertFinder, ExpertSettings, default_role_weights
from search.keyword import WhooshIndex
from search.models import ROLE_WEIGHTS, Contribution, Document, Person, Principal

DATA = SHARED_DATA / "stackexchange-cardano"
ANYONE = Principal.anonymous()
COMMUNITY = "-1"  # Stack Exchange's housekeeping bot
# Question editors count, as in indexers/stackexchange.py, when the (last) edit predates the
# split; --no-editors leaves them out, as every figure before 2026-12-02 did.
EDITORS = True


# -- the dump -----------------------------------------------------------------------------------
@dataclass
class Post:
    """A question or an answer of the dump."""

    id: int
    kind: int
    created: datetime
    owner: str | None
    body: str
    title: str = ""
    tags: tuple[str, ...] = ()
    parent: int | None = None
    accepted: int | None = None
    editor: str | None = None  # the last editor and when (the dump keeps only the last edit)
    edited: datetime | None = None


@dataclass
class Site:
    """Questions, answers, comments, acceptance dates and user names of one site."""

    questions: dict[int, Post] = field(default_factory=dict)
    answers: dict[int, Post] = field(default_factory=dict)
    comments: dict[int, list[tuple[str, datetime]]] = field(default_factory=dict)
    accepted_on: dict[int, datetime] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _rows(name: str) -> Iterable[dict[str, str]]:
    for _event, elem in ET.iterparse(require(DATA / name), events=("end",)):
        if elem.tag == "row":
            yield dict(elem.attrib)
            elem.clear()


def _plain(body: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def load_site() -> Site:
    """Parse Posts, Comments, Votes and Users with iterparse."""
    site = Site()
    for r in _rows("Posts.xml"):
        kind = int(r["PostTypeId"])
        if kind not in (1, 2):
            continue
        post = Post(int(r["Id"]), kind, _time(r["CreationDate"]), r.get("OwnerUserId"),
                    _plain(r.get("Body", "")), r.get("Title", ""),
                    tuple(re.findall(r"<([^>]+)>", html.unescape(r.get("Tags", "")))),
                    int(r["ParentId"]) if r.get("ParentId") else None,
                    int(r["AcceptedAnswerId"]) if r.get("AcceptedAnswerId") else None,
                    r.get("LastEditorUserId"),
                    _time(r["LastEditDate"]) if r.get("LastEditDate") else None)
        (site.questions if kind == 1 else site.answers)[post.id] = post
    for r in _rows("Comments.xml"):
        if r.get("UserId"):
            site.comments.setdefault(int(r["PostId"]), []).append(
                (r["UserId"], _time(r["CreationDate"])))
    for r in _rows("Votes.xml"):
        if r["VoteTypeId"] == "1":
            site.accepted_on[int(r["PostId"])] = _time(r["CreationDate"])
    for r in _rows("Users.xml"):
        site.names[r["Id"]] = r.get("DisplayName", r["Id"])
    return site


def split_times(site: Site) -> tuple[datetime, datetime]:
    """Return the dev and test split times (50 % and 80 % of questions by creation date)."""
    created = sorted(q.created for q in site.questions.values())
    return created[int(0.5 * len(created))], created[int(0.8 * len(created))]


def answers_of(site: Site, qid: int, before: datetime) -> list[Post]:
    """Return a question's answers posted before ``before``."""
    return sorted((a for a in site.answers.values() if a.parent == qid and a.created < before),
                  key=lambda a: a.created)


def thread_docs(site: Site, before: datetime) -> list[Document]:
    """One document per question posted before ``before``, with its earlier answers/comments."""
    by_parent: dict[int, list[Post]] = {}
    for a in site.answers.values():
        if a.parent is not None and a.created < before:
            by_parent.setdefault(a.parent, []).append(a)
    docs = []
    for q in sorted(site.questions.values(), key=lambda p: p.id):
        if q.created >= before:
            continue
        answers = sorted(by_parent.get(q.id, []), key=lambda a: a.created)
        contribs = [Contribution(f"se.{q.owner}", "asker", q.created)] if q.owner else []
        if (EDITORS and q.editor and q.editor not in (q.owner, COMMUNITY)
                and q.edited is not None and q.edited < before):
            contribs.append(Contribution(f"se.{q.editor}", "editor", q.edited))
        for a in answers:
            accepted = (a.id == q.accepted and a.id in site.accepted_on
                        and site.accepted_on[a.id] < before)
            if a.owner:
                role = "accepted_answerer" if accepted else "answerer"
                contribs.append(Contribution(f"se.{a.owner}", role, a.created))
        for post_id in [q.id] + [a.id for a in answers]:
            for user, at in site.comments.get(post_id, []):
                if at < before:
                    contribs.append(Contribution(f"se.{user}", "commenter", at))
        text = "\n\n".join([q.body] + [a.body for a in answers])
        docs.append(Document(id=f"se:{q.id}", source="se", kind="qa", title=q.title, text=text,
                             url=f"https://cardano.stackexchange.com/q/{q.id}",
                             created_at=q.created, contributions=tuple(contribs), tags=q.tags))
    return docs


@dataclass(frozen=True)
class Query:
    """A later question: its title, its asker and who gave the accepted answer."""

    qid: int
    title: str
    asker: str
    answerer: str


def queries(site: Site, start: datetime, end: datetime) -> list[Query]:
    """Questions in [start, end) whose accepted answerer posted before ``start`` (not the asker)."""
    earlier = {p.owner for p in [*site.questions.values(), *site.answers.values()]
               if p.owner and p.created < start}
    out = []
    for q in sorted(site.questions.values(), key=lambda p: p.created):
        if not (start <= q.created < end) or q.accepted not in site.answers:
            continue
        owner = site.answers[q.accepted].owner
        if owner and owner in earlier and owner != q.owner:
            out.append(Query(q.id, q.title, f"se.{q.owner}", f"se.{owner}"))
    return out


# -- scoring ------------------------------------------------------------------------------------
Ranked = list[tuple[list[str], str]]


def true_ranks(ranked_lists: Ranked) -> list[int | None]:
    """Return the rank of the true expert in each list (``None`` when absent)."""
    return [ranked.index(truth) + 1 if truth in ranked else None
            for ranked, truth in ranked_lists]


def metrics(ranked_lists: Ranked) -> dict[str, float]:
    """Return MRR, P@1 and Recall@10 of the true expert over ranked person lists."""
    ranks = true_ranks(ranked_lists)
    n = max(1, len(ranks))
    return {"MRR": sum(1.0 / r for r in ranks if r) / n,
            "P@1": sum(1 for r in ranks if r == 1) / n,
            "R@10": sum(1 for r in ranks if r and r <= 10) / n}


def paired_bootstrap(a: Ranked, b: Ranked, rounds: int = 10_000) -> tuple[float, float]:
    """Return the 95 % interval of MRR(a) - MRR(b), resampling queries (seeded)."""
    rra = [1.0 / r if r else 0.0 for r in true_ranks(a)]
    rrb = [1.0 / r if r else 0.0 for r in true_ranks(b)]
    rng = random.Random(0)
    n = len(rra)
    diffs = []
    for _ in range(rounds):
        idx = [rng.randrange(n) for _ in range(n)]
        diffs.append(sum(rra[i] - rrb[i] for i in idx) / n)
    diffs.sort()
    return diffs[int(0.025 * rounds)], diffs[int(0.975 * rounds)]


def answer_count_baseline(site: Site, before: datetime, qs: list[Query]) -> Ranked:
    """(a) Rank everyone by how many answers they posted before the split."""
    counts = Counter(f"se.{a.owner}" for a in site.answers.values()
                     if a.owner and a.created < before)
    order = [pid for pid, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return [([p for p in order if p != q.asker], q.answerer) for q in qs]


def bm25_baseline(site: Site, before: datetime, qs: list[Query], path: Path) -> Ranked:
    """(b) BM25 (Whoosh) over answers with their question's title, summed per author."""
    index = WhooshIndex(path, title_boost=0.5)
    index.clear()
    authors: dict[int, str] = {}
    upserts = []
    for a in site.answers.values():
        if a.owner and a.created < before and a.parent in site.questions:
            title = site.questions[a.parent].title
            doc = Document(id=f"ans:{a.id}", source="ans", kind="answer", title=title,
                           text=a.body)
            upserts.append((a.id, doc, ""))
            authors[a.id] = f"se.{a.owner}"
    index.apply(upserts, [], seq=1)
    lists = []
    for q in qs:
        totals: dict[str, float] = {}
        for num, score in index.search(q.title, 1000, None).ranked:
            totals[authors[num]] = totals.get(authors[num], 0.0) + score
        ranked = [p for p, _s in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
        lists.append(([p for p in ranked if p != q.asker], q.answerer))
    index.close()
    return lists


class CachedEngine:
    """Memoise the engine's hybrid search and document loads so settings can be swept fast."""

    def __init__(self, engine: SearchEngine) -> None:
        self.engine = engine
        self.embedder = engine.embedder  # the finder's topic floor depends on it
        self.keyword = _CachedKeyword(engine.keyword)
        self._search: dict[tuple[str, str | None], Any] = {}
        self._docs: dict[str, Document] = {}
        self.store = _CachedStore(engine.store, self._docs)

    def search(self, query: str, principal: Principal, filters: Any = None, limit: int = 10,
               fusion: str | None = None, **_kw: Any) -> Any:
        """Return the (cached) top-100 result cut to ``limit``."""
        key = (query, fusion)
        if key not in self._search:
            self._search[key] = self.engine.search(query, principal, filters, limit=100,
                                                   fusion=fusion, facets=False, snippets=False)
        result = self._search[key]
        return dataclasses.replace(result, hits=result.hits[:limit])


class _CachedKeyword:
    def __init__(self, keyword: Any) -> None:
        self._keyword = keyword
        self._done: dict[Any, Any] = {}

    def search(self, text: str, k: int, tokens: Any, filters: Any = None, **kw: Any) -> Any:
        key = (text, k, None if tokens is None else tuple(tokens), filters, tuple(kw.items()))
        if key not in self._done:
            self._done[key] = self._keyword.search(text, k, tokens, filters, **kw)
        return self._done[key]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._keyword, name)


class _CachedStore:
    def __init__(self, store: Any, docs: dict[str, Document]) -> None:
        self._store = store
        self._docs = docs

    def get_documents(self, ids: Sequence[str]) -> list[Document]:
        missing = [i for i in ids if i not in self._docs]
        self._docs.update({d.id: d for d in self._store.get_documents(missing)})
        return [self._docs[i] for i in ids if i in self._docs]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def finder_lists(engine: Any, qs: list[Query], settings: ExpertSettings,
                 now: datetime) -> Ranked:
    """Run the expert finder for every query; return its rankings with the true experts."""
    finder = ExpertFinder(engine, settings, clock=lambda: now)
    lists = []
    for q in qs:
        experts = finder.find(q.title, ANYONE, limit=100, exclude={q.asker})
        lists.append(([e.person.id for e in experts], q.answerer))
    return lists


def sweep(engine: Any, qs: list[Query], now: datetime) -> ExpertSettings:
    """Coordinate ascent on dev MRR over the expert model's knobs; return the best settings."""
    roles = [dict(ROLE_WEIGHTS), default_role_weights(),
             {**default_role_weights(), "commenter": 0.0},
             {**default_role_weights(), "accepted_answerer": 3.0}]
    normalisations: list[dict[str, Any]] = [
        {"normalisation": "none"}, {"normalisation": "model2", "model2_prior": 5.0},
        {"normalisation": "model2", "model2_prior": 50.0},
        *({"normalisation": "log", "log_strength": a} for a in (-0.25, 0.25, 0.5, 1.0))]
    grid: list[list[dict[str, Any]]] = [
        normalisations,
        [{"relevance": "score"}] + [{"relevance": "rank", "rank_k": k} for k in (1, 3, 10, 30)],
        [{"depth": d} for d in (20, 50, 100)],
        [{"fusion": f} for f in (None, "rrf", "linear", "keyword", "vector")],
        [{"half_life_days": h} for h in (None, 30.0, 60.0, 180.0, 365.0)],
        [{"share_documents": b} for b in (False, True)],
        [{"min_vector_score": v} for v in (0.0, 0.3, 0.4, 0.5)],
        [{"role_weights": r} for r in roles],
        [{"profile_weight": w} for w in (0.0, 0.1, 0.25, 0.5, 1.0, 2.0)],
        [{"profile_rank_k": k} for k in (10.0, 30.0, 100.0, 300.0)],
        [{"profile_depth": d} for d in (300, 1000)],
        [{"availability_half_life_days": h} for h in (None, 3.5, 7.0, 14.0, 30.0, 60.0)],
        [{"availability_floor": f} for f in (0.0, 0.1, 0.3)],
        [{"tag_weight": w} for w in (0.0, 0.25, 0.5, 1.0, 2.0, 4.0)],
        [{"tag_depth": d} for d in (10, 20, 50)],
    ]
    best = ExpertSettings()
    best_mrr = metrics(finder_lists(engine, qs, best, now))["MRR"]
    for _round in range(2):
        for options in grid:
            for changes in options:
                trial = dataclasses.replace(best, **changes)
                mrr = metrics(finder_lists(engine, qs, trial, now))["MRR"]
                if mrr > best_mrr + 1e-9:
                    best, best_mrr = trial, mrr
                    print(f"  dev MRR {mrr:.4f} with {changes}", flush=True)
    return best


def describe(s: ExpertSettings) -> str:
    """Return the swept knobs of a settings object as a short string."""
    asker = s.role_weights.get("asker")
    return (f"fusion={s.fusion or 'engine default'}, normalisation={s.normalisation} "
            f"(log strength {s.log_strength}, model2 prior "
            f"{s.model2_prior}), relevance={s.relevance} "
            f"(rank_k {s.rank_k}), depth={s.depth}, half_life_days={s.half_life_days}, "
            f"share_documents={s.share_documents}, min_vector_score={s.min_vector_score}, "
            f"asker weight={asker}, profile_weight={s.profile_weight} "
            f"(depth {s.profile_depth}, rank_k {s.profile_rank_k}), availability half-life "
            f"{s.availability_half_life_days} (floor {s.availability_floor}), tag_weight="
            f"{s.tag_weight} (depth {s.tag_depth})")


# -- building indexes ---------------------------------------------------------------------------
def open_engine(name: str, embedder_name: str, threads: int = 2, **kw: Any) -> SearchEngine:
    """Open (and keep) an engine under benchmarks/var (``threads`` torch threads for MiniLM)."""
    embedder: Any = (MiniLMEmbedder(threads=threads) if embedder_name == "minilm"
                     else HashingEmbedder())
    settings = Settings(data_dir=str(WORK / name), embedder=embedder_name)
    return SearchEngine(settings, embedder=embedder, **kw)


def build(site: Site, before: datetime, name: str, embedder_name: str) -> SearchEngine:
    """Index the threads posted before ``before`` (unchanged documents are skipped)."""
    engine = open_engine(name if EDITORS else f"{name}-noeditors", embedder_name)
    docs = thread_docs(site, before)
    ids = {c.person_id for d in docs for c in d.contributions}
    engine.upsert_people(Person(pid, site.names.get(pid[3:], pid)) for pid in sorted(ids))
    t0 = time.perf_counter()
    for start in range(0, len(docs), 200):
        engine.upsert(docs[start : start + 200], save_vectors=False)
    engine.save_vectors()
    print(f"{name}: {len(docs)} threads ready in {time.perf_counter() - t0:.1f}s", flush=True)
    return engine


# -- latency ------------------------------------------------------------------------------------
Times = tuple[float, float, float, float]
LATENCY_VARIANTS: list[tuple[str, ExpertSettings]] = [
    ("shipped defaults", ExpertSettings()),
    ("tag evidence off (tag_weight 0)", ExpertSettings(tag_weight=0.0)),
    ("with profile evidence (profile_weight 0.5, rank_k 10)",
     ExpertSettings(profile_weight=0.5, profile_rank_k=10.0)),
]


def measure(engine: SearchEngine, topics: Sequence[str], principal: Principal,
            variants: Sequence[ExpertSettings]) -> list[Times]:
    """Return warm and cold p50/p95 milliseconds of ``ExpertFinder.find`` per settings variant.

    Warm: one finder per variant answers every topic in turn (its activity cache fills as it
    goes, as in a running server). Cold: then a new finder per topic (no cached activity; the
    engine's own caches, e.g. query embeddings, are as the warm pass left them). The variants
    take turns on each topic, so load changes hit them alike. One warm-up query each first.
    """
    finders = [ExpertFinder(engine, s) for s in variants]
    for finder in finders:
        finder.find(topics[0], principal)
    warm: list[list[float]] = [[] for _ in finders]
    cold: list[list[float]] = [[] for _ in finders]
    # the first variant on a topic pays what the engine caches per topic (its query vector,
    # Whoosh's per-searcher work), so the variants take turns at going first
    turns = [[(n + k) % len(finders) for k in range(len(finders))] for n in range(len(topics))]
    for topic, turn in zip(topics, turns, strict=True):
        for i in turn:
            t0 = time.perf_counter()
            finders[i].find(topic, principal)
            warm[i].append((time.perf_counter() - t0) * 1000)
    for topic, turn in zip(topics, turns, strict=True):
        for i in turn:
            finder, settings = finders[i], variants[i]
            fresh = ExpertFinder(engine, settings, directory=finder.directory)
            t0 = time.perf_counter()
            fresh.find(topic, principal)
            cold[i].append((time.perf_counter() - t0) * 1000)
    return [(percentile(w, 50), percentile(w, 95), percentile(c, 50), percentile(c, 95))
            for w, c in zip(warm, cold, strict=True)]


def demo_latency(embedder_name: str, fallback: SearchEngine | None,
                 fallback_topics: Sequence[str],
                 every: int = 1) -> tuple[str, list[Times], int]:
    """Measure on the demo corpus when it exists, else on the Cardano test index.

    Demo topics: every tag of an internal document and every declared skill (short topics, as
    people ask "who knows about X"), plus the titles of internal documents (long topics); the
    asker is the first employee of the directory with their groups. Queries use one torch thread.
    """
    corpus = REPO / "search" / "demo_corpus"
    if corpus.exists() and list(corpus.glob("*.jsonl")):
        from indexers.jsonl import JsonlIndexer
        from indexers.runner import run_indexer

        engine = open_engine(f"experts-demo-{embedder_name}", embedder_name, threads=1)
        run_indexer(engine, JsonlIndexer(corpus, source="demo"))
        internal = [s.doc for b in engine.store.iter_documents() for s in b
                    if s.doc.audience == "internal"]
        staff = [p for p in engine.store.iter_people() if "customers" not in p.groups]
        topics = sorted({t for d in internal for t in d.tags}
                        | {k for p in staff for k in p.skills})
        topics += sorted({d.title for d in internal if d.title})
        topics = topics[::every]
        label = f"demo corpus, {len(topics)} topics"
        principal = Principal(user_id=staff[0].id, groups=frozenset(staff[0].groups))
    elif fallback is None:
        raise SystemExit("the demo corpus is missing and there is no Cardano index to time")
    else:
        engine, topics, label = fallback, list(fallback_topics)[:100], "Cardano test index"
        principal = ANYONE
    times = measure(engine, topics, principal, [s for _l, s in LATENCY_VARIANTS])
    return label, times, engine.store.count_documents()


VOCAB_SEED = 7


def synthetic_docs(n: int, people: int = 2000, vocab: int = 20000) -> Iterable[Document]:
    """Yield ``n`` synthetic threads: Zipf-distributed words, 1-5 contributors with roles."""
    rng = random.Random(VOCAB_SEED)
    words = [f"w{i}" for i in range(vocab)]
    weights = [1.0 / (i + 1) for i in range(vocab)]
    roles = list(ROLE_WEIGHTS)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for i in range(n):
        body = rng.choices(words, weights, k=rng.randint(20, 80))
        title = " ".join(rng.choices(words, weights, k=6))
        contribs = tuple(
            Contribution(f"p{rng.randint(0, people - 1)}", rng.choice(roles),
                         start + timedelta(minutes=rng.randint(0, 2_000_000)))
            for _ in range(rng.randint(1, 5)))
        yield Document(id=f"syn:{i}", source="syn", kind="qa", title=title, text=" ".join(body),
                       created_at=start + timedelta(minutes=i), contributions=contribs)


def scale_latency(n: int) -> tuple[int, list[Times]]:
    """Build (once) an ``n``-document synthetic index with the hashing embedder and time queries."""
    engine = open_engine(f"experts-synthetic-{n}", "hashing", post_sync=[])
    have = engine.store.count_documents()
    if have < n:
        t0 = time.perf_counter()
        batch: list[Document] = []
        for doc in synthetic_docs(n):
            batch.append(doc)
            if len(batch) == 5000:
                engine.upsert(batch, save_vectors=False)
                batch = []
                print(f"  synthetic: {engine.store.count_documents()}/{n}", flush=True)
        if batch:
            engine.upsert(batch)
        engine.save_vectors()
        print(f"synthetic index built in {time.perf_counter() - t0:.0f}s", flush=True)
    rng = random.Random(1)
    # topic words from the middle of the Zipf curve (ranks 100-5000), like content words;
    # the top ranks play the part of stopwords, which real topics do not consist of
    topics = [" ".join(f"w{rng.randint(100, 5000)}" for _ in range(rng.randint(1, 3)))
              for _ in range(100)]
    staff = Principal(user_id="p1", groups=frozenset({"staff"}))
    times = measure(engine, topics, staff, [s for _l, s in LATENCY_VARIANTS])
    return engine.store.count_documents(), times


# -- main ---------------------------------------------------------------------------------------
def evaluate(site: Site, embedder_name: str,
             tune: bool = True) -> tuple[SearchEngine, list[Query]]:
    """Sweep settings on dev, then print dev and test scores of baselines and finder variants.

    ``tune=False`` skips the sweep and its "dev-picked settings" row (a much shorter run).
    """
    dev_at, test_at = split_times(site)
    end = max(q.created for q in site.questions.values()) + timedelta(seconds=1)
    dev_q, test_q = queries(site, dev_at, test_at), queries(site, test_at, end)
    print(f"dev split {dev_at:%Y-%m-%d %H:%M}: {len(dev_q)} queries; "
          f"test split {test_at:%Y-%m-%d %H:%M}: {len(test_q)} queries", flush=True)
    dev = build(site, dev_at, f"experts-cardano-dev-{embedder_name}", embedder_name)
    dev_cached = CachedEngine(dev)
    tuned = sweep(dev_cached, dev_q, dev_at) if tune else None
    if tuned is not None:
        print(f"picked on dev: {describe(tuned)}")
    test = build(site, test_at, f"experts-cardano-test-{embedder_name}", embedder_name)
    test_cached = CachedEngine(test)
    shipped = ExpertSettings()
    variants: list[tuple[str, ExpertSettings]] = [
        ("ExpertFinder, shipped defaults", shipped),
        ("  defaults, tag evidence off (the 2026-12-01 model)",
         dataclasses.replace(shipped, tag_weight=0.0)),
        ("  defaults, tag_weight 0.5", dataclasses.replace(shipped, tag_weight=0.5)),
        ("  defaults, tag_weight 2", dataclasses.replace(shipped, tag_weight=2.0)),
        ("  defaults, tag_depth 50", dataclasses.replace(shipped, tag_depth=50)),
        ("  defaults, availability off",
         dataclasses.replace(shipped, availability_half_life_days=None)),
        ("  defaults, tag evidence and availability off (the 2026-11-25 model)",
         dataclasses.replace(shipped, tag_weight=0.0, availability_half_life_days=None)),
        ("  defaults, availability half-life 30 days",
         dataclasses.replace(shipped, availability_half_life_days=30.0)),
        ("  defaults, availability floor 0.3",
         dataclasses.replace(shipped, availability_floor=0.3)),
        ("  defaults, normalisation=none", dataclasses.replace(shipped, normalisation="none")),
        ("  defaults, normalisation=log strength 1",
         dataclasses.replace(shipped, log_strength=1.0)),
        ("  defaults, normalisation=model2 (prior 5)",
         dataclasses.replace(shipped, normalisation="model2")),
        ("  defaults, models.ROLE_WEIGHTS (asker 1.5)",
         dataclasses.replace(shipped, role_weights=dict(ROLE_WEIGHTS))),
        ("  defaults, no recency decay", dataclasses.replace(shipped, half_life_days=None)),
        ("  defaults, relevance=fused score", dataclasses.replace(shipped, relevance="score")),
        ("  defaults, fusion=rrf", dataclasses.replace(shipped, fusion="rrf")),
        ("  defaults, keyword leg only", dataclasses.replace(shipped, fusion="keyword")),
        ("  defaults, vector leg only", dataclasses.replace(shipped, fusion="vector")),
    ]
    if tuned is not None:
        variants.insert(1, ("ExpertFinder, dev-picked settings", tuned))
    results: list[tuple[str, Ranked, Ranked]] = [
        ("(a) answer count", answer_count_baseline(site, dev_at, dev_q),
         answer_count_baseline(site, test_at, test_q)),
        ("(b) BM25 over answers, summed per author",
         bm25_baseline(site, dev_at, dev_q, WORK / "experts-cardano-bm25"),
         bm25_baseline(site, test_at, test_q, WORK / "experts-cardano-bm25")),
    ]
    for label, settings in variants:
        results.append((label, finder_lists(dev_cached, dev_q, settings, dev_at),
                        finder_lists(test_cached, test_q, settings, test_at)))
    dev.close()
    rows: list[tuple[str, float, float, float, float]] = []
    for label, on_dev, on_test in results:
        d, t = metrics(on_dev), metrics(on_test)
        rows.append((label, d["MRR"], t["MRR"], t["P@1"], t["R@10"]))
    print(f"\nDev {len(dev_q)} / test {len(test_q)} questions, embedder {embedder_name}\n")
    print_table(["method", "dev MRR", "test MRR", "test P@1", "test Recall@10"], rows)
    for split in ("dev", "test"):
        mrr = {r[0]: r[1] if split == "dev" else r[2] for r in rows}
        best_base = max(rows[:2], key=lambda r: mrr[r[0]])[0]
        for label, row in [("shipped defaults", rows[2])] + (
                [("dev-picked", rows[3])] if tuned is not None else []):
            print(f"{split}: {label} vs {best_base[:3]} baseline: MRR "
                  f"{mrr[row[0]] / mrr[best_base] - 1:+.1%}")
    base_i = 0 if rows[0][2] >= rows[1][2] else 1
    low, high = paired_bootstrap(results[2][2], results[base_i][2])
    print(f"test: shipped defaults minus {rows[base_i][0][:3]} baseline, MRR difference 95 % "
          f"interval (paired bootstrap over questions): [{low:+.4f}, {high:+.4f}]")
    first = 3 if tuned is None else 4  # the first ablation row: tag evidence off
    for off in (first, first + 4):  # tag evidence off; availability off
        for split in ("dev", "test"):
            shipped_lists, off_lists = ((results[2][1], results[off][1]) if split == "dev"
                                        else (results[2][2], results[off][2]))
            low, high = paired_bootstrap(shipped_lists, off_lists)
            print(f"{split}: shipped defaults minus '{results[off][0].strip()}', MRR difference "
                  f"95 % interval: [{low:+.4f}, {high:+.4f}]")
    return test, test_q


def main(argv: list[str] | None = None) -> None:
    """Run the evaluation and the latency measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="minilm", choices=["minilm", "hashing"])
    parser.add_argument("--scale", type=int, default=100_000,
                        help="documents of the synthetic latency index (0 skips it)")
    parser.add_argument("--no-sweep", action="store_true",
                        help="skip the coordinate-ascent sweep on dev (and its row)")
    parser.add_argument("--every-topic", type=int, default=1, metavar="N",
                        help="time only every N-th demo topic (a shorter latency run)")
    parser.add_argument("--demo-latency-only", action="store_true",
                        help="time only the demo corpus (no Cardano index, no 100k index)")
    parser.add_argument("--quality-only", action="store_true",
                        help="skip the latency measurements")
    parser.add_argument("--latency-only", action="store_true",
                        help="skip the quality evaluation (latency falls back to the demo corpus)")
    parser.add_argument("--no-editors", action="store_true",
                        help="leave question editors out of the index (the figures before "
                             "2026-12-02)")
    args = parser.parse_args(argv)
    global EDITORS
    EDITORS = not args.no_editors
    if args.demo_latency_only:
        label, times, n = demo_latency(args.embedder, None, [], args.every_topic)
        print_table(["index", "warm p50", "warm p95", "cold p50", "cold p95"],
                    [(f"{label} ({n} docs), {name}", *(f"{v:.1f}" for v in t))
                     for (name, _s), t in zip(LATENCY_VARIANTS, times, strict=True)])
        return
    site = load_site()
    if args.latency_only:
        _dev_at, test_at = split_times(site)
        test = build(site, test_at, f"experts-cardano-test-{args.embedder}", args.embedder)
        end = max(q.created for q in site.questions.values()) + timedelta(seconds=1)
        test_q = queries(site, test_at, end)
    else:
        test, test_q = evaluate(site, args.embedder, tune=not args.no_sweep)
    if args.quality_only:
        return
    label, times, n = demo_latency(args.embedder, test, [q.title for q in test_q],
                                   args.every_topic)
    lat = [(f"{label} ({n} docs, {args.embedder}), {name}", *t)
           for (name, _s), t in zip(LATENCY_VARIANTS, times, strict=True)]
    if args.scale:
        size, times = scale_latency(args.scale)
        lat += [(f"synthetic, 100 topics ({size} docs, hashing embedder), {name}", *t)
                for (name, _s), t in zip(LATENCY_VARIANTS, times, strict=True)]
    print("\nExperts query latency (ms, one process)\n")
    print_table(["index", "warm p50", "warm p95", "cold p50", "cold p95"],
                [(row[0], *(f"{v:.1f}" for v in row[1:])) for row in lat])


if __name__ == "__main__":
    main()
