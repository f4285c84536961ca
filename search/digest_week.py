"""The week a digest opens on when none is asked for: the last full one, or the newest post's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from search.digest import iso_week, week_bounds
from search.models import Principal

if TYPE_CHECKING:
    from search.engine import SearchEngine


def newest_post(engine: SearchEngine, principal: Principal) -> datetime | None:
    """Return when the newest customer post ``principal`` may read was written."""
    return engine.store.newest_created(principal, "customer")


def default_week(engine: SearchEngine, principal: Principal, now: datetime | None = None) -> str:
    """Return the last full ISO week, or the week of the newest readable post if older."""
    now = now or datetime.now(UTC)
    last_full = iso_week(now - timedelta(days=7))
    newest = newest_post(engine, principal)
    if newest is not None and newest < week_bounds(last_full)[0]:
        return iso_week(newest)
    return last_full
