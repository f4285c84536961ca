"""The CLI with bad input and a second process: one-line errors, no tracebacks, no lost runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import main
from search.cli_lock import writer_lock

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def cli(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOCIALSEARCH_EMBEDDER", "hashing")

    def invoke(*args: str) -> object:
        return runner.invoke(main, ["--data-dir", str(tmp_path / "d"), *args])

    return invoke


@pytest.mark.parametrize("qrels, message", [
    ("garbage line\n", "cannot read qrels"),
    ("query-id\tcorpus-id\tscore\n1\td1\tx\n", "cannot read qrels"),
    ("", "no relevance judgements"),
])
def test_eval_rejects_malformed_qrels(cli, tmp_path: Path, qrels: str,  # type: ignore[no-untyped-def]
                                      message: str) -> None:
    (tmp_path / "q.tsv").write_text(qrels)
    result = cli("eval", "--qrels", str(tmp_path / "q.tsv"), "--run", str(tmp_path / "q.tsv"))
    assert result.exit_code == 1 and message in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_eval_rejects_malformed_queries_and_runs(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "q.tsv").write_text("query-id\tcorpus-id\tscore\n1\td1\t1\n")
    (tmp_path / "queries.jsonl").write_text('{"_id": "1"}\n')
    (tmp_path / "run.txt").write_bytes(b"\xff\xfe\xff")
    result = cli("eval", "--qrels", str(tmp_path / "q.tsv"), "--queries",
                 str(tmp_path / "queries.jsonl"))
    assert result.exit_code == 1 and "has no 'text' field" in result.output
    result = cli("eval", "--qrels", str(tmp_path / "q.tsv"), "--run", str(tmp_path / "run.txt"))
    assert result.exit_code == 1 and "cannot read run" in result.output


def test_a_second_writer_gets_a_clear_error(cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("search.cli_context.WRITER_WAIT", 0.0)
    with writer_lock(tmp_path / "d", "socialsearch index slack ./export"):
        result = cli("index", "jsonl", str(DATA / "mini.jsonl"))
        assert result.exit_code == 1
        assert "another socialsearch process is writing" in result.output
        assert "socialsearch index slack ./export" in result.output
        assert cli("reindex").exit_code == 1
    result = cli("index", "jsonl", str(DATA / "mini.jsonl"), "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["added"] == 4


def test_a_reader_does_not_write_while_a_writer_runs(cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("index", "jsonl", str(DATA / "mini.jsonl")).exit_code == 0
    opened: list[bool] = []
    import search.engine

    real = search.engine.SearchEngine.__init__

    def spy(self, settings, embedder=None, sync_on_open=True, post_sync=None):  # type: ignore[no-untyped-def]
        opened.append(sync_on_open)
        real(self, settings, embedder, sync_on_open, post_sync)

    monkeypatch.setattr(search.engine.SearchEngine, "__init__", spy)
    with writer_lock(tmp_path / "d", "socialsearch index jsonl x"):
        result = cli("search", "consumer lag", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["hits"]
    assert cli("stats", "--json").exit_code == 0
    assert opened == [False, True]  # no catch-up under another writer; catch-up once it is gone


def test_ctrl_c_during_an_index_run_says_how_to_resume(cli,  # type: ignore[no-untyped-def]
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("indexers.runner.run_indexer", interrupted)
    result = cli("index", "jsonl", str(DATA / "mini.jsonl"))
    assert result.exit_code == 130
    assert "interrupted" in result.output and "run the same command again" in result.output


@pytest.mark.parametrize("command", [("search", "wifi"), ("experts", "wifi"),
                                     ("people", "ann"), ("sentiment", "queue")])
def test_all_with_a_user_or_group_is_a_usage_error(cli, command: tuple[str, ...]  # type: ignore[no-untyped-def]
                                                   ) -> None:
    cli("index", "jsonl", str(DATA / "mini.jsonl"))
    for who in (("--user", "u.ann"), ("--group", "staff")):
        result = cli(*command, "--all", *who)
        assert result.exit_code == 2, result.output
        assert "--all reads every document as the operator" in result.output
