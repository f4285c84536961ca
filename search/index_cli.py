"""The ``index``, ``indexers``, ``sources``, ``reindex`` and ``doctor`` commands (registered on
the group in search.cli): putting documents into the store and indexes, and checking them.

Heavy modules are imported inside the commands so ``socialsearch --help`` stays light.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

from search.cli_context import Context, pass_ctx, progress_bar
from search.wording import plural

if TYPE_CHECKING:
    from search.engine import SearchEngine


@click.command("index")
@click.argument("indexer")
@click.argument("path", type=click.Path())
@click.option("--source", help="Source name for the documents (defaults to the indexer's).")
@click.option("--full", is_flag=True, help="Ignore the saved checkpoint and crawl everything.")
@click.option("--option", "options", multiple=True, metavar="KEY=VALUE",
              help="Indexer option, e.g. --option text=body (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the run report as JSON.")
@click.option("--ray", "ray_address", is_flag=False, flag_value="local", default=None,
              metavar="[ADDRESS]", help="Parse and embed with Ray Data: on the cluster at "
              "ADDRESS (e.g. ray://head:10001 or auto), or a local Ray without one.")
@click.option("--workers", type=click.IntRange(1, None),
              help="Embedding actors with --ray (default: one per CPU, or per GPU).")
@pass_ctx
def index_command(obj: Context, indexer: str, path: str, source: str | None, full: bool,
                  options: tuple[str, ...], as_json: bool, ray_address: str | None,
                  workers: int | None) -> None:
    """Crawl PATH with INDEXER (see `socialsearch indexers`) into the store and indexes."""
    from indexers.base import IndexerConfigError
    from indexers.registry import UnknownIndexerError, load_indexer

    parsed = {}
    for item in options:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"expected KEY=VALUE, got {item!r}", param_hint="--option")
        parsed[key.strip()] = value.strip()
    try:
        cls = load_indexer(indexer)
        instance = cls(path, source=source, options=parsed)
        instance.check()
    except (UnknownIndexerError, IndexerConfigError) as exc:
        raise click.ClickException(str(exc)) from exc
    with obj.writing(f"socialsearch index {indexer} {path}"):
        engine = obj.engine()
        report = _run_index(engine, indexer, instance, full, ray_address, workers)
        from search.sentiment_cli import rescore_stale

        rescored = rescore_stale(engine, quiet=as_json)
    if as_json:
        click.echo(json.dumps(report.as_dict() | {"sentiment_rescored": rescored}, indent=2))
        return
    if rescored:
        click.echo(f"re-scored {plural(rescored, 'customer post')} with the serving sentiment "
                   "model")
    click.echo(
        f"{indexer}: {report.added} added, {report.updated} updated, {report.unchanged} unchanged,"
        f" {report.deleted} deleted, {report.failed} failed, {report.people} people"
    )
    if report.left_out:
        click.echo("  left out on purpose: " + describe_left_out(report.left_out))
    _echo_failures(report)
    for note in report.notes:
        click.echo(f"  note: {note}", err=True)


SHOWN_FAILURES = 10  # failures an index run prints; --json lists more


def _echo_failures(report: Any) -> None:
    """Print the first failures of a run, then how many more there are and where to see them."""
    shown = report.failures[:SHOWN_FAILURES]
    for failure in shown:
        click.echo(f"  failed {failure.location}: {failure.reason}", err=True)
    more = report.failed - len(shown)
    if more > 0:
        listed = len(report.failures)
        where = ("--json lists them all" if listed == report.failed
                 else f"--json lists the first {listed} of {report.failed:,}")
        click.echo(f"  … and {more:,} more ({where})", err=True)


def _run_index(engine: SearchEngine, indexer: str, instance: Any, full: bool,
               ray_address: str | None, workers: int | None) -> Any:
    """Run one indexer with a progress bar; failures and Ctrl-C become one-line messages."""
    from sqlalchemy.exc import SQLAlchemyError

    from indexers.base import IndexerConfigError
    from indexers.runner import run_indexer

    with progress_bar(f"indexing {indexer}") as bar:
        def tick(kind: str) -> None:
            bar.update(1)

        try:
            if ray_address is not None:
                from indexers.ray_runner import run_indexer_ray

                report = run_indexer_ray(engine, instance, ray_address, full=full,
                                         on_item=tick, workers=workers)
            else:
                report = run_indexer(engine, instance, full=full, on_item=tick)
        except IndexerConfigError as exc:
            raise click.ClickException(str(exc)) from exc
        except RuntimeError as exc:  # store, index or Ray unreachable mid-run: say which
            from search.scaleout_cli import explain_failure

            raise click.ClickException(explain_failure(exc)) from exc
        except (OSError, SQLAlchemyError) as exc:  # e.g. a full disk or a read-only directory
            reason = getattr(exc, "orig", None) or exc
            raise click.ClickException(
                f"indexing stopped: the data directory could not be written ({reason}). "
                "Batches committed before the error are kept; free disk space or make the "
                "directory writable, then run the same command again") from exc
        except KeyboardInterrupt:
            bar.close()
            click.echo("interrupted: the batches committed so far are kept (the next command "
                       "brings the indexes up to date); run the same command again to finish, "
                       "unchanged documents are skipped", err=True)
            sys.exit(130)
    return report


@click.command("indexers")
def indexers_command() -> None:
    """List the installed indexers (entry-point group socialsearch.indexers)."""
    from indexers.registry import available_indexers

    for name, ep in sorted(available_indexers().items()):
        click.echo(f"{name:15} {ep.value}")


@click.command("sources")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def sources_command(obj: Context, as_json: bool) -> None:
    """Show every indexed source with its last run, counts and failures."""
    from indexers.runner import list_sources

    rows = list_sources(obj.engine())
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("no sources indexed yet: run `socialsearch index INDEXER PATH`")
    for row in rows:
        rep = row.get("report", {})
        click.echo(
            f"{row['source']:30} last run {row.get('last_run', '?')}  path {row.get('path', '')}\n"
            f"{'':30} {rep.get('added', 0)} added, {rep.get('updated', 0)} updated, "
            f"{rep.get('unchanged', 0)} unchanged, {rep.get('deleted', 0)} deleted, "
            + (f"{plural(rep['people'], 'person', 'people')}, " if rep.get("people") else "")
            + f"{rep.get('failed', 0)} failed"
            + (f" ({rep['failures_not_listed']:,} of them not listed in --json)"
               if rep.get("failures_not_listed") else "")
            + (f"; left out on purpose: {describe_left_out(rep['left_out'])}"
               if rep.get("left_out") else "")
        )


@click.command("reindex")
@click.option("--backend", type=click.Choice(["local", "milvus"]),
              help="Rebuild into this index backend (e.g. move a store's documents to Milvus).")
@pass_ctx
def reindex_command(obj: Context, backend: str | None) -> None:
    """Rebuild the keyword and vector indexes from the store (vectors come from the cache)."""
    with obj.writing("socialsearch reindex", index_backend=backend):
        _rebuild_indexes(obj.settings(index_backend=backend))


def _rebuild_indexes(settings: Any) -> None:
    """Rebuild both indexes, first removing an index too damaged to open."""
    from search.engine import SearchEngine
    from search.keyword import KeywordIndexError, WhooshIndex
    from search.vector import VectorIndexError

    for part in ("keyword", "vector") if settings.index_backend == "local" else ():
        try:
            if part == "keyword":
                WhooshIndex(settings.data_path / "keyword").close()
            else:
                SearchEngine(settings, sync_on_open=False).close()
        except (KeywordIndexError, VectorIndexError):
            import shutil

            shutil.rmtree(settings.data_path / part, ignore_errors=True)
            click.echo(f"removed the unreadable {part} index", err=True)
    try:
        engine = SearchEngine(settings, sync_on_open=False)
        total = engine.store.count_documents()
        with progress_bar("reindexing", total) as bar:
            count = engine.reindex(progress=bar.update)
    except RuntimeError as exc:
        from search.scaleout_cli import explain_failure

        raise click.ClickException(explain_failure(exc)) from exc
    except KeyboardInterrupt:
        click.echo("interrupted: the store is unchanged and the indexes hold only the part "
                   "rebuilt so far; the next command brings them up to date (or run "
                   "`socialsearch reindex` again)", err=True)
        sys.exit(130)
    click.echo(f"reindexed {plural(count, 'document')} into the {settings.index_backend} "
               "backend")


@click.command("doctor")
@click.option("--repair", is_flag=True, help="Rebuild the indexes when they disagree.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def doctor_command(obj: Context, repair: bool, as_json: bool) -> None:
    """Check that the store and both indexes agree (exit code 1 when they do not)."""
    from search.keyword import KeywordIndexError
    from search.vector import VectorIndexError

    try:
        engine = obj.engine()
    except click.ClickException as exc:  # an index too damaged to open: rebuild it
        if not repair or not isinstance(exc.__cause__, KeywordIndexError | VectorIndexError):
            raise
        click.echo(f"{exc.message}: rebuilding", err=True)
        with obj.writing("socialsearch doctor --repair"):
            _rebuild_indexes(obj.settings())
        engine = obj.engine()
    report = engine.doctor()
    if not report.healthy and repair:
        with obj.writing("socialsearch doctor --repair"):
            engine.reindex()
        report = engine.doctor()
    data = report.__dict__ | {"healthy": report.healthy}
    if as_json:
        click.echo(json.dumps(data, indent=2))
    else:
        click.echo(
            f"store {report.store_docs} docs (seq {report.store_seq}), keyword "
            f"{report.keyword_docs} (seq {report.keyword_seq}), vector {report.vector_docs} "
            f"(seq {report.vector_seq})"
        )
        for name in ("missing_keyword", "extra_keyword", "missing_vector", "extra_vector"):
            items = data[name]
            if items:
                click.echo(f"  {name.replace('_', ' ')}: {len(items)} e.g. {items[:5]}")
        verdict = "NOT healthy: run `socialsearch doctor --repair`"
        click.echo("healthy" if report.healthy else verdict)
    if not report.healthy:
        sys.exit(1)


def describe_left_out(left_out: dict[str, int]) -> str:
    """Word what a run skipped on purpose ("redirects (99), blank pages (9)")."""
    return ", ".join(f"{reason} ({count:,})" for reason, count in left_out.items())
