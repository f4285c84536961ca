"""Guessing a CSV file's delimiter from its header line."""

from __future__ import annotations

import pytest

from search.csv_header import sniff_delimiter


@pytest.mark.parametrize(("header", "expected"), [
    ("post_id,label", ","), ("post_id;label", ";"), ("id\ttext\tauthor", "\t"),
    ("id|text|author", "|"), ("text", ","), ("", ","),
    ("Date;Text, with comma;Author", ";"),  # csv.Sniffer says comma here
])
def test_the_most_frequent_separator_wins(header: str, expected: str) -> None:
    assert sniff_delimiter(header) == expected
