"""Slack replies stay within Block Kit's limits for any question; `/ask customers` alone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from flask import Flask
from flask.testing import FlaskClient
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

from search.engine import SearchEngine
from tests.web.conftest import close_app, make_app, slack_body, slack_sign
from web import slack_blocks
from web.intent import ALL_POSTS, Intent, parse_command, parse_intent

# Block Kit (docs.slack.dev, button element and section block): a button's value is at most
# 2000 characters, its url 3000, a section's text 3000; a message has at most 50 blocks
LIMITS = {"value": 2000, "url": 3000, "text": 3000}

QUESTIONS = [
    "é" * 400, "日本語" * 334, "who knows " + "é" * 400, "customers " + "ü" * 400,
    "people " + "ö" * 400, "find " + "漢字" * 400, "🙂 kafka " * 120, 'tax "quoted" \\ ' * 60,
    "a&b <c> " * 120,
    "Überprüfung der Abrechnungsgebühren für Kundenkonten " * 20, "a " * 499,
]


@pytest.fixture
def patient_app(mini_engine: SearchEngine) -> Iterator[Flask]:
    """An app that always answers inline, so the reply itself can be checked."""
    application = make_app(mini_engine)
    application.config["SLACK_INLINE_SECONDS"] = 60.0
    yield application
    close_app(application)


def _ask(client: FlaskClient, text: str, user: str = "U0ANN") -> dict[str, Any]:
    body = slack_body(text, user=user)
    response = client.post("/slack/commands", data=body, headers=slack_sign(body))
    assert response.status_code == 200, response.data[:300]
    reply: dict[str, Any] = response.get_json()
    return reply


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _problems(message: dict[str, Any]) -> list[str]:
    """Return every way ``message`` breaks Block Kit's limits (none for a valid one)."""
    found = [] if len(message["blocks"]) <= 50 else ["more than 50 blocks"]
    for block in Block.parse_all(message["blocks"]):
        try:
            block.to_dict()  # slack_sdk's own validators (lengths in characters)
        except SlackObjectFormationError as exc:
            found.append(str(exc))

    def walk(node: Any) -> None:  # the same limits, counted in UTF-16 units (the stricter)
        if isinstance(node, dict):
            for key, value in node.items():
                if key in LIMITS and isinstance(value, str) and _utf16(value) > LIMITS[key]:
                    found.append(f"{key} is {_utf16(value)} long")
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message["blocks"])
    return found


def _buttons(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    actions = next(b for b in message["blocks"] if b["type"] == "actions")
    return {e["action_id"]: e for e in actions["elements"]}


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_reply_is_valid_block_kit(patient_app: Flask, question: str) -> None:
    reply = _ask(patient_app.test_client(), question)
    assert _problems(reply) == []
    buttons = _buttons(reply)
    value = json.loads(buttons["share_to_channel"]["value"])
    asked = question[:1000]
    assert value["q"] and value["q"].strip() in asked  # (the start of) the question asked
    url = urlparse(buttons["open_in_socialsearch"]["url"])
    shown = parse_qs(url.query)["q"][0]
    assert shown and shown in asked


def test_the_share_value_keeps_accents_unescaped_and_cuts_by_encoded_length() -> None:
    value = slack_blocks.share_value("search", "é" * 400)
    assert "\\u" not in value and json.loads(value) == {"m": "search", "q": "é" * 400}
    control = slack_blocks.share_value("search", "\x01" * 500)  # 6 characters each in JSON
    assert len(control) <= 2000 and set(json.loads(control)["q"]) == {"\x01"}
    emoji = slack_blocks.share_value("voice", "🙂" * 500)
    assert _utf16(emoji) <= 2000


def test_the_web_link_is_cut_by_its_encoded_length() -> None:
    url = slack_blocks.search_url("https://search.example.com/", "search", "日本語" * 200)
    assert url is not None and len(url) <= 3000
    query = parse_qs(urlparse(url).query)["q"][0]
    assert ("日本語" * 200).startswith(query) and len(query) > 300
    short = slack_blocks.search_url("https://search.example.com", "voice", "billing & tax")
    assert short == "https://search.example.com/search?mode=voice&q=billing%20%26%20tax"


def test_long_section_text_is_clipped_by_utf16_length() -> None:
    text = slack_blocks.search_message("&🙂" * 1000, [], 0)["blocks"][0]["text"]["text"]
    assert _utf16(text) <= 3000 and text.endswith("…")
    assert text.startswith("*Search:* &amp;🙂&amp;🙂") and _utf16(text) > 2800
    assert not text[:-1].endswith(("&", "&a", "&am", "&amp"))  # no escape cut in half


@pytest.mark.parametrize("text", ["customers", "Customers?", "customers:", " customers "])
def test_customers_alone_asks_about_every_post(text: str) -> None:
    assert parse_command(text) == Intent("voice", ALL_POSTS, True)


@pytest.mark.parametrize(("text", "intent"), [
    ("customers billing", Intent("voice", "billing", True)),
    ("customer onboarding checklist", Intent("search", "customer onboarding checklist")),
    ("customer", Intent("search", "customer")),
    ("customers churn report for q3", Intent("voice", "churn report for q3", True)),
    ("kafka", Intent("search", "kafka")),
    ("who knows customers", Intent("experts", "customers", True)),
])
def test_other_commands_parse_as_before(text: str, intent: Intent) -> None:
    assert parse_command(text) == intent == parse_intent(text)


def test_the_search_box_keeps_customers_a_document_search(open_client: FlaskClient) -> None:
    assert parse_intent("customers") == Intent("search", "customers", False)
    html = open_client.get("/search?q=customers").get_data(as_text=True)
    assert 'class="tab active" aria-current="page">Documents' in html


def test_slack_customers_alone_gives_the_voice_report(patient_app: Flask) -> None:
    reply = _ask(patient_app.test_client(), "customers")
    text = json.dumps(reply["blocks"])
    assert "What customers say:* all posts" in text and "*Search:*" not in text
    assert json.loads(_buttons(reply)["share_to_channel"]["value"]) == {"m": "voice", "q": "*"}
    assert "/ask customers` alone: every post" in json.dumps(
        _ask(patient_app.test_client(), "help")["blocks"])
