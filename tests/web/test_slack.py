"""The Slack slash command: signatures, replay window, acks, Block Kit replies, follow-ups."""

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
from search.models import Hit
from tests.web.conftest import close_app, make_app, slack_body, slack_sign
from web import slack as slack_module
from web import slack_blocks, voice_service
from web.slack import ReplayGuard


class _Hook:
    """A local stand-in for Slack's response_url endpoint that records what it receives."""

    def __init__(self) -> None:
        self.received: queue.Queue[dict[str, Any]] = queue.Queue()
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                hook.received.put(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *_args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def get(self, timeout: float = 20.0) -> dict[str, Any]:
        return self.received.get(timeout=timeout)


@pytest.fixture
def hook() -> Iterator[_Hook]:
    server = _Hook()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def _post(client: FlaskClient, body: str, **sign: Any) -> Any:
    return client.post("/slack/commands", data=body, headers=slack_sign(body, **sign))


def _texts(message: dict[str, Any]) -> str:
    return json.dumps(message["blocks"])


def test_help(client: FlaskClient) -> None:
    for text in ("help", "", "?"):
        response = _post(client, slack_body(text))
        assert response.status_code == 200
        body = response.get_json()
        assert body["response_type"] == "ephemeral"
        assert "/ask who knows kafka" in _texts(body)


def test_search_reply_is_ephemeral_block_kit_with_share_button(client: FlaskClient) -> None:
    body = _post(client, slack_body("kafka consumer")).get_json()
    assert body["response_type"] == "ephemeral"
    text = _texts(body)
    assert "Kafka consumer runbook" in text and "*consumer*" in text
    actions = next(b for b in body["blocks"] if b["type"] == "actions")
    share = actions["elements"][0]
    assert share["action_id"] == "share_to_channel"
    assert json.loads(share["value"]) == {"m": "search", "q": "kafka consumer"}


def test_search_says_when_no_result_contains_the_words(client: FlaskClient) -> None:
    meaning = _texts(_post(client, slack_body("zeppelin airship")).get_json())
    assert "closest in meaning" in meaning  # the test embedder has no floor: neighbours stay
    assert "closest in meaning" not in _texts(_post(client, slack_body("kafka")).get_json())


def test_who_knows(client: FlaskClient) -> None:
    body = _post(client, slack_body("who knows kafka")).get_json()
    text = _texts(body)
    assert "Who knows about* kafka" in text and "Ann Lee" in text


def test_people_lookup(client: FlaskClient) -> None:
    text = _texts(_post(client, slack_body("people hana")).get_json())
    assert "Hana Mori" in text


def _demo_reply(demo_engine: SearchEngine, command: str) -> str:
    """Return the text of the reply to ``command`` on the demo corpus, as a mapped Slack user."""
    app = make_app(demo_engine)
    try:
        body = slack_body(command, user="U0MHARTLEY")
        response = app.test_client().post("/slack/commands", data=body,
                                          headers=slack_sign(body))
        return _texts(response.get_json())
    finally:
        close_app(app)


def test_customers(demo_engine: SearchEngine) -> None:
    text = _demo_reply(demo_engine, "customers billing")
    assert "What customers say about* billing" in text
    assert "posts*" in text and "negative" in text


def test_customers_without_a_topic_reports_every_post(demo_engine: SearchEngine) -> None:
    text = _demo_reply(demo_engine, "what are customers saying?")
    assert "What customers say:* all posts" in text and "about* *" not in text
    assert "posts*" in text and "negative" in text
    assert "average rating" in text and "from 23 rated posts" in text  # the demo's reviews


def test_who_knows_lists_the_tags_experts_are_active_in(demo_engine: SearchEngine) -> None:
    text = _demo_reply(demo_engine, "who knows sso")
    assert "Who knows about* sso" in text and "Active in: " in text


def test_answers_use_only_what_the_slack_user_may_read(client: FlaskClient) -> None:
    as_bob = _texts(_post(client, slack_body("halcyon acquisition", user="U0BOB")).get_json())
    as_ann = _texts(_post(client, slack_body("halcyon acquisition", user="U0ANN")).get_json())
    stranger = _post(client, slack_body("halcyon acquisition", user="U0NOBODY")).get_json()
    assert "#exec" in as_bob
    assert "#exec" not in as_ann and "Halcyon" not in as_ann
    assert "#exec" not in _texts(stranger)
    assert "not linked to a directory entry" in _texts(stranger)


def _rendered(message: dict[str, Any]) -> str:
    return json.dumps([b for b in message["blocks"] if b["type"] != "actions"])


def test_user_text_is_escaped(client: FlaskClient) -> None:
    body = _post(client, slack_body("<!channel> & <@U123> kafka")).get_json()
    text = _rendered(body)
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert "&amp;" in text and "<@U123>" not in text


def test_escaping_of_document_titles(client: FlaskClient) -> None:
    text = _texts(_post(client, slack_body("escaping notes")).get_json())
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "javascript:" not in text


def test_bad_signature_is_rejected(client: FlaskClient) -> None:
    body = slack_body("kafka")
    response = _post(client, body, secret="not-the-secret")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    tampered = client.post("/slack/commands", data=body.replace("kafka", "halcyon"),
                           headers=slack_sign(body))
    assert tampered.status_code == 401


def test_stale_timestamp_is_rejected(client: FlaskClient) -> None:
    response = _post(client, slack_body("kafka"), timestamp=int(time.time()) - 301)
    assert response.status_code == 401
    assert "5-minute" in response.get_json()["error"]["message"]
    future = _post(client, slack_body("kafka"), timestamp=int(time.time()) + 400)
    assert future.status_code == 401


def test_missing_headers_are_rejected(client: FlaskClient) -> None:
    response = client.post("/slack/commands", data=slack_body("kafka"),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 401
    headers = slack_sign(slack_body("kafka"))
    for stamp in ("soon", "\u00b2", "\u00b9\u00b2\u00b3"):  # superscripts pass str.isdigit
        headers["X-Slack-Request-Timestamp"] = stamp
        assert client.post("/slack/commands", data=slack_body("kafka"),
                           headers=headers).status_code == 401


def test_replayed_request_is_rejected(client: FlaskClient) -> None:
    body = slack_body("kafka")
    headers = slack_sign(body)
    assert client.post("/slack/commands", data=body, headers=headers).status_code == 200
    again = client.post("/slack/commands", data=body, headers=headers)
    assert again.status_code == 401
    assert "replay" in again.get_json()["error"]["message"]


def test_replay_guard_forgets_after_the_window() -> None:
    guard = ReplayGuard(window=300)
    assert guard.first_time("sig", now=1000)
    assert not guard.first_time("sig", now=1299)
    assert guard.first_time("sig", now=1301)


def test_oversized_body_is_rejected(client: FlaskClient) -> None:
    body = slack_body("kafka " * 4000)
    response = client.post("/slack/commands", data=body, headers=slack_sign(body))
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


def test_unconfigured_slack_is_503(mini_engine: SearchEngine) -> None:
    app = make_app(mini_engine, slack_signing_secret="")
    try:
        body = slack_body("kafka")
        response = app.test_client().post("/slack/commands", data=body, headers=slack_sign(body))
        assert response.status_code == 503
        assert response.get_json()["error"]["code"] == "unavailable"
    finally:
        close_app(app)


def test_get_is_not_allowed(client: FlaskClient) -> None:
    response = client.get("/slack/commands")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_slow_answers_are_acked_then_posted_to_response_url(
        app: Flask, client: FlaskClient, hook: _Hook, monkeypatch: pytest.MonkeyPatch) -> None:
    original = slack_module.answer

    def slow(*args: Any, **kwargs: Any) -> dict[str, Any]:
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(slack_module, "answer", slow)
    app.config["SLACK_INLINE_SECONDS"] = 0.05
    started = time.monotonic()
    response = _post(client, slack_body("who knows kafka", response_url=hook.url))
    assert time.monotonic() - started < 3.0
    ack = response.get_json()
    assert response.status_code == 200 and ack["response_type"] == "ephemeral"
    assert "Looking into" in _texts(ack)
    late = hook.get()
    assert late["response_type"] == "ephemeral"
    assert "Ann Lee" in _texts(late)


def test_response_url_must_be_allowed(app: Flask, client: FlaskClient, hook: _Hook) -> None:
    app.config["SLACK_INLINE_SECONDS"] = 0.0
    app.config["SLACK_RESPONSE_URL_PREFIXES"] = ("https://hooks.slack.com/",)
    _post(client, slack_body("kafka", response_url=hook.url))
    with pytest.raises(queue.Empty):
        hook.get(timeout=1.5)


def _action_body(value: dict[str, str], response_url: str, user: str = "U0BOB") -> str:
    payload = {"type": "block_actions", "user": {"id": user},
               "response_url": response_url,
               "actions": [{"action_id": "share_to_channel", "value": json.dumps(value)}]}
    return urlencode({"payload": json.dumps(payload)})


def test_share_to_channel_posts_only_public_results(client: FlaskClient, hook: _Hook) -> None:
    body = _action_body({"m": "search", "q": "halcyon acquisition kafka"}, hook.url)
    response = client.post("/slack/actions", data=body, headers=slack_sign(body))
    assert response.status_code == 200
    shared = hook.get()
    assert shared["response_type"] == "in_channel"
    text = _texts(shared)
    assert "<@U0BOB> shared" in text
    assert "#exec" not in text and "Kafka consumer runbook" in text
    assert not [b for b in shared["blocks"] if b["type"] == "actions"]


def test_actions_are_verified_and_validated(client: FlaskClient) -> None:
    body = _action_body({"m": "search", "q": "kafka"}, "https://hooks.slack.com/x")
    assert client.post("/slack/actions", data=body,
                       headers=slack_sign(body, secret="wrong")).status_code == 401
    junk = urlencode({"payload": "{not json"})
    assert client.post("/slack/actions", data=junk, headers=slack_sign(junk)).status_code == 400
    other = urlencode({"payload": json.dumps({"actions": [{"action_id": "open_in_socialsearch"}]})})
    assert client.post("/slack/actions", data=other, headers=slack_sign(other)).status_code == 200


def test_untitled_posts_are_listed_by_their_text_not_their_id() -> None:
    post = Hit("customers:twitter-17937", 0.4, title="", url="https://social.example/a/1",
               snippet="Sigh. <mark class=\"hl t0\">Login</mark> loop again &amp; again " * 6)
    message = slack_blocks.search_message("login loop", [post], 1)
    first = message["blocks"][1]["text"]["text"].split("\n")[0]
    assert "twitter-17937" not in first
    assert first.startswith("<https://social.example/a/1|Sigh. Login loop again &amp; again")
    assert first.endswith("…>") and len(first) < 140
    bare = Hit("customers:twitter-17938", 0.4, title="", snippet="")
    assert slack_blocks.hit_label(bare) == "customers:twitter-17938"


@pytest.mark.parametrize(("payload", "status"), [
    ("[]", 400), ('"share"', 400), ("1", 400), ("null", 400),  # JSON, but not an object
    (json.dumps({"actions": [{"action_id": "share_to_channel", "value": "[1]"}]}), 400),
    (json.dumps({"actions": [{"action_id": "share_to_channel", "value": "{oops"}]}), 400),
    (json.dumps({"actions": "share_to_channel"}), 200),  # no button we know: ignored
    (json.dumps({"actions": ["share_to_channel"]}), 200),
    (json.dumps({"user": "U0BOB", "actions": [{"action_id": "share_to_channel",
                                              "value": json.dumps({"q": "kafka"})}]}), 200),
])
def test_signed_actions_of_the_wrong_shape_are_client_errors(client: FlaskClient, payload: str,
                                                             status: int) -> None:
    body = urlencode({"payload": payload})
    response = client.post("/slack/actions", data=body, headers=slack_sign(body))
    assert response.status_code == status, response.get_data(as_text=True)
    if status == 400:
        assert response.get_json()["error"]["code"] == "bad_request"


def test_slack_user_found_by_email_through_users_info(mini_engine: SearchEngine,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import slack_sdk

    calls: list[str] = []

    def users_info(self: Any, *, user: str, **_kwargs: Any) -> dict[str, Any]:
        calls.append(user)
        return {"ok": True, "user": {"id": user, "profile": {"email": "ann@example.com"}}}

    monkeypatch.setattr(slack_sdk.WebClient, "users_info", users_info)
    app = make_app(mini_engine, slack_bot_token="xoxb-test")
    try:
        body = slack_body("who knows kafka", user="U0UNMAPPED")
        reply = app.test_client().post("/slack/commands", data=body,
                                       headers=slack_sign(body)).get_json()
        assert calls == ["U0UNMAPPED"]
        assert "not linked" not in _texts(reply) and "Ann Lee" in _texts(reply)
        body = slack_body("kafka", user="U0UNMAPPED")
        app.test_client().post("/slack/commands", data=body, headers=slack_sign(body))
        assert calls == ["U0UNMAPPED"]  # cached
    finally:
        close_app(app)


def test_who_knows_a_person_says_they_are_in_the_directory(demo_engine: SearchEngine) -> None:
    text = _demo_reply(demo_engine, "who knows about lena kowalski")
    assert "/people/u.lkowalski|Lena Kowalski> (u.lkowalski) is a person in the directory" in text
    assert "see their profile" in text and "Who knows about* lena kowalski" in text
    text = json.loads(_demo_reply(demo_engine, "who knows alex"))[1]["text"]["text"]
    assert "“alex” is the name of 2 people in the directory" in text
    assert "|Alex Chen>" in text and "|Alex Romero>" in text
    assert "in the directory" not in _demo_reply(demo_engine, "who knows sean gallagher")


def test_a_spike_without_phrases_says_no_empty_about() -> None:
    from web.voice_service import summary_lines

    report = {"total": 12, "sentiment": {"negative": 6, "neutral": 4, "positive": 2},
              "spikes": [{"metric": "volume", "bucket": "2026-10-05", "count": 9,
                          "baseline": 1.5, "phrases": []}]}
    spike = next(line for line in summary_lines(report, slack_blocks.esc, slack_blocks.link)
                 if "Spike in" in line)
    assert spike.endswith("usually") and "about:" not in spike


def test_a_hit_names_its_source_once_when_it_is_also_its_kind() -> None:
    page = Hit("wiki:303", 0.5, title="Alabama", source="wiki", kind="wiki")
    thread = Hit("slack:C1-1", 0.4, title="Deploys", source="eng-slack", kind="slack")
    blocks = slack_blocks.search_message("alabama", [page, thread], 2)["blocks"]
    context = [b["elements"][0]["text"] for b in blocks if b.get("type") == "context"]
    assert context[0] == "wiki" and context[1] == "eng-slack · slack"


def test_a_quoted_review_says_its_rating() -> None:
    post = {"id": "c:1", "text": "Stopped working after a day.", "url": "", "author_name": "",
            "rating": 1.0, "sentiment": None}
    report = {"total": 3, "sentiment": {"negative": 2, "neutral": 0, "positive": 1,
                                        "mean_score": -0.3},
              "ratings": {"count": 3, "mean": 2.3, "scale": 5.0}, "most_negative": [post]}
    text = "\n".join(voice_service.summary_lines(report, slack_blocks.esc, slack_blocks.link))
    assert "average rating 2.3 / 5 from 3 rated posts" in text
    assert "— *customer*, rated 1 / 5" in text
    unrated = {**report, "ratings": None, "most_negative": [{**post, "rating": None}]}
    text = "\n".join(voice_service.summary_lines(unrated, slack_blocks.esc, slack_blocks.link))
    assert "rated" not in text
