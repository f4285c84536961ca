"""The weekly customer touch-points digest: the top wins, issues and trends of an ISO week.

Issues are themes among the week's negative posts, wins themes among its positive posts, and
trends the phrases that rose most against the previous weeks and the days of the week whose
volume or negative share spiked. Each touch
point is ranked by impact (posts, amplified by engagement and reach); the top ten are kept, with
room for every kind that has something to say. Renders to Markdown (export, Slack) and a dict.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from threadpoolctl import threadpool_limits

from search.customer_posts import CustomerPost
from search.markup import markdown_link, markdown_text, mrkdwn_link, mrkdwn_text
from search.models import Principal
from search.phrases import distinctive_phrases, doc_terms
from search.ratings import contradicts_rating, part_mean, summarise_ratings
from search.spikes import detect_spikes, explain
from search.voice import VoiceAnalyzer, find_themes, route_words
from search.voice_parts import SentimentMix, bucket_start, bucket_starts

if TYPE_CHECKING:
    from search.engine import SearchEngine

Kind = Literal["issue", "win", "trend"]
TOP = 10
HISTORY_WEEKS = 4
SAME_POSTS = 0.5  # a touch point sharing half its posts with a chosen one repeats it
MIN_THEME = 3
MIN_TREND = 3
ROUTED = 3  # touch points routed to internal documents (the highest-impact ones)
EXPERTS = 2  # people suggested for each routed touch point
WEEK = re.compile(r"^(\d{4})-?W(\d{2})$")


class DigestError(ValueError):
    """The week is not a valid ISO week such as ``2015-W08``."""


def week_bounds(week: str) -> tuple[datetime, datetime]:
    """Return the UTC start (Monday 00:00) and end (Sunday 23:59:59.999999) of an ISO week."""
    match = WEEK.match((week or "").strip().upper())
    if not match:
        raise DigestError(f"week must look like 2015-W08, got {week!r}")
    try:
        monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError as exc:
        raise DigestError(f"no such ISO week: {week!r}") from exc
    start = datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
    try:  # the weeks compared with it, and the next one, must exist too (not so in 0001 or 9999)
        start - timedelta(weeks=HISTORY_WEEKS)
        start + timedelta(weeks=2)
    except OverflowError as exc:
        raise DigestError(f"week out of range: {week!r}") from exc
    return start, start + timedelta(days=7) - timedelta(microseconds=1)


def iso_week(moment: datetime) -> str:
    """Return the ISO week (``YYYY-Www``) holding ``moment``."""
    year, week, _ = moment.astimezone(UTC).isocalendar()
    return f"{year:04d}-W{week:02d}"


def describe_change(change: float | None) -> str:
    """Return a change against the usual volume for people ("14× usual", "+40% vs usual")."""
    if change is None:
        return ""
    if change >= 1:  # a percentage of a tiny usual count reads as noise (+1265%)
        return f"{1 + change:.0f}× usual"
    return f"{change:+.0%} vs usual"


@dataclass(frozen=True)
class TouchPoint:
    """One win, issue or trend: what it is, how big, how customers feel and who can act."""

    kind: Kind
    title: str
    phrases: list[str]
    posts: int
    mix: SentimentMix
    reach: int
    engagement: int
    impact: float
    examples: list[CustomerPost]
    change: float | None = None
    internal: list[dict[str, Any]] = field(default_factory=list)
    experts: list[dict[str, Any]] = field(default_factory=list)
    members: Sequence[CustomerPost] = field(default=(), repr=False, compare=False)

    @property
    def mean_rating(self) -> float | None:
        """Return the mean rating of the touch point's rated posts (``None`` when too few are)."""
        return part_mean(self.members)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        rating = self.mean_rating
        return {"kind": self.kind, "title": self.title, "phrases": list(self.phrases),
                "posts": self.posts, "sentiment": self.mix.to_dict(),
                "rating": None if rating is None else round(rating, 2), "reach": self.reach,
                "engagement": self.engagement, "impact": round(self.impact, 3),
                "change": None if self.change is None else round(self.change, 3),
                "examples": [p.to_dict() for p in self.examples],
                "internal_documents": list(self.internal), "experts": list(self.experts)}


@dataclass
class WeeklyDigest:
    """The week's customer touch points, ready for Markdown, Slack or the web UI."""

    week: str
    since: datetime
    until: datetime
    total: int = 0
    mix: SentimentMix = field(default_factory=SentimentMix)
    previous_weekly: float = 0.0
    touch_points: list[TouchPoint] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"week": self.week, "since": self.since.isoformat(),
                "until": self.until.isoformat(), "total": self.total,
                "sentiment": self.mix.to_dict(),
                "previous_weekly_average": round(self.previous_weekly, 2),
                "touch_points": [t.to_dict() for t in self.touch_points],
                "notes": list(self.notes)}

    def to_markdown(self, slack: bool = False) -> str:
        """Render as Markdown; ``slack`` uses Slack's mrkdwn (``*bold*``, ``<url|text>``)."""
        return render_markdown(self, slack)


def _bold(text: str, slack: bool) -> str:
    return f"*{text}*" if slack else f"**{text}**"


def _text(text: str, slack: bool) -> str:
    """Escape stored text (posts, names, titles) so the export renders it inert."""
    return mrkdwn_text(text).replace("*", "∗") if slack else markdown_text(text)


def _link(title: str, url: str, slack: bool) -> str:
    return mrkdwn_link(title, url) if slack else markdown_link(title, url)


def _pct(part: int, total: int) -> str:
    return f"{round(100 * part / total)}%" if total else "0%"


def render_markdown(digest: WeeklyDigest, slack: bool = False) -> str:
    """Return the digest as Markdown (or Slack mrkdwn)."""
    end = digest.until.date()
    head = f"Customer touch points — {digest.week} ({digest.since.date()} to {end})"
    lines = [_bold(head, True) if slack else f"# {head}", ""]
    m = digest.mix
    lines.append(f"{digest.total} customer posts: {_pct(m.negative, m.total)} negative, "
                 f"{_pct(m.neutral, m.total)} neutral, {_pct(m.positive, m.total)} positive"
                 f" (previous {HISTORY_WEEKS} weeks: {digest.previous_weekly:.0f} a week).")
    lines.append("")
    if not digest.touch_points:
        lines.append("No touch points this week.")
    for rank, tp in enumerate(digest.touch_points, start=1):
        change = f" · {describe_change(tp.change)}" if tp.change is not None else ""
        title = _text(tp.title, slack)
        reach = f" · reach {tp.reach:,}" if tp.reach else ""  # sources without follower counts
        rating = tp.mean_rating
        rated = f" · rated {rating:.1f}" if rating is not None else ""  # reviews only
        lines.append(f"{rank}. {_bold(f'{tp.kind.capitalize()}: {title}', slack)} · "
                     f"{tp.posts} posts · {_pct(tp.mix.negative, tp.mix.total)} negative"
                     f"{rated}{reach}{change}")
        for post in tp.examples[:2]:
            text = _text(re.sub(r"\s+", " ", post.body)[:200], slack)
            who = f" — {_text(post.author_name, slack)}" if post.author_name else ""
            lines.append(f"    > {text}{who}")
        if tp.internal:
            links = ", ".join(_link(d.get("title") or d["id"], d.get("url", ""), slack)
                              for d in tp.internal[:3])
            lines.append(f"    Route to: {links}")
        if tp.experts:
            names = ", ".join(_text(e["person"]["name"], slack) for e in tp.experts[:EXPERTS])
            lines.append(f"    Ask: {names}")
    if digest.notes:
        lines += ["", _bold("Notes", True) if slack else "## Notes"]
        lines += [f"- {_text(note, slack)}" for note in digest.notes]
    return "\n".join(lines).rstrip() + "\n"


class DigestBuilder:
    """Builds the weekly digest from the customer posts a principal may read."""

    def __init__(self, engine: SearchEngine, analyzer: VoiceAnalyzer | None = None,
                 top: int = TOP, routed: int = ROUTED) -> None:
        self.engine = engine
        self.analyzer = analyzer or VoiceAnalyzer(engine)
        self.top = top
        self.routed = routed

    def build(self, week: str, principal: Principal) -> WeeklyDigest:
        """Return the digest of ``week`` (``YYYY-Www``) for ``principal``."""
        since, until = week_bounds(week)
        with threadpool_limits(limits=1, user_api="blas"):
            return self._build(since, until, principal)

    def _build(self, since: datetime, until: datetime, principal: Principal) -> WeeklyDigest:
        digest = WeeklyDigest(iso_week(since), since, until)
        posts, notes = self.analyzer.posts("*", since, until, principal)
        history, _ = self.analyzer.posts("*", since - timedelta(weeks=HISTORY_WEEKS),
                                         since - timedelta(microseconds=1), principal)
        digest.notes += notes
        digest.total, digest.mix = len(posts), SentimentMix.of(posts)
        digest.previous_weekly = len(history) / HISTORY_WEEKS
        if not posts:
            digest.notes.append(f"no customer posts in {digest.week} (that you may read)")
            return digest
        if not history:
            digest.notes.append(f"no posts in the {HISTORY_WEEKS} weeks before: trends need "
                                "history, so none are reported")
        ratings = summarise_ratings(posts)
        scale = ratings.scale if ratings else None
        candidates = (self._themes(posts, "negative", "issue", scale)
                      + self._themes(posts, "positive", "win", scale)
                      + self._trends(posts, history) + self._spikes(posts, history, since))
        digest.touch_points = self._route(pick(candidates, self.top), principal)
        return digest

    def _themes(self, posts: Sequence[CustomerPost], label: str, kind: Kind,
                scale: float | None = None) -> list[TouchPoint]:
        # a post the model read as negative but its author rated five stars is no issue
        chosen = [p for p in posts if p.sentiment and p.sentiment.label == label
                  and not contradicts_rating(p, label, scale)]
        if len(chosen) < MIN_THEME:
            return []
        themes, _, _ = find_themes(self.engine, chosen, seed=self.analyzer.seed,
                                   vectors=self.analyzer.vectors(chosen))
        if not themes:  # too few or too alike to group: name them by what sets them apart
            picked = {p.id for p in chosen}
            others = [p.body for p in posts if p.id not in picked]
            phrases = explain([p.body for p in chosen], others, top=3) if others else []
            title = f"{label} posts" + (f": {', '.join(phrases)}" if phrases else "")
            return [_touch(kind, title, phrases, chosen)]
        return [_touch(kind, t.label, t.phrases, t.members, t.examples)
                for t in themes if t.size >= MIN_THEME]

    def _trends(self, posts: Sequence[CustomerPost],
                history: Sequence[CustomerPost]) -> list[TouchPoint]:
        if not history:
            return []
        found = distinctive_phrases([p.body for p in posts], [p.body for p in history], top=5,
                                    min_docs=MIN_TREND, min_z=3.0)
        out = []
        scale = len(posts) / max(1, len(history))
        for phrase, _z in found:
            members = [p for p in posts if phrase in doc_terms(p.body)]
            before = sum(1 for p in history if phrase in doc_terms(p.body))
            expected = before * scale
            change = (len(members) - expected) / expected if expected else None
            point = _touch("trend", phrase, [phrase], members)
            growth = len(members) - expected
            out.append(replace(point, change=change, impact=growth * _amplifier(point)))
        return out

    def _spikes(self, posts: Sequence[CustomerPost], history: Sequence[CustomerPost],
                since: datetime) -> list[TouchPoint]:
        dated = [p for p in [*history, *posts] if p.created_at is not None]
        if not dated:
            return []
        first = min(bucket_start(p.created_at, "day") for p in dated)  # type: ignore[arg-type]
        days = bucket_starts(first, (since + timedelta(days=6)).date(), "day")
        grouped: dict[date, list[CustomerPost]] = {}
        for post in dated:
            grouped.setdefault(bucket_start(post.created_at, "day"), []).append(  # type: ignore[arg-type]
                post)
        mixes = [SentimentMix.of(grouped.get(d, [])) for d in days]
        found = detect_spikes([m.total for m in mixes], [m.negative for m in mixes])
        out = []
        seen: set[date] = set()
        for spike in sorted(found, key=lambda s: (s.index, s.metric != "volume")):
            day = days[spike.index]
            if day < since.date() or day in seen:
                continue
            seen.add(day)
            inside = grouped.get(day, [])
            if spike.metric == "negative_share":
                inside = [p for p in inside if p.sentiment and p.sentiment.label == "negative"]
            before = [p for d in days[max(0, spike.index - 7) : spike.index]
                      for p in grouped.get(d, [])]
            phrases = explain([p.body for p in inside], [p.body for p in before])
            what = "negative posts" if spike.metric == "negative_share" else "posts"
            title = f"spike in {what} on {day.isoformat()}" + (
                f": {', '.join(phrases[:3])}" if phrases else "")
            point = _touch("trend", title, phrases, inside)
            change = spike.value / spike.baseline - 1 if spike.baseline else None
            out.append(replace(point, change=change,
                               impact=(spike.value - spike.baseline) * spike.count
                               / max(spike.value, 1) * _amplifier(point)))
        return out

    def _route(self, points: list[TouchPoint], principal: Principal) -> list[TouchPoint]:
        if not self.analyzer.route:
            return points
        routed = []
        searches = 0
        for tp in points:
            if tp.kind == "win" or not tp.phrases or searches >= self.routed:
                routed.append(tp)
                continue
            searches += 1
            query = " ".join(route_words(tp.phrases, tp.members))
            hits = self.analyzer.router.internal_documents(
                query, principal, self.analyzer.vectors(tp.members) if tp.members else None)
            # people only where there is internal work on it, as the voice report does
            experts = self.analyzer.router.experts(query, principal, EXPERTS)[0] if hits else []
            routed.append(replace(tp, internal=hits[:3], experts=experts))
        return routed


def _amplifier(tp: TouchPoint) -> float:
    return 1.0 + 0.25 * math.log10(1 + tp.engagement) + 0.1 * math.log10(1 + tp.reach)


def _touch(kind: Kind, title: str, phrases: list[str], members: Sequence[CustomerPost],
           examples: Sequence[CustomerPost] = ()) -> TouchPoint:
    reach: dict[str, int] = {}
    for post in members:
        key = post.author or post.id
        reach[key] = max(reach.get(key, 0), post.followers)
    ranked = sorted(members, key=lambda p: (-p.engagement, p.id))
    picked = list(examples) or ranked[:3]
    point = TouchPoint(kind, title, phrases, len(members), SentimentMix.of(members),
                       sum(reach.values()), sum(p.engagement for p in members), 0.0,
                       picked[:3], members=members)
    relevant = {"issue": point.mix.negative, "win": point.mix.positive}.get(kind, point.posts)
    return replace(point, impact=relevant * _amplifier(point))


def repeated(candidate: TouchPoint, chosen: Sequence[TouchPoint]) -> int | None:
    """Return the position of the chosen touch point whose posts ``candidate`` mostly repeats
    (the week's incident again as a trend of one of its words, or as its spike), if any."""
    ids = {p.id for p in candidate.members}
    for at, other in enumerate(chosen):
        theirs = {p.id for p in other.members}
        if ids and theirs and len(ids & theirs) >= SAME_POSTS * min(len(ids), len(theirs)):
            return at
    return None


def _fold(candidate: TouchPoint, chosen: list[TouchPoint]) -> bool:
    """Fold a repeating candidate into the touch point it repeats (which takes its change
    against the usual volume when it has none); tell whether it repeated one."""
    at = repeated(candidate, chosen)
    if at is None:
        return False
    if chosen[at].change is None and candidate.change is not None:
        chosen[at] = replace(chosen[at], change=candidate.change)
    return True


def pick(candidates: Sequence[TouchPoint], top: int = TOP) -> list[TouchPoint]:
    """Return the ``top`` touch points by impact, keeping the best of every kind present and
    leaving out those that repeat the posts of one chosen before them."""
    ranked = sorted((c for c in candidates if c.impact > 0), key=lambda c: (-c.impact, c.title))
    chosen: list[TouchPoint] = []
    for kind in ("issue", "win", "trend"):
        best = next((c for c in ranked if c.kind == kind and repeated(c, chosen) is None), None)
        if best is not None and len(chosen) < top:
            chosen.append(best)
    taken = {id(c) for c in chosen}
    for c in ranked:
        if len(chosen) >= top:
            break
        if id(c) not in taken and not _fold(c, chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: (-c.impact, c.title))
