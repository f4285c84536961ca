"""Schema migrations of the store (Alembic, in ``search/migrations``) for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, inspect, text

from search.schema import metadata

SCRIPT_LOCATION = "search:migrations"
VERSION_TABLE = "alembic_version"
LOCK_TIMEOUT_S = 300
PG_LOCK_KEY = 0x50C1A15EA5C4  # pg_advisory_xact_lock key held while migrating


class MigrationError(RuntimeError):
    """The store's schema is newer than this code, or cannot be migrated."""


def alembic_config(connection: Connection | None = None, url: str = "") -> Any:
    """Return an Alembic ``Config`` for the packaged migrations (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def _script_info() -> tuple[str, frozenset[str]]:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    head = scripts.get_current_head()
    if head is None:  # pragma: no cover - the package always ships a revision
        raise MigrationError("no migration scripts found in search/migrations")
    return head, frozenset(s.revision for s in scripts.walk_revisions())


def head_revision() -> str:
    """Return the newest revision the packaged migrations know."""
    return _script_info()[0]


def current_revision(conn: Connection) -> str | None:
    """Return the revision a database is at, or ``None`` when it was never migrated."""
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def _has_store_tables(conn: Connection) -> bool:
    return inspect(conn).has_table("documents")


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Migrate the database to ``revision``; return ``(before, after)`` revisions."""
    with migration_lock(engine):
        return _upgrade_locked(engine, revision)


def _upgrade_locked(engine: Engine, revision: str) -> tuple[str | None, str]:
    """Migrate while holding the migration lock (see ``upgrade``)."""
    from alembic import command

    with engine.begin() as conn:
        _lock_postgres(conn)
        before = current_revision(conn)
        if before is None and _has_store_tables(conn):
            _adopt_legacy(conn)
            before = current_revision(conn)
        command.upgrade(alembic_config(conn), revision)
        after = current_revision(conn) or ""
    return before, after


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Let one process at a time migrate a SQLite store file (a lock file beside it)."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    from filelock import FileLock, Timeout

    try:
        with FileLock(f"{database}.migrate-lock", timeout=LOCK_TIMEOUT_S):
            yield
    except Timeout as exc:
        raise MigrationError(f"another process has been migrating {database} for "
                             f"{LOCK_TIMEOUT_S} s; try again when it is done") from exc


def _lock_postgres(conn: Connection) -> None:
    """On PostgreSQL, wait for any other migrating process (released at commit)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})


def create_tables(tables: MetaData, engine: Engine) -> None:
    """Create the missing tables of ``tables``, one process at a time."""
    with migration_lock(engine), engine.begin() as conn:
        _lock_postgres(conn)
        tables.create_all(conn, checkfirst=True)


def _adopt_legacy(conn: Connection) -> None:
    """Bring a store made by ``create_all`` (before migrations existed) under Alembic."""
    from alembic import command

    metadata.create_all(conn, checkfirst=True)
    diff = schema_diff(conn)
    if diff:
        raise MigrationError(
            f"the store predates migrations and differs from the schema ({len(diff)} "
            f"differences, e.g. {diff[0]}); rebuild it with `socialsearch index --full`"
        )
    command.stamp(alembic_config(conn), "head")


def ensure_schema(engine: Engine, apply: bool = True) -> str:
    """Verify the store is at the head revision, migrating it first when ``apply`` is true.

    With ``apply`` the first connection (which sets SQLite's WAL mode on a new file) and the
    check run under the migration lock too: processes opening a new store together used to
    meet "database is locked" while another one was converting or migrating it."""
    if not apply:
        return _check_or_upgrade(engine, apply)
    with migration_lock(engine):
        return _check_or_upgrade(engine, apply)


def _check_or_upgrade(engine: Engine, apply: bool) -> str:
    """Return the head revision once the store is at it (migrating when ``apply``)."""
    head, known = _script_info()
    with engine.connect() as conn:
        current = current_revision(conn)
    if current == head:
        return head
    if current is not None and current not in known:
        raise MigrationError(
            f"the store is at schema revision {current}, unknown to this socialsearch "
            f"(newest known {head}): upgrade socialsearch"
        )
    if not apply:
        raise MigrationError(
            f"the store is at schema revision {current or 'none'}, this code needs {head}: "
            "run `socialsearch migrate`"
        )
    _upgrade_locked(engine, "head")
    return head


def schema_diff(conn: Connection) -> list[Any]:
    """Return Alembic's autogenerate differences between ``schema.py`` and the database."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return [d for d in compare_metadata(context, metadata) if not _ignored(d)]


def _ignored(diff: Any) -> bool:
    """Ignore Alembic's own version table."""
    return isinstance(diff, tuple) and diff[0] == "remove_table" and diff[1].name == VERSION_TABLE
