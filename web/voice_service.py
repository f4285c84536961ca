"""Voice of the customer and the weekly digest, as JSON-ready dicts for every surface."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Response

from search.customer_posts import CustomerPost
from search.digest import DigestBuilder, DigestError
from search.digest_week import default_week
from search.models import Principal
from search.ratings import describe_ratings
from search.voice import VoiceAnalyzer, VoiceError
from search.voice_export import csv_chunks, export_name, newest_first
from search.voice_parts import BUCKETS as VOICE_BUCKETS
from web.charts import Point
from web.errors import ApiError
from web.state import WebState

BUCKETS: tuple[str, ...] = tuple(VOICE_BUCKETS)
WEEK = re.compile(r"^\d{4}-W\d{2}$")


def analyzer(state: WebState) -> VoiceAnalyzer:
    """Return the app's voice analyzer (one per app, reused across requests)."""
    found: VoiceAnalyzer = state.component("voice", lambda: VoiceAnalyzer(state.engine))
    return found


def _check_period(since: datetime | None, until: datetime | None) -> None:
    """Raise a 400 ``ApiError`` when the period ends before it starts."""
    if since and until and since > until:
        raise ApiError(400, "'since' is after 'until'")


def voice_report(state: WebState, principal: Principal, topic: str, since: datetime | None,
                 until: datetime | None, bucket: str = "week") -> dict[str, Any]:
    """Return the voice report on ``topic`` for ``principal`` as a dict."""
    _check_period(since, until)
    try:
        report = analyzer(state).report(topic, since, until, principal, bucket)
    except VoiceError as exc:
        raise ApiError(400, str(exc)) from exc
    return report.to_dict()


def voice_posts(state: WebState, principal: Principal, topic: str, since: datetime | None,
                until: datetime | None) -> list[CustomerPost]:
    """Return the readable customer posts behind the voice report on ``topic``, newest first."""
    _check_period(since, until)
    try:
        posts, _notes = analyzer(state).posts(topic, since, until, principal)
    except VoiceError as exc:
        raise ApiError(400, str(exc)) from exc
    return newest_first(posts)


def csv_download(posts: list[CustomerPost], topic: str, spreadsheet: bool) -> Response:
    """Return posts as a CSV attachment (``spreadsheet``: with the byte-order mark Excel needs)."""
    chunks = csv_chunks(posts)
    body = itertools.chain(["\ufeff"] if spreadsheet else [], chunks)
    name = export_name(topic, datetime.now(UTC).strftime("%Y-%m-%d"))
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def digest_builder(state: WebState) -> DigestBuilder:
    """Return the app's digest builder (sharing the voice analyzer)."""
    found: DigestBuilder = state.component(
        "digest", lambda: DigestBuilder(state.engine, analyzer(state)))
    return found


def weekly_digest(state: WebState, principal: Principal, week: str | None) -> dict[str, Any]:
    """Return the weekly digest for an ISO week (``YYYY-Www``; default the last full week)."""
    chosen = (week or "").strip().upper() or default_week(state.engine, principal)
    if not WEEK.match(chosen):
        raise ApiError(400, f"week must look like 2026-W45, got {week!r}")
    try:
        digest = digest_builder(state).build(chosen, principal)
    except DigestError as exc:
        raise ApiError(400, str(exc)) from exc
    data = digest.to_dict()
    data["markdown"] = digest.to_markdown()
    data["previous_week"], data["next_week"] = neighbour_weeks(chosen)
    return data


def neighbour_weeks(week: str) -> tuple[str, str]:
    """Return the ISO weeks before and after ``week``."""
    from search.digest import iso_week, week_bounds

    start, _end = week_bounds(week)
    return iso_week(start - timedelta(days=7)), iso_week(start + timedelta(days=7))


def report_size(report: dict[str, Any]) -> int:
    """Return how many posts a report covers (for the audit log)."""
    return int(report.get("total", 0) or 0)


def digest_size(digest: dict[str, Any]) -> int:
    """Return how many posts a digest covers (for the audit log)."""
    return int(digest.get("total", 0) or 0)


def series(report: dict[str, Any]) -> list[Point]:
    """Return the report's timeline as chart points (spike buckets flagged)."""
    spiky = {s.get("bucket") for s in report.get("spikes", [])}
    return [Point(label=str(b["label"]), total=int(b["count"]), positive=int(b["positive"]),
                  neutral=int(b["neutral"]) + int(b.get("unknown", 0)),
                  negative=int(b["negative"]),
                  mean=float(b["mean_score"]) if b["count"] else None,
                  spike=b["label"] in spiky)
            for b in report.get("timeline", [])]


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def summary_lines(report: dict[str, Any], esc: Callable[[str], str],
                  link: Callable[[str | None, str], str]) -> list[str]:
    """Return short mrkdwn paragraphs summarising a report (used by the Slack reply)."""
    total = int(report.get("total", 0))
    if not total:
        notes = "; ".join(report.get("notes", [])) or "no customer posts match"
        return [f"No customer posts found: {esc(notes)}."]
    mix = report.get("sentiment", {})
    lines = [f"*{total} posts* — {_pct(mix.get('negative', 0), total)} negative, "
             f"{_pct(mix.get('neutral', 0), total)} neutral, "
             f"{_pct(mix.get('positive', 0), total)} positive "
             f"(mean {float(mix.get('mean_score', 0)):+.2f})"
             + (f"; {describe_ratings(report['ratings'])}" if report.get("ratings") else "")]
    spikes = [s for s in report.get("spikes", []) if s.get("metric") == "volume"] or \
        report.get("spikes", [])
    for spike in spikes[:2]:
        phrases = esc(", ".join(spike.get("phrases", [])[:4]))
        lines.append(f":chart_with_upwards_trend: *Spike in {esc(str(spike.get('bucket', '')))}*"
                     f" — {spike.get('count')} posts vs. about {float(spike['baseline']):.0f}"
                     f" usually" + (f"; about: {phrases}" if phrases else ""))
    themes = report.get("themes", [])[:4]
    if themes:
        lines.append("*Themes*\n" + "\n".join(
            f"• {esc(t['label'])} — {t['size']} posts, "
            f"{_pct(t['sentiment']['negative'], t['size'])} negative" for t in themes))
    negative = report.get("most_negative", [])[:2]
    if negative:
        scale = (report.get("ratings") or {}).get("scale")
        lines.append("*What unhappy customers say*\n" + "\n".join(
            f"> {esc(p['text'])}\n— {link(p.get('url'), p.get('author_name') or 'customer')}"
            + (f", rated {p['rating']:g} / {scale:g}" if p.get("rating") is not None and scale
               else "")
            for p in negative))
    experts = report.get("experts", [])[:3]
    if experts:
        lines.append("*Who can act on it:* " + ", ".join(
            esc(e["person"]["name"]) + (f" ({esc(e['person']['title'])})"
                                        if e["person"].get("title") else "")
            for e in experts))
    return lines
