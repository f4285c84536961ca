"""Property: any bytes in any export file give documents, people or failures, never a crash."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.models import Failure
from tests.robustness.harness import BY_NAME, TARGETS, Target, crawl_with, original

JSON_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
                | st.text(max_size=40))
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=5),
    max_leaves=20,
)
# keys the parsers look for, so generated objects reach past the first lookup
KEYS = ["id", "name", "text", "title", "ts", "user", "real_name", "profile", "members",
        "created", "created_at", "full_text", "tweet", "account", "username", "email",
        "revisions", "timestamp", "content", "slot_main", "query", "general", "is_private",
        "files", "replies", "thread_ts", "subtype", "date", "followers_count", "manager"]
RECORDS = st.dictionaries(st.sampled_from(KEYS), JSON_VALUES, max_size=8)


def mutate(data: bytes, draw: Any) -> bytes:
    """Return ``data`` with a few bytes flipped, cut, duplicated or spliced in."""
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            return draw(st.binary(max_size=64))
        at = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["flip", "cut", "truncate", "insert", "repeat"]))
        if op == "flip":
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
        elif op == "cut":
            data = data[:at] + data[at + draw(st.integers(1, 64)):]
        elif op == "truncate":
            data = data[:at]
        elif op == "insert":
            data = data[:at] + draw(st.sampled_from(
                [b"\x00", b"\xff\xfe", b'"', b"<", b"]]>", b"{", b"\n", b",", b"&#0;", b"\\u0000",
                 b"&bogus;", b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"\r", b"\xc3"])) + data[at:]
        else:
            data = data[:at] + data[at:at + 200] * 3 + data[at:]
    return data


@st.composite
def hostile_content(draw: Any, target: Target, file: str) -> bytes:
    """Arbitrary bytes, a mutated fixture, or well-formed JSON of the wrong shape."""
    kind = draw(st.sampled_from(["bytes", "mutated", "json", "records"]))
    if kind == "bytes":
        return bytes(draw(st.binary(max_size=2000)))
    if kind == "mutated":
        return mutate(original(target, file), draw)
    if kind == "json":
        return json.dumps(draw(JSON_VALUES)).encode()
    rows = draw(st.lists(RECORDS, max_size=5))
    if file.endswith((".jsonl", ".csv")) or target.indexer == "jsonl":
        return "\n".join(json.dumps(r) for r in rows).encode()
    if file.endswith(".js"):
        return b"window.YTD.tweets.part0 = " + json.dumps(rows).encode()
    return json.dumps(rows).encode()


CASES = [(t, f) for t in TARGETS for f in t.files]
# every case crawls a whole fixture per example: a few each by default, the profile's in CI
EXAMPLES = 6 if "HYPOTHESIS_PROFILE" not in os.environ else settings.default.max_examples


@pytest.mark.parametrize(("target", "file"), CASES,
                         ids=[f"{t.indexer}:{f or 'file'}" for t, f in CASES])
def test_hostile_file_never_escapes_the_crawl(target: Target, file: str) -> None:
    @settings(max_examples=EXAMPLES)
    @given(content=hostile_content(target, file))
    def check(content: bytes) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            crawl_with(target, file, content, Path(tmp))

    check()


@pytest.mark.parametrize("target", TARGETS, ids=[t.indexer for t in TARGETS])
def test_garbage_becomes_failures_not_silence(target: Target, tmp_path: Path) -> None:
    """Replacing the main file with garbage is reported (a failure or a refusal), not hidden."""
    file = target.files[0]
    items = crawl_with(target, file, b"\x00\xff garbage {[<", tmp_path)
    good = crawl_with(target, file, original(target, file), tmp_path)
    assert len(items) < len(good) or any(isinstance(i, Failure) for i in items)


@pytest.mark.parametrize("encoding", ["utf-84", "utf-32", "shift_jis"])
@pytest.mark.parametrize(("indexer", "file"), [("stackexchange", "Comments.xml"),
                                               ("stackexchange", "Posts.xml"),
                                               ("mediawiki", "")])
def test_unsupported_xml_encoding_is_a_failure(indexer: str, file: str, encoding: str,
                                               tmp_path: Path) -> None:
    """Regression (found by atheris): expat raised LookupError/ValueError out of the crawl."""
    target = BY_NAME[indexer]
    body = original(target, file).split(b"?>", 1)[-1]
    items = crawl_with(target, file, f'<?xml version="1.0" encoding="{encoding}"?>'.encode()
                       + body, tmp_path)
    reasons = [i.reason for i in items if isinstance(i, Failure)]
    assert any("encoding not supported" in r for r in reasons), reasons
