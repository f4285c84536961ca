"""The ``migrate`` and ``check`` commands, and clear messages when a shared engine fails mid-run."""

from __future__ import annotations

import sys
from typing import Any

import click


def explain_failure(exc: RuntimeError) -> str:
    """Return the message of a store, index or Ray failure (re-raise anything else)."""
    from search.keyword import KeywordIndexError
    from search.store import StoreError
    from search.vector import VectorIndexError

    known: tuple[type[BaseException], ...] = (StoreError, KeywordIndexError, VectorIndexError)
    if "indexers.ray_runner" in sys.modules:
        from indexers.ray_runner import RayIndexingError

        known += (RayIndexingError,)
    if not isinstance(exc, known):
        raise exc
    return str(exc)


@click.command("migrate")
@click.option("--check", "check_only", is_flag=True,
              help="Only report the store's schema revision (exit code 1 when behind).")
@click.pass_obj
def migrate_command(obj: Any, check_only: bool) -> None:
    """Apply the store's schema migrations (Alembic) to SQLite or PostgreSQL."""
    from sqlalchemy import create_engine

    from search.migrate import MigrationError, current_revision, head_revision, upgrade
    from search.store import display_url

    settings = obj.settings()
    url = settings.resolved_store_url
    if url.startswith("sqlite"):
        settings.data_path.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            current = current_revision(conn)
        head = head_revision()
        if check_only:
            click.echo(f"store {display_url(url)}: revision {current or 'none'}, newest {head}")
            if current != head:
                sys.exit(1)
            return
        before, after = upgrade(engine)
    except MigrationError as exc:
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:
        if isinstance(exc, SystemExit):
            raise
        raise click.ClickException(f"cannot migrate store {display_url(url)}: {exc}") from exc
    finally:
        engine.dispose()
    click.echo(f"store {display_url(url)}: {before or 'empty'} -> {after}")


@click.command("check")
@click.pass_obj
def check_command(obj: Any) -> None:
    """Validate the settings and reach the store and index endpoints (exit code 1 if not)."""
    from search.endpoints import probe

    settings = obj.settings()  # malformed URLs and URIs are rejected here, before any work
    failed = False
    for part, endpoint, status in probe(settings):
        click.echo(f"{part:6} {endpoint}: {status}")
        failed = failed or status.startswith("FAILED")
    if failed:
        sys.exit(1)
