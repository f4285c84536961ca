"""The three questions (plus people and profiles) as used by the page, the API and Slack."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from werkzeug.datastructures import MultiDict

from search.engine import MEANING_ONLY_NOTE, SearchResult
from search.experts import Expert, ExpertFinder
from search.filters import FilterError, Filters
from search.models import Hit, Person, Principal
from search.people import PeopleDirectory, PersonMatch, Profile
from search.people_named import people_named
from web.accounts import AuditEntry
from web.identity import Identity
from web.sanitize import plain_snippet
from web.spelling import suggest
from web.state import WebState

LIST_FILTERS = ("source", "kind", "author")
SINGLE_FILTERS = ("audience", "since", "until")
FUSIONS = ("rrf", "linear", "keyword", "vector")


def month_range(month: str) -> tuple[str, str]:
    """Return ISO ``since``/``until`` bounds of a ``YYYY-MM`` month or a ``YYYY`` year."""
    try:
        start = datetime.strptime(month, "%Y" if len(month) == 4 else "%Y-%m").replace(tzinfo=UTC)
    except ValueError as exc:
        raise FilterError(f"month must look like 2026-03 (or a year, 2026), got {month!r}"
                          ) from exc
    if len(month) == 4:
        end = start.replace(year=start.year + 1) if start.year < 9999 else datetime.max.replace(
            tzinfo=UTC)
    else:
        end = (start + timedelta(days=32)).replace(day=1)
    return start.isoformat(), (end - timedelta(microseconds=1)).isoformat()


def filter_params(args: MultiDict[str, str]) -> dict[str, Any]:
    """Return the filter parameters of a request in a canonical form (for links and cursors)."""
    params: dict[str, Any] = {}
    for name in LIST_FILTERS:
        values = sorted({v.strip() for v in args.getlist(name) if v.strip()})
        if values:
            params[name] = values
    for name in SINGLE_FILTERS:
        value = (args.get(name) or "").strip()
        if value:
            params[name] = value
    month = (args.get("month") or "").strip()
    if month:
        params["month"] = month
    return params


def parse_filters(params: dict[str, Any]) -> Filters:
    """Build engine filters from canonical parameters; raises ``FilterError`` on bad input."""
    raw: dict[str, Any] = {k: v for k, v in params.items() if k != "month"}
    if "month" in params:
        since, until = month_range(params["month"])
        raw.setdefault("since", since)
        raw.setdefault("until", until)
    return Filters.parse(raw)


@dataclass(frozen=True)
class SearchPage:
    """One page of document hits with the suggestion and the people who match the query."""

    result: SearchResult
    limit: int
    suggestion: str | None = None
    people: list[PersonMatch] = field(default_factory=list)

    @property
    def hits(self) -> list[Hit]:
        """Return the hits of this page."""
        return self.result.hits

    @property
    def meaning_note(self) -> str | None:
        """Return a note when no hit contains the query's words (all are close in meaning)."""
        return MEANING_ONLY_NOTE if self.result.meaning_only else None

    @property
    def next_offset(self) -> int | None:
        """Return the offset of the next page, or ``None`` on the last page."""
        nxt = self.result.offset + self.limit
        return nxt if nxt < self.result.total and self.result.hits else None

    @property
    def prev_offset(self) -> int | None:
        """Return the offset of the previous page, or ``None`` on the first page."""
        return max(0, self.result.offset - self.limit) if self.result.offset > 0 else None


def directory(state: WebState) -> PeopleDirectory:
    """Return the app's people directory (cached)."""
    found: PeopleDirectory = state.component("people", lambda: PeopleDirectory(state.engine))
    return found


def expert_finder(state: WebState) -> ExpertFinder:
    """Return the app's expert finder (sharing the directory cache)."""
    found: ExpertFinder = state.component(
        "experts", lambda: ExpertFinder(state.engine, directory=directory(state)))
    return found


def search_documents(state: WebState, principal: Principal, text: str, filters: Filters,
                     limit: int = 10, offset: int = 0, fusion: str | None = None,
                     with_people: bool = False) -> SearchPage:
    """Run a document search for ``principal`` and add a spelling suggestion when useful."""
    result = state.engine.search(text, principal, filters, limit=limit, offset=offset,
                                 fusion=fusion, facets=True)
    readable = [f"{h.title} {plain_snippet(h.snippet)}" for h in result.hits]
    suggestion = suggest(result.query, state.vocabulary.get(), readable)
    people: list[PersonMatch] = []
    if with_people and offset == 0:
        try:
            people = directory(state).search(text, principal, limit=3)
        except ValueError:
            people = []
    return SearchPage(result, limit, suggestion, people)


def find_experts(state: WebState, principal: Principal, topic: str,
                 limit: int = 10) -> list[Expert]:
    """Return experts on ``topic`` with evidence readable by ``principal``."""
    return expert_finder(state).find(topic, principal, limit=limit)


def named_people(state: WebState, topic: str) -> list[Person]:
    """Return the directory people an experts topic names (a person's name or id), if any."""
    return people_named(directory(state), topic)


def search_people(state: WebState, principal: Principal, query: str,
                  limit: int = 10) -> list[PersonMatch]:
    """Return directory matches for a name, title, department or skill."""
    return directory(state).search(query, principal, limit=limit)


def person_profile(state: WebState, principal: Principal, person_id: str) -> Profile:
    """Return a profile built only from documents ``principal`` may read."""
    return directory(state).profile(person_id, principal)


def audit(state: WebState, identity: Identity, surface: str, action: str, query: str,
          results: int, params: dict[str, Any] | None = None, status: int = 200) -> None:
    """Write one audit-log entry for a query (who, what, when, how many results)."""
    state.accounts.record(AuditEntry(identity.user_id, surface, action, query, results,
                                     status, params))
