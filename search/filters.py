"""Search filters shared by every retrieval leg, with validation of user input."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from search.models import parse_time, parse_until

FILTER_NAMES = ("source", "kind", "audience", "since", "until", "author")


class FilterError(ValueError):
    """A filter the user gave is unknown or malformed."""


@dataclass(frozen=True)
class Filters:
    """Restrict a search to sources, kinds, an audience, a date range or an author."""

    sources: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    audience: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    authors: frozenset[str] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        """Tell whether no filter is set."""
        return not (
            self.sources or self.kinds or self.audience or self.since or self.until or self.authors
        )

    def with_audience(self, audience: str) -> Filters:
        """Return a copy restricted to one audience."""
        return Filters(
            self.sources, self.kinds, audience, self.since, self.until, self.authors
        )

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> Filters:
        """Build filters from user input (query string or CLI), rejecting unknown names."""
        unknown = sorted(set(raw) - set(FILTER_NAMES))
        if unknown:
            raise FilterError(
                f"unknown filter {', '.join(unknown)}; known filters: {', '.join(FILTER_NAMES)}"
            )

        def values(name: str) -> frozenset[str]:
            value = raw.get(name)
            if value is None or value == "":
                return frozenset()
            items = [value] if isinstance(value, str) else list(value)
            return frozenset(str(v).strip() for v in items if str(v).strip())

        audience = raw.get("audience") or None
        if audience not in (None, "internal", "customer"):
            raise FilterError("audience must be 'internal' or 'customer'")
        try:
            since = parse_time(raw.get("since"))
            until = parse_until(raw.get("until"))
        except ValueError as exc:
            raise FilterError(f"bad date: {exc}") from exc
        if since and until and since > until:
            raise FilterError("'since' is after 'until'")
        return cls(values("source"), values("kind"), audience, since, until, values("author"))

    def matches(
        self,
        source: str,
        kind: str,
        audience: str,
        created_at: datetime | None,
        authors: frozenset[str] | set[str] = frozenset(),
    ) -> bool:
        """Tell whether a document's attributes pass these filters."""
        if self.sources and source not in self.sources:
            return False
        if self.kinds and kind not in self.kinds:
            return False
        if self.audience and audience != self.audience:
            return False
        if (self.since or self.until) and created_at is None:
            return False
        if self.since and created_at is not None and created_at < self.since:
            return False
        if self.until and created_at is not None and created_at > self.until:
            return False
        return not (self.authors and not (self.authors & set(authors)))
