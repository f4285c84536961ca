"""Records from CSV/TSV, JSON Lines and JSON-array files, each with its location.

Shared by the customer-posts and directory indexers: decoding falls back from UTF-8 to
Windows-1252/Latin-1, BOMs and CRLF are handled, the CSV delimiter is sniffed from the header,
rows with too few or too many fields and lines that are not JSON objects come back as problems
(with ``file:line``) instead of stopping the read, and column names are matched loosely.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexers.base import IndexerConfigError
from indexers.export import decode_bytes, file_looks_binary, normalise_newlines
from search.csv_header import sniff_delimiter as sniff_header

TABLE_SUFFIXES = (".csv", ".tsv", ".tab", ".jsonl", ".ndjson", ".json")


@dataclass(frozen=True)
class Record:
    """One row or object and where it came from (``file:line``)."""

    location: str
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Problem:
    """A row that could not be read, and why."""

    location: str
    reason: str


def check_delimiter(indexer: str, delimiter: Any) -> None:
    """Raise ``IndexerConfigError`` when the ``delimiter`` option is not usable."""
    try:
        named_delimiter(delimiter)
    except ValueError as exc:
        raise IndexerConfigError(f"{indexer}: option {exc}") from None


def check_text_file(indexer: str, file: Path) -> None:
    """Raise ``IndexerConfigError`` when a table file holds binary data, not CSV/JSON text."""
    try:
        binary = file_looks_binary(file)
    except OSError:
        return  # an unreadable file is reported by the crawl
    if binary:
        kind = "JSON" if file.suffix.lower() in (".json", ".jsonl", ".ndjson") else "CSV"
        raise IndexerConfigError(
            f"{indexer}: {file.name} is not a text {kind} file: it holds binary data (a "
            f"spreadsheet or compressed file?); export it as {kind} (UTF-8) and index that")


def table_files(path: Path, suffixes: Sequence[str] = TABLE_SUFFIXES) -> list[Path]:
    """Return the readable table files at ``path`` (the file itself, or a folder's files)."""
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in suffixes)
    return [path] if path.is_file() else []


def norm_key(name: str) -> str:
    """Return a column name folded for matching: lower case, separators as ``_``."""
    return re.sub(r"[^a-z0-9.]+", "_", str(name).strip().lower()).strip("_")


def lookup(data: Mapping[str, Any], key: str) -> Any:
    """Return ``data[key]``, following dotted paths (``user.screen_name``) into objects."""
    if key in data:
        return data[key]
    value: Any = data
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def pick_column(headers: Iterable[str], candidates: Sequence[str]) -> str | None:
    """Return the first header matching one of the candidate names (folded), else ``None``."""
    folded = {norm_key(h): h for h in headers}
    for candidate in candidates:
        if norm_key(candidate) in folded:
            return folded[norm_key(candidate)]
    return None


def flat_keys(data: Mapping[str, Any]) -> list[str]:
    """Return an object's keys plus one level of dotted keys for nested objects."""
    keys: list[str] = []
    for key, value in data.items():
        keys.append(str(key))
        if isinstance(value, Mapping):
            keys += [f"{key}.{sub}" for sub in value]
    return keys


def read_records(file: Path, delimiter: str | None = None) -> Iterator[Record | Problem]:
    """Yield the records of one CSV/TSV, JSONL or JSON-array file, problems included."""
    try:
        text = normalise_newlines(decode_bytes(file.read_bytes()))
    except OSError as exc:
        yield Problem(file.name, f"cannot read: {exc}")
        return
    suffix = file.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        yield from _jsonl(file.name, text)
    elif suffix == ".json":
        yield from _json_array(file.name, text)
    else:
        yield from _csv(file.name, text, delimiter, tab=suffix in (".tsv", ".tab"))


def _jsonl(name: str, text: str) -> Iterator[Record | Problem]:
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(f"{name}:{lineno}", f"invalid JSON: {exc.msg}")
            continue
        if isinstance(data, dict):
            yield Record(f"{name}:{lineno}", data)
        else:
            yield Problem(f"{name}:{lineno}", "a line must hold a JSON object")


def _json_array(name: str, text: str) -> Iterator[Record | Problem]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Problem(f"{name}:{exc.lineno}", f"invalid JSON: {exc.msg}")
        return
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        data = lists[0] if len(lists) == 1 else [data]
    if not isinstance(data, list):
        yield Problem(name, "expected a JSON array of objects")
        return
    for index, item in enumerate(data):
        if isinstance(item, dict):
            yield Record(f"{name}:record {index}", item)
        else:
            yield Problem(f"{name}:record {index}", "not a JSON object")


DELIMITERS: Mapping[str, str] = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";",
                                 "pipe": "|"}


def table_headers(file: Path, delimiter: str | None = None) -> list[str]:
    """Return a table file's column names: the first record's keys, or a CSV's header row."""
    for item in read_records(file, delimiter):
        if isinstance(item, Record):
            return flat_keys(item.data)
    if file.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        return []
    try:
        head = normalise_newlines(decode_bytes(file.read_bytes())).split("\n", 1)[0]
    except OSError:
        return []
    tab = file.suffix.lower() in (".tsv", ".tab")
    sep = named_delimiter(delimiter) or sniff_delimiter(head, tab)
    return [h.strip() for h in next(csv.reader([head], delimiter=sep), []) if h.strip()]


def sniff_delimiter(header: str, tab: bool = False) -> str:
    """Guess a CSV delimiter from the header line (a .tsv file is tab-separated)."""
    return "\t" if tab else sniff_header(header)


def named_delimiter(delimiter: Any) -> str | None:
    """Return the delimiter character of an option value (``tab``, ``;`` …); ``None`` to sniff."""
    if not delimiter:
        return None
    sep = DELIMITERS.get(str(delimiter).lower(), str(delimiter))
    if len(sep) != 1 or sep in "\"\r\n":
        raise ValueError(f"delimiter must be tab, comma, semicolon, pipe or one character, "
                         f"got {delimiter!r}")
    return sep


def _csv(name: str, text: str, delimiter: str | None, tab: bool) -> Iterator[Record | Problem]:
    header_line = text.split("\n", 1)[0]
    sep = named_delimiter(delimiter) or sniff_delimiter(header_line, tab)
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    try:
        headers = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error):
        return
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Problem(f"{name}:{start}", f"CSV error: {exc}")
            continue
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) != len(headers):
            yield Problem(f"{name}:{start}",
                          f"row has {len(row)} fields, the header has {len(headers)}")
            continue
        yield Record(f"{name}:{start}", dict(zip(headers, row, strict=True)))


def to_int(value: Any) -> int | None:
    """Parse counts such as ``12``, ``"1,234"``, ``"3.0"`` or ``"1.2K"`` (``None`` if not one)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    text = str(value).strip().replace(",", "").replace("_", "")
    if not text:
        return None
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1].lower(), 1)
    try:
        return int(float(text[:-1] if scale > 1 else text) * scale)
    except ValueError:
        return None


def to_float(value: Any) -> float | None:
    """Parse a number such as a star rating; ``None`` when absent or not a number."""
    if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
