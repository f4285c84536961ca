"""``socialsearch tokens`` and ``socialsearch audit``: tokens work end to end; the log reads."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from search.cli import main
from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.models import Person
from tests.web.conftest import auth, close_app, make_app

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
