"""Migrations: schema.py and the packaged Alembic scripts agree; stores are migrated on open."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from search import schema
from search.migrate import current_revision, head_revision, schema_diff, upgrade
from search.store import Store, StoreError, sqlite_url


def test_migrations_match_schema_py(tmp_path: Path) -> None:
    """Fails when a table or column was added to schema.py without a migration.

    Regenerate: see docs/scale-out.md, "Changing the schema".
    """
    engine = create_engine(sqlite_url(tmp_path / "fresh.db"))
    upgrade(engine)
    with engine.connect() as conn:
        diff = schema_diff(conn)
    assert diff == [], f"schema.py and search/migrations disagree: {diff}"


def test_store_applies_migrations_on_open(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path / "s.db"))
    with store.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
    store.close()


def test_store_made_by_create_all_is_adopted(tmp_path: Path) -> None:
    legacy = create_engine(sqlite_url(tmp_path / "old.db"))
    schema.metadata.create_all(legacy)
    with legacy.begin() as conn:
        conn.execute(text("INSERT INTO counters (name, value) VALUES ('seq', 41)"))
    legacy.dispose()
    store = Store(sqlite_url(tmp_path / "old.db"))
    assert store.current_seq() == 41
    with store.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
    store.close()


def test_store_from_newer_code_is_refused(tmp_path: Path) -> None:
    Store(sqlite_url(tmp_path / "s.db")).close()
    engine = create_engine(sqlite_url(tmp_path / "s.db"))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'zzzz'"))
    engine.dispose()
    with pytest.raises(StoreError, match="upgrade socialsearch"):
        Store(sqlite_url(tmp_path / "s.db"))


def test_migrate_command(tmp_path: Path) -> None:
    from search.cli import main

    runner = CliRunner()
    data = str(tmp_path / "data")
    first = runner.invoke(main, ["--data-dir", data, "migrate"])
    assert first.exit_code == 0, first.output
    assert f"-> {head_revision()}" in first.output
    check = runner.invoke(main, ["--data-dir", data, "migrate", "--check"])
    assert check.exit_code == 0 and head_revision() in check.output


@pytest.mark.parametrize(("name", "value", "message"), [
    ("store_url", "postgresql+psycopg://u:p@/db", "no host"),
    ("store_url", "mysql://u@h/db", "supported"),
    ("store_url", "not a url", "malformed"),
    ("milvus_uri", "http//host:19530", "malformed"),
    ("milvus_uri", "http://host:notaport", "bad port"),
    ("index_backend", "elastic", "index_backend"),
])
def test_malformed_endpoints_are_rejected_before_any_work(tmp_path: Path, name: str, value: str,
                                                          message: str) -> None:
    from search.cli import main

    data = tmp_path / "data"
    env = {f"SOCIALSEARCH_{name.upper()}": value}
    for command in ("check", "doctor"):
        result = CliRunner().invoke(main, ["--data-dir", str(data), command], env=env)
        assert result.exit_code != 0 and message in result.output, result.output
    assert not data.exists()


def _open_store_and_accounts(path: str, start: float) -> str:
    """Open a fresh store (and the web's token tables) at ``start``; return the error, if any."""
    import time

    from web.accounts import Accounts

    time.sleep(max(0.0, start - time.time()))
    try:
        store = Store(sqlite_url(Path(path)))
        Accounts(store.engine, buffered=False)
        store.close()
    except Exception as exc:  # reported to the parent, which asserts on it
        return f"{type(exc).__name__}: {exc}"
    return ""


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")
def test_processes_opening_a_new_store_at_once_all_succeed(tmp_path: Path) -> None:
    """Server workers open the same new store together; one migrates, the others wait."""
    import multiprocessing
    import time
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(4, mp_context=context) as pool:
        start = time.time() + 0.5
        errors = list(pool.map(_open_store_and_accounts, [str(tmp_path / "s.db")] * 4,
                               [start] * 4))
    assert errors == [""] * 4
    store = Store(sqlite_url(tmp_path / "s.db"))
    with store.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
    store.close()
