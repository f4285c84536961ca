"""The indexer contract: what every source (built-in or third-party) implements."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from search.models import Document, Failure, Person

Item = Document | Person | Failure


class IndexerConfigError(ValueError):
    """An indexer's configuration or source path is unusable; nothing was done."""


@runtime_checkable
class Indexer(Protocol):
    """Reads one source and yields documents, people and per-record failures."""

    name: str
    source: str

    def check(self) -> None:
        """Validate the configuration before any work; raise ``IndexerConfigError`` if bad."""
        ...

    def crawl(self, since: Mapping[str, Any] | None = None) -> Iterator[Item]:
        """Yield items changed since the checkpoint (all items when ``since`` is ``None``)."""
        ...

    def checkpoint(self) -> dict[str, Any]:
        """Return a small JSON-serialisable cursor describing what the last crawl saw."""
        ...


class FileIndexer:
    """Shared plumbing for indexers that read a file or folder at ``path``."""

    name = "file"
    source = "file"
    complete = True  # a crawl lists every current record, so missing ones were deleted
    # The option names this indexer reads; ``None`` accepts any (e.g. a third-party indexer).
    known_options: frozenset[str] | None = None

    def __init__(self, path: str | Path, source: str | None = None,
                 options: Mapping[str, Any] | None = None) -> None:
        self.path = Path(path)
        if source:
            self.source = source
        self.options = dict(options or {})
        self._checkpoint: dict[str, Any] = {}
        self.left_out: Counter[str] = Counter()  # skipped on purpose since check(), by reason

    def check(self) -> None:
        """Fail fast when the path does not exist or an option is unknown or unusable."""
        if not self.path.exists():
            raise IndexerConfigError(f"{self.name}: {self.path} does not exist")
        self.left_out.clear()  # the counts are the next crawl's
        self.check_options()

    def check_options(self) -> None:
        """Fail on an option name this indexer does not read (a typo would be ignored)."""
        if self.known_options is None:
            return
        unknown = sorted(set(self.options) - self.known_options)
        if unknown:
            takes = ", ".join(sorted(self.known_options)) or "no options"
            raise IndexerConfigError(
                f"{self.name}: unknown option {', '.join(unknown)} (it takes: {takes})")

    def option_number(self, name: str, default: float, minimum: float = 0.0) -> float:
        """Return a numeric option, or raise ``IndexerConfigError`` naming it when it is not."""
        value = self.options.get(name, default)
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not number >= minimum or math.isinf(number):
            raise IndexerConfigError(
                f"{self.name}: option {name} must be a number of at least {minimum:g}, "
                f"got {value!r}")
        return number

    def checkpoint(self) -> dict[str, Any]:
        """Return the cursor recorded by the last crawl."""
        return dict(self._checkpoint)

    def leave_out(self, reason: str) -> None:
        """Count a record skipped on purpose (a redirect, a retweet), which is no failure."""
        self.left_out[reason] += 1

    def failure(self, location: str, reason: str) -> Failure:
        """Build a failure for a record of this source."""
        return Failure(self.source, location, reason)
