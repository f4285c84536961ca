"""The JSON API: every route, its errors, identity, access control, cursors and the audit log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import SSO_HEADER, auth
from web import services


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.data
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def test_health_and_openapi_need_no_identity(client: FlaskClient) -> None:
    health = client.get("/api/v1/health")
    assert health.status_code == 200
    assert health.get_json()["status"] == "ok"
    assert "documents" not in health.get_json()  # counts would reveal private documents
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")


def test_anonymous_is_refused_by_default(client: FlaskClient) -> None:
    response = client.get("/api/v1/search?q=kafka")
    err = _error(response, 401, "unauthorized")
    assert "Bearer" in err["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer sst_deadbeef_x", "Basic abc", "Bearer"])
def test_bad_credentials_are_401(client: FlaskClient, header: str) -> None:
    _error(client.get("/api/v1/search?q=kafka", headers={"Authorization": header}), 401,
           "unauthorized")


def test_revoked_token_stops_working(app: Flask, client: FlaskClient,
                                     token: Callable[..., str]) -> None:
    secret = token("u.ann")
    assert client.get("/api/v1/search?q=kafka", headers=auth(secret)).status_code == 200
    accounts = app.extensions["socialsearch"].accounts
    token_id = secret.split("_")[1]
    assert accounts.revoke(token_id)
    _error(client.get("/api/v1/search?q=kafka", headers=auth(secret)), 401, "unauthorized")


def test_tokens_are_stored_hashed(app: Flask, token: Callable[..., str]) -> None:
    from sqlalchemy import select

    from web.accounts import api_tokens, hash_token

    secret = token("u.ann")
    engine = app.extensions["socialsearch"].engine.store.engine
    with engine.connect() as conn:
        stored = [r.token_hash for r in conn.execute(select(api_tokens))]
    assert hash_token(secret) in stored
    assert secret not in stored and all(len(h) == 64 for h in stored)


def test_search_with_token(client: FlaskClient, token: Callable[..., str]) -> None:
    body = client.get("/api/v1/search?q=kafka consumer&explain=1",
                      headers=auth(token("u.ann"))).get_json()
    assert body["hits"][0]["id"] == "wiki:kafka"
    assert "<mark" in body["hits"][0]["snippet"]
    assert set(body["hits"][0]["explain"]) >= {"keyword_rank", "vector_rank", "fused_score"}
    assert body["facets"]["source"]
    assert body["query"] == "kafka consumer"


def test_search_filters_and_facets(client: FlaskClient, token: Callable[..., str]) -> None:
    headers = auth(token("u.ann"))
    body = client.get("/api/v1/search?q=invoice&source=customers", headers=headers).get_json()
    assert body["hits"] and all(h["source"] == "customers" for h in body["hits"])
    body = client.get("/api/v1/search?q=invoice&audience=internal&kind=wiki",
                      headers=headers).get_json()
    assert all(h["audience"] == "internal" and h["kind"] == "wiki" for h in body["hits"])
    body = client.get("/api/v1/search?q=invoice&since=2030-01-01", headers=headers).get_json()
    assert body["hits"] == []


def test_access_control_follows_the_directory_groups(client: FlaskClient,
                                                     token: Callable[..., str]) -> None:
    def ids(secret: str, q: str) -> set[str]:
        body = client.get(f"/api/v1/search?q={q}&limit=50", headers=auth(secret)).get_json()
        return {h["id"] for h in body["hits"]}

    assert "slack:exec-1" in ids(token("u.bob"), "halcyon acquisition")
    assert "slack:exec-1" not in ids(token("u.ann"), "halcyon acquisition")
    assert "hr:salary" in ids(token("u.hana"), "salary bands")
    assert "hr:salary" not in ids(token("u.ann"), "salary bands")


def test_sso_header_identifies_the_asker(client: FlaskClient) -> None:
    body = client.get("/api/v1/search?q=halcyon&limit=50", headers={SSO_HEADER: "u.bob"})
    assert "slack:exec-1" in {h["id"] for h in body.get_json()["hits"]}
    by_email = client.get("/api/v1/people/u.ann", headers={SSO_HEADER: "ann@example.com"})
    assert by_email.status_code == 200


def test_sso_header_is_ignored_when_not_configured(mini_engine: Any) -> None:
    from tests.web.conftest import close_app, make_app

    app = make_app(mini_engine, sso_header="")
    try:
        response = app.test_client().get("/api/v1/search?q=x", headers={SSO_HEADER: "u.bob"})
        _error(response, 401, "unauthorized")
    finally:
        close_app(app)


def test_anonymous_reads_public_only_in_demo_mode(open_client: FlaskClient) -> None:
    body = open_client.get("/api/v1/search?q=halcyon acquisition salary&limit=100").get_json()
    ids = {h["id"] for h in body["hits"]}
    assert "slack:exec-1" not in ids and "hr:salary" not in ids
    assert "zanzibarquux" not in str(body)


def test_cursor_pagination_is_stable_and_opaque(client: FlaskClient,
                                                token: Callable[..., str]) -> None:
    headers = auth(token("u.ann"))
    full = client.get("/api/v1/search?q=invoice kafka billing&limit=100", headers=headers)
    everything = [h["id"] for h in full.get_json()["hits"]]
    seen: list[str] = []
    url = "/api/v1/search?q=invoice kafka billing&limit=2"
    cursor = None
    for _ in range(20):
        body = client.get(url + (f"&cursor={cursor}" if cursor else ""), headers=headers).get_json()
        seen += [h["id"] for h in body["hits"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == everything
    first = client.get(url, headers=headers).get_json()["next_cursor"]
    assert first == client.get(url, headers=headers).get_json()["next_cursor"]


@pytest.mark.parametrize(("query", "fragment"), [
    ("", "required"),
    ("q=", "required"),
    ("q=%20%20", "required"),
    ("q=!!!", "empty"),
    ("q=x&limit=0", "limit"),
    ("q=x&limit=abc", "limit"),
    ("q=x&limit=101", "limit"),
    ("q=x&explain=maybe", "explain"),
    ("q=x&fusion=magic", "fusion"),
    ("q=x&audience=martians", "audience"),
    ("q=x&since=yesterday", "date"),
    ("q=x&since=inf", "out of range"),
    ("q=x&since=1e20", "out of range"),
    ("q=x&since=0001-01-01T00:00:00%2B00:01", "out of range"),
    ("q=x&until=9999-12-31T23:59:59-00:01", "out of range"),
    ("q=x&since=2026-05-01&until=2026-01-01", "after"),
    ("q=x&cursor=garbage", "cursor"),
    ("q=x&cursor=e30.%C3%A9", "cursor"),
    ("q=" + "a" * 501, "too long"),
])
def test_search_bad_requests(client: FlaskClient, token: Callable[..., str], query: str,
                             fragment: str) -> None:
    response = client.get(f"/api/v1/search?{query}", headers=auth(token("u.ann")))
    assert fragment in _error(response, 400, "bad_request")["message"]


def test_cursor_from_another_query_is_rejected(client: FlaskClient,
                                               token: Callable[..., str]) -> None:
    headers = auth(token("u.ann"))
    cursor = client.get("/api/v1/search?q=invoice&limit=1", headers=headers).get_json()[
        "next_cursor"]
    response = client.get(f"/api/v1/search?q=kafka&limit=1&cursor={cursor}", headers=headers)
    assert "different query" in _error(response, 400, "bad_request")["message"]


def test_did_you_mean(client: FlaskClient, token: Callable[..., str]) -> None:
    headers = auth(token("u.ann"))
    body = client.get("/api/v1/search?q=kafak consumr", headers=headers).get_json()
    assert body["suggestion"] == "kafka consumer"
    assert client.get("/api/v1/search?q=kafka", headers=headers).get_json()["suggestion"] is None


def test_did_you_mean_never_reveals_private_words(client: FlaskClient,
                                                  token: Callable[..., str]) -> None:
    body = client.get("/api/v1/search?q=zanzibarqux&limit=100",
                      headers=auth(token("u.ann"))).get_json()
    assert body["suggestion"] != "zanzibarquux"
    assert "zanzibarquux" not in str(body)


def test_experts(client: FlaskClient, token: Callable[..., str]) -> None:
    body = client.get("/api/v1/experts?q=kafka", headers=auth(token("u.bob"))).get_json()
    assert body["topic"] == "kafka"
    first = body["experts"][0]
    assert first["person"]["id"] == "u.ann"
    assert first["evidence"][0]["doc_id"] in {"wiki:kafka", "wiki:onboarding"}
    _error(client.get("/api/v1/experts", headers=auth(token("u.bob"))), 400, "bad_request")
    _error(client.get("/api/v1/experts?q=kafka&limit=99", headers=auth(token("u.bob"))), 400,
           "bad_request")
    assert body["directory_match"] is None


def test_experts_on_a_person_say_they_are_in_the_directory(client: FlaskClient,
                                                           token: Callable[..., str]) -> None:
    body = client.get("/api/v1/experts?q=ANN lee", headers=auth(token("u.bob"))).get_json()
    match = body["directory_match"]
    assert match["message"] == "Ann Lee is a person in the directory — see their profile."
    assert [(p["id"], p["profile_url"]) for p in match["people"]] == [("u.ann", "/people/u.ann")]
    assert "experts" in body  # the experts on the words are still there
    body = client.get("/api/v1/experts?q=hana", headers=auth(token("u.bob"))).get_json()
    assert [p["id"] for p in body["directory_match"]["people"]] == ["u.hana"]


def test_people_and_profiles(client: FlaskClient, token: Callable[..., str]) -> None:
    headers = auth(token("u.ann"))
    body = client.get("/api/v1/people?q=ann", headers=headers).get_json()
    assert body["people"][0]["person"]["id"] == "u.ann"
    profile = client.get("/api/v1/people/u.ann", headers=headers).get_json()
    assert profile["person"]["name"] == "Ann Lee"
    assert {c["doc_id"] for c in profile["contributions"]} >= {"wiki:kafka"}
    hana = client.get("/api/v1/people/u.hana", headers=headers).get_json()
    assert hana["colleagues"][0]["relation"] == "manager"
    _error(client.get("/api/v1/people?q=", headers=headers), 400, "bad_request")
    _error(client.get("/api/v1/people?q=%21%21", headers=headers), 400, "bad_request")


def test_unknown_person_is_404_with_suggestions(client: FlaskClient,
                                                token: Callable[..., str]) -> None:
    response = client.get("/api/v1/people/ann lee", headers=auth(token("u.ann")))
    err = _error(response, 404, "not_found")
    assert err["details"]["suggestions"][0]["id"] == "u.ann"


def test_profile_hides_restricted_contributions(client: FlaskClient,
                                                token: Callable[..., str]) -> None:
    as_ann = client.get("/api/v1/people/u.bob", headers=auth(token("u.ann"))).get_json()
    as_bob = client.get("/api/v1/people/u.bob", headers=auth(token("u.bob"))).get_json()
    assert "slack:exec-1" not in {c["doc_id"] for c in as_ann["contributions"]}
    assert "slack:exec-1" in {c["doc_id"] for c in as_bob["contributions"]}


def test_unknown_route_and_method(client: FlaskClient) -> None:
    _error(client.get("/api/v1/nope"), 404, "not_found")
    response = client.post("/api/v1/search?q=x")
    _error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]
    _error(client.delete("/api/v1/health"), 405, "method_not_allowed")


def test_unexpected_errors_use_the_error_shape(app: Flask, client: FlaskClient,
                                               token: Callable[..., str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(services, "search_documents", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/api/v1/search?q=kafka", headers=auth(token("u.ann")))
    err = _error(response, 500, "internal_error")
    assert "secret internals" not in err["message"]


def test_oversized_body_is_413(client: FlaskClient) -> None:
    response = client.post("/slack/commands", data="x" * (70 * 1024),
                           content_type="application/x-www-form-urlencoded")
    _error(response, 413, "payload_too_large")


def test_audit_log_records_queries_and_is_admin_only(client: FlaskClient,
                                                     token: Callable[..., str]) -> None:
    ann = auth(token("u.ann"))
    client.get("/api/v1/search?q=audited query words", headers=ann)
    client.get("/api/v1/experts?q=kafka", headers=ann)
    _error(client.get("/api/v1/audit", headers=ann), 403, "forbidden")
    admin = auth(token("u.bob", admin=True))
    body = client.get("/api/v1/audit?user=u.ann&limit=5", headers=admin).get_json()
    entries = body["entries"]
    assert entries[0]["action"] == "experts" and entries[0]["query"] == "kafka"
    assert entries[1]["query"] == "audited query words"
    assert entries[1]["user_id"] == "u.ann" and entries[1]["surface"] == "api"
    assert entries[1]["results"] >= 1
    if body["next_cursor"]:
        nxt = client.get(f"/api/v1/audit?user=u.ann&limit=5&cursor={body['next_cursor']}",
                         headers=admin).get_json()
        assert all(e["id"] < entries[-1]["id"] for e in nxt["entries"])
    _error(client.get("/api/v1/audit?cursor=bad", headers=admin), 400, "bad_request")
    _error(client.get("/api/v1/audit?since=never", headers=admin), 400, "bad_request")
