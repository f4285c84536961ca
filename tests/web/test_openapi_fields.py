"""The voice and digest schemas describe every field their objects carry (none undocumented)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from web.openapi import openapi_document

STRICT = ("VoiceReport", "Digest")


def _closed(schema: Any, member: bool = False) -> Any:
    """Return a copy of ``schema`` in which an object with properties allows no other field.

    An ``allOf`` member stays open (its siblings add fields); the ``allOf`` itself is closed
    with ``unevaluatedProperties``, which sees what every member describes.
    """
    if isinstance(schema, list):
        return [_closed(item, member) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "allOf":
            out[key] = [_closed(item, True) for item in value]
        elif key == "properties":
            out[key] = {name: _closed(sub) for name, sub in value.items()}
        else:
            out[key] = _closed(value)
    if "allOf" in schema:
        out.setdefault("unevaluatedProperties", False)
    elif "properties" in schema and not member:
        out.setdefault("additionalProperties", False)
    return out


def _strict_validator(name: str) -> Draft202012Validator:
    doc = openapi_document()
    doc["components"]["schemas"] = {k: _closed(v) if k in STRICT else v
                                    for k, v in doc["components"]["schemas"].items()}
    resource = Resource.from_contents(doc, default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource("urn:openapi", resource)
    return Draft202012Validator({"$ref": f"urn:openapi#/components/schemas/{name}"},
                                registry=registry)


def _undocumented(name: str, data: dict[str, Any]) -> list[str]:
    errors = _strict_validator(name).iter_errors(data)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


@pytest.fixture
def report(demo_client: FlaskClient) -> dict[str, Any]:
    data: dict[str, Any] = demo_client.get("/api/v1/voice?q=billing&bucket=day"
                                           "&since=2026-10-01").get_json()
    return data


def test_voice_report_has_no_undocumented_field(report: dict[str, Any]) -> None:
    # the objects this checks are all present, so a field they add cannot slip through
    assert report["spikes"] and report["themes"] and report["most_negative"]
    assert report["internal_documents"] and report["influencers"]
    assert any(t.get("internal_documents") for t in report["themes"])
    assert {"channel", "product", "area"} <= set(report["most_negative"][0])
    assert {"index", "spread"} <= set(report["spikes"][0])
    assert {"audience", "created_at", "matched"} <= set(report["internal_documents"][0])
    assert _undocumented("VoiceReport", report) == []


def test_digest_has_no_undocumented_field(demo_client: FlaskClient) -> None:
    digest = demo_client.get("/api/v1/digest?week=2026-W41").get_json()
    points = digest["touch_points"]
    assert any(p["examples"] for p in points) and any(p["internal_documents"] for p in points)
    assert _undocumented("Digest", digest) == []


@pytest.mark.parametrize("where", [
    ("most_negative", 0), ("spikes", 0), ("internal_documents", 0), ("themes", 0, "examples", 0),
])
def test_the_check_catches_an_undocumented_field(report: dict[str, Any],
                                                 where: tuple[Any, ...]) -> None:
    changed = json.loads(json.dumps(report))
    target = changed
    for step in where:
        target = target[step]
    target["surprise"] = 1
    assert any("surprise" in e for e in _undocumented("VoiceReport", changed))


def test_fields_always_sent_are_required() -> None:
    schemas = openapi_document()["components"]["schemas"]
    voice = schemas["VoiceReport"]["properties"]
    post = voice["most_negative"]["items"]
    assert {"channel", "product", "area"} <= set(post["required"])
    assert {"index", "spread"} <= set(voice["spikes"]["items"]["required"])
    assert {"audience", "created_at"} <= set(voice["internal_documents"]["items"]["required"])
