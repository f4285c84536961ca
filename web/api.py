"""The JSON API under ``/api/v1``: search, experts, people, voice, digest, health, audit."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, jsonify, request, url_for

from search.engine import QueryError
from search.experts import ExpertQueryError
from search.filters import FilterError
from search.models import parse_time
from search.people import PeopleQueryError, PersonNotFoundError, person_to_dict
from search.people_named import directory_match
from web import services, voice_service
from web.cursor import CursorError
from web.errors import ApiError
from web.identity import AuthError, Identity, identify
from web.openapi import openapi_document
from web.params import bool_param, choice_param, int_param, period_params, text_param
from web.state import get_state

bp = Blueprint("api", __name__, url_prefix="/api/v1")
PUBLIC_ENDPOINTS = {"api.health", "api.openapi"}


def current_identity() -> Identity:
    """Return the identity resolved for this request."""
    identity: Identity = g.identity
    return identity


@bp.before_request
def authenticate() -> None:
    """Resolve the asker for every API call except health and the OpenAPI document."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    state = get_state()
    try:
        g.identity = identify(request, state.engine.store, state.accounts,
                              state.settings.sso_header, state.anonymous_allowed)
    except AuthError as exc:
        raise ApiError(exc.status, exc.message) from exc


def _audit(action: str, query: str, results: int, params: dict[str, Any] | None = None) -> None:
    services.audit(get_state(), current_identity(), "api", action, query, results, params)


@bp.get("/health")
def health() -> Response:
    """Report that the service is up and whether an index lags the store.

    It needs no identity, so it reports no counts: the number of documents would tell an
    anonymous caller how many private ones exist (``socialsearch stats`` has the counts).
    """
    return jsonify({"status": "ok", "pending": get_state().engine.pending()})


@bp.get("/openapi.json")
def openapi() -> Response:
    """Serve the OpenAPI 3.1 description of this API."""
    return jsonify(openapi_document())


@bp.get("/search")
def search() -> Response:
    """Hybrid document search with filters, facets, a cursor and an optional explanation."""
    args = request.args
    state = get_state()
    query = text_param(args, "q")
    limit = int_param(args, "limit", 10, 1, 100)
    explain = bool_param(args, "explain")
    fusion = choice_param(args, "fusion", services.FUSIONS)
    params = services.filter_params(args)
    params.pop("month", None)
    key = {"q": query, "fusion": fusion, "limit": limit, **params}
    try:
        offset = state.cursors.decode(args["cursor"], key) if args.get("cursor") else 0
        filters = services.parse_filters(params)
        page = services.search_documents(state, current_identity().principal, query, filters,
                                         limit=limit, offset=offset, fusion=fusion)
    except CursorError as exc:
        raise ApiError(400, exc.api_message) from exc
    except (FilterError, QueryError) as exc:
        raise ApiError(400, str(exc)) from exc
    _audit("search", query, page.result.total, params)
    nxt = page.next_offset
    return jsonify({
        "query": page.result.query,
        "total": page.result.total,
        "offset": page.result.offset,
        "hits": [h.to_dict(explain=explain) for h in page.hits],
        "facets": page.result.facets,
        "suggestion": page.suggestion,
        "meaning_only": page.result.meaning_only,
        "next_cursor": state.cursors.encode(nxt, key) if nxt is not None else None,
        "timings_ms": {k: round(v, 2) for k, v in page.result.timings_ms.items()},
    })


@bp.get("/experts")
def experts() -> Response:
    """Who knows about a topic, with the readable evidence for each person."""
    topic = text_param(request.args, "q")
    limit = int_param(request.args, "limit", 10, 1, 50)
    try:
        found = services.find_experts(get_state(), current_identity().principal, topic, limit)
    except (ExpertQueryError, QueryError) as exc:
        raise ApiError(400, str(exc)) from exc
    _audit("experts", topic, len(found))
    return jsonify({"topic": topic, "experts": [e.to_dict() for e in found],
                    "directory_match": _directory_match(topic)})


def _directory_match(topic: str) -> dict[str, Any] | None:
    """Say when the topic is a directory person's name or id (with their profile links)."""
    return directory_match(topic, services.named_people(get_state(), topic),
                           lambda p: url_for("ui.person", person_id=p.id))


@bp.get("/people")
def people() -> Response:
    """Find people by name, title, department or skill."""
    query = text_param(request.args, "q")
    limit = int_param(request.args, "limit", 10, 1, 100)
    try:
        found = services.search_people(get_state(), current_identity().principal, query, limit)
    except PeopleQueryError as exc:
        raise ApiError(400, str(exc)) from exc
    _audit("people", query, len(found))
    return jsonify({"query": query, "people": [m.to_dict() for m in found]})


@bp.get("/people/<path:person_id>")
def person(person_id: str) -> Response:
    """A person's profile: topics, top contributions and colleagues, from readable documents."""
    try:
        profile = services.person_profile(get_state(), current_identity().principal, person_id)
    except PersonNotFoundError as exc:
        _audit("profile", person_id, 0)
        raise ApiError(404, str(exc), details={
            "suggestions": [person_to_dict(p) for p in exc.suggestions]}) from exc
    _audit("profile", person_id, 1)
    return jsonify(profile.to_dict())


@bp.get("/voice")
def voice() -> Response:
    """What customers say about a topic (or every post): sentiment, themes, spikes, people."""
    args = request.args
    topic = text_param(args, "q", required=False) or "*"
    bucket = choice_param(args, "bucket", voice_service.BUCKETS, "week") or "week"
    since, until = period_params(args)
    report = voice_service.voice_report(get_state(), current_identity().principal, topic,
                                        since, until, bucket)
    _audit("voice", topic, voice_service.report_size(report), {"bucket": bucket})
    return jsonify(report)


@bp.get("/voice/posts.csv")
def voice_posts_csv() -> Response:
    """Every customer post behind the voice report on ``q`` (and period) as CSV, newest first."""
    args = request.args
    topic = text_param(args, "q", required=False) or "*"
    since, until = period_params(args)
    posts = voice_service.voice_posts(get_state(), current_identity().principal, topic, since,
                                      until)
    _audit("voice-export", topic, len(posts))
    return voice_service.csv_download(posts, topic, spreadsheet=False)


@bp.get("/digest")
def digest() -> Response:
    """The weekly voice-of-the-customer digest for an ISO week (default: last full week)."""
    week = text_param(request.args, "week", required=False, max_chars=10)
    data = voice_service.weekly_digest(get_state(), current_identity().principal, week or None)
    _audit("digest", week, voice_service.digest_size(data))
    return jsonify(data)


@bp.get("/audit")
def audit_log() -> Response:
    """The query audit log (administrators only), newest first."""
    identity = current_identity()
    if not identity.admin:
        raise ApiError(403, "only administrators may read the audit log; create an admin token "
                       "with `socialsearch tokens create --user <id> --admin`")
    args = request.args
    limit = int_param(args, "limit", 50, 1, 1000)
    user = text_param(args, "user", required=False, max_chars=256) or None
    try:
        since = parse_time(args.get("since"))
    except ValueError as exc:
        raise ApiError(400, f"bad date: {exc}") from exc
    key = {"user": user, "since": since.isoformat() if since else None, "limit": limit}
    state = get_state()
    try:
        before = state.cursors.decode(args["cursor"], key) if args.get("cursor") else None
    except CursorError as exc:
        raise ApiError(400, exc.api_message) from exc
    entries = state.accounts.audit(user, since, limit, before)
    last = entries[-1].id if len(entries) == limit else None
    return jsonify({"entries": [e.to_dict() for e in entries],
                    "next_cursor": state.cursors.encode(last, key) if last else None})
