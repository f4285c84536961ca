"""Voice of the customer: what customers say about a topic, and who inside can act on it.

``VoiceAnalyzer(engine).report(topic, since, until, principal)`` finds the customer posts on a
topic (every topic word, or close in meaning), and reports sentiment over time, spikes, themes,
representative posts, influential customers, and the internal documents and experts to route to.
Only posts the principal may read are used.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import func, select
from threadpoolctl import threadpool_limits

from search import schema as t
from search.customer_posts import (
    CustomerPost,
    PostCache,
    all_post_nums,
    customer_filters,
    keyword_matches,
    load_all_posts,
    load_posts,
    vector_matches,
)
from search.language import looks_english
from search.models import Principal, utc
from search.phrases import has_words, tokens
from search.ratings import Ratings, summarise_ratings
from search.spikes import (
    Spike,
    detect_spikes,
    driving_posts,
    driving_rows,
    explain,
    explain_rows,
)
from search.themes import MIN_POSTS, find_themes
from search.voice_corpus import MAX_POSTS, CorpusCache, VoiceCorpus
from search.voice_parts import (
    BUCKETS,
    LABELS,
    Bucket,
    Influencer,
    SentimentMix,
    Theme,
    bucket_start,
    influencers,
    representative,
    timeline,
)
from search.voice_routing import Router
from search.voice_rows import influencers_rows, representative_rows, timeline_rows

if TYPE_CHECKING:
    from search.engine import SearchEngine

MIN_SIMILARITY = {"all-MiniLM-L6-v2": 0.5}
DEFAULT_SIMILARITY = 0.6
SPIKE_WINDOW = {"day": 7, "week": 4}
NEGATIVE = LABELS.index("negative")
View = tuple[VoiceCorpus, np.ndarray] | None  # the corpus and a report's rows in it


class VoiceError(ValueError):
    """A voice report was asked for with arguments that cannot work (e.g. a bad bucket)."""


@dataclass(frozen=True)
class PreviousPeriod:
    """The period of the same length just before a report's: how many posts, how they felt."""

    since: datetime
    until: datetime
    total: int
    mix: SentimentMix
    ratings: Ratings | None = None

    @property
    def days(self) -> float:
        """Return the length of the period in days."""
        return (self.until - self.since).total_seconds() / 86400

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"since": self.since.isoformat(), "until": self.until.isoformat(),
                "days": round(self.days, 2), "total": self.total,
                "sentiment": self.mix.to_dict(),
                "ratings": self.ratings.to_dict() if self.ratings else None}


@dataclass
class VoiceReport:
    """Everything a voice report says about a topic in a period."""

    topic: str
    since: datetime | None
    until: datetime | None
    bucket: str
    total: int = 0
    mix: SentimentMix = field(default_factory=SentimentMix)
    ratings: Ratings | None = None  # only when some of the posts carry a rating (reviews)
    timeline: list[Bucket] = field(default_factory=list)
    spikes: list[Spike] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    most_negative: list[CustomerPost] = field(default_factory=list)
    most_positive: list[CustomerPost] = field(default_factory=list)
    influencers: list[Influencer] = field(default_factory=list)
    internal_documents: list[dict[str, Any]] = field(default_factory=list)
    experts: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    timings_ms: dict[str, float] = field(default_factory=dict)
    posts: list[CustomerPost] = field(default_factory=list, repr=False)
    previous: PreviousPeriod | None = None

    def to_dict(self, include_posts: bool = False) -> dict[str, Any]:
        """Return a JSON-ready dict (``include_posts`` adds every matching post)."""
        data: dict[str, Any] = {
            "topic": self.topic,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "bucket": self.bucket, "total": self.total, "sentiment": self.mix.to_dict(),
            "ratings": self.ratings.to_dict() if self.ratings else None,
            "counts": dict(self.counts),
            "timeline": [b.to_dict() for b in self.timeline],
            "spikes": [self._spike_dict(s) for s in self.spikes],
            "themes": [t.to_dict() for t in self.themes],
            "most_negative": [p.to_dict() for p in self.most_negative],
            "most_positive": [p.to_dict() for p in self.most_positive],
            "influencers": [i.to_dict() for i in self.influencers],
            "internal_documents": list(self.internal_documents),
            "experts": list(self.experts), "notes": list(self.notes),
            "previous": self.previous.to_dict() if self.previous else None,
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }
        if include_posts:
            data["posts"] = [p.to_dict() for p in self.posts]
        return data

    def _spike_dict(self, spike: Spike) -> dict[str, Any]:
        data = spike.to_dict()
        if 0 <= spike.index < len(self.timeline):
            data["bucket"] = self.timeline[spike.index].label
        return data


class VoiceAnalyzer:
    """Builds voice-of-the-customer reports from the engine's customer posts."""

    def __init__(self, engine: SearchEngine, min_similarity: float | None = None,
                 spike_k: float = 4.0, min_spike_count: int = 5, seed: int = 0,
                 route: bool = True, route_themes: int = 1,
                 corpus_posts: int = MAX_POSTS) -> None:
        self.engine = engine
        self.min_similarity = min_similarity if min_similarity is not None else \
            MIN_SIMILARITY.get(engine.embedder.name, DEFAULT_SIMILARITY)
        self.router = Router(engine, self.min_similarity)
        self.spike_k = spike_k
        self.min_spike_count = min_spike_count
        self.seed = seed
        self.route = route
        self.route_themes = route_themes
        self._cache = PostCache()
        self._corpus = CorpusCache(corpus_posts)

    def report(self, topic: str, since: datetime | None, until: datetime | None,
               principal: Principal, bucket: str = "day") -> VoiceReport:
        """Return the voice report on ``topic`` ('' or '*' for all posts) for ``principal``."""
        if bucket not in BUCKETS:
            raise VoiceError(f"bucket must be one of {', '.join(BUCKETS)}, not {bucket!r}")
        topic = (topic or "").strip()
        since, until = utc(since), utc(until)
        report = VoiceReport(topic or "*", since, until, bucket)
        if since and until and since > until:
            report.notes.append("the period is empty: 'since' is after 'until'")
            return report
        with threadpool_limits(limits=1, user_api="blas"):
            self._build(report, topic, principal)
        return report

    def _build(self, report: VoiceReport, topic: str, principal: Principal) -> None:
        since, until = report.since, report.until
        clock = time.perf_counter()
        freshness = self._freshness()
        corpus = self._corpus.get(self.engine, freshness)
        posts, rows = self._find(topic, since, until, principal, report, freshness, corpus)
        report.posts, report.total = posts, len(posts)
        report.ratings = summarise_ratings(posts)
        view = (corpus, rows) if corpus is not None and rows is not None else None
        at: dict[Any, np.ndarray] = {}
        if view is not None:
            report.mix = view[0].arrays.mix(view[1])
            report.timeline, at = timeline_rows(view[0].arrays, posts, view[1], report.bucket,
                                                since, until)
            grouped = {day: [posts[i] for i in part.tolist()] for day, part in at.items()}
        else:
            report.mix = SentimentMix.of(posts)
            report.timeline, grouped = timeline(posts, report.bucket, since, until)
        report.timings_ms["find"] = _ms(clock)
        if report.timeline and grouped and min(grouped) < report.timeline[0].start:
            report.notes.append(f"the timeline shows the newest {len(report.timeline):,} "
                                f"{report.bucket}s with posts only: ask by week, or for a "
                                "shorter period, to see the rest")
        if since is not None:
            clock = time.perf_counter()
            report.previous = self._previous(topic, since, until, posts, principal, freshness,
                                             corpus)
            report.timings_ms["previous"] = _ms(clock)
        if not posts:
            report.notes.append(_nothing_found(topic, since, until))
        else:
            lead = (self._lead_in(topic, report, principal, freshness, corpus)
                    if since is not None and report.timeline else ([], []))
            self._describe(report, posts, grouped, topic, view, at, lead)
        if self.route:
            clock = time.perf_counter()
            self._route(report, topic, principal)
            report.timings_ms["route"] = _ms(clock)

    def _previous(self, topic: str, since: datetime, until: datetime | None,
                  posts: Sequence[CustomerPost], principal: Principal, freshness: Any,
                  corpus: VoiceCorpus | None) -> PreviousPeriod | None:
        """Return the posts of the period as long as the report's that ends where it starts.

        Without ``until`` the report's period ends at its newest post.
        """
        end = until or max((p.created_at for p in posts if p.created_at), default=None)
        if end is None or end <= since:
            return None
        tick = timedelta(microseconds=1)  # ``until`` is inclusive: the period is end - since + 1 µs
        try:
            start, stop = since - (end - since + tick), since - tick
        except OverflowError:  # a period reaching back before year 1 has nothing before it
            return None
        scratch = VoiceReport(topic or "*", start, stop, "day")
        before, rows = self._find(topic, start, stop, principal, scratch, freshness, corpus)
        mix = (corpus.arrays.mix(rows) if corpus is not None and rows is not None
               else SentimentMix.of(before))
        return PreviousPeriod(start, stop, len(before), mix, summarise_ratings(before))

    def _lead_in(self, topic: str, report: VoiceReport, principal: Principal, freshness: Any,
                 corpus: VoiceCorpus | None) -> tuple[list[int], list[int]]:
        """Return the posts and negative posts of each of the SPIKE_WINDOW buckets before the
        timeline's first: the baseline of a spike early in a chosen period."""
        bucket, window = report.bucket, SPIKE_WINDOW[report.bucket]
        step = timedelta(days=7 if bucket == "week" else 1)
        first = report.timeline[0].start
        try:
            lead_first = first - window * step
        except OverflowError:
            return [], []
        start = datetime(lead_first.year, lead_first.month, lead_first.day, tzinfo=UTC)
        stop = datetime(first.year, first.month, first.day, tzinfo=UTC) - timedelta(microseconds=1)
        scratch = VoiceReport(topic or "*", start, stop, bucket)
        before, _rows = self._find(topic, start, stop, principal, scratch, freshness, corpus)
        counts, negatives = [0] * window, [0] * window
        for post in before:
            if post.created_at is not None:
                i = (bucket_start(post.created_at, bucket) - lead_first) // step
                if 0 <= i < window:
                    counts[i] += 1
                    negatives[i] += post.sentiment is not None and \
                        post.sentiment.label == "negative"
        return counts, negatives

    def posts(self, topic: str, since: datetime | None, until: datetime | None,
              principal: Principal) -> tuple[list[CustomerPost], list[str]]:
        """Return the readable customer posts on a topic in a period, and notes about them."""
        report = VoiceReport(topic or "*", utc(since), utc(until), "day")
        freshness = self._freshness()
        posts, _rows = self._find((topic or "").strip(), utc(since), utc(until), principal,
                                  report, freshness, self._corpus.get(self.engine, freshness))
        return posts, report.notes

    def _find(self, topic: str, since: datetime | None, until: datetime | None,
              principal: Principal, report: VoiceReport, freshness: Any,
              corpus: VoiceCorpus | None) -> tuple[list[CustomerPost], np.ndarray | None]:
        """Return the readable posts (numbers filtered by access, then the corpus's posts) and
        their rows in the corpus (``None`` without a corpus)."""
        clock = time.perf_counter()
        if corpus is not None:
            if topic in ("", "*"):
                who = (tuple(principal.tokens() or ("*",)), since, until)
                nums = self._corpus.readable(freshness, who, lambda: all_post_nums(
                    self.engine, principal, since, until))
            else:
                nums = self._match(topic, since, until, principal, report)
                report.timings_ms["match"] = _ms(clock)
            rows = corpus.rows(nums)
            posts = corpus.posts_at(rows)
            classified = sum(1 for p in posts if p.num in corpus.classified)
            if classified:
                report.notes.append(_classified_note(classified))
            return posts, rows
        key = (freshness, tuple(principal.tokens() or ("*",)), since, until)
        cached = self._cache.posts(key)
        if topic in ("", "*"):
            if cached is None:
                cached = self._with_sentiment(
                    load_all_posts(self.engine, principal, since, until), report)
                self._cache.put_posts(key, cached)
            return cached, None
        nums = self._match(topic, since, until, principal, report)
        report.timings_ms["match"] = _ms(clock)
        if cached is not None:
            by_num = {p.num: p for p in cached}
            return [by_num[n] for n in nums if n in by_num], None
        return self._with_sentiment(load_posts(self.engine, nums), report), None

    def _freshness(self) -> tuple[int, Any]:
        """Return what changes when posts or their sentiment change (store seq, last label)."""
        with self.engine.store.engine.connect() as conn:
            last = conn.execute(select(func.max(t.sentiment.c.at))).scalar()
        return self.engine.store.current_seq(), last

    def vectors(self, posts: Sequence[CustomerPost]) -> np.ndarray:
        """Return the posts' embeddings (from the index cache; kept in memory between reports)."""
        corpus = self._corpus.get(self.engine, self._freshness())
        if corpus is not None:
            rows = corpus.rows_of(posts)
            if len(rows) == len(posts):
                return corpus.vectors[rows]
        return self._cache.vectors(self.engine, posts)

    # -- matching -------------------------------------------------------------------------
    def _match(self, topic: str, since: datetime | None, until: datetime | None,
               principal: Principal, report: VoiceReport) -> list[int]:
        filters = customer_filters(since, until)
        matched: dict[int, float] = {}
        if any(ch.isalnum() for ch in topic):
            matched.update(keyword_matches(self.engine, topic, principal, filters))
        else:
            report.notes.append("the topic has no words, so only posts close in meaning count")
        semantic = vector_matches(self.engine, self.engine.query_vector(topic), principal, filters,
                                  self.min_similarity)
        report.counts["keyword_matches"] = len(matched)
        report.counts["semantic_matches"] = len(semantic)
        for num in semantic:
            matched.setdefault(num, 0.0)
        return sorted(matched)

    def _with_sentiment(self, posts: list[CustomerPost],
                        report: VoiceReport) -> list[CustomerPost]:
        missing = [i for i, p in enumerate(posts) if p.sentiment is None]
        if not missing:
            return posts
        from dataclasses import replace

        from search.sentiment_store import classify_texts

        found = classify_texts(self.engine, [(posts[i].title, posts[i].text) for i in missing])
        for i, sentiment in zip(missing, found, strict=True):
            posts[i] = replace(posts[i], sentiment=sentiment)
        report.notes.append(_classified_note(len(missing)))
        return posts

    # -- describing -----------------------------------------------------------------------
    def _describe(self, report: VoiceReport, posts: list[CustomerPost],
                  grouped: dict[Any, list[CustomerPost]], topic: str, view: View,
                  at: dict[Any, np.ndarray],
                  lead: tuple[list[int], list[int]] = ([], [])) -> None:
        """Add data notes, themes, spikes, representative posts and influencers (``view``: the
        corpus and the posts' rows in it, or ``None`` to work from the posts alone)."""
        self._data_notes(report, posts, view)
        clock = time.perf_counter()
        theme_of = self._themes(report, posts, topic, view)
        report.timings_ms["themes"] = _ms(clock)
        clock = time.perf_counter()
        report.spikes = self._spikes(report.timeline, grouped, report.bucket, topic, view, at,
                                     lead)
        scale = report.ratings.scale if report.ratings else None
        if view is not None:
            arrays, rows = view[0].arrays, view[1]
            report.most_negative = representative_rows(arrays, posts, rows, "negative", theme_of,
                                                       scale=scale)
            report.most_positive = representative_rows(arrays, posts, rows, "positive", theme_of,
                                                       scale=scale)
            report.influencers = influencers_rows(arrays, posts, rows)
        else:
            report.most_negative = representative(posts, "negative", theme_of, scale=scale)
            report.most_positive = representative(posts, "positive", theme_of, scale=scale)
            report.influencers = influencers(posts)
        report.timings_ms["spikes_people"] = _ms(clock)

    def _data_notes(self, report: VoiceReport, posts: Sequence[CustomerPost],
                    view: View) -> None:
        if view is not None:
            report.counts.update(view[0].arrays.data_counts(view[1]))
        else:
            report.counts.update(
                undated=sum(1 for p in posts if p.created_at is None),
                unattributed=sum(1 for p in posts if not p.author),
                without_words=sum(1 for p in posts if not has_words(p.body)),
                non_english=sum(1 for p in posts
                                if has_words(p.body) and not looks_english(p.body)))
        undated, anonymous = report.counts["undated"], report.counts["unattributed"]
        wordless, foreign = report.counts["without_words"], report.counts["non_english"]
        if undated:
            report.notes.append(f"{_posts(undated)} no timestamp: counted in totals, not in "
                                "the time series")
        if anonymous:
            report.notes.append(f"{_posts(anonymous)} no author: not in the influencer list")
        if wordless:
            report.notes.append(f"{_posts(wordless)} no words (emoji or links only): "
                                "their sentiment comes from emoji and they give no phrases")
        if foreign:
            report.notes.append(f"{_posts(foreign, 'look', 'looks')} non-English: sentiment "
                                "and themes are less reliable for them")

    def _themes(self, report: VoiceReport, posts: list[CustomerPost], topic: str,
                view: View) -> dict[int, int]:
        if len(posts) < MIN_POSTS:
            report.notes.append(f"only {len(posts)} posts: too few to split into themes")
            return {}
        if view is not None:
            found = find_themes(self.engine, posts, exclude=tokens(topic), seed=self.seed,
                                corpus=view[0], rows=view[1])
        else:
            found = find_themes(self.engine, posts, exclude=tokens(topic), seed=self.seed,
                                vectors=self.vectors(posts))
        report.themes, theme_of, report.counts["themes_k"] = found
        return theme_of

    def _spikes(self, series: list[Bucket], grouped: dict[Any, list[CustomerPost]],
                bucket: str, topic: str, view: View, at: dict[Any, np.ndarray],
                lead: tuple[list[int], list[int]] = ([], [])) -> list[Spike]:
        """Flag and explain spikes (``at``: each bucket's positions in ``view``'s rows; ``lead``:
        the counts and negatives of the buckets just before the series, as their baseline)."""
        empty = np.zeros(0, dtype=np.int64)
        counts = lead[0] + [b.mix.total for b in series]
        negatives = lead[1] + [b.mix.negative for b in series]
        window = SPIKE_WINDOW[bucket]
        found = detect_spikes(counts, negatives, window=window, k=self.spike_k,
                              min_count=self.min_spike_count)
        explained = []
        exclude = tokens(topic)
        for flagged in found:
            if flagged.index < len(lead[0]):
                continue  # before the period: its own report's business
            spike = replace(flagged, index=flagged.index - len(lead[0]))
            inside = grouped.get(series[spike.index].start, [])
            if spike.metric == "negative_share":
                inside = [p for p in inside if p.sentiment and p.sentiment.label == "negative"]
            earlier = series[max(0, spike.index - window) : spike.index]
            if view is not None:
                corpus, rows = view
                inside_rows = rows[at.get(series[spike.index].start, empty)]
                if spike.metric == "negative_share":
                    inside_rows = inside_rows[corpus.arrays.label[inside_rows] == NEGATIVE]
                before_rows = rows[np.concatenate([empty] + [at.get(b.start, empty)
                                                             for b in earlier])]
                phrases = explain_rows(corpus.terms, inside_rows, before_rows, exclude=exclude)
                drivers = driving_rows(corpus.terms, inside_rows, phrases,
                                       corpus.arrays.engagement[inside_rows])
            else:
                before = [p for b in earlier for p in grouped.get(b.start, [])]
                phrases = explain([p.body for p in inside], [p.body for p in before],
                                  exclude=exclude)
                drivers = driving_posts([p.body for p in inside], phrases,
                                        [float(p.engagement) for p in inside])
            explained.append(Spike(spike.index, spike.metric, spike.value, spike.baseline,
                                   spike.spread, spike.z, spike.count, phrases,
                                   [inside[i].id for i in drivers]))
        return explained

    # -- routing --------------------------------------------------------------------------
    def _route(self, report: VoiceReport, topic: str, principal: Principal) -> None:
        """Route to internal documents and experts on the topic and on its ``route_themes``
        largest mostly-negative themes (for all posts, at least the largest one)."""
        negative = [t for t in report.themes if t.mix.negative_share >= 0.5 and t.phrases]
        queries: list[tuple[str, Theme | None]] = [] if topic in ("", "*") else [(topic, None)]
        extra = self.route_themes if queries else max(1, self.route_themes)
        queries += [(" ".join(route_words(t.phrases, t.members)), t) for t in negative[:extra]]
        queries = [(q, t) for q, t in queries if any(ch.isalnum() for ch in q)]
        found: list[list[dict[str, Any]]] = []
        for query, theme in queries:
            behind = theme.members if theme is not None else report.posts
            hits = self.router.internal_documents(query, principal,
                                                  self.vectors(behind) if behind else None)
            if theme is not None:
                theme.internal.extend(hits[:3])
            found.append([hit | {"matched": query} for hit in hits])
        seen: dict[str, dict[str, Any]] = {}
        for rank in range(max(map(len, found), default=0)):  # each query's best first
            for hits in found:
                if rank < len(hits):
                    seen.setdefault(hits[rank]["id"], hits[rank])
        report.internal_documents = list(seen.values())[:10]
        if queries and not seen:
            report.notes.append("no internal documents you may read are about this, so no "
                                "one is suggested to act on it")
            return
        report.experts = self._experts(queries[0][0] if queries else "", principal, report)

    def _experts(self, query: str, principal: Principal,
                 report: VoiceReport) -> list[dict[str, Any]]:
        experts, problem = self.router.experts(query, principal)
        if problem:
            report.notes.append(problem)
        return experts


def route_words(phrases: Sequence[str], posts: Sequence[CustomerPost]) -> list[str]:
    """Return the top three phrases of some posts without their products' names ("beacon"
    says nothing of what is wrong), to route them by."""
    products = {p.product.lower() for p in posts if p.product}
    return [phrase for phrase in phrases[:3] if phrase.lower() not in products]


def _classified_note(count: int) -> str:
    return (f"{count} posts had no stored sentiment and were classified for this report; "
            "run `socialsearch reindex` to store it")


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def _nothing_found(topic: str, since: datetime | None, until: datetime | None) -> str:
    period = ""
    if since or until:
        period = (f" between {since.date() if since else 'the beginning'} and "
                  f"{until.date() if until else 'now'}")
    what = "no customer posts" if topic in ("", "*") else f"no customer posts match {topic!r}"
    return f"{what}{period} (that you may read)"


def _posts(count: int, verb: str = "have", singular: str = "has") -> str:
    """Return '1 post has' or '3 posts have' (with another verb when given)."""
    return f"1 post {singular}" if count == 1 else f"{count} posts {verb}"
