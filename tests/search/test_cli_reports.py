"""Command-line reports from the p27 CLI findings: failures left out, plurals, progress bars,
--explain, eval, Ctrl-C in reindex and an unknown --user."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from search.voice_cli import render_report

DATA = Path(__file__).resolve().parents[1] / "data"



def _bad_dates(path: Path, rows: int) -> Path:
    """Write a customer-post CSV with one good row and ``rows`` rows of unreadable dates."""
    lines = ["id,text,date", "1,the app works,2024-01-02"]
    lines += [f"{i},post {i},notadate" for i in range(2, rows + 2)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_index_says_how_many_failures_it_does_not_show(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("index", "customers", str(_bad_dates(tmp_path / "many.csv", 30)))
    assert result.exit_code == 0, result.output
    assert result.stderr.count("  failed many.csv:") == 10
    assert "… and 20 more (--json lists them all)" in result.stderr
    report = json.loads(cli("index", "customers", str(_bad_dates(tmp_path / "more.csv", 60)),
                            "--source", "more", "--json").stdout)
    assert report["failed"] == 60 and len(report["failures"]) == 50
    assert report["failures_not_listed"] == 10
    text = cli("index", "customers", str(tmp_path / "more.csv"), "--source", "more").stderr
    assert "… and 50 more (--json lists the first 50 of 60)" in text
    rows = {r["source"]: r for r in json.loads(cli("sources", "--json").stdout)}
    assert rows["customers:more"]["report"]["failures_not_listed"] == 10
    assert rows["customers:customers"]["report"]["failures_not_listed"] == 0
    assert "60 failed (10 of them not listed in --json)" in cli("sources").output


def test_explain_prints_a_dash_for_a_leg_that_missed_and_counts_are_worded(cli) -> None:  # type: ignore[no-untyped-def]
    cli("index", "jsonl", str(DATA / "mini.jsonl"))
    out = cli("search", "zeppelin airship", "--explain").output  # found by meaning only
    assert "keyword rank -" in out and "None" not in out
    out = cli("search", "refunds", "--fusion", "keyword").output
    assert "1 candidate; showing 1-1" in out


def test_label_import_of_one_label_is_singular(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("index", "jsonl", str(DATA / "mini.jsonl"))
    labels = tmp_path / "labels.csv"
    labels.write_text("post_id,label\ncustomers:1,negative\n", encoding="utf-8")
    out = cli("sentiment", "label", "--import", str(labels)).output
    assert "imported 1 label (" in out and "0 rows rejected" in out


def test_re_scoring_draws_no_progress_bar_when_stderr_is_no_terminal(  # type: ignore[no-untyped-def]
        cli, tmp_path: Path) -> None:
    cli("index", "jsonl", str(DATA / "mini.jsonl"))
    db = sqlite3.connect(tmp_path / "d" / "store.db")
    with db:
        db.execute("UPDATE sentiment SET model = 'minilm-vader-lr-0', text_hash = 'by-lr-0'")
    db.close()
    result = cli("index", "jsonl", str(DATA / "mini.jsonl"))
    assert "re-scored 1 customer post with" in result.stdout
    assert "re-scoring customer posts" not in result.stderr and "\r" not in result.stderr


def test_eval_warns_about_judged_queries_without_text(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("index", "jsonl", str(DATA / "mini.jsonl"))
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("q1\t0\twiki:kafka\t1\nq2\t0\twiki:billing\t1\nq3\t0\twiki:billing\t1\n")
    queries = tmp_path / "q.tsv"
    queries.write_text("q1\tconsumer lag\n")
    result = cli("eval", "--qrels", str(qrels), "--queries", str(queries))
    assert result.exit_code == 0 and "ndcg@10" in result.stdout
    assert "warning: 2 judged queries have no text in" in result.stderr
    queries.write_text("q1\tconsumer lag\nq2\trefunds\nq3\tinvoices\n")
    assert "warning" not in cli("eval", "--qrels", str(qrels), "--queries", str(queries)).stderr
    queries.write_text("x1\tconsumer lag\n")
    result = cli("eval", "--qrels", str(qrels), "--queries", str(queries))
    assert result.exit_code == 1 and "none of the 3 judged queries has a text" in result.output
    result = cli("eval", "--qrels", str(qrels), "--queries", str(qrels))
    assert result.exit_code == 2 and "--queries names the qrels file" in result.output


def test_ctrl_c_during_reindex_says_what_state_the_indexes_are_in(  # type: ignore[no-untyped-def]
        cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from search.engine import SearchEngine

    cli("index", "jsonl", str(DATA / "mini.jsonl"))
    sync = SearchEngine.sync

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt  # the indexes were cleared, none of the store is back in yet

    monkeypatch.setattr(SearchEngine, "sync", interrupted)
    result = cli("reindex")
    assert result.exit_code == 130
    assert "interrupted: the store is unchanged" in result.stderr
    assert "Aborted" not in result.output
    monkeypatch.setattr(SearchEngine, "sync", sync)
    doctor = cli("doctor").output  # the next command catches the indexes up, as promised
    assert "store 4 docs" in doctor and "keyword 4" in doctor and "healthy" in doctor


def test_an_unknown_user_is_warned_about(cli) -> None:  # type: ignore[no-untyped-def]
    cli("index", "jsonl", str(DATA / "mini.jsonl"))
    result = cli("search", "kafka", "--user", "nosuch.person")
    assert result.exit_code == 0
    assert "warning: --user 'nosuch.person' is not in the directory" in result.stderr
    assert "warning" not in cli("search", "kafka", "--user", "u.bob").stderr
    assert "warning" not in cli("search", "kafka").stderr


def _report(**changes: Any) -> dict[str, Any]:
    """Return a minimal voice report dict (as ``VoiceReport.to_dict`` gives)."""
    sentiment = {"negative": 1, "neutral": 0, "positive": 0, "mean_score": -0.5}
    data: dict[str, Any] = {
        "topic": "*", "total": 1, "sentiment": sentiment, "bucket": "day",
        "previous": {"days": 1868.49, "total": 1, "sentiment": sentiment},
        "timeline": [{"label": "2016-02-03", "count": 1}], "spikes": [], "themes": [],
        "most_negative": [], "most_positive": [], "influencers": [],
        "internal_documents": [], "experts": [], "notes": []}
    return data | changes


def test_voice_report_examples_sit_on_one_line_cut_at_a_word() -> None:
    text = (".@boennemann talks about how to get rid of dependency hell\n\n#jsconfeu "
            "http://t.co/C6Gh32spnd " + "and then some more words to read " * 6)
    post = {"text": text, "author_name": "André Ruffert", "id": "twitter:1"}
    report = render_report(_report(most_negative=[post]))
    line = next(x for x in report.splitlines() if x.startswith("  - "))
    assert line.startswith("  - .@boennemann talks about how to get rid of dependency hell "
                           "#jsconfeu t.co/C6Gh32spnd and then")  # links shortened, as on the page
    assert line.endswith("… (André Ruffert)")
    shown = line[4:-len(" (André Ruffert)") - 1]
    assert len(shown) < 160
    assert text.replace("\n\n", " ").replace("http://", "").startswith(shown + " ")


def test_voice_report_counts_are_worded() -> None:
    report = render_report(_report())
    assert "1 post · 1 negative" in report
    assert "the 1,868 days before: 1 post ·" in report and "1868.49" not in report
    assert "1 day bucket from 2016-02-03 to 2016-02-03; busiest 2016-02-03 (1 post)" in report
    day = _report(previous={"days": 1.0, "total": 3, "sentiment": _report()["sentiment"]})
    assert "the day before: 3 posts" in render_report(day)
    hours = _report(previous={"days": 0.25, "total": 0, "sentiment": _report()["sentiment"]})
    assert "the 6 hours before: 0 posts" in render_report(hours)
