"""A small LDIF (RFC 2849) reader: entries as attribute → values, with their line numbers.

Handles ``version:``, ``#`` comments, line folding (a line starting with one space continues
the previous one), base64 values (``attr:: …``), attribute options (``cn;lang-en``), change
records (``changetype: add`` entries are kept, other change types skipped) and CRLF line ends.
URL values (``attr:< file://…``) are not fetched; such an entry is reported as a problem.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from indexers.export import normalise_newlines

_ATTR = re.compile(r"^([A-Za-z0-9][A-Za-z0-9;.-]*)\s*(:[:<]?)\s?(.*)$")
_FIRST_LINE = re.compile(r"^(?:dn|version)\s*:", re.I)


@dataclass
class LdifEntry:
    """One LDIF record: its DN, attributes (lower-cased names) and first line number."""

    dn: str
    line: int
    attributes: dict[str, list[str]] = field(default_factory=dict)

    def first(self, name: str, default: str = "") -> str:
        """Return the first value of an attribute, or ``default``."""
        values = self.attributes.get(name.lower())
        return values[0] if values else default

    def all(self, name: str) -> list[str]:
        """Return every value of an attribute."""
        return list(self.attributes.get(name.lower(), []))


@dataclass(frozen=True)
class LdifProblem:
    """An entry that could not be read, with the line it starts on."""

    line: int
    reason: str


def normalise_dn(dn: str) -> str:
    """Return a DN in a comparable form: lower case, no spaces around ``,`` and ``=``."""
    parts = [p.strip() for p in re.split(r"(?<!\\),", dn.strip())]
    return ",".join(re.sub(r"\s*=\s*", "=", p, count=1).lower() for p in parts if p)


def rdn_value(dn: str) -> str:
    """Return the value of a DN's first RDN (``cn=Armine Conner,ou=…`` → ``Armine Conner``)."""
    first = re.split(r"(?<!\\),", dn.strip(), maxsplit=1)[0]
    return first.split("=", 1)[1].strip() if "=" in first else first.strip()


def starts_like_ldif(head: str) -> bool:
    """Return whether text (a file's start) opens as LDIF: ``dn:`` or ``version:`` first."""
    for line in normalise_newlines(head).split("\n"):
        if line.strip() and not line.startswith("#"):
            return bool(_FIRST_LINE.match(line))
    return True  # blank or comments only: no entries, nothing to refuse


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    current: str | None = None
    start = 0
    for number, line in enumerate(normalise_newlines(text).split("\n"), start=1):
        if line.startswith(" ") and current is not None:
            current += line[1:]
            continue
        if current is not None:
            yield start, current
        current, start = line, number
    if current is not None:
        yield start, current


def _decode(op: str, value: str) -> str:
    if op == "::":
        try:
            return base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"bad base64 value: {exc}") from exc
    if op == ":<":
        raise ValueError(f"URL values are not supported: {value.strip()}")
    return value.strip()


def parse_ldif(text: str) -> Iterator[LdifEntry | LdifProblem]:
    """Yield the entries of an LDIF document, and a problem for each unreadable one."""
    entry: LdifEntry | None = None
    error: LdifProblem | None = None
    skip = False

    def finish() -> Iterator[LdifEntry | LdifProblem]:
        if error is not None:
            yield error
        elif entry is not None and not skip:
            yield entry

    for number, line in _logical_lines(text):
        if not line.strip():
            yield from finish()
            entry, error, skip = None, None, False
            continue
        if line.startswith("#") or error is not None or skip:
            continue
        match = _ATTR.match(line)
        if match is None:
            if line.strip() == "-":
                continue
            error = LdifProblem(entry.line if entry else number,
                                f"line {number}: not 'attr: value'")
            continue
        name, op, raw = match.group(1).split(";", 1)[0].lower(), match.group(2), match.group(3)
        try:
            value = _decode(op, raw)
        except ValueError as exc:
            error = LdifProblem(entry.line if entry else number, f"line {number}: {exc}")
            continue
        if entry is None:
            if name == "version":
                continue
            if name != "dn":
                error = LdifProblem(number, f"line {number}: entry does not start with dn:")
                continue
            entry = LdifEntry(dn=value, line=number)
        elif name == "changetype":
            skip = value.lower() != "add"
        else:
            entry.attributes.setdefault(name, []).append(value)
    if entry is not None and error is None and not skip and not text.endswith(("\n", "\r")):
        # an entry without a line end is most likely cut off: storing it would replace the
        # complete record with part of it
        error = LdifProblem(entry.line, "the file ends inside this entry (cut off?): skipped")
    yield from finish()
