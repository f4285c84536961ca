"""One JSON error shape for every API error: ``{"error": {"code": ..., "message": ...}}``."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

STATUS_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


class ApiError(Exception):
    """An error to report to the client with an HTTP status, a code and a helpful message."""

    def __init__(self, status: int, message: str, code: str | None = None,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or STATUS_CODES.get(status, "error")
        self.message = message
        self.details = details or {}

    def to_dict(self) -> dict[str, Any]:
        """Return the documented error shape."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        return {"error": body}


def error_response(status: int, message: str, code: str | None = None,
                   details: dict[str, Any] | None = None) -> Response:
    """Build a JSON error response in the documented shape."""
    err = ApiError(status, message, code, details)
    response = jsonify(err.to_dict())
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="socialsearch"'
    return response
