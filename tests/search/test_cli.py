"""Tests of the command line, through click's runner and (for --help) a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"



def test_help_does_not_import_torch() -> None:
    code = ("import sys; from click.testing import CliRunner; from search.cli import main; "
            "r = CliRunner().invoke(main, ['--help']); assert r.exit_code == 0, r.output; "
            "bad = [m for m in ('torch', 'sentence_transformers') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_index_search_stats_doctor(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("index", "jsonl", str(DATA / "mini.jsonl"), "--json")
    report = json.loads(result.stdout)
    assert report["added"] == 4 and report["people"] == 2 and report["failed"] == 2
    assert {f["location"] for f in report["failures"]} == {"mini.jsonl:7", "mini.jsonl:8"}

    out = json.loads(cli("search", "consumer lag", "--json", "--explain").stdout)
    assert out["hits"][0]["id"] == "wiki:kafka"
    assert "keyword_rank" in out["hits"][0]["explain"]

    assert "closest in meaning" in cli("search", "zeppelin airship").output
    assert "closest in meaning" not in cli("search", "consumer lag").output

    hidden = json.loads(cli("search", "halcyon acquisition", "--json").stdout)
    assert all(h["id"] != "slack:exec-1" for h in hidden["hits"])
    seen = json.loads(cli("search", "halcyon acquisition", "--json", "--user", "u.bob").stdout)
    assert seen["hits"][0]["id"] == "slack:exec-1"

    stats = json.loads(cli("stats", "--json").stdout)
    assert stats["documents"] == 4 and stats["people"] == 2
    assert "healthy" in cli("doctor").output
    again = json.loads(cli("index", "jsonl", str(DATA / "mini.jsonl"), "--json").stdout)
    assert again["unchanged"] == 4 and again["added"] == 0
    assert "jsonl:jsonl" in cli("sources").output


def test_search_names_untitled_posts_and_keeps_each_snippet_on_one_line(  # type: ignore[no-untyped-def]
        cli, tmp_path: Path) -> None:
    source = tmp_path / "posts.jsonl"
    source.write_text(json.dumps({
        "id": "customers:p1", "kind": "post", "audience": "customer", "title": "",
        "text": "Invoice charged twice this month,\nand support has not answered yet."}) + "\n")
    cli("index", "jsonl", str(source))
    lines = cli("search", "invoice charged twice").output.splitlines()
    assert lines[0].startswith(" 1. Invoice charged twice this month, and support")
    assert lines[1] == "    Invoice charged twice this month, and support has not answered yet."


def test_search_points_a_who_knows_question_at_its_command(cli) -> None:  # type: ignore[no-untyped-def]
    cli("index", "jsonl", str(DATA / "mini.jsonl"))
    asked = cli("search", "who knows about consumer lag")
    assert "try `socialsearch experts 'consumer lag'`" in asked.stderr
    assert asked.stdout.startswith(" 1. ")  # the documents still follow, on stdout
    voice = cli("search", "what are customers saying?")
    assert "try `socialsearch voice`." in voice.stderr
    assert "hint" not in cli("search", "consumer lag").stderr
    assert json.loads(cli("search", "who knows about kafka", "--json").stdout)["hits"]


def test_index_rescores_posts_scored_by_another_sentiment_model(  # type: ignore[no-untyped-def]
        cli, tmp_path: Path) -> None:
    """After an upgrade changes the serving model, the next index run re-scores stored posts."""
    import sqlite3

    first = json.loads(cli("index", "jsonl", str(DATA / "mini.jsonl"), "--json").stdout)
    assert first["sentiment_rescored"] == 0
    db = sqlite3.connect(tmp_path / "d" / "store.db")
    with db:
        db.execute("UPDATE sentiment SET model = 'minilm-vader-lr-0', text_hash = 'by-lr-0'")
    again = json.loads(cli("index", "jsonl", str(DATA / "mini.jsonl"), "--json").stdout)
    assert again["unchanged"] == 4 and again["sentiment_rescored"] == 1
    assert db.execute("SELECT DISTINCT model FROM sentiment").fetchall() == [("vader-3.3.2",)]
    db.close()
    text = cli("index", "jsonl", str(DATA / "mini.jsonl")).output
    assert "re-scored" not in text


def test_clear_errors(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("index", "nosuchindexer", "x")
    assert result.exit_code != 0 and "unknown indexer" in result.output
    result = cli("index", "jsonl", "/no/such/path")
    assert result.exit_code != 0 and "does not exist" in result.output
    csv = DATA / "customers" / "good" / "tweets.csv"
    result = cli("index", "jsonl", str(csv))  # a CSV given to the JSON Lines indexer
    assert result.exit_code != 0 and "is not JSON Lines" in result.output
    assert "customers indexer" in result.output and "added" not in result.output
    for command in (("search", "kafka"), ("stats",), ("doctor",), ("experts", "kafka")):
        result = cli(*command)  # nothing indexed: a mistyped --data-dir, most likely
        assert result.exit_code == 1 and "no store in" in result.output
    assert not (tmp_path / "d" / "store.db").exists()
    cli("index", "jsonl", str(DATA / "mini.jsonl"))
    result = cli("search", "   ")
    assert result.exit_code != 0 and "empty" in result.output
    result = cli("search", "x", "--since", "banana")
    assert result.exit_code != 0 and "bad date" in result.output


def test_reindex_and_corrupt_index_recovery(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("index", "jsonl", str(DATA / "mini.jsonl"))
    (tmp_path / "d" / "vector" / "vectors.faiss").write_bytes(b"junk")
    broken = cli("search", "kafka")
    assert broken.exit_code != 0 and "reindex" in broken.output
    assert "reindexed 4 documents" in cli("reindex").output
    assert "wiki:kafka" in cli("search", "kafka").output


def test_a_damaged_keyword_segment_is_a_clear_error_and_doctor_repairs_it(  # type: ignore[no-untyped-def]
        cli, tmp_path: Path) -> None:
    cli("index", "jsonl", str(DATA / "mini.jsonl"))
    for segment in (tmp_path / "d" / "keyword").glob("*.seg"):
        segment.write_bytes(b"\x07" * 1000)
    for command in (("search", "kafka"), ("stats",), ("doctor",)):
        broken = cli(*command)
        assert broken.exit_code == 1 and "run `socialsearch reindex`" in broken.output
        assert "Traceback" not in broken.output
    repaired = cli("doctor", "--repair")
    assert repaired.exit_code == 0 and "rebuilding" in repaired.output
    assert "healthy" in repaired.output and "wiki:kafka" in cli("search", "kafka").output


def test_eval_scores_a_run(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("index", "jsonl", str(DATA / "mini.jsonl"))
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("query-id\tcorpus-id\tscore\r\nq1\twiki:kafka\t1\r\nq2\twiki:billing\t1\r\n")
    queries = tmp_path / "q.tsv"
    queries.write_text("q1\tconsumer lag\nq2\trefund invoices\n")
    out = cli("eval", "--qrels", str(qrels), "--queries", str(queries), "--output",
              str(tmp_path / "run.trec")).output
    assert "ndcg@10      1.0000" in out
    scored = cli("eval", "--qrels", str(qrels), "--run", str(tmp_path / "run.trec")).output
    assert "mrr@10       1.0000" in scored


@pytest.mark.parametrize("module", ["search", "search.cli"])
def test_runs_as_a_module(module: str) -> None:
    """``python -m search`` and ``python -m search.cli`` both run the whole command line."""
    out = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True,
                         text=True, check=True)
    assert "experts" in out.stdout and "sentiment" in out.stdout
    bad = subprocess.run([sys.executable, "-m", module, "no-such-command"], capture_output=True,
                         text=True)
    assert bad.returncode == 2 and "No such command" in bad.stderr


@pytest.mark.parametrize("module", ["search.voice_cli", "search.experts_cli", "search.index_cli",
                                    "search.sentiment_cli"])
def test_a_command_module_imports_on_its_own(module: str) -> None:
    """Each command module imports first, in a fresh interpreter (no cycle through search.cli)."""
    run = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr


def test_what_a_run_leaves_out_on_purpose_is_said(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("index", "mediawiki", str(DATA / "mediawiki" / "export.xml"))
    assert result.exit_code == 0, result.output
    assert "left out on purpose: redirects (1)" in result.stdout
    assert "failed" not in result.stderr  # a redirect is no failure
    assert "; left out on purpose: redirects (1)" in cli("sources").stdout
    report = json.loads(cli("index", "mediawiki", str(DATA / "mediawiki" / "export.xml"),
                            "--json").stdout)
    assert report["left_out"] == {"redirects": 1} and report["failed"] == 0


def test_sources_show_people_and_an_absolute_path(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(DATA.parent)  # a relative path, as typed
    assert cli("index", "directory", "data/directory/good").exit_code == 0
    out = cli("sources").stdout
    assert "7 people, 0 failed" in out
    assert f"path {DATA / 'directory' / 'good'}" in out
