"""``socialsearch sentiment …``: label posts, see the labelling queue, train, list and pick models.

Heavy modules (numpy, scikit-learn, the engine) are imported inside the commands.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from search.cli_context import Context, make_principal, pass_ctx, principal_options, progress_bar
from search.wording import plural


def _who(value: str | None) -> str:
    if value:
        return value
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@contextmanager
def _models_lock(obj: Context, what: str) -> Iterator[None]:
    """Hold the data directory's sentiment-models lock: one train, use or prune at a time."""
    from search.cli_lock import SENTIMENT_LOCK, WriterBusyError, writer_lock

    try:
        with writer_lock(obj.settings().data_path, what, name=SENTIMENT_LOCK,
                         busy="training, switching or pruning sentiment models in"):
            yield
    except WriterBusyError as exc:
        raise click.ClickException(f"{exc}; nothing was changed") from exc


sentiment_group: click.Group = click.Group(
    "sentiment",
    help="Teach sentiment the company's own voice: labels, queue, training, model versions.")


@sentiment_group.command("label")
@click.argument("post_id", required=False)
@click.argument("label", required=False)
@click.option("--import", "import_path", type=click.Path(dir_okay=False, path_type=Path),
              help="CSV (comma, semicolon, tab or pipe separated) with a post_id or text "
                   "column and a label column.")
@click.option("--who", help="Who gives the labels (default: cli:<login name>).")
@click.option("--json", "as_json", is_flag=True, help="Print the import report as JSON.")
@pass_ctx
def label_command(obj: Context, post_id: str | None, label: str | None,
                  import_path: Path | None, who: str | None, as_json: bool) -> None:
    """Label POST_ID as LABEL (negative/neutral/positive, or skip when you cannot tell: the
    post leaves the queue and trains nothing), or import a CSV of labels."""
    from search.sentiment_labels import (
        SKIP,
        LabelError,
        find_post_id,
        import_labels,
        record_label,
    )

    if import_path is None and (post_id is None or label is None):
        raise click.UsageError("give POST_ID LABEL, or --import labels.csv")
    if import_path is not None and post_id is not None:
        raise click.UsageError("give either POST_ID LABEL or --import, not both")
    engine = obj.engine()
    if import_path is None:
        try:
            doc_id = find_post_id(engine.store, str(post_id))
            row = record_label(engine.store, str(label), _who(who), doc_id=doc_id)
        except LabelError as exc:
            raise click.ClickException(str(exc)) from exc
        if row.label == SKIP:
            click.echo(f"skipped {row.doc_id} (by {row.who}): it leaves the labelling queue")
        else:
            click.echo(f"labelled {row.doc_id} {row.label} (by {row.who})")
        return
    try:
        report = import_labels(engine.store, read_csv(import_path), _who(who))
    except LabelError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
        return
    for line, reason in report.problems:
        click.echo(f"line {line}: {reason}", err=True)
    click.echo(f"imported {plural(report.imported, 'label')} ({report.by_text} matched by text, "
               f"{report.text_only} text-only); {plural(len(report.problems), 'row')} rejected")


def read_csv(path: Path) -> str:
    """Return the text of a UTF-8 CSV file, or raise a ClickException saying what is wrong."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"cannot read {path}: {exc}") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise click.ClickException(
            f"cannot read {path}: it is not UTF-8 text (byte 0x{data[exc.start]:02x} on line "
            f"{line}); save it as 'CSV UTF-8' and import it again; nothing was imported") from exc


@sentiment_group.command("queue")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 500),
              help="How many posts to list.")
@click.option("--json", "as_json", is_flag=True, help="Print the queue as JSON.")
@principal_options
@pass_ctx
def queue_command(obj: Context, limit: int, as_json: bool, user: str | None,
                  groups: tuple[str, ...], see_all: bool) -> None:
    """List the unlabelled customer posts whose labels would teach the model the most."""
    from search.labelling_queue import labelling_queue
    from search.snippets import own_title

    engine = obj.engine()
    items = labelling_queue(engine, make_principal(user, groups, see_all, engine), limit)
    if as_json:
        click.echo(json.dumps([i.to_dict() for i in items], indent=2))
        return
    if not items:
        click.echo("nothing to label: no unlabelled customer posts you may read")
        return
    for item in items:
        text = " ".join(f"{own_title(item.doc.title, item.doc.text)} {item.doc.text}".split())
        click.echo(f"{item.doc.id}\t{item.predicted}?\tunsure {item.uncertainty:.2f}\t"
                   f"{text[:120]}")
    click.echo("label one with: socialsearch sentiment label POST_ID negative|neutral|positive"
               " (or skip when you cannot tell)")


def _scores_line(name: str, s: dict[str, Any]) -> str:
    return f"  {name:<28} macro-F1 {s['macro_f1']:.4f}  accuracy {s['accuracy']:.4f}"


def render_training(data: dict[str, Any]) -> str:
    """Return a training result (``TrainingResult.to_dict``) as readable text."""
    lines = [click.style(f"Model {data['version']}: "
                         f"{'PROMOTED' if data['promoted'] else 'stored, not promoted'}",
                         bold=True), f"  {data['reason']}",
             f"  {plural(data['labels'], 'label')}; "
             f"{plural(data['conflicting_posts'], 'post')} with conflicting labels (newest "
             f"wins); {plural(data['labels_on_deleted_posts'], 'label')} on deleted posts"]
    lines.append(click.style("Held-out labels (20%)", bold=True))
    lines += [_scores_line(k, v) for k, v in data["heldout"].items()]
    cv = data["cross_validation"]
    if cv:
        lines.append(click.style(f"Cross-validation ({cv['folds']} folds, same folds for all)",
                                 bold=True))
        lines.append(_scores_line("company head", cv["model"]))
        lines += [_scores_line(k, v) for k, v in cv["baselines"].items()]
        lines.append("  per class (company head):  precision  recall    f1  support")
        for label, r in cv["model"]["report"].items():
            lines.append(f"    {label:<24} {r['precision']:9.3f} {r['recall']:7.3f} "
                         f"{r['f1']:5.3f} {int(r['support']):8d}")
        labels = cv["model"]["confusion"]["labels"]
        lines.append("  confusion (rows true, columns predicted): "
                     + " ".join(f"{lab[:3]:>5}" for lab in labels))
        for label, row in zip(labels, cv["model"]["confusion"]["rows"], strict=True):
            lines.append(f"    {label:<38}" + " ".join(f"{v:5d}" for v in row))
    return "\n".join(lines)


@sentiment_group.command("train")
@click.option("--fine-tune", is_flag=True, help="Fine-tune MiniLM itself on CPU (minutes).")
@click.option("--epochs", type=click.IntRange(1, 20), default=None,
              help="Epochs of the fine-tune (default 3, chosen on a development split).")
@click.option("--force", is_flag=True, help="Promote even if it does not beat the current model.")
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 20),
              help="Cross-validation folds.")
@click.option("--who", help="Who trains (default: cli:<login name>).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@pass_ctx
def train_command(obj: Context, fine_tune: bool, epochs: int | None, force: bool, folds: int,
                  who: str | None, as_json: bool) -> None:
    """Train a model on the stored labels; promote it if it beats the current one."""
    from search.sentiment_trainer import train

    if epochs is not None and not fine_tune:
        raise click.UsageError("--epochs applies to a fine-tune: add --fine-tune")
    say = (lambda _m: None) if as_json else (lambda m: click.echo(m, err=True))
    with _models_lock(obj, "sentiment train" + (" --fine-tune" if fine_tune else "")):
        engine = obj.engine()
        try:
            result = train(engine, _who(who), force=force, folds=folds, fine_tune=fine_tune,
                           epochs=epochs, progress=say)
        except ValueError as exc:
            raise click.ClickException(f"{exc}; nothing was promoted, the current model keeps "
                                       "serving") from exc
        data = result.to_dict()
        if result.promoted:
            data["rescored"] = rescore_stale(engine, quiet=as_json)
    click.echo(json.dumps(data, indent=2) if as_json else render_training(data))


def rescore_stale(engine: Any, quiet: bool = False) -> int:
    """Re-score stored customer posts not scored by the serving model, with a progress bar."""
    from search.sentiment_store import model_for
    from search.sentiment_versions import rescore, stale_posts

    todo = stale_posts(engine.store, model_for(engine).version)
    if not todo:
        return 0
    with progress_bar("re-scoring customer posts", len(todo), unit="post", quiet=quiet,
                      leave=False) as bar:
        return rescore(engine, bar.update, todo)


@sentiment_group.command("models")
@click.option("--json", "as_json", is_flag=True, help="Print the versions as JSON.")
@pass_ctx
def models_command(obj: Context, as_json: bool) -> None:
    """List the trained model versions, their scores and which one serves."""
    from search.sentiment_store import model_for
    from search.sentiment_versions import list_versions, stale_posts

    engine = obj.engine()
    versions = list_versions(engine.store)
    serving = model_for(engine).version
    stale = len(stale_posts(engine.store, serving))
    if as_json:
        click.echo(json.dumps({"serving": serving, "stale_posts": stale,
                               "versions": [v.to_dict() for v in versions]}, indent=2))
        return
    click.echo(f"serving: {serving}")
    if stale:
        click.echo(_stale_hint(engine, stale, versions), err=True)
    for v in versions:
        held = v.heldout.get("candidate", {})
        score = f"held-out macro-F1 {held['macro_f1']:.4f}" if held else "no held-out score"
        mark = "*" if v.status == "active" else " "
        click.echo(f"{mark} {v.version}  {v.status:<9} {v.kind:<9} {v.labels:6d} labels  "
                   f"{score}  by {v.created_by} {v.created:%Y-%m-%d %H:%M}")
    if not versions:
        click.echo("no trained models yet: label posts, then `socialsearch sentiment train`")


def _stale_hint(engine: Any, stale: int, versions: list[Any]) -> str:
    """Say how many customer posts another model scored (an interrupted re-scoring) and the fix."""
    line = (f"{plural(stale, 'customer post')} {'is' if stale == 1 else 'are'} not scored by "
            "the serving model yet")
    if engine.settings.sentiment_model != "auto":
        return (f"{line} (the sentiment_model setting changed); the next "
                "`socialsearch index` re-scores them")
    line += " (re-scoring was interrupted)"
    active = next((v.version for v in versions if v.status == "active"), "shipped")
    return f"{line}; `socialsearch sentiment use {active}` finishes it"


@sentiment_group.command("use")
@click.argument("version")
@pass_ctx
def use_command(obj: Context, version: str) -> None:
    """Serve VERSION from now on ('shipped' for the model shipped with socialsearch)."""
    from search.sentiment_versions import VersionError, activate

    with _models_lock(obj, f"sentiment use {version}"):
        engine = obj.engine()
        try:
            activate(engine, version)
        except VersionError as exc:
            raise click.ClickException(str(exc)) from exc
        count = rescore_stale(engine, quiet=False)
    click.echo(f"now serving {version}; re-scored {plural(count, 'customer post')}")


@sentiment_group.command("prune")
@click.option("--dry-run", is_flag=True, help="Say what would be removed; remove nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print what was removed and kept as JSON.")
@pass_ctx
def prune_command(obj: Context, dry_run: bool, as_json: bool) -> None:
    """Delete fine-tunes, heads and temporary files that no stored version or run uses."""
    from search.sentiment_prune import human_size, prune_finetunes

    with _models_lock(obj, "sentiment prune"):
        report = prune_finetunes(obj.engine(), dry_run=dry_run)
    if as_json:
        click.echo(json.dumps(dict(report.to_dict(), dry_run=dry_run), indent=2))
        return
    verb = "would remove" if dry_run else "removed"
    for path, size in report.removed:
        click.echo(f"{verb} {path} ({human_size(size)})")
    for path, why in report.kept:
        click.echo(f"kept {path}: {why}")
    click.echo(f"{'would free' if dry_run else 'freed'} {human_size(report.freed)} "
               f"({len(report.removed)} {verb}, {len(report.kept)} kept)")
