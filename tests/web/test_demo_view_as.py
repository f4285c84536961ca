"""The demo's "view as": only in demo mode, only from the site's own pages, never for the API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from search.engine import SearchEngine
from tests.web.conftest import SSO_HEADER, close_app, make_app
from web.demo import SESSION_KEY

SAME_SITE = {"Origin": "http://localhost"}
SECRET = "Salary bands 2026"  # the title of the mini corpus's HR-only page


@pytest.fixture
def mini_demo(mini_engine: SearchEngine) -> Iterator[Flask]:
    """The mini corpus served in demo mode."""
    application = make_app(mini_engine, demo_mode=True)
    yield application
    close_app(application)


def _view_as(client: FlaskClient, user: str, **headers: str) -> int:
    response = client.post("/demo/view-as", data={"user": user, "next": "/search?q=salary"},
                           headers=headers or SAME_SITE)
    return response.status_code


def test_view_as_shows_what_that_employee_may_read(mini_demo: Flask) -> None:
    client = mini_demo.test_client()
    assert SECRET not in client.get("/search?q=zanzibarquux").get_data(as_text=True)
    assert _view_as(client, "u.hana") == 302
    page = client.get("/search?q=zanzibarquux").get_data(as_text=True)
    assert SECRET in page and "Hana Mori" in page
    assert '<option value="u.hana" selected>' in page
    assert _view_as(client, "") == 302  # back to a guest
    assert SECRET not in client.get("/search?q=zanzibarquux").get_data(as_text=True)


def test_view_as_refuses_other_sites_and_unknown_people(mini_demo: Flask) -> None:
    client = mini_demo.test_client()
    assert client.post("/demo/view-as", data={"user": "u.hana"}).status_code == 403
    assert _view_as(client, "u.hana", Origin="https://evil.example") == 403
    assert _view_as(client, "u.nobody") == 400
    with client.session_transaction() as session:
        assert SESSION_KEY not in session
    response = client.post("/demo/view-as", data={"user": "u.hana", "next": "//evil.example/"},
                           headers=SAME_SITE)
    assert response.headers["Location"] == "/search"  # never redirected off the site


def test_view_as_never_reaches_the_api(mini_demo: Flask) -> None:
    client = mini_demo.test_client()
    assert _view_as(client, "u.hana") == 302
    assert SECRET not in str(client.get("/api/v1/search?q=zanzibarquux").get_json())
    as_hana = client.get("/api/v1/search?q=zanzibarquux", headers={SSO_HEADER: "u.hana"})
    assert SECRET in str(as_hana.get_json())  # what the cookie would have shown


def test_outside_demo_mode_the_persona_does_not_exist(app: Flask, client: FlaskClient) -> None:
    assert _view_as(client, "u.hana") == 404
    with client.session_transaction() as session:  # a forged or left-over cookie
        session[SESSION_KEY] = "u.hana"
    page = client.get("/search?q=zanzibarquux").get_data(as_text=True)
    assert SECRET not in page and "View as" not in page


def test_customers_are_not_personas(demo_client: FlaskClient) -> None:
    assert _view_as(demo_client, "c.metricsmaven") == 400  # in the directory, not an employee
    page = demo_client.get("/").get_data(as_text=True)
    assert 'value="u.lkowalski"' in page and 'value="c.metricsmaven"' not in page
