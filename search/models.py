"""The canonical data model: documents, people, contributions, access and hits."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

Audience = Literal["internal", "customer"]

PUBLIC_TOKEN = "public"


def utc(value: datetime | None) -> datetime | None:
    """Return ``value`` as a timezone-aware UTC datetime (naive values are taken as UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_time(value: Any) -> datetime | None:
    """Parse an ISO-8601 string, epoch seconds or datetime into an aware UTC datetime."""
    if value is None or value == "":
        return None
    try:
        if isinstance(value, datetime):
            return utc(value)
        if isinstance(value, int | float):
            return datetime.fromtimestamp(float(value), tz=UTC)
        text = str(value).strip()
        try:
            seconds = float(text)
        except ValueError:
            pass
        else:
            return datetime.fromtimestamp(seconds, tz=UTC)
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        return utc(datetime.fromisoformat(text))
    except (OverflowError, OSError) as exc:  # epoch seconds or an offset past year 1 or 9999
        raise ValueError(f"timestamp out of range: {value!r}") from exc
    except ValueError as exc:
        raise ValueError(f"unrecognised timestamp: {value!r}") from exc


DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_until(value: Any) -> datetime | None:
    """Parse the end of a period; a date alone (``2026-10-31``) means the end of that day."""
    moment = parse_time(value)
    if moment is not None and isinstance(value, str) and DATE_ONLY.fullmatch(value.strip()):
        try:
            return moment + timedelta(days=1, microseconds=-1)
        except OverflowError:  # 9999-12-31: its day ends at the end of time
            return datetime.max.replace(tzinfo=UTC)
    return moment


@dataclass(frozen=True)
class Access:
    """Who may read a document: everyone (public) or listed users and groups."""

    public: bool = True
    users: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()

    @classmethod
    def restricted(cls, users: Iterable[str] = (), groups: Iterable[str] = ()) -> Access:
        """Build an access list readable only by the given users and groups."""
        return cls(public=False, users=frozenset(users), groups=frozenset(groups))

    def tokens(self) -> list[str]:
        """Return the document's access tokens (``public``, ``user:x``, ``group:y``)."""
        if self.public:
            return [PUBLIC_TOKEN]
        return sorted({f"user:{u}" for u in self.users} | {f"group:{g}" for g in self.groups})

    @classmethod
    def from_tokens(cls, tokens: Iterable[str]) -> Access:
        """Rebuild an access list from its stored tokens."""
        items = list(tokens)
        if PUBLIC_TOKEN in items:
            return cls()
        users = {t[5:] for t in items if t.startswith("user:")}
        groups = {t[6:] for t in items if t.startswith("group:")}
        return cls.restricted(users, groups)


@dataclass(frozen=True)
class Principal:
    """Who is asking: a user id and the groups they belong to."""

    user_id: str | None = None
    groups: frozenset[str] = frozenset()
    superuser: bool = False

    @classmethod
    def anonymous(cls) -> Principal:
        """A principal that may read public documents only."""
        return cls()

    @classmethod
    def system(cls) -> Principal:
        """A principal that may read everything (operators, indexing, tests)."""
        return cls(user_id="system", superuser=True)

    def tokens(self) -> list[str] | None:
        """Return the access tokens this principal holds, or ``None`` when it reads everything."""
        if self.superuser:
            return None
        tokens = {PUBLIC_TOKEN}
        if self.user_id:
            tokens.add(f"user:{self.user_id}")
        tokens |= {f"group:{g}" for g in self.groups}
        return sorted(tokens)

    def can_read(self, access: Access) -> bool:
        """Tell whether this principal may read a document with ``access``."""
        if self.superuser or access.public:
            return True
        return (self.user_id in access.users) or bool(self.groups & access.groups)


ROLE_WEIGHTS: Mapping[str, float] = {
    "accepted_answerer": 5.0,
    "answerer": 3.0,
    "author": 3.0,
    "asker": 1.5,
    "editor": 1.5,
    "replier": 1.0,
    "commenter": 0.5,
    "mentioned": 0.25,
}


@dataclass(frozen=True)
class Contribution:
    """A person's part in a document: author, editor, answerer, replier, commenter …"""

    person_id: str
    role: str
    at: datetime | None = None
    weight: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", utc(self.at))


@dataclass(frozen=True)
class Document:
    """One searchable item: a wiki page, a thread, a Q&A, a customer post or a profile."""

    id: str
    source: str
    kind: str
    title: str
    text: str
    url: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    contributions: tuple[Contribution, ...] = ()
    access: Access = field(default_factory=Access)
    audience: Audience = "internal"
    tags: tuple[str, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.id or ":" not in self.id:
            raise ValueError(f"document id must look like '<source>:<native id>', got {self.id!r}")
        if self.audience not in ("internal", "customer"):
            raise ValueError(f"audience must be 'internal' or 'customer', got {self.audience!r}")
        object.__setattr__(self, "created_at", utc(self.created_at))
        object.__setattr__(self, "updated_at", utc(self.updated_at) or self.created_at)
        object.__setattr__(self, "contributions", tuple(self.contributions))
        object.__setattr__(self, "tags", tuple(self.tags))

    @property
    def content_hash(self) -> str:
        """Hash everything that matters for indexing, so unchanged documents can be skipped."""
        payload = {
            "source": self.source,
            "kind": self.kind,
            "title": self.title,
            "text": self.text,
            "url": self.url,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "contributions": [
                [c.person_id, c.role, c.at.isoformat() if c.at else None, c.weight]
                for c in self.contributions
            ],
            "access": self.access.tokens(),
            "audience": self.audience,
            "tags": list(self.tags),
            "meta": self.meta,
        }
        blob = json.dumps(payload, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()

    @property
    def author_ids(self) -> list[str]:
        """Return the distinct people who contributed, in order of appearance."""
        return list(dict.fromkeys(c.person_id for c in self.contributions))


@dataclass(frozen=True)
class Person:
    """An employee or customer, with their identities across sources."""

    id: str
    name: str
    emails: tuple[str, ...] = ()
    handles: Mapping[str, str] = field(default_factory=dict)
    title: str = ""
    department: str = ""
    manager_id: str | None = None
    skills: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("person id must not be empty")
        object.__setattr__(self, "emails", tuple(e.lower() for e in self.emails))
        object.__setattr__(self, "skills", tuple(self.skills))
        object.__setattr__(self, "groups", tuple(self.groups))

    def role(self, sep: str = " · ") -> str:
        """Return the title and department, the department left out when the title names it."""
        title, department = self.title.strip(), self.department.strip()
        if department and re.search(rf"(?<!\w){re.escape(department)}(?!\w)", title, re.I):
            department = ""
        return sep.join(part for part in (title, department) if part)


@dataclass(frozen=True)
class Failure:
    """A record an indexer could not read: where it was and why."""

    source: str
    location: str
    reason: str


@dataclass(frozen=True)
class Hit:
    """One search result with its scores per retrieval leg and a highlighted snippet."""

    doc_id: str
    score: float
    title: str = ""
    snippet: str = ""
    url: str = ""
    source: str = ""
    kind: str = ""
    audience: str = "internal"
    created_at: datetime | None = None
    keyword_score: float | None = None
    vector_score: float | None = None
    keyword_rank: int | None = None
    vector_rank: int | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)
    label: str = ""  # its name for display: the title, or the start of an untitled post's text

    def to_dict(self, explain: bool = False) -> dict[str, Any]:
        """Return a JSON-ready dict; ``explain`` adds the per-leg scores and ranks."""
        data: dict[str, Any] = {
            "id": self.doc_id,
            "title": self.title,
            "label": self.label or self.title or self.doc_id,
            "snippet": self.snippet,
            "url": self.url,
            "source": self.source,
            "kind": self.kind,
            "audience": self.audience,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "score": round(self.score, 6),
        }
        if explain:
            data["explain"] = {
                "keyword_score": self.keyword_score,
                "keyword_rank": self.keyword_rank,
                "vector_score": self.vector_score,
                "vector_rank": self.vector_rank,
                "fused_score": self.score,
            }
        return data
