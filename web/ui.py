"""The employee search page: documents, experts, customer voice, people and documents."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

from flask import Blueprint, Response, abort, g, redirect, render_template, request, url_for
from markupsafe import Markup

from search.digest import describe_change, iso_week
from search.digest_week import newest_post
from search.engine import QueryError
from search.experts import ExpertQueryError
from search.facets import date_facet
from search.filters import FilterError
from search.models import Document, Hit, parse_time
from search.people import PeopleQueryError, PersonNotFoundError
from search.sentiment_labels import current_labels
from search.snippets import doc_label, hit_label, own_title, short_links
from search.voice_parts import describe_reach, describe_spike
from web import services, voice_service
from web.charts import mix_bar, sentiment_chart, signed, volume_chart
from web.cursor import CursorError
from web.demo import demo_identity
from web.document_text import document_headings, text_blocks
from web.errors import ApiError
from web.examples import HomeExamples
from web.identity import AuthError, Identity, identify
from web.intent import ALL_POSTS, MODE_LABELS, MODES, resolve_intent
from web.params import period_params, text_param
from web.sanitize import plain_snippet, safe_snippet
from web.state import get_state

bp = Blueprint("ui", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")
PAGE_SIZE = 10
NOTICES = ("labelled",)  # one-off confirmations in the URL, never carried into other links


def current_identity() -> Identity:
    """Return the identity resolved for this request."""
    identity: Identity = g.identity
    return identity


@bp.before_request
def authenticate() -> Any:
    """Resolve the asker (token, SSO header or anonymous) before every page."""
    if request.endpoint == "ui.static":
        return None
    state = get_state()
    try:
        g.identity = demo_identity(identify(request, state.engine.store, state.accounts,
                                            state.settings.sso_header,
                                            state.anonymous_allowed), state.engine.store)
    except AuthError as exc:
        return render_template("error.html", status=exc.status, message=exc.message,
                               signin=True), exc.status
    return None


@bp.app_context_processor
def chart_helpers() -> dict[str, Any]:
    """Expose the small SVG helpers to templates."""
    return {"mix_bar": mix_bar}


@bp.app_template_filter("snippet")
def snippet_filter(value: str) -> Markup:
    """Render an engine snippet safely (only ``<mark>`` survives)."""
    return safe_snippet(value)


def _labels() -> dict[str, str]:
    """Return this request's names of untitled documents, by id."""
    if "doc_labels" not in g:
        g.doc_labels = {}
    labels: dict[str, str] = g.doc_labels
    return labels


def name_documents(ids: Iterable[str]) -> None:
    """Name the untitled documents among ``ids`` the asker may read, in one store read."""
    labels = _labels()
    wanted = [i for i in dict.fromkeys(ids) if i not in labels]
    if not wanted:
        return
    principal = current_identity().principal
    for doc in get_state().engine.store.get_documents(wanted):
        if principal.can_read(doc.access):
            labels[doc.id] = doc_label(doc.title, doc.text, doc.id)


@bp.app_template_global("doc_label")
def doc_label_global(doc_id: str, title: str = "") -> str:
    """Name a document: its title, or for an untitled post the start of its own text."""
    if title:
        return short_links(title)
    name_documents([doc_id])
    return _labels().get(doc_id, doc_id)


@bp.app_template_filter("doc_name")
def doc_name_filter(doc: Document) -> str:
    """Name a document read in full: its title as written, else the start of its own text."""
    return doc.title or doc_label("", doc.text, doc.id)


@bp.app_template_filter("label")
def label_filter(hit: Hit) -> str:
    """Name a hit like its document page does (the engine named it from its own text)."""
    return hit.label or hit_label(hit.title, hit.snippet, hit.doc_id)


bp.add_app_template_filter(short_links, "links")
bp.add_app_template_filter(own_title, "own_title")


@bp.app_template_filter("signed")
def signed_filter(value: float) -> str:
    """Format a mean sentiment with its sign and a true minus ("−0.13", "+0.40")."""
    return signed(value).replace("-", "\u2212")


@bp.app_template_filter("change")
def change_filter(value: float | None) -> str:
    """Describe a touch point's change against the usual volume ("14× usual")."""
    return describe_change(value)


@bp.app_template_filter("reach")
def reach_filter(customer: dict[str, Any]) -> str:
    """Describe an influential customer's followers and engagement, when the source has them."""
    return describe_reach(int(customer.get("followers") or 0), int(customer.get("engagement") or 0))


bp.add_app_template_filter(describe_spike, "spike")


@bp.app_template_filter("plain")
def plain_filter(value: str) -> str:
    """Strip tags from a snippet."""
    return plain_snippet(value)


@bp.app_template_filter("day")
def day_filter(value: datetime | str | None) -> str:
    """Format a date like ``3 Mar 2026``."""
    moment = parse_time(value) if isinstance(value, str) else value
    if moment is None:
        return ""
    return f"{moment.day} {moment:%b %Y}"


@bp.app_template_filter("isodate")
def isodate_filter(value: datetime | str | None) -> str:
    """Format a datetime for a ``<time datetime>`` attribute."""
    moment = parse_time(value) if isinstance(value, str) else value
    return moment.isoformat() if moment else ""


@bp.app_template_filter("initials")
def initials_filter(name: str) -> str:
    """Return up to two initials of a name."""
    parts = [p for p in (name or "?").replace(".", " ").split() if p[:1].isalnum()]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


@bp.app_template_filter("external")
def external_filter(url: str) -> str | None:
    """Return ``url`` when it is an http(s) link, else ``None`` (no javascript: links)."""
    parsed = urlparse(url or "")
    return url if parsed.scheme in ("http", "https") and parsed.netloc else None


@bp.app_template_global("link")
def link(endpoint: str = "ui.search", drop: tuple[str, ...] = ("cursor",), **changes: Any) -> str:
    """Return a URL to ``endpoint`` with the current query string changed by ``changes``."""
    return _url(endpoint, drop, changes)


def _url(endpoint: str, drop: tuple[str, ...], changes: dict[str, Any]) -> str:
    params: dict[str, Any] = {k: request.args.getlist(k) for k in request.args
                              if k not in drop and k not in NOTICES}
    for key, value in changes.items():
        if value is None or value == [] or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return url_for(endpoint, **params)


bp.add_app_template_global(date_facet, "date_facet")


@bp.app_template_global("toggle")
def toggle(name: str, value: str) -> str:
    """Return a search URL with ``value`` added to or removed from list filter ``name``."""
    values = [v for v in request.args.getlist(name) if v]
    values = [v for v in values if v != value] if value in values else [*values, value]
    return _url("ui.search", ("cursor",), {name: values})


def _audit(action: str, query: str, results: int, params: dict[str, Any] | None = None) -> None:
    services.audit(get_state(), current_identity(), "ui", action, query, results, params)


@bp.get("/")
@bp.get("/search")
def search() -> Any:
    """One box for all three questions; the tabs (or the select) pick one explicitly."""
    text = (request.args.get("q") or "").strip()[:500]
    mode_arg = request.args.get("mode") or ""
    if not text and mode_arg != "voice":
        state = get_state()
        examples = state.component("examples", lambda: HomeExamples(state.engine))
        principal = current_identity().principal
        return render_template("home.html", mode=mode_arg, q="",
                               examples=examples.for_principal(principal),
                               customers=examples.hears_customers(principal))
    # the Customers tab with an empty box: what customers say about everything
    intent = resolve_intent(text or ALL_POSTS, mode_arg if mode_arg in MODES else None)
    context: dict[str, Any] = {"q": text, "mode": mode_arg, "intent": intent,
                               "mode_labels": MODE_LABELS, "error": None}
    try:
        if intent.mode == "experts":
            context |= _experts(intent.topic)
        elif intent.mode == "voice":
            context |= _voice(intent.topic)
        else:
            context |= _documents(intent.topic)
    except (QueryError, FilterError, CursorError, ExpertQueryError, PeopleQueryError) as exc:
        context["error"] = str(exc)
        return render_template("search.html", **context), 400
    except ApiError as exc:
        context["error"] = exc.message
        return render_template("search.html", **context), exc.status
    return render_template("search.html", **context)


@bp.get("/voice")
def voice() -> Any:
    """The customer-voice dashboard: the search page in Customers mode."""
    params: dict[str, Any] = {k: request.args.getlist(k) for k in request.args if k != "mode"}
    return redirect(url_for("ui.search", mode="voice", **params))


def _documents(topic: str) -> dict[str, Any]:
    state = get_state()
    args = request.args
    params = services.filter_params(args)
    explain = args.get("explain") == "1"
    key = {"q": topic, "mode": "search", **params}
    offset = state.cursors.decode(args["cursor"], key) if args.get("cursor") else 0
    filters = services.parse_filters(params)
    page = services.search_documents(state, current_identity().principal, topic, filters,
                                     limit=PAGE_SIZE, offset=offset, with_people=True)
    _audit("search", topic, page.result.total, params)
    nxt, prev = page.next_offset, page.prev_offset
    return {
        "page": page, "params": params, "explain": explain,
        "next_url": link(cursor=state.cursors.encode(nxt, key)) if nxt is not None else None,
        "prev_url": (link(cursor=state.cursors.encode(prev, key) if prev else None)
                     if prev is not None else None),
        "suggest_url": link(q=page.suggestion, drop=("cursor", "mode")) if page.suggestion
        else None,
    }


def _experts(topic: str) -> dict[str, Any]:
    state = get_state()
    principal = current_identity().principal
    experts = services.find_experts(state, principal, topic, limit=10)
    try:
        people = services.search_people(state, principal, topic, limit=5)
    except PeopleQueryError:
        people = []
    _audit("experts", topic, len(experts))
    top = max((e.score for e in experts), default=1.0) or 1.0
    return {"experts": experts, "people": people, "top_score": top,
            "named": services.named_people(state, topic)}


def _voice(topic: str) -> dict[str, Any]:
    state = get_state()
    args = request.args
    bucket = args.get("bucket") if args.get("bucket") in voice_service.BUCKETS else "week"
    since, until = period_params(args)
    report = voice_service.voice_report(state, current_identity().principal, topic, since,
                                        until, bucket or "week")
    _audit("voice", topic, voice_service.report_size(report), {"bucket": bucket})
    series = voice_service.series(report)
    shown = [p["id"] for p in (*report.get("most_negative", []), *report.get("most_positive", []))]
    subjects: list[str] = []
    if not report.get("total"):  # what customers do write about, to try instead
        counts = state.engine.store.recent_tags(current_identity().principal, "customer")
        subjects = [tag for tag, _ in counts.most_common(4) if tag.lower() != topic.lower()][:3]
    return {"report": report, "bucket": bucket, "since": args.get("since", ""),
            "subjects": subjects,
            "given_labels": current_labels(state.engine.store, shown),
            "until": args.get("until", ""),
            "volume_svg": volume_chart(series), "sentiment_svg": sentiment_chart(series)}


@bp.get("/voice.csv")
def voice_csv() -> Any:
    """Every customer post behind the voice report on ``q`` (and period) as a CSV download."""
    args = request.args
    try:
        topic = text_param(args, "q", required=False) or "*"
        since, until = period_params(args)
        posts = voice_service.voice_posts(get_state(), current_identity().principal, topic,
                                          since, until)
    except ApiError as exc:
        return render_template("error.html", status=exc.status, message=str(exc)), exc.status
    _audit("voice-export", topic, len(posts), {"since": args.get("since", ""),
                                               "until": args.get("until", "")})
    return voice_service.csv_download(posts, topic, spreadsheet=True)


@bp.get("/people/<path:person_id>")
def person(person_id: str) -> Any:
    """A person's page: what they are known for, their top work and their colleagues."""
    try:
        profile = services.person_profile(get_state(), current_identity().principal, person_id)
    except PersonNotFoundError as exc:
        _audit("profile", person_id, 0)
        message = f"There is no person with the id “{person_id}”."
        return render_template("error.html", status=404, message=message,
                               suggestions=exc.suggestions), 404
    _audit("profile", person_id, 1)
    name_documents(c.doc_id for c in profile.contributions if not c.title)
    return render_template("person.html", profile=profile, q="")


@bp.get("/documents/<path:doc_id>")
def document(doc_id: str) -> Any:
    """One document in full, if the asker may read it (otherwise it does not exist)."""
    state = get_state()
    doc = state.engine.store.get_document(doc_id)
    if doc is None or not current_identity().principal.can_read(doc.access):
        abort(404, description=f"no document {doc_id!r} that you can read")
    people = {p.id: p for p in state.engine.store.get_people(doc.author_ids)}
    roles: dict[str, list[str]] = {}  # one entry per person, their roles in order
    for c in doc.contributions:
        if c.role not in roles.setdefault(c.person_id, []):
            roles[c.person_id].append(c.role)
    _audit("document", doc_id, 1)
    blocks = text_blocks(doc.text, document_headings(doc.meta))
    return render_template("document.html", doc=doc, people=people, roles=roles, q="",
                           blocks=blocks, sections=[b for b in blocks if b.anchor])


def _audited_digest() -> dict[str, Any] | ApiError:
    """Build the digest of the requested week for the asker and audit it (or return the error)."""
    week = (request.args.get("week") or "").strip()[:10] or None
    try:
        data = voice_service.weekly_digest(get_state(), current_identity().principal, week)
    except ApiError as exc:
        return exc
    _audit("digest", week or "", voice_service.digest_size(data))
    return data


@bp.get("/digest")
def digest() -> Any:
    """The weekly voice-of-the-customer digest."""
    data = _audited_digest()
    if isinstance(data, ApiError):
        return render_template("error.html", status=data.status, message=data.message), data.status
    newest_week = None
    if not data["touch_points"]:  # point at the week that has posts, if any does
        newest = newest_post(get_state().engine, current_identity().principal)
        newest_week = iso_week(newest) if newest else ""
    return render_template("digest.html", digest=data, q="", newest_week=newest_week)


@bp.get("/digest.md")
def digest_markdown() -> Any:
    """The weekly digest as a Markdown download."""
    data = _audited_digest()
    if isinstance(data, ApiError):
        return render_template("error.html", status=data.status, message=data.message), data.status
    return Response(data["markdown"], mimetype="text/markdown", headers={
        "Content-Disposition": f'attachment; filename="customer-digest-{data["week"]}.md"'})
