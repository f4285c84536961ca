"""Alembic environment: migrates the connection (or URL) that ``search.migrate`` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, text

from search.schema import metadata

LOCK_KEY = 7_411_502_001  # PostgreSQL advisory lock: one migrating process at a time


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        if context.get_context().dialect.name == "postgresql":
            context.execute(text(f"SELECT pg_advisory_xact_lock({LOCK_KEY})"))
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the given connection, or on a new one to the configured URL."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():  # pragma: no cover - offline SQL scripts are not offered
    raise SystemExit("offline migrations are not supported; use `socialsearch migrate`")
run_migrations_online()
