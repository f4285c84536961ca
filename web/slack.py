"""The Slack slash command (``/ask``): signed requests, a 3-second ack, Block Kit replies."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, TimeoutError
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from search.models import Principal
from web import services, slack_blocks, voice_service
from web.errors import ApiError
from web.identity import Identity, identity_for
from web.intent import parse_command
from web.state import WebState, get_state

bp = Blueprint("slack", __name__, url_prefix="/slack")
log = logging.getLogger("socialsearch.slack")

REPLAY_WINDOW = 300  # seconds; Slack's own limit on the request timestamp
MAX_SLACK_BODY = 16 * 1024
SLACK_CONTENT_TYPE = "application/x-www-form-urlencoded"
INLINE_SECONDS = 2.0  # answer inline if ready by then, else ack and use response_url
IDENTITY_TTL = 600.0
_SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,30}$")


class ReplayGuard:
    """Remember request signatures for the replay window and reject any seen twice."""

    def __init__(self, window: float = REPLAY_WINDOW) -> None:
        self.window = window
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def first_time(self, signature: str, now: float | None = None) -> bool:
        """Record ``signature``; return ``False`` when it was already seen within the window."""
        now = time.time() if now is None else now
        with self._lock:
            if len(self._seen) > 1000:
                self._seen = {k: v for k, v in self._seen.items() if v > now}
            expiry = self._seen.get(signature)
            if expiry is not None and expiry > now:
                return False
            self._seen[signature] = now + self.window
            return True


@dataclass(frozen=True)
class SlackAsk:
    """One question from Slack: who asked, what, and where to send a late answer."""

    user_id: str
    text: str
    response_url: str
    base_url: str


def _guard(state: WebState) -> ReplayGuard:
    guard: ReplayGuard = state.component("slack-replay", ReplayGuard)
    return guard


def verify_request() -> None:
    """Check size, timestamp, signature and replay of a Slack request; raise ``ApiError``."""
    secret = get_state().settings.slack_signing_secret
    if not secret:
        raise ApiError(503, "the Slack command is not configured: set slack_signing_secret")
    if (request.content_length or 0) > MAX_SLACK_BODY:
        raise ApiError(413, f"Slack request bodies are limited to {MAX_SLACK_BODY} bytes")
    body = request.get_data(cache=True)
    if len(body) > MAX_SLACK_BODY:
        raise ApiError(413, f"Slack request bodies are limited to {MAX_SLACK_BODY} bytes")
    stamp = request.headers.get("X-Slack-Request-Timestamp", "")
    signature = request.headers.get("X-Slack-Signature", "")
    if not (stamp.isascii() and stamp.isdigit()) or not signature:
        raise ApiError(401, "missing or malformed Slack signature headers")
    if abs(time.time() - int(stamp)) > REPLAY_WINDOW:
        raise ApiError(401, "the Slack request timestamp is outside the 5-minute window")
    if not SignatureVerifier(secret).is_valid(body, stamp, signature):
        raise ApiError(401, "the Slack signature does not match")
    if request.mimetype != SLACK_CONTENT_TYPE:
        raise ApiError(415, f"Slack requests must be {SLACK_CONTENT_TYPE}, "
                       f"not {request.mimetype or 'untyped'}")
    if not _guard(get_state()).first_time(signature):
        raise ApiError(401, "this Slack request was already received (replay)")


def slack_identity(state: WebState, slack_user: str) -> Identity:
    """Map a Slack user to a directory person (alias ``slack:<id>``, then e-mail via the API)."""
    cache: dict[str, tuple[float, Identity]] = state.component("slack-identities", dict)
    hit = cache.get(slack_user)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    store = state.engine.store
    person_id = store.resolve_alias(f"slack:{slack_user}")
    if person_id is None and state.settings.slack_bot_token:
        person_id = _person_by_email(state, slack_user)
    if person_id is not None:
        identity = identity_for(store, person_id, "slack")
    else:
        identity = Identity(Principal.anonymous(), None, "slack")
    cache[slack_user] = (time.monotonic() + IDENTITY_TTL, identity)
    return identity


def _person_by_email(state: WebState, slack_user: str) -> str | None:
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    try:
        info = WebClient(token=state.settings.slack_bot_token, timeout=5).users_info(
            user=slack_user)
    except (SlackApiError, OSError) as exc:
        log.warning("users.info failed for %s: %s", slack_user, exc)
        return None
    email = ((info.get("user") or {}).get("profile") or {}).get("email")
    return state.engine.store.resolve_alias(f"email:{email}") if email else None


def answer(state: WebState, ask: SlackAsk, shared: bool = False,
           mode: str | None = None) -> dict[str, Any]:
    """Answer a Slack question with what the asker (or, when shared, everyone) may read."""
    text = ask.text.strip()
    first, _, rest = text.partition(" ")
    if not text or text.lower() in ("help", "?", "-h", "--help"):
        return slack_blocks.help_message()
    if shared:
        identity = Identity(Principal.anonymous(), None, "slack")
    else:
        identity = slack_identity(state, ask.user_id)
    note = None
    if identity.person is None and not shared:
        note = ("Your Slack account is not linked to a directory entry, so only documents "
                "everyone may read are used.")
    header = f"<@{ask.user_id}> shared — " if shared and _SLACK_USER.match(ask.user_id) else ""
    if mode is None and first.lower() in ("people", "person", "whois") and rest.strip():
        mode, text = "people", rest.strip()
    if mode is None:
        intent = parse_command(text)
        mode, text = intent.mode, intent.topic
    return _run(state, identity, mode, text, ask.base_url, shared, note, header)


def _run(state: WebState, identity: Identity, mode: str, topic: str, base: str,
         shared: bool, note: str | None, header: str) -> dict[str, Any]:
    principal = identity.principal
    who = identity.user_id
    if mode == "people":
        people = services.search_people(state, principal, topic, limit=8)
        _audit(state, identity, who, "people", topic, len(people))
        return slack_blocks.people_message(topic, people, base, shared, note, header)
    if mode == "experts":
        experts = services.find_experts(state, principal, topic, limit=5)
        _audit(state, identity, who, "experts", topic, len(experts))
        return slack_blocks.experts_message(topic, experts, base, shared, note, header,
                                            services.named_people(state, topic))
    if mode == "voice":
        report = voice_service.voice_report(state, principal, topic, None, None, "week")
        _audit(state, identity, who, "voice", topic, voice_service.report_size(report))
        return slack_blocks.voice_message(topic, report, base, shared, note, header)
    from search.filters import Filters

    page = services.search_documents(state, principal, topic, Filters(), limit=5)
    _audit(state, identity, who, "search", topic, page.result.total)
    return slack_blocks.search_message(topic, page.hits, page.result.total, base, shared, note,
                                       header, page.meaning_note)


def _audit(state: WebState, identity: Identity, who: str | None, action: str, query: str,
           results: int) -> None:
    services.audit(state, identity, "slack", action, query, results)


def _safe(state: WebState, work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return work()
    except ApiError as exc:
        return slack_blocks.error_message(exc.message)
    except ValueError as exc:
        return slack_blocks.error_message(str(exc))
    except Exception:
        log.exception("Slack answer failed")
        return slack_blocks.error_message("Sorry, something went wrong while answering. "
                                          "Please try again in a moment.")


def post_to_response_url(url: str, message: dict[str, Any], allowed: tuple[str, ...]) -> bool:
    """Send a message to a Slack ``response_url`` (only to allowed URL prefixes)."""
    if not url.startswith(allowed):
        log.warning("refusing to post to response_url %r (not an allowed prefix)", url)
        return False
    try:
        response = WebhookClient(url, timeout=10).send_dict(message)
    except OSError as exc:
        log.warning("posting to response_url failed: %s", exc)
        return False
    return 200 <= response.status_code < 300


def _ask_from_form() -> SlackAsk:
    form = request.form
    return SlackAsk(user_id=form.get("user_id", ""), text=form.get("text", "")[:1000],
                    response_url=form.get("response_url", ""), base_url=request.host_url)


@bp.post("/commands")
def command() -> Response:
    """Handle ``/ask …``: answer inline when quick, otherwise ack and follow up later."""
    verify_request()
    if request.form.get("ssl_check") == "1":
        return Response(status=200)
    state = get_state()
    ask = _ask_from_form()
    allowed = tuple(current_app.config["SLACK_RESPONSE_URL_PREFIXES"])
    budget = float(current_app.config.get("SLACK_INLINE_SECONDS", INLINE_SECONDS))
    future: Future[dict[str, Any]] = state.executor.submit(
        _safe, state, lambda: answer(state, ask))
    try:
        return jsonify(future.result(timeout=budget))
    except TimeoutError:
        # Post from a worker even if the answer completes right now: the ack must not wait.
        future.add_done_callback(lambda done: state.executor.submit(
            post_to_response_url, ask.response_url, done.result(), allowed))
        return jsonify(slack_blocks.reply(
            [{"type": "context", "elements": [{"type": "mrkdwn", "text":
              f":hourglass_flowing_sand: Looking into _{slack_blocks.esc(ask.text[:200])}_ …"}]}],
            "Working on it…"))


@bp.post("/actions")
def actions() -> Response:
    """Handle interactive buttons: "Share to channel" posts the answer for everyone."""
    verify_request()
    payload = _json_object(request.form.get("payload", ""), "the interaction payload")
    actions = payload.get("actions") or []
    action = actions[0] if isinstance(actions, list) and actions else {}
    if not isinstance(action, dict) or action.get("action_id") != slack_blocks.SHARE_ACTION:
        return Response(status=200)
    value = _json_object(action.get("value") or "{}", "the button value")
    user = payload.get("user")
    state = get_state()
    ask = SlackAsk(user_id=str(user.get("id", "") if isinstance(user, dict) else ""),
                   text=str(value.get("q", ""))[:slack_blocks.MAX_TOPIC],
                   response_url=str(payload.get("response_url", "")),
                   base_url=request.host_url)
    mode = value.get("m") if value.get("m") in ("search", "experts", "voice", "people") \
        else None
    allowed = tuple(current_app.config["SLACK_RESPONSE_URL_PREFIXES"])
    state.executor.submit(lambda: post_to_response_url(
        ask.response_url, _safe(state, lambda: answer(state, ask, True, mode)), allowed))
    return Response(status=200)


def _json_object(raw: Any, what: str) -> dict[str, Any]:
    """Parse ``raw`` as a JSON object or raise a 400 ``ApiError`` naming ``what``."""
    try:
        parsed = json.loads(raw) if isinstance(raw, str) else None
    except ValueError as exc:
        raise ApiError(400, f"{what} is not JSON") from exc
    if not isinstance(parsed, dict):
        raise ApiError(400, f"{what} must be a JSON object")
    return parsed
