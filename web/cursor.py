"""Opaque, signed pagination cursors bound to the query they page through."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any


class CursorError(ValueError):
    """A cursor is malformed, forged, or belongs to another query.

    ``str()`` is the wording for the web page, where a cursor is part of a "next page" link;
    ``api_message`` says the same to an API client, in terms of ``cursor`` and ``next_cursor``.
    """

    def __init__(self, api_message: str, page_message: str) -> None:
        super().__init__(page_message)
        self.api_message = api_message


PAGE = "the link to this page of results"
AGAIN = "start again from the first page"


def _malformed() -> CursorError:
    return CursorError("the cursor is malformed: pass next_cursor from a response unchanged",
                       f"{PAGE} is broken (perhaps cut short when copied): {AGAIN}")


def _invalid() -> CursorError:
    return CursorError("the cursor is invalid or expired: start again without a cursor",
                       f"{PAGE} is invalid or has expired: {AGAIN}")


def _foreign() -> CursorError:
    return CursorError("the cursor belongs to a different query or filters: send it with the "
                       "same parameters as the request it came from",
                       f"{PAGE} belongs to a different query or filters: {AGAIN}")


def fingerprint(params: Mapping[str, Any]) -> str:
    """Return a short stable hash of the parameters that define a result list."""
    blob = json.dumps({k: params[k] for k in sorted(params)}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class CursorCodec:
    """Encode and decode cursors with an HMAC so clients cannot forge offsets or mix queries."""

    def __init__(self, secret: str | bytes) -> None:
        self._key = secret.encode() if isinstance(secret, str) else secret

    def _sign(self, payload: bytes) -> str:
        return _b64(hmac.new(self._key, payload, hashlib.sha256).digest()[:12])

    def encode(self, offset: int, params: Mapping[str, Any]) -> str:
        """Return the cursor for the page starting at ``offset`` of the list ``params`` defines."""
        payload = json.dumps({"o": int(offset), "f": fingerprint(params)},
                             separators=(",", ":")).encode()
        return f"{_b64(payload)}.{self._sign(payload)}"

    def decode(self, cursor: str, params: Mapping[str, Any]) -> int:
        """Return the offset a cursor points at, checking its signature and its query."""
        try:
            body, signature = cursor.split(".", 1)
            payload = _unb64(body)
        except (ValueError, TypeError) as exc:
            raise _malformed() from exc
        if not hmac.compare_digest(signature.encode(), self._sign(payload).encode()):
            raise _invalid()
        data = json.loads(payload)
        if data.get("f") != fingerprint(params):
            raise _foreign()
        offset = data.get("o")
        if not isinstance(offset, int) or offset < 0:
            raise _malformed()
        return offset
