"""Fixtures for the web tests: engines over the mini and demo corpora, apps, clients, tokens."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient

from indexers.jsonl import JsonlIndexer
from indexers.runner import run_indexer
from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.models import Access, Contribution, Document, Person
from web import create_app
from web.state import EXTENSION, WebState

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini.jsonl"
DEMO = ROOT / "search" / "demo_corpus"
SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
SSO_HEADER = "X-Remote-User"

EXTRA_DOCS = [
    Document(
        id="wiki:onboarding", source="wiki", kind="wiki", title="Onboarding checklist",
        text="New engineers: request laptop access, join the kafka channel, read the billing FAQ.",
        contributions=(Contribution("u.ann", "author"),), tags=("onboarding",)),
    Document(
        id="wiki:xss", source="wiki", kind="wiki", title="<script>alert('t')</script> escaping",
        text="Escaping notes: <img src=x onerror=alert(1)> & friends must stay inert text.",
        url="javascript:alert(1)"),
    Document(
        id="hr:salary", source="hr", kind="wiki", title="Salary bands 2026",
        text="Confidential zanzibarquux salary bands for the platform team.",
        access=Access.restricted(groups=["hr"])),
]
EXTRA_PEOPLE = [
    Person("u.ann", "Ann Lee", emails=("ann@example.com",), handles={"slack": "U0ANN"},
           title="Staff Engineer", department="Platform", groups=("engineering",),
           skills=("kafka",)),
    Person("u.bob", "Bob Stone", handles={"slack": "U0BOB"}, title="CEO",
           department="Executive", groups=("exec",)),
    Person("u.hana", "Hana Mori", title="HR Partner", department="People", groups=("hr",),
           manager_id="u.bob"),
]


def build_engine(path: Path, *, demo: bool = False) -> SearchEngine:
    """Index the mini corpus (plus extra fixtures) or the demo corpus into a fresh engine."""
    engine = SearchEngine(Settings(data_dir=str(path), embedder="hashing"),
                          embedder=HashingEmbedder())
    if demo:
        run_indexer(engine, JsonlIndexer(DEMO, source="demo"))
    else:
        run_indexer(engine, JsonlIndexer(MINI))
        engine.upsert(EXTRA_DOCS)
        engine.upsert_people(EXTRA_PEOPLE)
    return engine


@pytest.fixture(scope="session")
def mini_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    """The mini corpus with people, a restricted HR page and an XSS probe (read-only)."""
    engine = build_engine(tmp_path_factory.mktemp("mini"))
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def demo_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    """The Lumenary demo corpus with the hashing embedder (skips when the corpus is absent)."""
    if not (DEMO / "people.jsonl").exists():
        pytest.skip("the demo corpus has not been generated")
    engine = build_engine(tmp_path_factory.mktemp("demo"), demo=True)
    yield engine
    engine.close()


def make_app(engine: SearchEngine, **overrides: Any) -> Flask:
    """Build an app on ``engine`` with test settings (Slack secret and SSO header set)."""
    values: dict[str, Any] = {"data_dir": engine.settings.data_dir, "embedder": "hashing",
                              "sso_header": SSO_HEADER, "slack_signing_secret": SLACK_SECRET,
                              "secret_key": "test-secret-key"}
    values.update(overrides)
    app = create_app(Settings(**values), engine=engine)
    app.config["TESTING"] = True
    app.config["SLACK_RESPONSE_URL_PREFIXES"] = ("https://hooks.slack.com/", "http://127.0.0.1:")
    return app


def close_app(app: Flask) -> None:
    """Stop an app's background workers."""
    state: WebState = app.extensions[EXTENSION]
    state.close()


@pytest.fixture
def app(mini_engine: SearchEngine) -> Iterator[Flask]:
    """An app on the mini corpus: anonymous access off, SSO header and Slack configured."""
    application = make_app(mini_engine)
    yield application
    close_app(application)


@pytest.fixture
def open_app(mini_engine: SearchEngine) -> Iterator[Flask]:
    """An app on the mini corpus in demo mode (anonymous readers allowed)."""
    application = make_app(mini_engine, demo_mode=True)
    yield application
    close_app(application)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of ``app``."""
    return app.test_client()


@pytest.fixture
def open_client(open_app: Flask) -> FlaskClient:
    """A test client of the demo-mode app."""
    return open_app.test_client()


@pytest.fixture
def token(app: Flask) -> Callable[..., str]:
    """Create API tokens: ``token("u.ann")`` or ``token("u.bob", admin=True)``."""
    def create(user: str, admin: bool = False) -> str:
        state: WebState = app.extensions[EXTENSION]
        secret, _info = state.accounts.create_token(user, "test", admin)
        return secret

    return create


def auth(secret: str) -> dict[str, str]:
    """Return the Authorization header for a token."""
    return {"Authorization": f"Bearer {secret}"}


def slack_sign(body: str, timestamp: int | None = None,
               secret: str = SLACK_SECRET) -> dict[str, str]:
    """Return Slack's signature headers for a body, as Slack computes them."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    base = f"v0:{stamp}:{body}".encode()
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}",
            "Content-Type": "application/x-www-form-urlencoded"}


def slack_body(text: str, user: str = "U0ANN", response_url: str = "",
               **extra: str) -> str:
    """Return a form-encoded slash-command body."""
    return urlencode({"token": "legacy", "team_id": "T0001", "channel_id": "C0001",
                      "user_id": user, "command": "/ask", "text": text,
                      "response_url": response_url or "https://hooks.slack.com/commands/T/1/x",
                      "trigger_id": "1.2.3", **extra})


@pytest.fixture
def demo_app(demo_engine: SearchEngine) -> Iterator[Flask]:
    """An app on the Lumenary demo corpus in demo mode."""
    application = make_app(demo_engine, demo_mode=True)
    yield application
    close_app(application)


@pytest.fixture
def demo_client(demo_app: Flask) -> FlaskClient:
    """A test client of the demo app."""
    return demo_app.test_client()
