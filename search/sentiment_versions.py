"""Versions of the company's sentiment models: stored, listed, promoted, rolled back, re-scored.

A trained head is written atomically to ``<data>/models/sentiment/<version>.npz`` and its bytes,
settings and scores go into the ``sentiment_models`` table in the same step that may promote it
(one transaction), so a killed run never leaves a half-promoted model. At most one version is
``active``; with none, the ``auto`` model setting means the shipped head.
"""

from __future__ import annotations

import io
import json
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, insert, or_, select, update

from search import schema as t
from search.sentiment import SentimentHead, SentimentModel, SentimentModelError
from search.store import Store

if TYPE_CHECKING:
    from search.engine import SearchEngine

log = logging.getLogger(__name__)
SHIPPED = "shipped"
BATCH = 256


class VersionError(ValueError):
    """A model version is unknown or cannot be loaded."""


@dataclass(frozen=True)
class ModelVersion:
    """A stored model: who trained it on how many labels, its scores and its status."""

    version: str
    created: datetime
    created_by: str
    kind: str
    path: str
    labels: int
    settings: dict[str, Any]
    cv: dict[str, Any]
    heldout: dict[str, Any]
    status: str
    promoted: datetime | None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"version": self.version, "created": self.created.isoformat(),
                "created_by": self.created_by, "kind": self.kind, "path": self.path,
                "labels": self.labels, "settings": self.settings, "cv": self.cv,
                "heldout": self.heldout, "status": self.status,
                "promoted": self.promoted.isoformat() if self.promoted else None}


def models_dir(engine: SearchEngine) -> Path:
    """Return the directory holding the trained model files."""
    return Path(engine.settings.data_path) / "models" / "sentiment"


def new_version_name(store: Store, now: datetime | None = None) -> str:
    """Return an unused version name like ``company-20261130-221501``."""
    base = f"company-{(now or datetime.now(UTC)).strftime('%Y%m%d-%H%M%S')}"
    taken = {v.version for v in list_versions(store)}
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    return name


def write_head(head: SentimentHead, path: Path) -> bytes:
    """Write a head atomically (temporary file, then rename) and return its bytes."""
    buffer = io.BytesIO()
    head.save(buffer)  # type: ignore[arg-type]  # numpy writes to any binary file object
    data = buffer.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return data


def register(store: Store, version: ModelVersion, head: bytes | None, promote: bool) -> None:
    """Store a version row (and its head's bytes); when ``promote``, make it the active one."""
    m = t.sentiment_models.c
    now = datetime.now(UTC)
    with store.engine.begin() as conn:
        if promote:
            conn.execute(update(t.sentiment_models).where(m.status == "active")
                         .values(status="retired"))
        conn.execute(insert(t.sentiment_models).values(
            version=version.version, created=version.created, created_by=version.created_by,
            kind=version.kind, path=version.path, head=head, labels=version.labels,
            settings=json.dumps(version.settings), cv=json.dumps(version.cv),
            heldout=json.dumps(version.heldout), status="active" if promote else version.status,
            promoted=now if promote else None))


def _row(r: Any) -> ModelVersion:
    def tz(value: datetime | None) -> datetime | None:
        return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)

    return ModelVersion(str(r.version), tz(r.created) or datetime.now(UTC), str(r.created_by),
                        str(r.kind), str(r.path), int(r.labels), json.loads(r.settings or "{}"),
                        json.loads(r.cv or "{}"), json.loads(r.heldout or "{}"), str(r.status),
                        tz(r.promoted))


def list_versions(store: Store) -> list[ModelVersion]:
    """Return every stored version, newest first."""
    m = t.sentiment_models
    cols = [c for c in m.c if c.name != "head"]
    with store.engine.connect() as conn:
        rows = conn.execute(select(*cols).order_by(m.c.created.desc(), m.c.version.desc()))
        return [_row(r) for r in rows]


def active_version(store: Store) -> ModelVersion | None:
    """Return the promoted version, or ``None`` when the shipped head serves."""
    return next((v for v in list_versions(store) if v.status == "active"), None)


def active_name(store: Store) -> str | None:
    """Return the name of the promoted version (one small query)."""
    m = t.sentiment_models.c
    with store.engine.connect() as conn:
        value = conn.execute(select(m.version).where(m.status == "active").limit(1)).scalar()
    return str(value) if value else None


def load_version(engine: SearchEngine, name: str) -> SentimentModel:
    """Return the model of a stored version (heads from the store, fine-tunes from their dir)."""
    from search.sentiment import EmbeddingHeadModel, load_sentiment_model

    m = t.sentiment_models.c
    with engine.store.engine.connect() as conn:
        row = conn.execute(select(m.kind, m.path, m.head).where(m.version == name)).first()
    if row is None:
        raise VersionError(f"no sentiment model version {name!r}")
    try:
        if row.head is not None:
            head = SentimentHead.load(io.BytesIO(row.head))  # type: ignore[arg-type]
            meta = dict(head.meta, version=name)
            head = SentimentHead(head.classes, head.coef, head.intercept, head.mean, head.scale,
                                 meta)
            same = engine.embedder.name == head.encoder
            return EmbeddingHeadModel(head, engine.embedder if same else None)
        model = load_sentiment_model(str(Path(engine.settings.data_path) / row.path))
    except SentimentModelError as exc:
        raise VersionError(f"cannot load sentiment model {name}: {exc}") from exc
    model.version = name
    return model


def activate(engine: SearchEngine, name: str) -> SentimentModel | None:
    """Make ``name`` the active version (``shipped`` retires them all); return its model."""
    m = t.sentiment_models.c
    model = None if name == SHIPPED else load_version(engine, name)  # fails before any change
    now = datetime.now(UTC)
    with engine.store.engine.begin() as conn:
        conn.execute(update(t.sentiment_models).where(and_(m.status == "active",
                                                           m.version != name))
                     .values(status="retired"))
        if model is not None:
            conn.execute(update(t.sentiment_models).where(m.version == name)
                         .values(status="active", promoted=now))
    from search.sentiment_store import forget_model

    forget_model(engine)
    return model


def stale_posts(store: Store, version: str) -> list[int]:
    """Return the customer posts whose stored sentiment is missing or from another model."""
    d, s = t.documents.c, t.sentiment.c
    query = (select(d.num).select_from(t.documents.outerjoin(t.sentiment, s.num == d.num))
             .where(and_(d.audience == "customer", or_(s.model.is_(None), s.model != version)))
             .order_by(d.num))
    with store.engine.connect() as conn:
        return [int(n) for n in conn.execute(query).scalars()]


def rescore(engine: SearchEngine, progress: Callable[[int], None] | None = None,
            todo: Sequence[int] | None = None) -> int:
    """Re-classify, in batches, stored customer posts not scored by the current model.

    ``todo`` is the :func:`stale_posts` list when the caller already has it.
    """
    from search.sentiment_store import classify_batch, model_for

    if todo is None:
        todo = stale_posts(engine.store, model_for(engine).version)
    done = 0
    for start in range(0, len(todo), BATCH):
        batch = engine.store.stored_by_nums(todo[start : start + BATCH])
        done += classify_batch(engine, batch)
        if progress is not None:
            progress(len(batch))
    return done
