"""Stack Exchange / Stack Overflow for Teams data dump → one ``qa`` document per question.

Reads ``Posts.xml`` (questions ``PostTypeId=1`` and answers ``PostTypeId=2``), ``Comments.xml``
and ``Users.xml`` from a folder; ``Votes.xml``/``PostHistory.xml`` are not needed (scores and
the accepted answer are on the posts). HTML bodies are cleaned with BeautifulSoup. The asker is
an ``asker``, each answer's owner an ``answerer`` (``accepted_answerer`` for the accepted one),
weighted up by the answer's score, and commenters are ``commenter``. Only users who took part
become people unless ``all_users`` is set.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from indexers.base import IndexerConfigError, Item
from indexers.export import ExportIndexer, html_to_text, parse_when
from search.models import Contribution, Document, Failure, Person

COMMUNITY_USER = "-1"
_TAG = re.compile(r"<([^<>]+)>")


def parse_tags(value: str) -> tuple[str, ...]:
    """Split ``<a><b>`` (classic dumps) or ``|a|b|`` (newer dumps) into tag names."""
    if not value:
        return ()
    found = _TAG.findall(value) if "<" in value else value.strip("|").split("|")
    return tuple(t.strip() for t in found if t.strip())


def score_weight(score: int) -> float:
    """Return a contribution weight that grows slowly with a post's score (1 at score ≤ 0)."""
    return round(1.0 + math.log1p(max(score, 0)), 4)


@dataclass
class Post:
    """A question or an answer, reduced to what the document needs."""

    id: str
    owner: str | None
    created: datetime | None
    activity: datetime | None
    score: int
    text: str
    parent: str | None = None
    title: str = ""
    tags: tuple[str, ...] = ()
    accepted: str | None = None
    views: int = 0
    editor: str | None = None
    closed: bool = False
    answers: list[Post] = field(default_factory=list)


@dataclass
class Comment:
    """A comment on a post."""

    user: str | None
    at: datetime | None
    text: str


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


class StackExchangeIndexer(ExportIndexer):
    """Stack Exchange data dump: questions with their answers and comments as ``qa`` documents."""

    name = "stackexchange"
    known_options = frozenset({"base_url", "all_users"})
    source = "qa"
    resolve_people = True

    def _file(self, name: str) -> Path | None:
        if not self.path.is_dir():
            return None
        for file in self.path.iterdir():
            if file.name.lower() == name.lower():
                return file
        return None

    def check(self) -> None:
        """Fail unless the path is a folder holding ``Posts.xml``."""
        super().check()
        if self._file("Posts.xml") is None:
            raise IndexerConfigError(f"stackexchange: no Posts.xml in {self.path}")

    def _rows(self, name: str) -> Iterator[dict[str, str] | Failure]:
        file = self._file(name)
        if file is None:
            return
        root: ET.Element | None = None
        try:
            with open(file, "rb") as fh:
                for event, elem in ET.iterparse(fh, events=("start", "end")):
                    if event == "start":
                        root = root if root is not None else elem
                        continue
                    if elem.tag == "row":
                        yield dict(elem.attrib)
                        elem.clear()
                        if root is not None:
                            root.clear()
        except ET.ParseError as exc:
            line = exc.position[0] if exc.position else 0
            yield self.failure(f"{file.name}:{line}", f"XML error: {exc}")
        except (LookupError, ValueError) as exc:  # unknown or multi-byte declared encoding
            yield self.failure(file.name, f"XML encoding not supported: {exc}")

    def crawl(self, since: Mapping[str, Any] | None = None) -> Iterator[Item]:
        """Read posts and comments, yield the people who took part, then one doc per question."""
        questions: dict[str, Post] = {}
        answers: list[Post] = []
        seen: set[str] = set()
        for row in self._rows("Posts.xml"):
            if isinstance(row, Failure):
                yield row
                continue
            try:
                post = self._post(row)
            except ValueError as exc:
                yield self.failure(f"Posts.xml:row Id={row.get('Id', '?')}", str(exc))
                continue
            if post is None:
                continue
            if post.id in seen:
                yield self.failure(f"Posts.xml:row Id={post.id}", "duplicate post id")
                continue
            seen.add(post.id)
            if post.parent is None:
                questions[post.id] = post
            else:
                answers.append(post)
        for answer in answers:
            parent = questions.get(answer.parent or "")
            if parent is None:
                yield self.failure(f"Posts.xml:row Id={answer.id}",
                                   f"answer to unknown question {answer.parent}")
            else:
                parent.answers.append(answer)
        comments: dict[str, list[Comment]] = {}
        for row in self._rows("Comments.xml"):
            if isinstance(row, Failure):
                yield row
                continue
            try:
                at = parse_when(row.get("CreationDate"))
            except ValueError as exc:
                yield self.failure(f"Comments.xml:row Id={row.get('Id', '?')}", str(exc))
                continue
            comments.setdefault(row.get("PostId", ""), []).append(
                Comment(row.get("UserId"), at, html_to_text(row.get("Text", ""))))
        active = {u for q in questions.values() for u in self._users_of(q, comments)}
        yield from self._people(active)
        for question in questions.values():
            yield self._document(question, comments)
        self._checkpoint = {"questions": len(questions), "answers": len(answers),
                            "comments": sum(len(c) for c in comments.values())}

    def _post(self, row: Mapping[str, str]) -> Post | None:
        kind = row.get("PostTypeId")
        if kind not in ("1", "2"):
            return None
        if not row.get("Id"):
            raise ValueError("post without Id")
        created = parse_when(row.get("CreationDate"))
        return Post(
            id=row["Id"], owner=row.get("OwnerUserId"), created=created,
            activity=parse_when(row.get("LastActivityDate")) or created,
            score=_int(row.get("Score")), text=html_to_text(row.get("Body", "")),
            parent=row.get("ParentId") if kind == "2" else None,
            title=row.get("Title", ""), tags=parse_tags(row.get("Tags", "")),
            accepted=row.get("AcceptedAnswerId"), views=_int(row.get("ViewCount")),
            editor=row.get("LastEditorUserId"), closed=bool(row.get("ClosedDate")),
        )

    @staticmethod
    def _users_of(question: Post, comments: Mapping[str, list[Comment]]) -> Iterator[str]:
        for post in [question, *question.answers]:
            if post.owner:
                yield post.owner
            if post.editor:
                yield post.editor
            for comment in comments.get(post.id, []):
                if comment.user:
                    yield comment.user

    def _people(self, active: set[str]) -> Iterator[Item]:
        everyone = self.option_flag("all_users")
        seen: set[str] = set()
        for row in self._rows("Users.xml"):
            if isinstance(row, Failure):
                yield row
                continue
            uid = row.get("Id", "")
            if not uid or uid == COMMUNITY_USER or uid in seen or not (everyone or uid in active):
                continue
            seen.add(uid)
            yield Person(
                id=self.person_id(uid), name=row.get("DisplayName") or f"user {uid}",
                handles={self.source: uid},
                meta={"reputation": _int(row.get("Reputation")),
                      "location": row.get("Location", ""), "website": row.get("WebsiteUrl", "")},
            )

    def _document(self, q: Post, comments: Mapping[str, list[Comment]]) -> Document:
        ordered = sorted(q.answers, key=lambda a: (a.id != q.accepted, -a.score, a.created or 0))
        parts = [q.text, *self._comment_lines(comments.get(q.id, []))]
        for a in ordered:
            label = "Accepted answer" if a.id == q.accepted else "Answer"
            parts += [f"{label} (score {a.score}):", a.text,
                      *self._comment_lines(comments.get(a.id, []))]
        weights: dict[tuple[str, str], tuple[float, datetime | None]] = {}

        def add(user: str | None, role: str, weight: float, at: datetime | None) -> None:
            if not user or user == COMMUNITY_USER:
                return
            old = weights.get((user, role))
            weights[(user, role)] = (weight + (old[0] if old else 0.0),
                                     min((t for t in (old[1] if old else None, at) if t),
                                         default=None))

        add(q.owner, "asker", 1.0, q.created)
        if q.editor and q.editor != q.owner:
            add(q.editor, "editor", 1.0, q.activity)
        for a in q.answers:
            role = "accepted_answerer" if a.id == q.accepted else "answerer"
            add(a.owner, role, score_weight(a.score), a.created)
        for post in [q, *q.answers]:
            for c in comments.get(post.id, []):
                add(c.user, "commenter", 1.0, c.at)
        times = [t for p in [q, *q.answers] for t in (p.created, p.activity) if t]
        base = str(self.options.get("base_url", "")).rstrip("/")
        return Document(
            id=self.doc_id(q.id), source=self.source, kind="qa",
            title=q.title or f"Question {q.id}", text="\n\n".join(p for p in parts if p),
            url=f"{base}/questions/{q.id}" if base else "", created_at=q.created,
            updated_at=max(times) if times else None, tags=q.tags,
            contributions=tuple(Contribution(self.person_id(u), role, at, w)
                                for (u, role), (w, at) in weights.items()),
            meta={"score": q.score, "tags": list(q.tags), "answer_count": len(q.answers),
                  "accepted_answer_id": q.accepted, "views": q.views, "closed": q.closed},
        )

    @staticmethod
    def _comment_lines(comments: list[Comment]) -> list[str]:
        return [f"Comment: {c.text}" for c in comments if c.text]
