"""The intent parser: which of the three questions a query asks."""

from __future__ import annotations

import pytest

from web.intent import ALL_POSTS, Intent, parse_intent, resolve_intent


@pytest.mark.parametrize(("text", "mode", "topic"), [
    ("who knows kafka", "experts", "kafka"),
    ("Who knows about Kafka consumer lag?", "experts", "Kafka consumer lag"),
    ("who is the expert on SSO", "experts", "SSO"),
    ("who can help with terraform", "experts", "terraform"),
    ("who should I ask about the VPN?", "experts", "VPN"),
    ("experts on billing", "experts", "billing"),
    ("an expert in clickhouse", "experts", "clickhouse"),
    ("what are customers saying about billing?", "voice", "billing"),
    ("What do our customers think of the mobile SDK", "voice", "mobile SDK"),
    ("how do customers feel about pricing", "voice", "pricing"),
    ("customers billing", "voice", "billing"),
    ("customers: dashboards", "voice", "dashboards"),
    ("customer feedback on the mobile app", "voice", "mobile app"),
    ("sentiment about SSO", "voice", "SSO"),
    ("search: release notes", "search", "release notes"),
    ("find onboarding docs", "search", "onboarding docs"),
])
def test_recognised_questions(text: str, mode: str, topic: str) -> None:
    intent = parse_intent(text)
    assert (intent.mode, intent.topic, intent.recognised) == (mode, topic, True)


@pytest.mark.parametrize("text", [
    "onboarding checklist", "kafka", "customer onboarding checklist", "expert systems history",
    "customers", "who", "what customers say", "billing runbook who owns it",
    "who knows about", "who can help with", "experts on",
])
def test_plain_words_are_a_document_search(text: str) -> None:
    intent = parse_intent(text)
    assert intent.mode == "search"
    assert not intent.recognised
    assert intent.topic == text


@pytest.mark.parametrize("text", [
    "what are customers saying?", "What are our customers saying about", "customer feedback",
    "what do customers think about us", "how do users feel", "voice of the customer",
])
def test_the_customer_question_without_a_topic_asks_about_every_post(text: str) -> None:
    assert parse_intent(text) == Intent("voice", ALL_POSTS, True)


def test_whitespace_and_punctuation_are_tidied() -> None:
    assert parse_intent("  who   knows\tabout  kafka ??  ").topic == "kafka"
    assert parse_intent("").topic == ""


def test_explicit_mode_wins_and_keeps_the_topic() -> None:
    assert resolve_intent("who knows kafka", "search").mode == "search"
    assert resolve_intent("who knows kafka", "search").topic == "kafka"
    assert resolve_intent("billing", "voice").mode == "voice"
    assert resolve_intent("who knows kafka", "experts").recognised
    assert resolve_intent("billing", "bogus").mode == "search"
    assert resolve_intent("who knows kafka", None).mode == "experts"
