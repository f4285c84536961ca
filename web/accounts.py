"""API tokens (stored as SHA-256 hashes) and the query audit log, on the store's database."""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import queue
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    select,
    update,
)

from search.migrate import create_tables
from search.models import utc

metadata = MetaData()

api_tokens = Table(
    "web_api_tokens",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("user_id", String(256), nullable=False, index=True),
    Column("name", String(256), nullable=False, default=""),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("admin", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
)

audit_log = Table(
    "web_audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("user_id", String(256)),
    Column("surface", String(16), nullable=False),
    Column("action", String(32), nullable=False),
    Column("query", Text, nullable=False, default=""),
    Column("params", Text, nullable=False, default="{}"),
    Column("results", Integer, nullable=False, default=0),
    Column("status", Integer, nullable=False, default=200),
    Index("ix_web_audit_log_user_at", "user_id", "at"),
    sqlite_autoincrement=True,
)

log = logging.getLogger("socialsearch.audit")
TOKEN_PREFIX = "sst"
FLUSH_SECONDS = 0.5
AUDIT_ROWS_PER_STATEMENT = 100  # 8 columns: 800 bound values, far below SQLite's limit
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class TokenInfo:
    """A stored API token without its secret."""

    id: str
    user_id: str
    name: str
    admin: bool
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"id": self.id, "user_id": self.user_id, "name": self.name, "admin": self.admin,
                "created_at": self.created_at.isoformat(),
                "last_used_at": self.last_used_at.isoformat() if self.last_used_at else None,
                "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None}


@dataclass(frozen=True)
class AuditEntry:
    """One audited query: who asked what, where, when, and how many results they got."""

    user_id: str | None
    surface: str
    action: str
    query: str
    results: int
    status: int = 200
    params: dict[str, Any] | None = None
    at: datetime | None = None
    id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"id": self.id, "at": self.at.isoformat() if self.at else None,
                "user_id": self.user_id, "surface": self.surface, "action": self.action,
                "query": self.query, "params": self.params or {}, "results": self.results,
                "status": self.status}


def _stamped(entry: AuditEntry) -> AuditEntry:
    return AuditEntry(entry.user_id, entry.surface, entry.action, entry.query, entry.results,
                      entry.status, entry.params, datetime.now(UTC), entry.id)


def _token_info(row: Any) -> TokenInfo:
    return TokenInfo(row.id, row.user_id, row.name, bool(row.admin), utc(row.created_at)
                     or datetime.now(UTC), utc(row.last_used_at), utc(row.revoked_at))


class Accounts:
    """Create, check and revoke API tokens; write and read the audit log."""

    def __init__(self, engine: Engine, buffered: bool = True) -> None:
        self.engine = engine
        create_tables(metadata, engine)
        self.buffered = buffered
        self._queue: queue.Queue[AuditEntry] = queue.Queue()
        self._writer: threading.Thread | None = None
        self._write_lock = threading.Lock()
        self._start_lock = threading.Lock()

    # -- tokens -----------------------------------------------------------------------------
    def create_token(self, user_id: str, name: str = "",
                     admin: bool = False) -> tuple[str, TokenInfo]:
        """Create a token for ``user_id``; return the secret (shown once) and its record."""
        if not user_id.strip():
            raise ValueError("a token needs a user id")
        token_id = secrets.token_hex(4)
        secret = f"{TOKEN_PREFIX}_{token_id}_{secrets.token_urlsafe(32)}"
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            conn.execute(insert(api_tokens).values(
                id=token_id, user_id=user_id.strip(), name=name, token_hash=hash_token(secret),
                admin=admin, created_at=now))
        return secret, TokenInfo(token_id, user_id.strip(), name, admin, now)

    def verify(self, secret: str) -> TokenInfo | None:
        """Return the live token matching ``secret``, or ``None`` (unknown or revoked)."""
        if not secret or not secret.startswith(f"{TOKEN_PREFIX}_"):
            return None
        with self.engine.connect() as conn:
            row = conn.execute(select(api_tokens).where(
                api_tokens.c.token_hash == hash_token(secret))).first()
        if row is None or row.revoked_at is not None:
            return None
        info = _token_info(row)
        now = datetime.now(UTC)
        if info.last_used_at is None or now - info.last_used_at > LAST_USED_RESOLUTION:
            with self.engine.begin() as conn:
                conn.execute(update(api_tokens).where(api_tokens.c.id == info.id)
                             .values(last_used_at=now))
        return info

    def list_tokens(self, user_id: str | None = None) -> list[TokenInfo]:
        """Return every token (or one user's), newest first."""
        query = select(api_tokens).order_by(api_tokens.c.created_at.desc())
        if user_id:
            query = query.where(api_tokens.c.user_id == user_id)
        with self.engine.connect() as conn:
            return [_token_info(r) for r in conn.execute(query)]

    def revoke(self, token_id: str) -> bool:
        """Revoke a token by id; return whether a live token was revoked."""
        with self.engine.begin() as conn:
            result = conn.execute(update(api_tokens).where(
                (api_tokens.c.id == token_id) & api_tokens.c.revoked_at.is_(None)
            ).values(revoked_at=datetime.now(UTC)))
        return bool(result.rowcount)

    # -- audit ------------------------------------------------------------------------------
    def record(self, entry: AuditEntry) -> None:
        """Append one entry to the audit log (written in small batches by a background thread)."""
        entry = entry if entry.at is not None else _stamped(entry)
        self._queue.put(entry)
        if not self.buffered:
            self.flush()
            return
        if self._writer is None:
            with self._start_lock:
                if self._writer is None:
                    self._writer = threading.Thread(target=self._drain, daemon=True,
                                                    name="socialsearch-audit")
                    self._writer.start()
                    atexit.register(self.flush)

    def flush(self) -> None:
        """Write every queued entry now (entries are taken and written under one lock)."""
        with self._write_lock:
            batch: list[AuditEntry] = []
            while True:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            if batch:
                self._write(batch)

    def _drain(self) -> None:
        while True:
            time.sleep(FLUSH_SECONDS)
            if self._queue.empty():
                continue
            try:
                self.flush()
            except Exception:  # the writer must survive a locked or vanished database
                log.exception("could not write audit entries")

    def _write(self, entries: list[AuditEntry]) -> None:
        rows = [{"at": e.at, "user_id": e.user_id, "surface": e.surface, "action": e.action,
                 "query": e.query[:2000],
                 "params": json.dumps(e.params or {}, sort_keys=True, default=str),
                 "results": e.results, "status": e.status} for e in entries]
        # One multi-row INSERT per chunk, each in its own transaction: row-by-row inserts wait
        # for the GIL between rows while request threads keep it busy, so a backlog of
        # thousands of entries held SQLite's write lock for tens of seconds, and an indexer's
        # write timed out with "database is locked".
        step = AUDIT_ROWS_PER_STATEMENT
        for start in range(0, len(rows), step):
            try:
                with self.engine.begin() as conn:
                    conn.execute(insert(audit_log).values(rows[start : start + step]))
            except Exception:  # keep what is not written (a locked store): the next flush retries
                for entry in entries[start:]:
                    self._queue.put(entry)
                raise

    def audit(self, user_id: str | None = None, since: datetime | None = None,
              limit: int = 100, before_id: int | None = None) -> list[AuditEntry]:
        """Return audit entries, newest first, optionally for one user or after a time."""
        self.flush()
        query = select(audit_log).order_by(audit_log.c.id.desc()).limit(max(1, min(limit, 1000)))
        if user_id:
            query = query.where(audit_log.c.user_id == user_id)
        if since:
            query = query.where(audit_log.c.at >= since)
        if before_id is not None:
            query = query.where(audit_log.c.id < before_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [AuditEntry(r.user_id, r.surface, r.action, r.query, r.results, r.status,
                           json.loads(r.params or "{}"), utc(r.at), r.id) for r in rows]
