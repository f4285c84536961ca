"""Table definitions of the canonical store (SQLAlchemy Core, portable to PostgreSQL)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("num", Integer, primary_key=True, autoincrement=True),
    Column("id", String(512), nullable=False, unique=True),
    Column("source", String(128), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("title", Text, nullable=False, default=""),
    Column("text", Text, nullable=False, default=""),
    Column("url", Text, nullable=False, default=""),
    Column("created_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True)),
    Column("audience", String(16), nullable=False, default="internal"),
    Column("tags", Text, nullable=False, default="[]"),
    Column("meta", Text, nullable=False, default="{}"),
    Column("content_hash", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False, index=True),
    Index("ix_documents_source_kind", "source", "kind"),
    Index("ix_documents_audience_created", "audience", "created_at"),
    sqlite_autoincrement=True,
)

doc_access = Table(
    "doc_access",
    metadata,
    Column("num", Integer, ForeignKey("documents.num", ondelete="CASCADE"), primary_key=True),
    Column("token", String(256), primary_key=True),
    Index("ix_doc_access_token", "token"),
)

contributions = Table(
    "contributions",
    metadata,
    Column("num", Integer, ForeignKey("documents.num", ondelete="CASCADE"), nullable=False),
    Column("person_id", String(256), nullable=False),
    Column("role", String(64), nullable=False),
    Column("at", DateTime(timezone=True)),
    Column("weight", Float, nullable=False, default=1.0),
    Index("ix_contributions_num", "num"),
    Index("ix_contributions_person", "person_id"),
)

tombstones = Table(
    "tombstones",
    metadata,
    Column("num", Integer, primary_key=True),
    Column("id", String(512), nullable=False),
    Column("seq", BigInteger, nullable=False, index=True),
)

people = Table(
    "people",
    metadata,
    Column("id", String(256), primary_key=True),
    Column("name", Text, nullable=False, default=""),
    Column("emails", Text, nullable=False, default="[]"),
    Column("handles", Text, nullable=False, default="{}"),
    Column("title", Text, nullable=False, default=""),
    Column("department", Text, nullable=False, default=""),
    Column("manager_id", String(256)),
    Column("skills", Text, nullable=False, default="[]"),
    Column("groups", Text, nullable=False, default="[]"),
    Column("meta", Text, nullable=False, default="{}"),
)

person_aliases = Table(
    "person_aliases",
    metadata,
    Column("alias", String(512), primary_key=True),
    Column("person_id", String(256), nullable=False, index=True),
)

checkpoints = Table(
    "checkpoints",
    metadata,
    Column("source", String(256), primary_key=True),
    Column("data", Text, nullable=False, default="{}"),
    Column("updated_at", DateTime(timezone=True)),
)

embeddings = Table(
    "embeddings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("vector", LargeBinary, nullable=False),
)

counters = Table(
    "counters",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

sentiment = Table(
    "sentiment",
    metadata,
    Column("num", Integer, ForeignKey("documents.num", ondelete="CASCADE"), primary_key=True),
    Column("id", String(512), nullable=False),
    Column("label", String(16), nullable=False),
    Column("score", Float, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("model", String(128), nullable=False),
    Column("text_hash", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_sentiment_label", "label"),
)

sentiment_labels = Table(
    "sentiment_labels",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("target", String(64), nullable=False),
    Column("doc_id", String(512)),
    Column("text", Text, nullable=False, default=""),
    Column("label", String(16), nullable=False),
    Column("who", String(256), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("origin", String(32), nullable=False, default=""),
    UniqueConstraint("target", "who", name="uq_sentiment_labels_target_who"),
    Index("ix_sentiment_labels_doc_id", "doc_id"),
    sqlite_autoincrement=True,
)

sentiment_models = Table(
    "sentiment_models",
    metadata,
    Column("version", String(64), primary_key=True),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("created_by", String(256), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("path", Text, nullable=False, default=""),
    Column("head", LargeBinary),
    Column("labels", Integer, nullable=False),
    Column("settings", Text, nullable=False, default="{}"),
    Column("cv", Text, nullable=False, default="{}"),
    Column("heldout", Text, nullable=False, default="{}"),
    Column("status", String(16), nullable=False),
    Column("promoted", DateTime(timezone=True)),
)


def json_text(value: Any) -> str:
    """Encode a value for one of the JSON text columns (sorted keys, so equal values match)."""
    return json.dumps(value, sort_keys=True, default=str)
