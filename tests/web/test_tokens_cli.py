"""``socialsearch tokens`` and ``socialsearch audit``: tokens work end to end; the log reads."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from search.cli import main
from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.models import Person
from tests.web.conftest import auth, close_app, make_app
from web.accounts import Accounts, AuditEntry

ENV = {"SOCIALSEARCH_EMBEDDER": "hashing"}


def _run(runner: CliRunner, data: Path, *args: str) -> str:
    result = runner.invoke(main, ["--data-dir", str(data), *args], env=ENV,
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_token_lifecycle_and_audit(tmp_path: Path) -> None:
    runner = CliRunner()
    data = tmp_path / "data"
    engine = SearchEngine(Settings(data_dir=str(data), embedder="hashing"),
                          embedder=HashingEmbedder())
    engine.upsert_people([Person("u.ann", "Ann Lee", emails=("ann@example.com",),
                                 groups=("engineering",))])
    out = _run(runner, data, "tokens", "create", "--user", "ann@example.com", "--name", "ci")
    secret = out.strip().splitlines()[0]
    assert secret.startswith("sst_")
    listed = json.loads(_run(runner, data, "tokens", "list", "--json"))
    assert listed[0]["user_id"] == "u.ann" and listed[0]["name"] == "ci"
    assert secret not in json.dumps(listed)

    app = make_app(engine)
    try:
        client = app.test_client()
        assert client.get("/api/v1/people?q=ann", headers=auth(secret)).status_code == 200
        app.extensions["socialsearch"].accounts.flush()
        log = json.loads(_run(runner, data, "audit", "--json", "--user", "u.ann"))
        assert log[0]["action"] == "people" and log[0]["query"] == "ann"
        assert "people" in _run(runner, data, "audit")
        _run(runner, data, "tokens", "revoke", listed[0]["id"])
        assert client.get("/api/v1/people?q=ann", headers=auth(secret)).status_code == 401
    finally:
        close_app(app)
        engine.close()
    assert "revoked" in _run(runner, data, "tokens", "list")


def test_cli_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    data = tmp_path / "data"
    result = runner.invoke(main, ["--data-dir", str(data), "tokens", "revoke", "nope"], env=ENV)
    assert result.exit_code != 0 and "no active token" in result.output
    result = runner.invoke(main, ["--data-dir", str(data), "audit", "--since", "someday"],
                           env=ENV)
    assert result.exit_code != 0
    out = runner.invoke(main, ["--data-dir", str(data), "tokens", "create", "--user", "ghost"],
                        env=ENV)
    assert out.exit_code == 0 and "not in the directory" in out.output
    assert "the audit log is empty" in runner.invoke(
        main, ["--data-dir", str(data), "audit"], env=ENV).output


def test_a_backlog_of_audit_entries_is_written_in_short_multi_row_statements(
        tmp_path: Path) -> None:
    engine = SearchEngine(Settings(data_dir=str(tmp_path), embedder="hashing"),
                          embedder=HashingEmbedder())
    accounts = Accounts(engine.store.engine, buffered=True)
    statements: list[bool] = []

    def count(_conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any,
              many: bool) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO WEB_AUDIT_LOG"):
            statements.append(many)

    event.listen(engine.store.engine, "before_cursor_execute", count)
    try:
        for n in range(250):  # queued faster than the background writer drains them
            accounts._queue.put(AuditEntry("u.ann", "api", "search", f"query {n}", n,
                                           at=datetime.now(UTC)))
        accounts.flush()
    finally:
        event.remove(engine.store.engine, "before_cursor_execute", count)
    # three statements of at most 100 rows, none row by row (each row waited for the GIL)
    assert statements == [False, False, False]
    stored = accounts.audit(limit=1000)
    assert [e.query for e in reversed(stored)] == [f"query {n}" for n in range(250)]
    assert [e.results for e in reversed(stored)] == list(range(250))
    engine.close()


def test_audit_entries_that_could_not_be_written_are_kept_for_the_next_flush(
        tmp_path: Path, monkeypatch: Any) -> None:
    engine = SearchEngine(Settings(data_dir=str(tmp_path), embedder="hashing"),
                          embedder=HashingEmbedder())
    accounts = Accounts(engine.store.engine, buffered=True)
    for n in range(150):  # queued directly: no background writer races the test
        accounts._queue.put(AuditEntry("u.ann", "api", "search", f"query {n}", n,
                                       at=datetime.now(UTC)))
    real_begin = engine.store.engine.begin
    calls = []

    def locked_after_first(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) > 1:
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        return real_begin(*args, **kwargs)

    monkeypatch.setattr(engine.store.engine, "begin", locked_after_first)
    with pytest.raises(OperationalError):
        accounts.flush()
    monkeypatch.setattr(engine.store.engine, "begin", real_begin)
    stored = accounts.audit(limit=1000)  # flushes the 50 that were kept
    assert sorted(e.results for e in stored) == list(range(150))
    engine.close()
