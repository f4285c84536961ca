"""The Flask application factory; no module-level app exists."""

from __future__ import annotations

import io
import logging
import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, RequestEntityTooLarge

from search.config import Settings, load_settings
from search.engine import SearchEngine
from web.errors import ApiError, error_response
from web.state import EXTENSION, WebState, get_state

MAX_BODY_BYTES = 64 * 1024
log = logging.getLogger("socialsearch.web")

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


def create_app(config: Settings | Mapping[str, Any] | None = None,
               engine: SearchEngine | None = None) -> Flask:
    """Build the app from settings (or overrides of the layered settings)."""
    settings = config if isinstance(config, Settings) else load_settings(overrides=config or {})
    app = Flask(__name__)
    app.config["SECRET_KEY"] = settings.secret_key or secrets.token_hex(32)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"  # only the demo's "view as" uses the session
    app.config["SLACK_RESPONSE_URL_PREFIXES"] = ("https://hooks.slack.com/",)
    app.extensions[EXTENSION] = WebState(settings, engine, app.config["SECRET_KEY"])

    from web import api, demo, labels, slack, ui

    app.register_blueprint(ui.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(slack.bp)
    app.register_blueprint(labels.bp)
    app.register_blueprint(demo.bp)
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    app.before_request(_limit_body)
    app.before_request(_refuse_options)
    app.after_request(_security_headers)
    app.jinja_env.globals["settings"] = settings
    return app


def get_engine() -> SearchEngine:
    """Return the current app's engine, opening it on first use."""
    return get_state().engine


def _wants_json() -> bool:
    return request.path.startswith(("/api/", "/slack/"))


def _limit_body() -> None:
    """Refuse a body over the limit even on routes that never read it (a GET's body)."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise RequestEntityTooLarge()
    environ = request.environ
    if "chunked" in request.headers.get("Transfer-Encoding", "").lower() \
            and environ.get("wsgi.input_terminated"):
        # the server de-chunks; read one byte past the limit, then hand the body on unchanged
        body = environ["wsgi.input"].read(MAX_BODY_BYTES + 1)
        if len(body) > MAX_BODY_BYTES:
            raise RequestEntityTooLarge()
        environ["wsgi.input"] = io.BytesIO(body)


def _refuse_options() -> None:
    """Answer OPTIONS on the JSON routes with the documented 405 (they support no CORS)."""
    if request.method == "OPTIONS" and _wants_json() and request.url_rule is not None:
        allowed = (request.url_rule.methods or set()) - {"OPTIONS"}
        raise MethodNotAllowed(valid_methods=sorted(allowed))


def _api_error(exc: ApiError) -> Any:
    if _wants_json():
        return error_response(exc.status, exc.message, exc.code, exc.details)
    return _html_error(exc.status, exc.message)


def _http_error(exc: HTTPException) -> Any:
    status = exc.code or 500
    if _wants_json():
        message = {
            404: f"no API route {request.path}; see /api/v1/openapi.json",
            405: f"{request.method} is not allowed on {request.path}",
            413: f"the request body is larger than {MAX_BODY_BYTES} bytes",
        }.get(status, exc.description or exc.name)
        response = error_response(status, message)
        if status == 405 and exc.get_response().headers.get("Allow"):
            response.headers["Allow"] = exc.get_response().headers["Allow"]
        return response
    return _html_error(status, exc.description or exc.name)


def _unexpected_error(exc: Exception) -> Any:
    log.exception("unhandled error on %s %s", request.method, request.path)
    message = "something went wrong on our side; the error has been logged"
    if _wants_json():
        return error_response(500, message)
    return _html_error(500, message)


def _html_error(status: int, message: str) -> Any:
    return render_template("error.html", status=status, message=message), status


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response
