"""The ``socialsearch sentiment`` commands: label, queue, train, models, use, prune."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import main
from tests.voice.conftest import corpus
from tests.voice.test_voice_cli import ENV, indexed


def run(runner: CliRunner, data: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(main, ["--data-dir", data, "sentiment", *args], env=ENV)
    return result.exit_code, result.output


def test_label_queue_train_models_use(tmp_path: Path, runner: CliRunner) -> None:
    data = indexed(tmp_path)
    code, out = run(runner, data, "label", "tw:0", "neg", "--who", "ann")
    assert code == 0 and "labelled tw:0 negative (by ann)" in out
    code, out = run(runner, data, "label", "1", "pos", "--who", "ann")  # a native id, as import
    assert code == 0 and "labelled tw:1 positive (by ann)" in out
    code, out = run(runner, data, "label", "tw:nope", "negative")
    assert code == 1 and "no stored post 'tw:nope'" in out
    code, out = run(runner, data, "label", "tw:2", "skip", "--who", "ann")
    assert code == 0 and "skipped tw:2 (by ann): it leaves the labelling queue" in out
    code, out = run(runner, data, "label", "tw:2", "meh")
    assert code == 1 and "use negative, neutral, positive (or skip when you cannot tell)" in out
    code, out = run(runner, data, "queue", "--limit", "5", "--json", "--all")
    queue = json.loads(out)
    assert code == 0 and len(queue) == 5 and not {"tw:0", "tw:2"} & {q["id"] for q in queue}
    rows = ["post_id,label"] + [
        f"{d.id},{'negative' if 'wifi' in d.text.lower() else 'positive'}" for d in corpus()]
    rows.append("tw:999,positive")
    csv_path = tmp_path / "labels.csv"
    csv_path.write_text("\n".join(rows) + "\n")
    code, out = run(runner, data, "label", "--import", str(csv_path), "--who", "ann")
    assert code == 0, out
    assert f"line {len(rows)}: no stored post 'tw:999'" in out
    assert f"imported {len(corpus())} labels" in out
    code, out = run(runner, data, "train", "--json", "--folds", "3")
    assert code == 0, out
    trained = json.loads(out)
    assert trained["promoted"] and trained["rescored"] == len(corpus())
    assert trained["cross_validation"]["folds"] == 3
    version = trained["version"]
    code, out = run(runner, data, "models")
    assert code == 0 and f"serving: {version}" in out and f"* {version}  active" in out
    code, out = run(runner, data, "use", "shipped")
    assert code == 0 and "now serving shipped" in out and f"re-scored {len(corpus())}" in out
    code, out = run(runner, data, "models", "--json")
    listed = json.loads(out)
    assert listed["serving"] == "vader-3.3.2" and listed["versions"][0]["status"] == "retired"
    code, out = run(runner, data, "use", "company-nope")
    assert code == 1 and "no sentiment model version" in out


def test_train_text_output_and_bad_input(tmp_path: Path, runner: CliRunner) -> None:
    data = indexed(tmp_path)
    for doc in corpus()[:10]:
        run(runner, data, "label", doc.id, "positive")
    code, out = run(runner, data, "train")
    assert code == 1 and "only 10 labels" in out and "current model keeps serving" in out
    for doc in corpus():
        run(runner, data, "label", doc.id,
            "negative" if "wifi" in doc.text.lower() else "positive")
    code, out = run(runner, data, "train")
    assert code == 0, out
    assert "PROMOTED" in out and "Held-out labels" in out and "confusion" in out
    # the verdict quotes the very figures of the held-out table (one rounding, not two)
    verdict = re.search(r"held-out macro-F1 (\S+) vs current \S+ (\S+)", out)
    assert verdict is not None
    assert re.search(rf"candidate +macro-F1 {re.escape(verdict[1])} ", out)
    assert re.search(rf"current +macro-F1 {re.escape(verdict[2].rstrip(':'))} ", out)
    code, out = run(runner, data, "label")
    assert code == 2 and "POST_ID LABEL" in out


def test_fine_tune_without_the_module_is_a_clear_message(tmp_path: Path, runner: CliRunner,
                                                         monkeypatch) -> None:
    import sys

    data = indexed(tmp_path)
    for doc in corpus():
        run(runner, data, "label", doc.id, "negative" if "wifi" in doc.text.lower() else "positive")
    monkeypatch.setitem(sys.modules, "search.sentiment_finetune", None)
    code, out = run(runner, data, "train", "--fine-tune")
    assert code == 1 and "fine-tuning is not available" in out
    code, out = run(runner, data, "models", "--json")
    assert json.loads(out)["versions"] == []


def test_fine_tune_epochs_reach_the_fine_tune(tmp_path: Path, runner: CliRunner,
                                              monkeypatch) -> None:
    import search.sentiment_finetune as finetune_module

    data = indexed(tmp_path)
    for doc in corpus():
        run(runner, data, "label", doc.id, "negative" if "wifi" in doc.text.lower() else "positive")

    def refuse(texts: list[str], labels: list[str], out: Path, *, epochs: int) -> Path:
        raise finetune_module.FineTuneError(f"asked for epochs={epochs}")

    monkeypatch.setattr(finetune_module, "fine_tune", refuse)
    code, out = run(runner, data, "train", "--epochs", "2")
    assert code == 2 and "--epochs applies to a fine-tune" in out
    code, out = run(runner, data, "train", "--fine-tune", "--epochs", "2")
    assert code == 1 and "asked for epochs=2" in out and "current model keeps serving" in out
    code, out = run(runner, data, "train", "--fine-tune")
    assert code == 1 and f"asked for epochs={finetune_module.FINETUNE_EPOCHS}" in out
    code, out = run(runner, data, "train", "--help")
    assert f"default {finetune_module.FINETUNE_EPOCHS}," in out
    code, out = run(runner, data, "models", "--json")
    assert json.loads(out)["versions"] == []


def test_a_killed_fine_tune_resumes_in_the_same_directory(
        tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    import search.sentiment_finetune as finetune_module

    data = indexed(tmp_path)
    for doc in corpus():
        run(runner, data, "label", doc.id, "negative" if "wifi" in doc.text.lower() else "positive")
    dirs: list[Path] = []

    def killed(texts: list[str], labels: list[str], out: Path, *, epochs: int) -> Path:
        dirs.append(out)
        (out / finetune_module.CHECKPOINT).parent.mkdir(parents=True, exist_ok=True)
        (out / finetune_module.CHECKPOINT).write_bytes(b"steps so far")
        raise finetune_module.FineTuneError("killed")

    monkeypatch.setattr(finetune_module, "fine_tune", killed)
    run(runner, data, "train", "--fine-tune")
    out = run(runner, data, "train", "--fine-tune")[1]
    assert len(dirs) == 2 and dirs[0] == dirs[1] and "resuming a killed run" in out
    changed = next(d for d in corpus() if "wifi" not in d.text.lower())
    run(runner, data, "label", changed.id, "negative")  # other labels start afresh
    run(runner, data, "train", "--fine-tune")
    assert dirs[2] != dirs[0]


def test_import_of_a_non_utf8_csv_says_how_to_fix_it(tmp_path: Path, runner: CliRunner) -> None:
    data = indexed(tmp_path)
    csv_path = tmp_path / "excel.csv"
    csv_path.write_bytes("post_id,label\ntw:0,négatif\n".encode("cp1252"))
    code, out = run(runner, data, "label", "--import", str(csv_path))
    assert code == 1 and "not UTF-8 text (byte 0xe9 on line 2)" in out
    assert "save it as 'CSV UTF-8'" in out and "codec" not in out


def test_models_says_when_a_killed_re_scoring_left_posts_behind(tmp_path: Path,
                                                                 runner: CliRunner) -> None:
    import sqlite3

    data = indexed(tmp_path)
    for doc in corpus():
        run(runner, data, "label", doc.id, "negative" if "wifi" in doc.text.lower() else "positive")
    code, out = run(runner, data, "train", "--json")
    version = json.loads(out)["version"]
    with sqlite3.connect(Path(data) / "store.db") as db:  # as if killed after the first posts
        db.execute("UPDATE sentiment SET model = 'old', text_hash = 'old' WHERE num <= 3")
    code, out = run(runner, data, "models")
    assert code == 0 and "3 customer posts are not scored by the serving model yet" in out
    assert f"`socialsearch sentiment use {version}` finishes it" in out
    assert json.loads(run(runner, data, "models", "--json")[1])["stale_posts"] == 3
    code, out = run(runner, data, "use", version)
    assert code == 0 and "re-scored 3 customer posts" in out
    assert "not scored" not in run(runner, data, "models")[1]
    vader = runner.invoke(main, ["--data-dir", data, "sentiment", "models"],
                          env={**ENV, "SOCIALSEARCH_SENTIMENT_MODEL": "vader"}).output
    assert (f"{len(corpus())} customer posts are not scored by the serving model yet (the "
            "sentiment_model setting changed); the next `socialsearch index`") in vader


def test_prune_removes_only_orphan_fine_tunes(tmp_path: Path, runner: CliRunner) -> None:
    import os
    import shutil
    from datetime import UTC, datetime

    from search.config import Settings
    from search.embedder import HashingEmbedder
    from search.engine import SearchEngine
    from search.sentiment import HEAD_PATH
    from search.sentiment_finetune import CHECKPOINT
    from search.sentiment_versions import ModelVersion, activate, load_version, register

    data = indexed(tmp_path)
    models = Path(data) / "models" / "sentiment"

    def folder(name: str, *files: str) -> Path:
        path = models / name
        (path / "model").mkdir(parents=True)
        shutil.copy(HEAD_PATH, path / "model" / "sentiment_head.npz")
        (path / "model" / "modules.json").write_text("[]")
        for file in files:
            (path / file).write_bytes(b"x" * 2500)
        return path

    rollback, serving = folder("finetune-rollback"), folder("finetune-serving")
    orphan, killed = folder("finetune-orphan", "weights.bin"), folder("finetune-killed", CHECKPOINT)
    fresh = folder("finetune-fresh")
    stale_copy = serving / ".model.tmp-4242"  # a killed fine-tune's half-written model
    stale_copy.mkdir()
    (stale_copy / "weights.bin").write_bytes(b"x" * 1000)
    stray_head = models / "company-9.npz"  # written, then the train was killed before storing it
    shutil.copy(HEAD_PATH, stray_head)
    stray_tmp = models / ".company-8-abc.tmp"
    stray_tmp.write_bytes(b"x" * 300)
    busy_tmp = models / ".company-10-def.tmp"  # a run writing now
    busy_tmp.write_bytes(b"x" * 300)
    stored_head = models / "company-3.npz"
    shutil.copy(HEAD_PATH, stored_head)
    week_ago = datetime.now(UTC).timestamp() - 7 * 86400
    for path in (rollback, serving, orphan, killed, stray_head, stray_tmp, stored_head):
        for item in [path, *path.rglob("*")]:
            os.utime(item, (week_ago, week_ago))
    engine = SearchEngine(Settings(data_dir=data, embedder="hashing"), embedder=HashingEmbedder())
    for name, path in (("company-1", rollback), ("company-2", serving)):
        register(engine.store, ModelVersion(
            name, datetime.now(UTC), "ann", "fine-tune", f"models/sentiment/{path.name}/model",
            40, {}, {}, {}, "candidate", None), None, promote=True)
    register(engine.store, ModelVersion(
        "company-3", datetime.now(UTC), "ann", "head", "models/sentiment/company-3.npz",
        40, {}, {}, {}, "candidate", None), stored_head.read_bytes(), promote=False)
    size = sum(p.stat().st_size for p in orphan.rglob("*") if p.is_file())
    freed = size + 1000 + stray_head.stat().st_size + 300
    code, out = run(runner, data, "prune", "--dry-run")
    assert code == 0 and f"would remove {orphan}" in out and orphan.is_dir()
    assert f"would remove {stray_head}" in out and stray_head.is_file()
    named = runner.invoke(main, ["--data-dir", data, "sentiment", "prune", "--dry-run"], env={
        **ENV, "SOCIALSEARCH_SENTIMENT_MODEL": str(orphan / "model")}).output
    assert f"kept {orphan}: used by the sentiment_model setting" in named and orphan.is_dir()
    code, out = run(runner, data, "prune")
    assert code == 0, out
    assert f"removed {orphan} ({size / 1000:.1f} KB)" in out
    assert f"removed {stale_copy} (1.0 KB)" in out and f"removed {stray_tmp} (300 B)" in out
    assert f"removed {stray_head} (" in out
    assert f"freed {freed / 1000:.1f} KB (4 removed, 6 kept)" in out
    assert f"kept {stored_head}: used by stored version company-3" in out
    assert f"kept {busy_tmp}: changed in the last 60 minutes" in out
    assert f"kept {rollback}: used by stored version company-1" in out
    assert f"kept {killed}: checkpoint of an unfinished fine-tune" in out
    assert f"kept {fresh}: changed in the last 60 minutes" in out
    assert not orphan.exists() and all(p.is_dir() for p in (rollback, serving, killed, fresh))
    assert not stale_copy.exists() and not stray_head.exists() and not stray_tmp.exists()
    assert stored_head.is_file() and busy_tmp.is_file() and (serving / "model").is_dir()
    activate(engine, "company-1")  # the rollback target still loads after pruning
    assert load_version(engine, "company-1").version == "company-1"
    engine.close()
    assert json.loads(run(runner, data, "prune", "--json")[1])["removed"] == []


def test_one_train_use_or_prune_at_a_time(tmp_path: Path, runner: CliRunner) -> None:
    from search.cli_lock import SENTIMENT_LOCK, writer_lock

    data = indexed(tmp_path)
    with writer_lock(Path(data), "sentiment train --fine-tune", name=SENTIMENT_LOCK):
        for args in (["train"], ["use", "shipped"], ["prune"]):
            code, out = run(runner, data, *args)
            assert code == 1, (args, out)
            assert "another socialsearch process is training, switching or pruning" in out
            assert "(pid " in out and "sentiment train --fine-tune" in out
            assert "nothing was changed" in out
        code, out = run(runner, data, "models")  # reading is never blocked
        assert code == 0 and "serving:" in out
    code, out = run(runner, data, "prune")
    assert code == 0 and "freed" in out
