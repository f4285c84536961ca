"""Customer posts of the demo corpus: read their building blocks, then date and word them."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from search.demo_corpus.content import (
    Customer,
    Entry,
    SourceError,
    iso,
    read_toml,
    slugify,
    stamp_day,
)

SENTIMENTS = ("neg", "neu", "pos")
SCHEDULES = ("days", "fixed", "spread")
PLACEHOLDERS = {"amt", "amt_x2", "inv", "ticket", "days"}
BASELINE_START, BASELINE_END = date(2026, 8, 28), date(2026, 11, 19)
EXTRA_REPEATS = 15  # common support questions get asked again, by different people
HOURS = (6, 7, 8, 9, 9, 10, 10, 11, 12, 13, 13, 14, 14, 15, 16, 16, 17, 18, 19, 20, 21, 22)
AMOUNTS = (49.0, 399.0, 349.0, 549.0, 1250.0, 3990.0, 4788.0, 149.0)
LabelledPost = tuple[dict[str, Any], str]  # the jsonl record, and the sentiment it was written with


@dataclass(frozen=True)
class Post:
    """The building block of a customer post, before it gets a date, an author and wording."""

    channel: str
    text: str
    by: str | None = None
    at: datetime | None = None
    raw: bool = False
    within: tuple[date, date] | None = None
    lang: str | None = None
    title: str = ""
    rating: int | None = None
    context: str = ""


@dataclass(frozen=True)
class Pool:
    """Posts of one area and sentiment, dated by one schedule (days, fixed, spread, baseline)."""

    area: str
    sentiment: str
    schedule: str
    posts: tuple[Post, ...]
    first_hour: int = 6
    days: tuple[tuple[date, int], ...] = ()
    span: tuple[date, date] | None = None


@dataclass(frozen=True)
class Phrases:
    """Who posts about what, and the words put around customer posts."""

    personas: dict[str, frozenset[str]]
    openers: dict[str, tuple[str, ...]]
    closers: dict[str, tuple[str, ...]]
    greetings: tuple[str, ...]
    contexts: tuple[str, ...]
    signoffs: tuple[str, ...]


def read_post(table: Any, where: str) -> Post:
    """One ``{tweet = ...}``, ``{support = ...}`` or ``{review = ..., title, rating}`` entry."""
    kinds = [k for k in ("tweet", "support", "review") if isinstance(table, dict) and k in table]
    if len(kinds) != 1:
        raise SourceError(f"{where}: a post has exactly one of tweet, support or review")
    kind = kinds[0]
    required = f"{kind} title rating" if kind == "review" else kind
    p = Entry(table, where, required, "by at within lang" + " raw" * (kind == "tweet"))
    text = p.text(kind)
    check_placeholders(text, where)
    within = p.texts("within")
    if within and len(within) != 2:
        raise SourceError(f"{where}: within is [\"MM-DD\", \"MM-DD\"], got {list(within)}")
    return Post(
        channel={"tweet": "twitter"}.get(kind, kind), text=text, by=p.value("by", str),
        at=p.when("at"), raw=kind == "review" or p.value("raw", bool, False),
        within=(stamp_day(within[0], where), stamp_day(within[1], where)) if within else None,
        lang=p.value("lang", str), title=p.text("title", ""),
        rating=p.whole("rating", 1, 5) if kind == "review" else None)


def check_placeholders(text: str, where: str) -> None:
    """Refuse ``{names}`` the renderer does not fill in (``{{`` and ``}}`` are literal braces)."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise SourceError(f"{where}: {exc} (write {{{{ and }}}} for literal braces)") from None
    if names - PLACEHOLDERS:
        raise SourceError(f"{where}: unknown placeholder(s) {sorted(names - PLACEHOLDERS)}; "
                          f"known: {sorted(PLACEHOLDERS)}")


def read_stories(source: Path, files: tuple[str, ...]) -> tuple[Pool, ...]:
    """The ``[[pool]]`` tables of the story files, in order."""
    pools = []
    for rel in files:
        data = read_toml(source, rel)
        for i, table in enumerate(Entry(data, rel, "pool").value("pool", list), start=1):
            where = f"{rel}: pool {i}"
            e = Entry(table, where, "area sentiment schedule posts", "first_hour days from to")
            posts = tuple(read_post(p, f"{where} post {j}")
                          for j, p in enumerate(e.value("posts", list), start=1))
            schedule, sentiment = e.text("schedule"), e.text("sentiment")
            if schedule not in SCHEDULES or sentiment not in SENTIMENTS:
                raise SourceError(f"{where}: schedule is one of {SCHEDULES} and sentiment one of "
                                  f"{SENTIMENTS}, got {schedule!r} and {sentiment!r}")
            days = tuple((stamp_day(day, where), count)
                         for day, count in e.value("days", dict, {}).items())
            if any(not isinstance(n, int) or isinstance(n, bool) or n < 0 for _, n in days):
                raise SourceError(f"{where}: the days table maps \"MM-DD\" to a number of posts")
            span = None
            if schedule == "spread":
                span = (stamp_day(e.text("from"), where), stamp_day(e.text("to"), where))
            pool = Pool(e.text("area"), sentiment, schedule, posts,
                        e.whole("first_hour", 0, max(HOURS), 6), days, span)
            check_schedule(pool, where)
            pools.append(pool)
    return tuple(pools)


def check_schedule(pool: Pool, where: str) -> None:
    """Refuse a pool its schedule cannot date."""
    if pool.schedule == "days" and sum(count for _, count in pool.days) != len(pool.posts):
        raise SourceError(f"{where}: the days table adds up to "
                          f"{sum(count for _, count in pool.days)} posts, the pool has "
                          f"{len(pool.posts)}")
    if any(post.within for post in pool.posts):
        raise SourceError(f"{where}: within only applies to baseline posts")
    if pool.schedule == "fixed" and any(post.at is None for post in pool.posts):
        raise SourceError(f"{where}: every post of a fixed pool needs at = \"MM-DD HH:MM\"")
    if pool.schedule == "spread" and (len(pool.posts) < 2 or pool.span is None
                                      or pool.span[0] > pool.span[1]):
        raise SourceError(f"{where}: a spread pool needs two posts or more and from <= to")


def read_baseline(source: Path, rel: str) -> tuple[Pool, ...]:
    """The baseline posts: one table per area, one list per sentiment, in file order."""
    pools = []
    for area, table in read_toml(source, rel).items():
        e = Entry(table, f"{rel}: [{area}]", "", " ".join(SENTIMENTS))
        for sentiment in e.table:
            where = f"{rel}: [{area}] {sentiment}"
            posts = tuple(read_post(p, f"{where} post {j}")
                          for j, p in enumerate(e.value(sentiment, list), start=1))
            for j, post in enumerate(posts, start=1):
                lo, hi = post.within or (BASELINE_START, BASELINE_END)
                if not BASELINE_START <= lo <= hi <= BASELINE_END:
                    raise SourceError(f"{where} post {j}: within must lie between "
                                      f"{BASELINE_START:%m-%d} and {BASELINE_END:%m-%d}")
            pools.append(Pool(area, sentiment, "baseline", posts))
    return tuple(pools)


def read_phrases(source: Path) -> Phrases:
    """Personas per area and the words around posts."""
    rel = "posts/phrases.toml"
    data = read_toml(source, rel)
    Entry(data, rel, "personas openers closers support")
    support = Entry(data["support"], f"{rel}: [support]", "greetings contexts signoffs")
    by_sentiment = {}
    for key in ("openers", "closers"):
        e = Entry(data[key], f"{rel}: [{key}]", " ".join(SENTIMENTS))
        by_sentiment[key] = {s: e.texts(s) for s in SENTIMENTS}
    personas = Entry(data["personas"], f"{rel}: [personas]", "", " ".join(data["personas"]))
    words = [*by_sentiment["openers"].values(), *by_sentiment["closers"].values(),
             *(support.texts(key) for key in ("greetings", "contexts", "signoffs"))]
    if not all(words):
        raise SourceError(f"{rel}: every list of openers, closers, greetings, contexts and "
                          "signoffs needs at least one entry")
    return Phrases({area: frozenset(personas.texts(area)) for area in personas.table},
                   by_sentiment["openers"], by_sentiment["closers"], support.texts("greetings"),
                   support.texts("contexts"), support.texts("signoffs"))


def _at(day: date, rng: random.Random, earliest: int = 6) -> datetime:
    """A random time of day (busier in working hours) on ``day``."""
    hour = rng.choice([h for h in HOURS if h >= earliest])
    return datetime(day.year, day.month, day.day, hour, rng.randrange(60), tzinfo=UTC)


def _money(value: float) -> str:
    """``1250.0`` → ``"$1,250.00"``."""
    return f"${value:,.2f}"


class PostWriter:
    """Turns building blocks into dated, attributed customer posts (deterministically)."""

    def __init__(self, seed: int, customers: tuple[Customer, ...], phrases: Phrases) -> None:
        self.rng = random.Random(seed)
        self.customers = {c.handle: c for c in customers}
        self.phrases = phrases
        self.posted: dict[str, int] = {handle: 0 for handle in self.customers}
        self.items: list[tuple[datetime, str, str, Post, str]] = []  # when, area, tone, post, by
        span = (BASELINE_END - BASELINE_START).days + 1
        self.days = [BASELINE_START + timedelta(days=i) for i in range(span)]
        # daily variation: weekends are quiet, and every day gets its own mood
        self.day_weights = [(0.45 if d.weekday() >= 5 else 1.0) * self.rng.uniform(0.6, 1.5)
                            for d in self.days]

    def author(self, area: str, by: str | None) -> str:
        """The given author, or a customer drawn by persona, activity and posts so far."""
        if by:
            self.posted[by] += 1
            return by
        personas = self.phrases.personas[area]
        handles = list(self.customers)
        weights = [self.customers[h].weight * (3.0 if self.customers[h].persona in personas
                                               else 0.6) / (1 + 0.25 * self.posted[h])
                   for h in handles]
        handle = self.rng.choices(handles, weights)[0]
        self.posted[handle] += 1
        return handle

    def add(self, when: datetime, area: str, sentiment: str, post: Post) -> None:
        """Queue one post with its time and author."""
        handle = self.author(area, post.by)
        self.items.append((when, area, sentiment, post, handle))

    def schedule(self, pool: Pool) -> None:
        """Date the posts of one story pool by its schedule."""
        if pool.schedule == "days":
            slots = []
            for i, (day, count) in enumerate(pool.days):
                slots += [_at(day, self.rng, pool.first_hour if i == 0 else 6)
                          for _ in range(count)]
            for post, when in zip(pool.posts, sorted(slots), strict=True):
                self.add(post.at or when, pool.area, pool.sentiment, post)
        elif pool.schedule == "fixed":
            for post in pool.posts:
                self.add(post.at or _at(BASELINE_START, self.rng), pool.area, pool.sentiment, post)
        elif pool.schedule == "spread" and pool.span:
            first, last = pool.span
            span = (last - first).days
            for i, post in enumerate(pool.posts):
                offset = round(i * span / (len(pool.posts) - 1) + self.rng.uniform(-1.2, 1.2))
                day = first + timedelta(days=min(max(offset, 0), span))
                self.add(_at(day, self.rng), pool.area, pool.sentiment, post)

    def baseline_day(self, within: tuple[date, date] | None) -> date:
        """A baseline day (inside ``within`` if given), busier days more likely."""
        lo, hi = within or (BASELINE_START, BASELINE_END)
        choices = [(d, w) for d, w in zip(self.days, self.day_weights, strict=True)
                   if lo <= d <= hi]
        return self.rng.choices([d for d, _ in choices], [w for _, w in choices])[0]

    def baseline(self, pools: tuple[Pool, ...]) -> None:
        """Date the baseline posts, plus repeats of common support questions."""
        entries = [(pool.area, pool.sentiment, post) for pool in pools for post in pool.posts]
        repeatable = [e for e in entries
                      if e[1] == "neu" and not e[2].at and e[2].channel == "support"]
        asked_again = self.rng.sample(repeatable, min(EXTRA_REPEATS, len(repeatable)))
        repeats = [(area, sentiment, replace(post, context=self.rng.choice(self.phrases.contexts)))
                   for area, sentiment, post in asked_again]
        for area, sentiment, post in entries + repeats:
            when = post.at or _at(self.baseline_day(post.within), self.rng)
            self.add(when, area, sentiment, post)

    def render(self, post: Post, sentiment: str) -> str:
        """Fill in amounts and ids, and vary the wording around the text."""
        rng = self.rng
        amount = rng.choice(AMOUNTS)
        text = post.text.format(
            amt=_money(amount), amt_x2=_money(2 * amount),
            inv=f"INV-2026-{rng.randint(10100, 19999)}", ticket=f"#{rng.randint(48000, 52999)}",
            days=rng.randint(3, 7))
        if post.raw:
            return text
        if post.channel == "twitter":
            if rng.random() < 0.3 and not text.startswith("@"):
                text = rng.choice(self.phrases.openers[sentiment]) + text
            if rng.random() < 0.3 and text[-1].isascii():
                text += rng.choice(self.phrases.closers[sentiment])
        elif post.channel == "support":
            text = post.context + text
            if rng.random() < 0.5:
                text = rng.choice(self.phrases.greetings) + text
            if rng.random() < 0.5 and "thank" not in text.lower():
                text += rng.choice(self.phrases.signoffs)
        return text.strip()

    def records(self) -> list[LabelledPost]:
        """The jsonl records in time order, each with the sentiment it was written with."""
        out: list[LabelledPost] = []
        counters = {"review": 4100, "support": 8100}
        ordered = sorted(self.items, key=lambda item: (item[0], item[4]))
        for i, (when, area, sentiment, post, handle) in enumerate(ordered):
            customer = self.customers[handle]
            text = self.render(post, sentiment)
            if post.channel == "twitter":
                native = f"{int(when.timestamp())}{i:03d}"
                url = f"https://social.example/{handle}/status/{native}"
                boost = 2.5 if sentiment == "neg" and area in ("billing", "mobile-sdk") else 1.0
                likes = (int(customer.followers * self.rng.uniform(0.002, 0.012) * boost)
                         + self.rng.randint(0, 8))
                reposts = int(likes * self.rng.uniform(0.05, 0.3))
            else:
                counters[post.channel] += self.rng.randint(1, 9)
                native = str(counters[post.channel])
                if post.channel == "review":
                    url = f"https://reviews.example/products/beacon/reviews/{native}"
                else:
                    url = f"https://community.lumenary.example/t/{slugify(text[:50])}/{native}"
                likes = self.rng.randint(0, 30 if post.channel == "review" else 14)
                reposts = 0
            meta: dict[str, Any] = {
                "author": handle, "author_name": customer.name, "followers": customer.followers,
                "likes": likes, "reposts": reposts, "product": "Beacon", "area": area,
                "channel": post.channel,
            }
            if post.channel == "review":
                meta["rating"] = post.rating
            if post.lang:
                meta["lang"] = post.lang
            out.append(({
                "id": f"customers:{post.channel}-{native}",
                "source": "customers",
                "kind": "post",
                "title": post.title,
                "text": text,
                "url": url,
                "created_at": iso(when),
                "contributions": [{"person": f"c.{handle}", "role": "author", "at": iso(when)}],
                "access": {"public": True},
                "audience": "customer",
                "tags": [area],
                "meta": meta,
            }, sentiment))
        return out


def customer_posts(seed: int, customers: tuple[Customer, ...], phrases: Phrases,
                   stories: tuple[Pool, ...], baseline: tuple[Pool, ...]) -> list[LabelledPost]:
    """Schedule the stories, then the baseline, and word every post."""
    handles = {c.handle for c in customers}
    for pool in stories + baseline:
        if pool.area not in phrases.personas:
            raise SourceError(f"area {pool.area!r} has no personas in posts/phrases.toml")
        unknown = {post.by for post in pool.posts if post.by and post.by not in handles}
        if unknown:
            raise SourceError(f"posts by unknown customer(s) {sorted(unknown)} in area {pool.area}")
    writer = PostWriter(seed, customers, phrases)
    for pool in stories:
        writer.schedule(pool)
    writer.baseline(baseline)
    return writer.records()
