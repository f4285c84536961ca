"""Opaque cursors: stable, tamper-proof and bound to their query."""

from __future__ import annotations

import pytest

from web.cursor import CursorCodec, CursorError


def test_round_trip_and_stability() -> None:
    codec = CursorCodec("k")
    params = {"q": "kafka", "source": ["wiki"]}
    cursor = codec.encode(20, params)
    assert codec.encode(20, dict(reversed(params.items()))) == cursor
    assert codec.decode(cursor, params) == 20
    assert "20" not in cursor.split(".")[1]


def test_wrong_query_forgery_and_garbage_are_rejected() -> None:
    codec = CursorCodec("k")
    cursor = codec.encode(10, {"q": "kafka"})
    with pytest.raises(CursorError, match="different query"):
        codec.decode(cursor, {"q": "billing"})
    with pytest.raises(CursorError, match="invalid"):
        CursorCodec("other").decode(cursor, {"q": "kafka"})
    body, sig = cursor.split(".")
    forged = CursorCodec("k").encode(999, {"q": "kafka"}).split(".")[0]
    with pytest.raises(CursorError):
        codec.decode(f"{forged}.{sig}", {"q": "kafka"})
    for junk in ("", "abc", "a.b.c", "!!!.???", body):
        with pytest.raises(CursorError):
            codec.decode(junk, {"q": "kafka"})
