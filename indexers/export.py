"""Shared plumbing for the built-in export indexers: decoding, HTML to text, ids and names."""

from __future__ import annotations

import codecs
import html
import json
import re
import unicodedata
import warnings
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from indexers.base import FileIndexer, IndexerConfigError
from search.models import parse_time, utc

_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


class ExportIndexer(FileIndexer):
    """A file-export indexer: every crawl re-reads the whole export, so it lists every record."""

    complete = True
    # The crawl ignores the checkpoint's cursor and lists every current record each time, so
    # the runner may delete stored documents that are gone even on a later (non-``full``) run.
    always_full = True
    # Whether the runner should map this source's people onto already known people.
    resolve_people = False

    def option_list(self, name: str) -> list[str]:
        """Return a list option given as a list or as comma-separated text (from the CLI)."""
        return option_list(self.options.get(name))

    def option_flag(self, name: str) -> bool:
        """Return a yes/no option given as a bool or as text such as ``true``/``0``."""
        return option_flag(self.options.get(name))

    def person_id(self, native: str) -> str:
        """Return the person id of a native user id of this source (``<source>.<native>``)."""
        return f"{self.source}.{native}"

    def doc_id(self, native: str) -> str:
        """Return the document id of a native record id (``<source>:<native>``)."""
        return f"{self.source}:{native}"


def option_list(value: Any) -> list[str]:
    """Turn ``["a", "b"]`` or ``"a, b"`` into ``["a", "b"]`` (``None`` gives ``[]``)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, Iterable):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


def option_flag(value: Any) -> bool:
    """Turn ``True``, ``"true"``, ``"yes"``, ``"1"`` or ``"on"`` into ``True``."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on", "y")
    return bool(value)


def decode_bytes(data: bytes) -> str:
    """Decode export bytes: UTF-16 by BOM, else UTF-8 (BOM stripped), Windows-1252, Latin-1."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # a truncated file loses its half character; other damage becomes U+FFFD
        return data[:len(data) - len(data) % 2].decode("utf-16", errors="replace")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


SNIFF_BYTES = 8192  # how much of a file ``looks_binary`` reads
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13} | {127}  # not in text, save tab/LF/FF/CR


def looks_binary(data: bytes) -> bool:
    """Return whether bytes are no text (random, compressed, a spreadsheet): >5% control codes."""
    sample = data[:SNIFF_BYTES]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        sample = decode_bytes(sample).encode("utf-8", errors="replace")
    if not sample:
        return False
    return sum(byte in _CONTROL for byte in sample) > 0.05 * len(sample)


def text_head(indexer: str, file: Path, kind: str) -> str | None:
    """Return the decoded start of ``file``, refusing binary data as not a ``kind`` file
    (``IndexerConfigError``); ``None`` when it cannot be read (the crawl reports that)."""
    try:
        with open(file, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError:
        return None
    if looks_binary(head):
        raise IndexerConfigError(f"{indexer}: {file.name} is not {kind}: it holds binary "
                                 "data, not text")
    return decode_bytes(head)


def file_looks_binary(path: Path) -> bool:
    """Return whether the start of a file is binary data rather than text."""
    with open(path, "rb") as fh:
        return looks_binary(fh.read(SNIFF_BYTES))


def json_problem(exc: json.JSONDecodeError) -> str:
    """Word a JSON syntax error: "invalid JSON at column 7: unterminated string"."""
    msg = exc.msg.removesuffix(" starting at")
    return f"invalid JSON at column {exc.colno}: {msg[:1].lower()}{msg[1:]}"


def record_problem(exc: Exception, what: str = "record") -> str:
    """Word why a record could not be read, without Python's exception names."""
    if isinstance(exc, json.JSONDecodeError):
        return json_problem(exc)
    if isinstance(exc, KeyError):
        return f"not a {what}: no {exc.args[0]!r} field"
    if isinstance(exc, OSError):
        return f"cannot read: {exc.strerror or exc}"
    if isinstance(exc, TypeError | AttributeError):
        return f"not a {what}: a field holds the wrong kind of value"
    return str(exc)


def read_text(path: Path) -> str:
    """Read a text file with :func:`decode_bytes`; CRLF and CR become LF."""
    return normalise_newlines(decode_bytes(path.read_bytes()))


def normalise_newlines(text: str) -> str:
    """Turn CRLF and lone CR line ends into LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def tidy(text: str) -> str:
    """Collapse runs of spaces and blank lines and strip each line."""
    lines = [_SPACES.sub(" ", line).strip() for line in normalise_newlines(text).split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


_DROP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "svg"})
_BLOCK_TAGS = frozenset({
    "p", "div", "li", "pre", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table",
    "ul", "ol", "section", "article", "dd", "dt", "header", "footer", "figure", "hr"})


def html_to_text(markup: str) -> str:
    """Return the readable text of an HTML fragment (scripts, styles and markup removed)."""
    if "<" not in markup:
        return tidy(html.unescape(markup))
    return tidy("".join(html_text_parts(parse_html(markup))))


def parse_html(markup: str) -> Any:
    """Parse HTML with BeautifulSoup (stdlib parser), without its file-name warning."""
    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(markup, "html.parser")


def html_text_parts(node: Any) -> list[str]:
    """Return the text pieces under a BeautifulSoup node, with line breaks around blocks."""
    from bs4 import NavigableString, Tag
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    skipped = (Comment, Declaration, Doctype, ProcessingInstruction)
    out: list[str] = []
    stack: list[Any] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if isinstance(item, NavigableString):
                if not isinstance(item, skipped):
                    out.append(str(item))
            else:
                out.append(item)  # a separator pushed below
            continue
        if not isinstance(item, Tag) or item.name in _DROP_TAGS:
            continue
        if item.name == "br":
            out.append("\n")
            continue
        tail = "\n" if item.name in _BLOCK_TAGS else " " if item.name in ("td", "th") else ""
        if tail:
            stack.append(tail)
        stack.extend(reversed(list(item.children)))
        if tail == "\n":
            stack.append("\n")
    return out


def normalise_name(name: str) -> str:
    """Return a comparable form of a person's name: accents folded, lower case, single spaces."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s'-]", " ", folded.casefold()).split())


def slugify(text: str) -> str:
    """Return a stable id fragment for free text (letters, digits, dots, dashes)."""
    return re.sub(r"[^a-z0-9._-]+", "-", normalise_name(text).replace(" ", "-")).strip("-")


def first_line(text: str, limit: int = 80) -> str:
    """Return the first non-empty line of ``text``, shortened to ``limit`` characters."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return ""


_ODD_FORMATS = (
    "%a %b %d %H:%M:%S %z %Y",  # Twitter archives
    "%Y-%m-%d %H:%M:%S %z",  # Twitter airline CSV
    "%d-%b-%y",  # 31-Jul-18
    "%d-%b-%Y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%Y%m%d%H%M%SZ",  # LDAP generalized time
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
)


def parse_when(value: Any) -> datetime | None:
    """Parse ISO-8601, epoch seconds or a few common export formats; raise ``ValueError``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 1e11:
        value = value / 1000.0  # epoch milliseconds
    elif isinstance(value, str) and re.fullmatch(r"\d{12,14}(\.\d+)?", value.strip()):
        value = float(value) / 1000.0
    try:
        return parse_time(value)
    except ValueError:
        pass
    text = " ".join(str(value).split())
    for fmt in _ODD_FORMATS:
        try:
            return utc(datetime.strptime(text, fmt))
        except ValueError:
            continue
    raise ValueError(f"unrecognised timestamp: {value!r}")


def unique(items: Iterable[str]) -> list[str]:
    """Return the distinct non-empty items in their first order."""
    return list(dict.fromkeys(i for i in items if i))
