"""The demo corpus's authored content, read from the TOML files under ``source/``."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

SOURCE = Path(__file__).resolve().parent / "source"
YEAR = 2026
FIXED_FILES = ("people.toml", "customers.toml", "access.toml", "posts/phrases.toml")
_STAMP = re.compile(r"(\d\d)-(\d\d)(?: (\d\d):(\d\d))?")
_NEW_LINE = re.compile(r"^(- |\* |\d+\. |\$ |\| |> |[A-Z][A-Za-z /&'-]{1,40}:$)")
PUBLIC: dict[str, Any] = {"public": True}


class SourceError(ValueError):
    """A source file is missing, unreadable or not in the shape the generator expects."""


@dataclass(frozen=True)
class Employee:
    """One person on Lumenary's org chart."""

    id: str
    name: str
    title: str
    department: str
    manager: str | None
    skills: tuple[str, ...]
    groups: tuple[str, ...]


@dataclass(frozen=True)
class Customer:
    """One customer account that posts publicly."""

    handle: str
    name: str
    company: str
    followers: int
    persona: str
    weight: float


@dataclass(frozen=True)
class WikiPage:
    """One wiki page: ``people`` is the author first, then the editors, with their times."""

    slug: str
    title: str
    tags: tuple[str, ...]
    people: tuple[tuple[str, datetime], ...]
    text: str
    access: dict[str, Any]


@dataclass(frozen=True)
class Thread:
    """One Slack thread: (person id, text) messages in order."""

    channel: str
    channel_id: str
    access: dict[str, Any]
    start: datetime
    messages: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Answer:
    """An answer or comment on a Q&A question."""

    by: str
    at: datetime
    text: str


@dataclass(frozen=True)
class Question:
    """One internal Q&A question with its answers and comments."""

    number: int
    title: str
    tags: tuple[str, ...]
    asker: str
    asked: datetime
    body: str
    accepted: Answer | None
    answers: tuple[Answer, ...]
    comments: tuple[Answer, ...]
    score: int


class Entry:
    """Typed, checked access to one TOML table; every error names the file and the entry."""

    def __init__(self, table: Any, where: str, required: str, optional: str = "") -> None:
        if not isinstance(table, dict):
            raise SourceError(f"{where}: expected a table, got {type(table).__name__}")
        unknown = set(table) - set(required.split()) - set(optional.split())
        missing = set(required.split()) - set(table)
        if unknown or missing:
            detail = [f"unknown key(s) {sorted(unknown)}"] * bool(unknown)
            detail += [f"missing key(s) {sorted(missing)}"] * bool(missing)
            raise SourceError(f"{where}: {', '.join(detail)}")
        self.table, self.where = table, where

    def value(self, key: str, kind: type, default: Any = None) -> Any:
        """The value of ``key`` if it has type ``kind``, else ``default`` when absent."""
        if key not in self.table:
            return default
        value = self.table[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise SourceError(f"{self.where}: {key} must be a {kind.__name__}, got {value!r}")
        return value

    def text(self, key: str, default: str | None = None) -> str:
        """A string value."""
        value: str | None = self.value(key, str, default)
        if value is None:
            raise SourceError(f"{self.where}: {key} is missing")
        return value

    def whole(self, key: str, low: int, high: int, default: int | None = None) -> int:
        """An integer from ``low`` to ``high``."""
        value = self.value(key, int, default)
        if value is None or not low <= value <= high:
            raise SourceError(f"{self.where}: {key} must be a whole number from {low} to {high}, "
                              f"got {value!r}")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        """A list of strings."""
        values = self.value(key, list, [])
        if not all(isinstance(v, str) for v in values):
            raise SourceError(f"{self.where}: {key} must be a list of strings")
        return tuple(values)

    def when(self, key: str) -> datetime | None:
        """A ``"MM-DD HH:MM"`` time in 2026 (UTC), or None when absent."""
        return None if key not in self.table else stamp_time(self.text(key), self.where)


def stamp_time(stamp: str, where: str = "") -> datetime:
    """``"10-06 14:05"`` → 2026-10-06 14:05 UTC."""
    match = _STAMP.fullmatch(stamp)
    if not match or match.group(3) is None:
        raise SourceError(f"{where}: {stamp!r} is not a time like \"10-06 14:05\"")
    month, day, hour, minute = (int(g) for g in match.groups())
    try:
        return datetime(YEAR, month, day, hour, minute, tzinfo=UTC)
    except ValueError as exc:
        raise SourceError(f"{where}: {stamp!r}: {exc}") from None


def stamp_day(stamp: str, where: str = "") -> date:
    """``"10-06"`` → 2026-10-06."""
    match = _STAMP.fullmatch(stamp)
    if not match or match.group(3) is not None:
        raise SourceError(f"{where}: {stamp!r} is not a day like \"10-06\"")
    try:
        return date(YEAR, int(match.group(1)), int(match.group(2)))
    except ValueError as exc:
        raise SourceError(f"{where}: {stamp!r}: {exc}") from None


def prose(text: str) -> str:
    """Join hard-wrapped lines inside paragraphs; lists, commands and tables keep their lines."""
    out: list[str] = []
    for block in text.strip().split("\n\n"):
        lines: list[str] = []
        for raw in block.splitlines():
            line = raw.strip()
            if not line:
                continue
            if (lines and not _NEW_LINE.match(line) and not lines[-1].startswith(("$ ", "| "))
                    and not lines[-1].endswith(":")):
                lines[-1] += " " + line
            else:
                lines.append(line)
        out.append("\n".join(lines))
    return "\n\n".join(out)


def iso(moment: datetime) -> str:
    """An ISO 8601 time in UTC."""
    return moment.astimezone(UTC).isoformat()


def ascii_fold(text: str) -> str:
    """Drop accents: ``"Zoë Yılmaz"`` → ``"Zoe Yilmaz"``."""
    return unicodedata.normalize("NFKD", text.replace("ı", "i")).encode("ascii", "ignore").decode()


def slugify(text: str) -> str:
    """A URL slug of at most 60 characters."""
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")[:60].rstrip("-")


def read_toml(source: Path, rel: str) -> dict[str, Any]:
    """Parse one source file, with its name in any error."""
    try:
        with open(source / rel, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise SourceError(f"{rel}: file not found under {source}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"{rel}: not valid TOML: {exc}") from None


def listed_files(source: Path, manifest: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """The files of each kind in manifest order; refuses files the manifest does not list."""
    entry = Entry(manifest, "corpus.toml", "wiki slack qa stories baseline")
    kinds = {kind: entry.texts(kind) for kind in ("wiki", "slack", "qa", "stories")}
    kinds["baseline"] = (entry.text("baseline"),)
    listed = {rel for rels in kinds.values() for rel in rels} | set(FIXED_FILES)
    present = {p.relative_to(source).as_posix() for p in source.rglob("*.toml")}
    stray = sorted(present - listed - {"corpus.toml"})
    if stray:
        raise SourceError(f"corpus.toml: {stray} exist but are not listed; list or remove them")
    return kinds


def _person_time(value: Any, where: str) -> tuple[str, datetime]:
    """``["u.id", "MM-DD HH:MM"]`` → (person id, time)."""
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        raise SourceError(f"{where}: expected [\"<person id>\", \"MM-DD HH:MM\"], got {value!r}")
    return value[0], stamp_time(value[1], where)


def _tables(data: dict[str, Any], key: str, rel: str) -> list[Any]:
    """The ``[[key]]`` tables of one file."""
    tables = data.get(key, [])
    if not isinstance(tables, list):
        raise SourceError(f"{rel}: {key} must be written as [[{key}]] tables")
    return tables


def read_people(source: Path) -> tuple[tuple[Employee, ...], dict[str, tuple[str, ...]]]:
    """The employees in org-chart order, and the experts per product area."""
    data = read_toml(source, "people.toml")
    Entry(data, "people.toml", "employee", "experts")
    experts = Entry(data.get("experts", {}), "people.toml: [experts]", "",
                    " ".join(data.get("experts", {})))
    employees = []
    for i, table in enumerate(_tables(data, "employee", "people.toml"), start=1):
        where = f"people.toml: employee {i} ({table.get('id', '?')})"
        e = Entry(table, where, "id name title department skills groups", "manager")
        if " " not in e.text("name").strip():
            raise SourceError(f"{where}: name needs a first and a last name")
        employees.append(Employee(e.text("id"), e.text("name"), e.text("title"),
                                  e.text("department"), e.value("manager", str),
                                  e.texts("skills"), e.texts("groups")))
    return tuple(employees), {area: experts.texts(area) for area in experts.table}


def read_customers(source: Path) -> tuple[Customer, ...]:
    """The customer accounts, in file order."""
    data = read_toml(source, "customers.toml")
    customers = []
    for i, table in enumerate(Entry(data, "customers.toml", "customer").value("customer", list)):
        where = f"customers.toml: customer {i + 1} ({table.get('handle', '?')})"
        c = Entry(table, where, "handle name company followers persona weight")
        weight = c.table["weight"]
        if not isinstance(weight, int | float) or isinstance(weight, bool) or weight <= 0:
            raise SourceError(f"{where}: weight must be a number above 0, got {weight!r}")
        customers.append(Customer(c.text("handle"), c.text("name"), c.text("company"),
                                  c.whole("followers", 0, 10**10), c.text("persona"),
                                  float(weight)))
    return tuple(customers)


Channels = dict[str, tuple[str, dict[str, Any]]]  # name -> (channel id, access)


def read_access(source: Path) -> tuple[dict[str, dict[str, Any]], Channels,
                                       dict[str, tuple[str, ...]]]:
    """Access policies by name, Slack channels (id, access) and the restricted words."""
    data = read_toml(source, "access.toml")
    Entry(data, "access.toml", "policy channel restricted-words")
    policies: dict[str, dict[str, Any]] = {}
    for name, table in data["policy"].items():
        p = Entry(table, f"access.toml: policy {name}", "public", "groups users")
        if p.value("public", bool) is not False or not (p.texts("groups") or p.texts("users")):
            raise SourceError(f"access.toml: policy {name} needs public = false, and groups "
                              "or users")
        policies[name] = table
    channels = {}
    for name, table in data["channel"].items():
        c = Entry(table, f"access.toml: channel {name}", "id", "access")
        policy = c.value("access", str)
        if policy is not None and policy not in policies:
            raise SourceError(f"access.toml: channel {name}: unknown access policy {policy!r}")
        channels[name] = (c.text("id"), policies[policy] if policy else PUBLIC)
    words = Entry(data["restricted-words"], "access.toml: [restricted-words]", "",
                  " ".join(data["restricted-words"]))
    return policies, channels, {group: words.texts(group) for group in words.table}


def read_wiki(source: Path, files: tuple[str, ...],
              policies: dict[str, dict[str, Any]]) -> tuple[WikiPage, ...]:
    """The wiki pages of the listed files, in order."""
    pages = []
    for rel in files:
        data = read_toml(source, rel)
        Entry(data, rel, "page")
        for i, table in enumerate(_tables(data, "page", rel), start=1):
            where = f"{rel}: page {i} ({table.get('slug', '?')})"
            w = Entry(table, where, "slug title tags author text", "editors access")
            editors = w.value("editors", list, [])
            people = [_person_time(p, where) for p in [w.value("author", list), *editors]]
            policy = w.value("access", str)
            if policy is not None and policy not in policies:
                raise SourceError(f"{where}: unknown access policy {policy!r}")
            pages.append(WikiPage(w.text("slug"), w.text("title"), w.texts("tags"),
                                  tuple(people), prose(w.text("text")),
                                  policies[policy] if policy else PUBLIC))
    return tuple(pages)


def read_threads(source: Path, files: tuple[str, ...],
                 channels: Channels) -> tuple[Thread, ...]:
    """The Slack threads of the listed files (one channel per file), in order."""
    threads = []
    for rel in files:
        data = read_toml(source, rel)
        channel = Entry(data, rel, "channel thread").text("channel")
        if channel not in channels:
            raise SourceError(f"{rel}: channel {channel!r} is not in access.toml")
        for i, table in enumerate(_tables(data, "thread", rel), start=1):
            where = f"{rel}: thread {i}"
            t = Entry(table, where, "start messages")
            messages = [_message(m, where) for m in t.value("messages", list)]
            if not messages:
                raise SourceError(f"{where}: a thread needs at least one message")
            threads.append(Thread(channel, *channels[channel], stamp_time(t.text("start"), where),
                                  tuple(messages)))
    return tuple(threads)


def _message(value: Any, where: str) -> tuple[str, str]:
    """``["u.id", "text"]`` → (person id, text)."""
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        raise SourceError(f"{where}: a message is [\"<person id>\", \"<text>\"], got {value!r}")
    return value[0], value[1]


def _answer(table: Any, where: str) -> Answer:
    """An ``{by, at, text}`` table."""
    a = Entry(table, where, "by at text")
    return Answer(a.text("by"), stamp_time(a.text("at"), where), prose(a.text("text")))


def read_questions(source: Path, files: tuple[str, ...]) -> tuple[Question, ...]:
    """The Q&A questions of the listed files, in order."""
    questions = []
    for rel in files:
        data = read_toml(source, rel)
        Entry(data, rel, "question")
        for i, table in enumerate(_tables(data, "question", rel), start=1):
            where = f"{rel}: question {i} ({table.get('number', '?')})"
            q = Entry(table, where, "number title tags asker asked body",
                      "score accepted answer comment")
            accepted = q.value("accepted", dict)
            answers = q.value("answer", list, [])
            comments = q.value("comment", list, [])
            questions.append(Question(
                q.value("number", int), q.text("title"), q.texts("tags"), q.text("asker"),
                stamp_time(q.text("asked"), where), prose(q.text("body")),
                _answer(accepted, f"{where} accepted") if accepted is not None else None,
                tuple(_answer(a, f"{where} answer") for a in answers),
                tuple(_answer(c, f"{where} comment") for c in comments),
                q.value("score", int, 0)))
    return tuple(questions)
