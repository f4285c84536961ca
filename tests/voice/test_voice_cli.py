"""The voice and digest commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from search.cli import main
from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from tests.voice.conftest import corpus

ENV = {"SOCIALSEARCH_EMBEDDER": "hashing"}


def indexed(tmp_path: Path) -> str:
    data = str(tmp_path / "data")
    engine = SearchEngine(Settings(data_dir=data, embedder="hashing"), embedder=HashingEmbedder())
    engine.upsert(corpus())
    engine.close()
    return data


def test_voice_command_text_and_json(tmp_path: Path, runner: CliRunner) -> None:
    data = indexed(tmp_path)
    result = runner.invoke(main, ["--data-dir", data, "voice", "wifi", "--bucket", "week"],
                           env=ENV)
    assert result.exit_code == 0, result.output
    assert "Voice of the customer: wifi" in result.output
    assert "30 posts" in result.output and "Themes" in result.output
    result = runner.invoke(main, ["--data-dir", data, "voice", "bag", "--since", "2024-03-11",
                                  "--json"], env=ENV)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["topic"] == "bag" and report["since"].startswith("2024-03-11")
    assert all(p["created_at"] >= "2024-03-11" for p in report["most_negative"])


def test_voice_command_exports_posts_as_csv(tmp_path: Path, runner: CliRunner) -> None:
    import csv
    import io

    data = indexed(tmp_path)
    result = runner.invoke(main, ["--data-dir", data, "voice", "wifi", "--csv"], env=ENV)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 30 and all(r["sentiment"] for r in rows)
    both = runner.invoke(main, ["--data-dir", data, "voice", "wifi", "--csv", "--json"], env=ENV)
    assert both.exit_code == 2 and "one of --json and --csv" in both.output


def test_voice_command_rejects_bad_dates(tmp_path: Path, runner: CliRunner) -> None:
    data = indexed(tmp_path)
    result = runner.invoke(main, ["--data-dir", data, "voice", "wifi", "--since", "yesterday"],
                           env=ENV)
    assert result.exit_code == 2 and "--since" in result.output


def test_voice_command_on_an_empty_store(tmp_path: Path, runner: CliRunner) -> None:
    missing = runner.invoke(main, ["--data-dir", str(tmp_path / "empty"), "voice", "wifi"],
                            env=ENV)
    assert missing.exit_code == 1 and "no store in" in missing.output
    SearchEngine(Settings(data_dir=str(tmp_path / "empty"), embedder="hashing"),
                 embedder=HashingEmbedder()).close()  # a store with nothing in it yet
    result = runner.invoke(main, ["--data-dir", str(tmp_path / "empty"), "voice", "wifi"],
                           env=ENV)
    assert result.exit_code == 0, result.output
    assert "0 posts" in result.output and "no customer posts match 'wifi'" in result.output


def test_digest_command(tmp_path: Path, runner: CliRunner) -> None:
    data = indexed(tmp_path)
    result = runner.invoke(main, ["--data-dir", data, "digest", "--week", "2024-W11"], env=ENV)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Customer touch points — 2024-W11")
    result = runner.invoke(main, ["--data-dir", data, "digest", "--week", "2024-W11", "--json"],
                           env=ENV)
    assert json.loads(result.output)["total"] == 28
    result = runner.invoke(main, ["--data-dir", data, "digest", "--week", "2024-W11", "--slack"],
                           env=ENV)
    assert result.output.startswith("*Customer touch points")
    result = runner.invoke(main, ["--data-dir", data, "digest", "--week", "soon"], env=ENV)
    assert result.exit_code == 2 and "2015-W08" in result.output
    # without --week: the week of the newest post (these posts are long past), said on stderr
    newest = max(d.created_at for d in corpus() if d.created_at)
    week = f"{newest.isocalendar().year}-W{newest.isocalendar().week:02d}"
    result = runner.invoke(main, ["--data-dir", data, "digest"], env=ENV)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"# Customer touch points — {week}")
    assert f"week {week} (choose another with --week)" in result.stderr


def test_help_does_not_import_torch_or_sklearn() -> None:
    code = ("import sys; from click.testing import CliRunner; from search.cli import main; "
            "r = CliRunner().invoke(main, ['voice', '--help']); assert r.exit_code == 0; "
            "r = CliRunner().invoke(main, ['digest', '--help']); assert r.exit_code == 0; "
            "print(sorted(m for m in ('torch', 'sklearn', 'sentence_transformers') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
