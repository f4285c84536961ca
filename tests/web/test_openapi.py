"""The OpenAPI document is true: routes match paths, and responses validate against schemas."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.web.conftest import auth
from web.openapi import openapi_document

PREFIX = "/api/v1"


def _document_paths() -> set[str]:
    return set(openapi_document()["paths"])


def _app_paths(app: Flask) -> set[str]:
    out = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PREFIX + "/"):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule[len(PREFIX):])
            out.add(path)
    return out


def test_every_api_route_is_documented_and_vice_versa(app: Flask) -> None:
    assert _app_paths(app) == _document_paths()


def test_documented_methods_match_the_app(app: Flask) -> None:
    doc = openapi_document()["paths"]
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PREFIX + "/"):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule[len(PREFIX):])
            methods = {m.lower() for m in (rule.methods or set())} - {"head", "options"}
            assert methods == set(doc[path]), path


def test_document_is_valid_openapi_shape() -> None:
    doc = openapi_document()
    assert doc["openapi"] == "3.1.0"
    for path, ops in doc["paths"].items():
        for op in ops.values():
            assert "200" in op["responses"], path
            names = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert names == set(re.findall(r"{([^}]+)}", path)), path
    for schema in doc["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def _validator(schema_ref: dict[str, Any]) -> Draft202012Validator:
    doc = openapi_document()
    resource = Resource.from_contents(doc, default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource("urn:openapi", resource)
    ref = {"$ref": "urn:openapi" + schema_ref["$ref"]}
    return Draft202012Validator(ref, registry=registry)


def _check(client: FlaskClient, url: str, status: int, headers: dict[str, str]) -> None:
    response = client.get(url, headers=headers)
    assert response.status_code == status, (url, response.data[:300])
    path = url[len(PREFIX):].split("?")[0]
    doc = openapi_document()["paths"]
    template = next(p for p in doc if re.fullmatch(re.sub(r"{[^}]+}", "[^/]+", p), path))
    spec = doc[template]["get"]["responses"][str(status)]
    schema = spec["content"]["application/json"]["schema"]
    if "$ref" in schema:
        errors = list(_validator(schema).iter_errors(response.get_json()))
        assert not errors, (url, [e.message for e in errors[:3]])


CASES = [
    ("/api/v1/health", 200),
    ("/api/v1/openapi.json", 200),
    ("/api/v1/search?q=kafka&explain=1", 200),
    ("/api/v1/search?q=invoice&limit=1", 200),
    ("/api/v1/search", 400),
    ("/api/v1/experts?q=kafka", 200),
    ("/api/v1/experts?q=ann+lee", 200),  # directory_match set
    ("/api/v1/experts", 400),
    ("/api/v1/people?q=ann", 200),
    ("/api/v1/people/u.ann", 200),
    ("/api/v1/people/nobody-at-all", 404),
    ("/api/v1/voice?q=invoice", 200),
    ("/api/v1/voice?q=invoice&bucket=year", 400),
    ("/api/v1/digest?week=last", 400),
    ("/api/v1/digest?week=2026-W10", 200),
    ("/api/v1/digest?week=2026-W99", 400),
    ("/api/v1/digest?week=0001-W02", 400),  # its previous weeks are before year 1
    ("/api/v1/digest?week=9999-W52", 400),
    ("/api/v1/audit", 200),
]


@pytest.mark.parametrize(("url", "status"), CASES)
def test_responses_validate_against_the_schemas(client: FlaskClient, token: Callable[..., str],
                                                url: str, status: int) -> None:
    _check(client, url, status, auth(token("u.bob", admin=True)))


def test_errors_validate(client: FlaskClient, token: Callable[..., str]) -> None:
    _check(client, "/api/v1/search?q=x", 401, {})
    _check(client, "/api/v1/audit", 403, auth(token("u.ann")))


def test_demo_voice_report_validates(demo_client: FlaskClient) -> None:
    _check(demo_client, "/api/v1/voice?q=billing&bucket=week", 200, {})
    _check(demo_client, "/api/v1/voice?q=billing&bucket=day&since=2026-10-01", 200, {})
    _check(demo_client, "/api/v1/digest?week=2026-W41", 200, {})
    _check(demo_client, "/api/v1/digest", 200, {})
