"""The customer posts behind a voice report as CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from search.customer_posts import CustomerPost
from search.sentiment import Sentiment
from search.voice_export import COLUMNS, csv_chunks, export_name, newest_first, safe_cell


def _post(num: int, text: str, day: int | None, author: str = "ann") -> CustomerPost:
    at = datetime(2024, 3, day, 9, tzinfo=UTC) if day else None
    return CustomerPost(num, f"tw:{num}", "", text, f"https://x.example/{num}", at, author,
                        author.title(), 10, 2, 1, "air", None, "twitter", None,
                        Sentiment("negative", -0.5, 0.9))


def test_formulas_are_defused_and_numbers_kept() -> None:
    assert safe_cell("=HYPERLINK(\"http://evil\")") == "'=HYPERLINK(\"http://evil\")"
    for hostile in ("+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1"):
        assert safe_cell(hostile).startswith("'"), hostile
    assert safe_cell("-0.5000") == "-0.5000" and safe_cell(12) == "12"
    assert safe_cell(None) == "" and safe_cell("plain words") == "plain words"


def test_csv_round_trips_text_with_quotes_commas_and_newlines() -> None:
    posts = [_post(1, 'He said "refund me", twice,\nthen left', 3),
             _post(2, "=cmd|' /C calc'!A0", 5), _post(3, "no date", None)]
    text = "".join(csv_chunks(newest_first(posts)))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(COLUMNS)
    assert [r[0] for r in rows[1:]] == ["tw:2", "tw:1", "tw:3"]  # newest first, undated last
    record = dict(zip(COLUMNS, rows[2], strict=True))
    assert record["text"] == 'He said "refund me", twice, then left'
    assert record["sentiment"] == "negative" and record["sentiment_score"] == "-0.5000"
    assert record["created_at"] == "2024-03-03T09:00:00+00:00"
    assert dict(zip(COLUMNS, rows[1], strict=True))["text"].startswith("'=cmd")


def test_large_exports_stream_in_chunks_and_empty_ones_keep_the_header() -> None:
    posts = [_post(i, f"post {i}", 1 + i % 28) for i in range(1200)]
    chunks = list(csv_chunks(posts))
    assert len(chunks) == 3 and sum(c.count("\r\n") for c in chunks) == 1201
    assert list(csv_chunks([])) == [",".join(COLUMNS) + "\r\n"]


def test_export_names() -> None:
    assert export_name("Billing / Invoices!", "2026-12-03") == \
        "customer-posts-billing-invoices-2026-12-03.csv"
    assert export_name("*", "2026-12-03") == "customer-posts-all-2026-12-03.csv"
    assert export_name("../../etc", "d") == "customer-posts-etc-d.csv"
