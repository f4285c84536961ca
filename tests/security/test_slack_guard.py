"""Rejected Slack requests have no side effect: no answer, no audit entry, no response_url post.

tests/web/test_slack.py checks each rejection's status; this suite adds what a rejection must
*not* do, and the cases it leaves out (a validly signed but stale request, a replay with another
body, wrong content types, bodies that lie about their length, rejected interaction payloads).
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient

from search.engine import SearchEngine
from tests.security import corpus
from tests.security.conftest import World
from tests.web.conftest import SLACK_SECRET, close_app, make_app, slack_body, slack_sign
from web.state import EXTENSION, WebState


class Hook:
    """A loopback stand-in for Slack's response_url that records every post."""

    def __init__(self) -> None:
        self.received: queue.Queue[dict[str, Any]] = queue.Queue()
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                received.put(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop the server."""
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def hook() -> Iterator[Hook]:
    """The response_url stand-in."""
    server = Hook()
    yield server
    server.close()


@pytest.fixture
def app(world: World) -> Iterator[Flask]:
    """An app on the adversarial corpus that always answers through response_url."""
    for other in world.apps.values():  # their queued audit entries share this store: write them
        other.extensions[EXTENSION].accounts.flush()
    application = make_app(world.full)
    application.config["SLACK_INLINE_SECONDS"] = 0.0
    yield application
    close_app(application)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A client of ``app``."""
    return app.test_client()


def audit_size(app: Flask) -> int:
    """Return the id of the newest audit entry (entries are only ever appended)."""
    state: WebState = app.extensions[EXTENSION]
    newest = state.accounts.audit(limit=1)
    return newest[0].id if newest else 0


def assert_no_side_effect(app: Flask, hook: Hook, before: int) -> None:
    """Assert nothing was audited and nothing was posted to the response_url."""
    state: WebState = app.extensions[EXTENSION]
    state.executor.submit(lambda: None).result(timeout=30)  # let queued work finish
    time.sleep(0.2)
    assert audit_size(app) == before
    assert hook.received.empty(), hook.received.get_nowait()


def _headers(body: str, **kw: Any) -> dict[str, str]:
    return slack_sign(body, **kw)


def _rejections(hook_url: str) -> list[tuple[str, str | bytes, dict[str, str], int, str]]:
    body = slack_body("who knows kafka", user="U0BOB", response_url=hook_url)
    now = int(time.time())
    signed = _headers(body)
    forged = _headers(body, secret="guessed-" + SLACK_SECRET[8:])
    # a little over 5 minutes, with room for a slow, busy test machine
    stale_past = _headers(body, timestamp=now - 330)
    stale_future = _headers(body, timestamp=now + 360)
    old_valid = _headers(body, timestamp=now - 3600)
    no_version = dict(signed, **{"X-Slack-Signature": signed["X-Slack-Signature"][3:]})
    as_json = dict(_headers(json.dumps({"text": "kafka", "response_url": hook_url})),
                   **{"Content-Type": "application/json"})
    plain = dict(_headers(body), **{"Content-Type": "text/plain"})
    big = slack_body("kafka " * 3000, response_url=hook_url)
    missing = {k: v for k, v in signed.items() if k != "X-Slack-Signature"}
    empty_stamp = dict(signed, **{"X-Slack-Request-Timestamp": ""})
    negative = dict(signed, **{"X-Slack-Request-Timestamp": "-1"})
    return [
        ("forged signature", body, forged, 401, "signature"),
        ("tampered body", body.replace("kafka", "salary"), signed, 401, "signature"),
        ("stale by 330 s", body, stale_past, 401, "5-minute"),
        ("360 s in the future", body, stale_future, 401, "5-minute"),
        ("validly signed an hour ago", body, old_valid, 401, "5-minute"),
        ("signature without v0=", body, no_version, 401, "signature"),
        ("missing signature", body, missing, 401, "missing"),
        ("empty timestamp", body, empty_stamp, 401, "missing"),
        ("negative timestamp", body, negative, 401, "missing"),
        ("JSON body", json.dumps({"text": "kafka", "response_url": hook_url}), as_json, 415,
         "form-urlencoded"),
        ("text/plain body", body, plain, 415, "form-urlencoded"),
        ("oversized body", big, _headers(big), 413, "16384 bytes"),
    ]


@pytest.mark.parametrize("index", range(12))
def test_rejected_commands_have_no_side_effect(app: Flask, client: FlaskClient, hook: Hook,
                                               index: int) -> None:
    name, body, headers, status, message = _rejections(hook.url)[index]
    before = audit_size(app)
    response = client.post("/slack/commands", data=body, headers=headers)
    assert response.status_code == status, name
    error = response.get_json()["error"]
    assert message in error["message"], (name, error)
    assert "blocks" not in response.get_json()
    assert_no_side_effect(app, hook, before)


def test_accepted_command_is_audited_and_posted(app: Flask, client: FlaskClient,
                                                hook: Hook) -> None:
    """The positive control: the same request, correctly signed, does both side effects."""
    body = slack_body("who knows kafka", user="U0BOB", response_url=hook.url)
    before = audit_size(app)
    assert client.post("/slack/commands", data=body, headers=slack_sign(body)).status_code == 200
    posted = hook.received.get(timeout=30)
    assert "Ann Lee" in json.dumps(posted["blocks"])
    assert audit_size(app) == before + 1


def test_replays_are_rejected_without_side_effect(app: Flask, client: FlaskClient,
                                                  hook: Hook) -> None:
    body = slack_body("kafka", user="U0CARL", response_url=hook.url)
    headers = slack_sign(body)
    assert client.post("/slack/commands", data=body, headers=headers).status_code == 200
    hook.received.get(timeout=30)
    before = audit_size(app)
    for _ in range(3):
        again = client.post("/slack/commands", data=body, headers=headers)
        assert again.status_code == 401 and "replay" in again.get_json()["error"]["message"]
    assert_no_side_effect(app, hook, before)


def test_rejected_request_does_not_burn_the_signature(app: Flask, client: FlaskClient,
                                                      hook: Hook) -> None:
    """A wrong-type or tampered copy must not make the genuine request look like a replay."""
    body = slack_body("kafka", user="U0DAN", response_url=hook.url)
    headers = slack_sign(body)
    assert client.post("/slack/commands", data=body,
                       headers=dict(headers, **{"Content-Type": "text/plain"})).status_code == 415
    assert client.post("/slack/commands", data=body + "&x=1", headers=headers).status_code == 401
    assert client.post("/slack/commands", data=body, headers=headers).status_code == 200
    hook.received.get(timeout=30)


def test_body_longer_than_declared_is_rejected(app: Flask, client: FlaskClient,
                                               hook: Hook) -> None:
    """A small Content-Length in front of a huge body is measured, not trusted."""
    big = slack_body("kafka " * 3000, response_url=hook.url)
    before = audit_size(app)
    environ = {"CONTENT_LENGTH": "100"}
    response = client.post("/slack/commands", data=big, headers=slack_sign(big),
                           environ_overrides=environ)
    assert response.status_code in (401, 413)
    assert_no_side_effect(app, hook, before)


def _action(value: dict[str, str], hook_url: str) -> str:
    payload = {"type": "block_actions", "user": {"id": "U0BOB"}, "response_url": hook_url,
               "actions": [{"action_id": "share_to_channel", "value": json.dumps(value)}]}
    return urlencode({"payload": json.dumps(payload)})


def test_rejected_share_button_posts_nothing(app: Flask, client: FlaskClient,
                                             hook: Hook) -> None:
    body = _action({"m": "search", "q": "kafka"}, hook.url)
    before = audit_size(app)
    forged = client.post("/slack/actions", data=body, headers=slack_sign(body, secret="x"))
    stale = client.post("/slack/actions", data=body,
                        headers=slack_sign(body, timestamp=int(time.time()) - 600))
    assert forged.status_code == stale.status_code == 401
    headers = slack_sign(body)
    assert client.post("/slack/actions", data=body, headers=headers).status_code == 200
    shared = hook.received.get(timeout=30)
    assert shared["response_type"] == "in_channel"
    text = json.dumps(shared["blocks"]).lower()
    for canary in corpus.CANARIES:  # Bob may read the exec channel, but a share is public
        assert canary not in text
    replay = client.post("/slack/actions", data=body, headers=headers)
    assert replay.status_code == 401
    assert_no_side_effect(app, hook, before + 1)


def test_unconfigured_secret_rejects_even_well_formed_requests(world: World) -> None:
    engine: SearchEngine = world.full
    application = make_app(engine, slack_signing_secret="")
    try:
        before = audit_size(application)
        body = slack_body("kafka")
        response = application.test_client().post("/slack/commands", data=body,
                                                   headers=slack_sign(body, secret=""))
        assert response.status_code == 503
        assert audit_size(application) == before
    finally:
        close_app(application)
