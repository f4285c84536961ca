"""Schema-driven API testing: schemathesis drives ``/api/v1`` in-process from its OpenAPI document.

Every operation gets generated parameters (valid and invalid); the answers must never be a
server error and must conform to the documented status codes, content types and schemas.
Schema-valid requests may still be refused with a documented 400 when they break a rule a
JSON schema cannot state (``since`` after ``until``, a forged cursor, a week that does not
exist, a topic of punctuation only), so schemathesis' "positive data accepted" check is off.
(schemathesis' pytest fixture loader does not work with pytest 9, so the operations are
listed from ``web.openapi`` and each one's hypothesis strategy is driven directly.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.web.conftest import build_engine, close_app, make_app
from web.openapi import openapi_document
from web.state import EXTENSION, WebState

OPERATIONS = sorted((method.upper(), path) for path, item in openapi_document()["paths"].items()
                    for method in item)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    """The app over the web tests' mini corpus, its loaded schema and an engineer's token."""
    engine = build_engine(tmp_path_factory.mktemp("schema-api"))
    application: Flask = make_app(engine)
    state: WebState = application.extensions[EXTENSION]
    secret, _info = state.accounts.create_token("u.ann", "schemathesis", False)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application), secret
    close_app(application)
    engine.close()


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_conforms_to_the_schema(api: tuple[Any, str], method: str, path: str) -> None:
    schema, token = api
    operation = schema.find_operation_by_label(f"{method} {path}")
    assert operation is not None, f"{method} {path} missing from the served schema"

    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                               excluded_checks=[positive_data_acceptance])

    check()


def test_weeks_before_year_1000_keep_four_digits(api: tuple[Any, str]) -> None:
    """Regression (found by schemathesis): week 0952-W39 came back as "952-W39"."""
    schema, token = api
    client = schema.app.test_client()
    body = client.get("/api/v1/digest?week=0952-W39",
                      headers={"Authorization": f"Bearer {token}"}).get_json()
    assert body["week"] == "0952-W39" and body["next_week"] == "0952-W40"
    voice = client.get("/api/v1/voice?q=billing&since=0952-09-25T00:00:00Z"
                       "&until=0952-10-20T00:00:00Z&bucket=week",
                       headers={"Authorization": f"Bearer {token}"})
    assert voice.status_code == 200
    labels = [point["label"] for point in voice.get_json()["timeline"]]
    assert labels and all(label.startswith("0952-W") for label in labels), labels
