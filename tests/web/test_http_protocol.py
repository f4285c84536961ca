"""docs/api.md's error table: OPTIONS is a JSON 405, any body over 64 KiB a 413; cursor wording."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from tests.web.conftest import auth, slack_body, slack_sign
from web.cursor import CursorCodec, CursorError

BIG = b"x" * (70 * 1024)


@pytest.mark.parametrize("path", ["/api/v1/search", "/api/v1/health", "/api/v1/people/u.ann",
                                  "/slack/commands"])
def test_options_is_the_json_405(client: FlaskClient, path: str) -> None:
    response = client.options(path)
    assert response.status_code == 405 and response.mimetype == "application/json"
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    allowed = {m.strip() for m in response.headers["Allow"].split(",")}
    assert "OPTIONS" not in allowed and allowed & {"GET", "POST"}


def test_options_on_an_unknown_api_route_is_still_404(client: FlaskClient) -> None:
    assert client.options("/api/v1/nowhere").status_code == 404


def test_the_web_pages_keep_their_options(open_client: FlaskClient) -> None:
    assert open_client.options("/").status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/search?q=kafka", "/api/v1/health", "/"])
def test_a_get_with_a_big_body_is_413(client: FlaskClient, token: Callable[..., str],
                                      path: str) -> None:
    response = client.get(path, data=BIG, headers=auth(token("u.ann")))
    assert response.status_code == 413
    if path.startswith("/api/"):
        assert response.get_json()["error"]["code"] == "payload_too_large"


def test_a_chunked_big_body_is_413(client: FlaskClient) -> None:
    response = client.get("/api/v1/health", input_stream=io.BytesIO(BIG),
                          headers={"Transfer-Encoding": "chunked"},
                          environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413


def test_a_small_body_is_ignored(client: FlaskClient, token: Callable[..., str]) -> None:
    response = client.get("/api/v1/search?q=kafka", data=b"x" * 1024,
                          headers=auth(token("u.ann")))
    assert response.status_code == 200
    chunked = client.get("/api/v1/health", input_stream=io.BytesIO(b"x" * 1024),
                         headers={"Transfer-Encoding": "chunked"},
                         environ_overrides={"wsgi.input_terminated": True})
    assert chunked.status_code == 200


def test_a_chunked_slack_body_still_reaches_the_signature_check(client: FlaskClient) -> None:
    body = slack_body("help")
    response = client.post("/slack/commands", input_stream=io.BytesIO(body.encode()),
                           headers={**slack_sign(body), "Transfer-Encoding": "chunked"},
                           environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 200 and "/ask who knows kafka" in response.text


def _errors(cursor: str, params: dict[str, str]) -> CursorError:
    with pytest.raises(CursorError) as info:
        CursorCodec("k").decode(cursor, params)
    return info.value


@pytest.mark.parametrize("cursor", ["abc", "é.é", "e30.%C3%A9", "CURSOR.x", "FOREIGN"])
def test_cursor_errors_read_right_on_the_page_and_in_the_api(cursor: str) -> None:
    codec = CursorCodec("k")
    cursor = {"CURSOR.x": codec.encode(10, {"q": "kafka"}).split(".")[0] + ".x",
              "FOREIGN": codec.encode(10, {"q": "billing"})}.get(cursor, cursor)
    error = _errors(cursor, {"q": "kafka"})
    page = str(error)
    assert "next_cursor" not in page and "cursor" not in page
    assert page.startswith("the link to this page of results") and "first page" in page
    assert "cursor" in error.api_message


def test_the_api_keeps_its_wording_code_and_status(client: FlaskClient,
                                                   token: Callable[..., str]) -> None:
    headers = auth(token("u.ann"))
    response = client.get("/api/v1/search?q=kafka&cursor=abc", headers=headers)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_request" and "next_cursor" in error["message"]
    admin = auth(token("u.bob", admin=True))
    audit = client.get("/api/v1/audit?cursor=abc", headers=admin)
    assert audit.status_code == 400 and "next_cursor" in audit.get_json()["error"]["message"]


def test_the_web_page_shows_the_page_wording(open_client: FlaskClient) -> None:
    response = open_client.get("/search?q=kafka&cursor=abc")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "the link to this page of results is broken" in html
    assert "next_cursor" not in html
