"""A company's own sentiment labels: who said which customer post is negative, neutral or positive.

A label targets either a stored customer post (by document id) or, when a CSV row has only a
text that matches no stored post, the text itself (it still trains a model: it is embedded).
A later label by the same person on the same target replaces the earlier one. When different
people disagree, **the newest label wins** (ties: the later-recorded one).

A labeller who cannot tell may answer ``skip`` instead (the queue's "Can't tell"): the post leaves
the labelling queue, but a skip is not a label. It never trains a model, is not counted as a
label, and never overrides someone else's label on the same post.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, select

from search import schema as t
from search.chunking import join_text
from search.csv_header import DELIMITERS, sniff_delimiter
from search.sentiment import LABELS
from search.store import Store

ALIASES = {"neg": "negative", "negative": "negative", "-1": "negative",
           "neu": "neutral", "neutral": "neutral", "0": "neutral",
           "pos": "positive", "positive": "positive", "1": "positive", "+1": "positive"}
ID_COLUMNS = ("post_id", "id", "doc_id", "post")
SKIP = "skip"  # "I cannot tell": the post leaves the queue, nothing is learnt from it
SKIP_ALIASES = frozenset({"skip", "unsure", "can't tell", "cant tell"})
TEXT_COLUMNS = ("text", "post_text", "body")
LABEL_COLUMNS = ("label", "sentiment")


class LabelError(ValueError):
    """A label cannot be recorded (unknown label, unknown post, not a customer post)."""


@dataclass(frozen=True)
class Label:
    """One recorded label: its target (a post id or a text), the label, who gave it and when."""

    target: str
    doc_id: str | None
    text: str
    label: str
    who: str
    at: datetime
    origin: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"doc_id": self.doc_id, "text": self.text, "label": self.label, "who": self.who,
                "at": self.at.isoformat(), "origin": self.origin}


@dataclass
class ImportReport:
    """What an import did: rows imported, and each rejected row with its line and reason."""

    imported: int = 0
    by_text: int = 0
    text_only: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"imported": self.imported, "matched_by_text": self.by_text,
                "text_only": self.text_only,
                "problems": [{"line": line, "reason": why} for line, why in self.problems]}


def normalise_label(value: str, allow_skip: bool = False) -> str:
    """Return ``negative``/``neutral``/``positive`` for a label or alias (or ``skip``, when
    allowed, for "cannot tell"), else raise LabelError."""
    choices = ", ".join(LABELS) + (f" (or {SKIP} when you cannot tell)" if allow_skip else "")
    if not (value or "").strip():
        raise LabelError(f"no label given: use {choices}")
    key = value.strip().lower()
    if allow_skip and key in SKIP_ALIASES:
        return SKIP
    label = ALIASES.get(key)
    if label is None:
        raise LabelError(f"unknown label {value!r}: use {choices}")
    return label


def doc_target(doc_id: str) -> str:
    """Return the target key of a label on a stored post."""
    return hashlib.sha256(f"doc\n{doc_id}".encode()).hexdigest()


def text_target(text: str) -> str:
    """Return the target key of a text-only label."""
    return hashlib.sha256(f"text\n{text.strip()}".encode()).hexdigest()


def customer_post(store: Store, doc_id: str) -> tuple[int, str] | None:
    """Return ``(num, audience)`` of a stored document, or ``None``."""
    d = t.documents.c
    with store.engine.connect() as conn:
        row = conn.execute(select(d.num, d.audience).where(d.id == doc_id)).first()
    return (int(row.num), str(row.audience)) if row else None


def find_post_id(store: Store, value: str) -> str:
    """Return the stored id of a post given its id or its native id (``x`` of ``src:x``), else
    raise LabelError (no such post, or a native id several posts share)."""
    found = post_ids(store, value)
    if len(found) > 1:
        raise LabelError(f"{value.strip()!r} is the native id of several posts "
                         f"({', '.join(found)}): give the full id")
    if not found:
        raise LabelError(f"no stored post {value.strip()!r}")
    return found[0]


def post_ids(store: Store, value: str, limit: int = 3) -> list[str]:
    """Return the post stored as ``value``, else up to ``limit`` posts with it as native id."""
    value = value.strip()
    d = t.documents.c
    with store.engine.connect() as conn:
        if conn.execute(select(d.id).where(d.id == value)).first():
            return [value]
        escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = conn.execute(select(d.id).where(and_(d.audience == "customer",
                                                    d.id.like(f"%:{escaped}", escape="\\")))
                            .order_by(d.id).limit(limit)).scalars().all()
    return [str(r) for r in rows]


def post_by_text(store: Store, text: str) -> str | None:
    """Return the id of the customer post whose text (or title + text) is exactly ``text``."""
    text = text.strip()
    d = t.documents.c
    with store.engine.connect() as conn:
        rows = conn.execute(select(d.id, d.title, d.text).where(and_(
            d.audience == "customer", d.text.in_([text, text.split("\n", 1)[-1]]))).limit(50))
        for r in rows:
            if text in (r.text.strip(), join_text(r.title, r.text)):
                return str(r.id)
    return None


def record_label(store: Store, label: str, who: str, *, doc_id: str | None = None,
                 text: str = "", origin: str = "cli", at: datetime | None = None) -> Label:
    """Record a label on a customer post (``doc_id``) or a text, replacing ``who``'s earlier one
    (``skip``, "cannot tell", only on a post: it takes the post out of the labelling queue)."""
    if not who:
        raise LabelError("a label needs the person who gives it")
    value = normalise_label(label, allow_skip=doc_id is not None)
    if doc_id is not None:
        found = customer_post(store, doc_id)
        if found is None:
            raise LabelError(f"no stored post {doc_id!r}")
        if found[1] != "customer":
            raise LabelError(f"{doc_id!r} is not a customer post")
        target, text = doc_target(doc_id), ""
    elif text.strip():
        target, text = text_target(text), text.strip()
    else:
        raise LabelError("a label needs a post id or a text")
    row = Label(target, doc_id, text, value, who, at or datetime.now(UTC), origin)
    put_labels(store, [row])
    return row


def put_labels(store: Store, rows: Iterable[Label]) -> int:
    """Insert labels in one transaction, each replacing its author's earlier label on the target."""
    values = [{"target": r.target, "doc_id": r.doc_id, "text": r.text, "label": r.label,
               "who": r.who, "at": r.at, "origin": r.origin} for r in rows]
    if not values:
        return 0
    c = t.sentiment_labels.c
    with store.engine.begin() as conn:
        for v in values:
            conn.execute(delete(t.sentiment_labels).where(and_(c.target == v["target"],
                                                               c.who == v["who"])))
        conn.execute(insert(t.sentiment_labels), values)
    return len(values)


def import_labels(store: Store, data: str, who: str, *, origin: str = "import") -> ImportReport:
    """Import CSV text (a post id or text column, and a label column); bad rows are reported."""
    report = ImportReport()
    data = data.lstrip("\ufeff")
    delimiter = sniff_delimiter(data.partition("\n")[0])
    reader = csv.DictReader(io.StringIO(data), delimiter=delimiter, strict=True)
    columns = {(name or "").strip().lower(): name for name in _header(reader)}
    id_col = next((columns[n] for n in ID_COLUMNS if n in columns), None)
    text_col = next((columns[n] for n in TEXT_COLUMNS if n in columns), None)
    label_col = next((columns[n] for n in LABEL_COLUMNS if n in columns), None)
    if label_col is None or (id_col is None and text_col is None):
        found = (f"found {', '.join(columns)}, read as {DELIMITERS[delimiter]}-separated"
                 if columns else "found no header")
        raise LabelError("the CSV needs a header with a label column and a post_id or text "
                         f"column ({found})")
    seen: dict[str, tuple[int, str]] = {}
    rows: list[Label] = []
    now = datetime.now(UTC)
    for line, row in _rows(reader):
        try:
            label = normalise_label(row.get(label_col) or "")
            target, doc_id, text, how = _target_of(store, row, id_col, text_col)
        except LabelError as exc:
            report.problems.append((line, str(exc)))
            continue
        if target in seen:
            first, first_label = seen[target]
            kind = "duplicate of" if first_label == label else "conflicts with"
            report.problems.append((line, f"{kind} line {first}: kept line {first}"))
            continue
        seen[target] = (line, label)
        rows.append(Label(target, doc_id, text, label, who, now, origin))
        report.by_text += how == "text-match"
        report.text_only += how == "text"
    report.imported = put_labels(store, rows)
    return report


def _header(reader: csv.DictReader[str]) -> Sequence[str]:
    """Return the CSV's column names; malformed quoting raises LabelError."""
    try:
        return reader.fieldnames or []
    except csv.Error as exc:
        raise _malformed(1, exc) from exc


def _rows(reader: csv.DictReader[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line, row)``; malformed quoting (which would swallow later rows) raises."""
    rows = iter(reader)
    while True:
        start = reader.line_num + 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _malformed(start, exc) from exc
        yield reader.line_num, row


def _malformed(line: int, exc: csv.Error) -> LabelError:
    return LabelError(f"line {line}: malformed CSV ({exc}); check the quotes around it, "
                      "nothing was imported")


def _target_of(store: Store, row: dict[str, Any], id_col: str | None,
               text_col: str | None) -> tuple[str, str | None, str, str]:
    post = ((row.get(id_col) or "") if id_col else "").strip()
    text = ((row.get(text_col) or "") if text_col else "").strip()
    if post:
        doc_id = find_post_id(store, post)
        found = customer_post(store, doc_id)
        if found is None or found[1] != "customer":
            raise LabelError(f"{doc_id!r} is not a customer post")
        return doc_target(doc_id), doc_id, "", "id"
    if not text:
        raise LabelError("neither a post id nor a text")
    matched = post_by_text(store, text)
    if matched is not None:
        return doc_target(matched), matched, "", "text-match"
    return text_target(text), None, text, "text"


def all_labels(store: Store) -> list[Label]:
    """Return every recorded label, oldest first."""
    c = t.sentiment_labels.c
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.sentiment_labels).order_by(c.at, c.id)).all()
    return [Label(r.target, r.doc_id, r.text, r.label, r.who,
                  r.at if r.at.tzinfo else r.at.replace(tzinfo=UTC), r.origin) for r in rows]


@dataclass(frozen=True)
class Resolved:
    """The label each target ends up with, and how many targets people disagreed on."""

    labels: list[Label]
    conflicts: int


def resolve_labels(labels: Sequence[Label]) -> Resolved:
    """Apply the rule: one label per target, the newest wins (``labels`` oldest first); skips
    are not labels and are left out."""
    chosen: dict[str, Label] = {}
    values: dict[str, set[str]] = {}
    for label in labels:
        if label.label == SKIP:
            continue
        chosen[label.target] = label
        values.setdefault(label.target, set()).add(label.label)
    conflicts = sum(1 for v in values.values() if len(v) > 1)
    return Resolved(list(chosen.values()), conflicts)


def count_labels(store: Store) -> int:
    """Return how many labels are recorded (all people; skips are not labels)."""
    c = t.sentiment_labels.c
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.sentiment_labels)
                                .where(c.label != SKIP)).scalar() or 0)


def labelled_doc_ids(store: Store) -> set[str]:
    """Return the ids of the posts that have at least one label or skip (the queue's done)."""
    c = t.sentiment_labels.c
    with store.engine.connect() as conn:
        return {str(v) for v in conn.execute(select(c.doc_id).where(c.doc_id.is_not(None))
                                             .distinct()).scalars()}


def current_labels(store: Store, doc_ids: Iterable[str]) -> dict[str, str]:
    """Return the label each of ``doc_ids`` ends up with (the newest wins), for labelled posts."""
    ids = sorted(set(doc_ids))
    if not ids:
        return {}
    c = t.sentiment_labels.c
    with store.engine.connect() as conn:
        rows = conn.execute(select(c.doc_id, c.label).where(and_(c.doc_id.in_(ids),
                                                                 c.label != SKIP))
                            .order_by(c.at, c.id)).all()
    return {str(r.doc_id): str(r.label) for r in rows}  # oldest first: the newest is kept
