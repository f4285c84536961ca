"""Read documents and people written one JSON object per line in socialsearch's own format."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from indexers.base import FileIndexer, IndexerConfigError, Item
from indexers.export import record_problem
from search.models import Access, Contribution, Document, Person, parse_time


def document_from_dict(data: Mapping[str, Any]) -> Document:
    """Build a ``Document`` from its JSON form (raises ``ValueError``/``KeyError`` when bad)."""
    access_data = data.get("access") or {"public": True}
    if access_data.get("public", False):
        access = Access()
    else:
        access = Access.restricted(access_data.get("users", ()), access_data.get("groups", ()))
    contributions = tuple(
        Contribution(
            person_id=str(c["person"]), role=str(c.get("role", "author")),
            at=parse_time(c.get("at")), weight=float(c.get("weight", 1.0)),
        )
        for c in data.get("contributions", ())
    )
    return Document(
        id=str(data["id"]),
        source=str(data.get("source") or str(data["id"]).split(":", 1)[0]),
        kind=str(data.get("kind", "page")),
        title=str(data.get("title", "")),
        text=str(data.get("text", "")),
        url=str(data.get("url", "")),
        created_at=parse_time(data.get("created_at")),
        updated_at=parse_time(data.get("updated_at")),
        contributions=contributions,
        access=access,
        audience=data.get("audience", "internal"),
        tags=tuple(str(t) for t in data.get("tags", ())),
        meta=dict(data.get("meta", {})),
    )


def person_from_dict(data: Mapping[str, Any]) -> Person:
    """Build a ``Person`` from its JSON form."""
    return Person(
        id=str(data["id"]),
        name=str(data.get("name", data["id"])),
        emails=tuple(data.get("emails", ())),
        handles=dict(data.get("handles", {})),
        title=str(data.get("title", "")),
        department=str(data.get("department", "")),
        manager_id=data.get("manager_id"),
        skills=tuple(data.get("skills", ())),
        groups=tuple(data.get("groups", ())),
        meta=dict(data.get("meta", {})),
    )


SNIFF_LINES = 20  # ``check`` rejects a file only when none of its first lines is a JSON object


def _first_lines(file: Path, count: int) -> list[str]:
    """Return up to ``count`` non-empty lines from the start of ``file``."""
    lines: list[str] = []
    try:
        with open(file, encoding="utf-8-sig", errors="replace") as fh:
            for line in fh:
                if line.strip():
                    lines.append(line.strip())
                    if len(lines) >= count:
                        break
    except OSError as exc:
        raise IndexerConfigError(f"jsonl: cannot read {file.name}: {exc.strerror or exc}") \
            from exc
    return lines


def _is_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


class JsonlIndexer(FileIndexer):
    """One JSON object per line; objects with ``"type": "person"`` are people."""

    name = "jsonl"
    known_options: frozenset[str] | None = frozenset()  # records carry their own fields
    source = "jsonl"
    complete = False  # records name their own sources, so absence proves nothing

    def _files(self) -> list[Path]:
        if self.path.is_dir():
            return sorted(self.path.glob("*.jsonl"))
        return [self.path]

    def check(self) -> None:
        """Fail fast when the path is missing, holds no ``.jsonl`` file or a file is not JSONL."""
        super().check()
        files = self._files()
        if not files:
            raise IndexerConfigError(f"jsonl: no .jsonl files in {self.path}")
        for file in files:
            first = _first_lines(file, SNIFF_LINES)
            if first and not any(_is_object(line) for line in first):
                raise IndexerConfigError(
                    f"jsonl: {file.name} is not JSON Lines: none of its first {len(first)} "
                    f"lines is a JSON object (line 1: {first[0][:60]!r}); for a CSV or TSV of "
                    "customer posts use the customers indexer, for people the directory indexer")

    def crawl(self, since: Mapping[str, Any] | None = None) -> Iterator[Item]:
        """Yield every record; a line that does not parse becomes a ``Failure``."""
        count = 0
        for file in self._files():
            with open(file, encoding="utf-8-sig", errors="replace") as fh:
                for lineno, line in enumerate(fh, start=1):
                    if not line.strip():
                        continue
                    location = f"{file.name}:{lineno}"
                    try:
                        data = json.loads(line)
                        if not isinstance(data, dict):
                            raise ValueError("a line must hold a JSON object")
                        if data.get("type") == "person":
                            yield person_from_dict(data)
                        else:
                            yield document_from_dict(data)
                            count += 1
                    except (ValueError, KeyError, TypeError) as exc:
                        yield self.failure(location, record_problem(exc))
        self._checkpoint = {"documents": count}
