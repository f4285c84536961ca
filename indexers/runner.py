"""Apply an indexer's crawl to the engine: batches, counts, deletions and checkpoints."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from indexers.base import Indexer, IndexerConfigError
from indexers.identity import IdentityResolver
from search.engine import SearchEngine
from search.models import Document, Failure, Person
from search.wording import plural

BATCH = 500
MAX_REPORTED_FAILURES = 50


@dataclass
class RunReport:
    """What one indexing run did."""

    indexer: str
    source: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    failed: int = 0
    people: int = 0
    failures: list[Failure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)  # skipped on purpose, by reason

    def fail(self, failure: Failure) -> None:
        """Count a failure, keeping the first ``MAX_REPORTED_FAILURES`` for the report."""
        self.failed += 1
        if len(self.failures) < MAX_REPORTED_FAILURES:
            self.failures.append(failure)

    @property
    def unlisted_failures(self) -> int:
        """Return how many failures the report counts but does not list."""
        return max(0, self.failed - len(self.failures))

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready summary."""
        return {
            "indexer": self.indexer, "source": self.source, "added": self.added,
            "updated": self.updated, "unchanged": self.unchanged, "deleted": self.deleted,
            "failed": self.failed, "people": self.people,
            "failures": [{"location": f.location, "reason": f.reason} for f in self.failures],
            "failures_not_listed": self.unlisted_failures,
            "notes": self.notes, "left_out": dict(self.left_out),
        }


def source_key(indexer: Indexer) -> str:
    """Return the key under which a source's checkpoint and last run are stored."""
    return f"{indexer.name}:{indexer.source}"


def check_source_owner(engine: SearchEngine, indexer: Indexer) -> None:
    """Refuse a source name another indexer already fills: its documents would be overwritten
    where the native ids meet and deleted as "vanished" on a complete crawl."""
    for key, data in engine.store.list_checkpoints():
        name, _, source = key.partition(":")
        if source == indexer.source and name != indexer.name:
            raise IndexerConfigError(
                f"source {source!r} already holds documents indexed by {name} from "
                f"{data.get('path') or '?'}; give this {indexer.name} export its own "
                f"source name with --source (e.g. --source {source}-{indexer.name})")


def run_indexer(engine: SearchEngine, indexer: Indexer, full: bool = False,
                on_item: Callable[[str], None] | None = None) -> RunReport:
    """Crawl ``indexer`` into ``engine``; each batch is committed, so a crash loses no batch."""
    indexer.check()
    check_source_owner(engine, indexer)
    key = source_key(indexer)
    saved = engine.store.get_checkpoint(key) or {}
    since = None if full else saved.get("cursor")
    report = RunReport(indexer.name, indexer.source)
    seen: set[str] = set()
    docs: list[Document] = []
    persons: list[Person] = []
    resolver = IdentityResolver(engine.store) if getattr(indexer, "resolve_people", False) \
        else None

    def flush() -> None:
        if persons:
            report.people += engine.upsert_people(persons)
            persons.clear()
        if docs:
            counts = engine.upsert(docs, save_vectors=False, compact=False)
            report.added += counts.added
            report.updated += counts.updated
            report.unchanged += counts.unchanged
            docs.clear()

    for item in indexer.crawl(since):
        if resolver is not None:
            item = resolver.resolve(item)
        if isinstance(item, Failure):
            report.fail(item)
            kind = "failure"
        elif isinstance(item, Person):
            persons.append(item)
            kind = "person"
        else:
            if item.id in seen:
                report.fail(Failure(item.source, item.id, "duplicate document id"))
                continue
            seen.add(item.id)
            docs.append(item)
            kind = "document"
        if on_item:
            on_item(kind)
        if len(docs) >= BATCH or len(persons) >= BATCH:
            flush()
    flush()
    report.left_out = {reason: n for reason, n in getattr(indexer, "left_out", {}).items() if n}
    _delete_vanished(engine, indexer, since, seen, report)
    engine.sync(compact=False)
    engine.compact()  # once per run: merging after every batch cost time quadratic in the run
    engine.save_vectors()
    engine.store.set_checkpoint(key, {
        "cursor": indexer.checkpoint(),
        "path": _where(getattr(indexer, "path", "")),
        "last_run": datetime.now(UTC).isoformat(),
        "report": report.as_dict(),
    })
    return report


def _where(path: Any) -> str:
    """Return the crawled path as an absolute one, meaningful from any directory."""
    return os.path.abspath(path) if path else ""


def _delete_vanished(engine: SearchEngine, indexer: Indexer, since: Any, seen: set[str],
                     report: RunReport) -> None:
    incremental = bool(since) and not getattr(indexer, "always_full", False)
    if not getattr(indexer, "complete", False) or incremental:
        return
    stored = set(engine.store.content_hashes(indexer.source))
    vanished = sorted(stored - seen)
    if not vanished:
        return
    if report.failed:
        report.notes.append(
            f"{plural(len(vanished), 'document')} missing from the source "
            f"{'was' if len(vanished) == 1 else 'were'} kept because "
            f"{plural(report.failed, 'record')} failed to parse"
        )
        return
    if not seen:
        report.notes.append(
            f"the source yielded no documents; kept the {plural(len(vanished), 'stored one')} "
            "(run with a valid export to replace them)"
        )
        return
    report.deleted = engine.delete(vanished, save_vectors=False)


def list_sources(engine: SearchEngine) -> list[dict[str, Any]]:
    """Return every source that has been indexed, with its last run."""
    rows = []
    for key, data in engine.store.list_checkpoints():
        report = data.get("report")
        if isinstance(report, dict) and "failures_not_listed" not in report:  # an older run
            report["failures_not_listed"] = max(
                0, int(report.get("failed") or 0) - len(report.get("failures") or []))
        rows.append({"source": key, **data})
    return rows
