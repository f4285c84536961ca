"""The ``socialsearch`` command line (click). Heavy modules are imported inside commands."""

from __future__ import annotations

if __name__ == "__main__":  # ``python -m search.cli``: run the importable module, not this copy
    import importlib

    importlib.import_module("search.cli").main()

import json
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from search.cli_context import Context, make_principal, pass_ctx, principal_options, progress_bar
from search.experts_cli import experts_command, people_command, person_command
from search.index_cli import (
    doctor_command,
    index_command,
    indexers_command,
    reindex_command,
    sources_command,
)
from search.scaleout_cli import check_command, migrate_command
from search.sentiment_cli import sentiment_group
from search.voice_cli import digest_command, voice_command
from search.wording import plural
from web.tokens_cli import audit_command, tokens_group

DEMO_CORPUS = Path(__file__).resolve().parent / "demo_corpus"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", type=click.Path(dir_okay=False), envvar="SOCIALSEARCH_CONFIG",
              help="TOML settings file (defaults < file < SOCIALSEARCH_* environment).")
@click.option("--data-dir", type=click.Path(file_okay=False),
              help="Directory of the store and indexes (overrides the data_dir setting).")
@click.version_option(package_name="socialsearch")
@click.pass_context
def main(ctx: click.Context, config: str | None, data_dir: str | None) -> None:
    """Enterprise social search: find things, find who knows, hear what customers say."""
    ctx.obj = Context(config, data_dir)


@main.command("search")
@click.argument("query")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--offset", default=0, type=click.IntRange(0, None))
@click.option("--source", multiple=True, help="Only these sources (repeatable).")
@click.option("--kind", multiple=True, help="Only these kinds (repeatable).")
@click.option("--audience", type=click.Choice(["internal", "customer"]))
@click.option("--since", help="Only documents created on/after this date (ISO-8601).")
@click.option("--until", help="Only documents created on/before this date (ISO-8601).")
@click.option("--author", multiple=True, help="Only documents this person contributed to.")
@click.option("--fusion", type=click.Choice(["rrf", "linear", "keyword", "vector"]))
@click.option("--explain", is_flag=True, help="Show keyword, vector and fused scores.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@principal_options
@pass_ctx
def search_command(obj: Context, query: str, limit: int, offset: int, source: tuple[str, ...],
                   kind: tuple[str, ...], audience: str | None, since: str | None,
                   until: str | None, author: tuple[str, ...], fusion: str | None, explain: bool,
                   as_json: bool, user: str | None, groups: tuple[str, ...],
                   see_all: bool) -> None:
    """Hybrid keyword + vector search over everything the asker may read."""
    from search.engine import MEANING_ONLY_NOTE, QueryError
    from search.filters import FilterError, Filters
    from search.snippets import hit_label, origin, plain_text

    engine = obj.engine()
    try:
        filters = Filters.parse({"source": list(source), "kind": list(kind), "audience": audience,
                                 "since": since, "until": until, "author": list(author)})
        result = engine.search(query, make_principal(user, groups, see_all, engine), filters,
                               limit=limit, offset=offset, fusion=fusion)
    except (QueryError, FilterError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps({
            "query": result.query, "total": result.total, "offset": result.offset,
            "hits": [h.to_dict(explain=explain) for h in result.hits],
            "facets": result.facets, "meaning_only": result.meaning_only,
            "timings_ms": result.timings_ms,
        }, indent=2))
        return
    _hint_other_question(query)
    if not result.hits:
        click.echo("no results")
        return
    if result.meaning_only:
        click.echo(MEANING_ONLY_NOTE)
    for rank, hit in enumerate(result.hits, start=offset + 1):
        label = hit.label or hit_label(hit.title, hit.snippet, hit.doc_id)
        click.echo(click.style(f"{rank:2}. {label}", bold=True)
                   + f"  [{'/'.join(origin(hit.source, hit.kind))}] {hit.doc_id}")
        click.echo(f"    {' '.join(plain_text(hit.snippet).split())}")
        if explain:
            click.echo(f"    fused {hit.score:.4f} | keyword rank {_rank(hit.keyword_rank)} score "
                       f"{_fmt(hit.keyword_score)} | vector rank {_rank(hit.vector_rank)} score "
                       f"{_fmt(hit.vector_score)}")
    click.echo(f"{plural(result.total, 'candidate')}; showing "
               f"{offset + 1}-{offset + len(result.hits)}")


def _hint_other_question(query: str) -> None:
    """Point a "who knows …" or "what are customers saying …" query at its own command."""
    from web.intent import ALL_POSTS, parse_intent

    intent = parse_intent(query)
    if intent.recognised and intent.mode != "search":
        command, asks = (("experts", "who knows") if intent.mode == "experts"
                         else ("voice", "what customers say"))
        topic = "" if intent.topic == ALL_POSTS else f" {shlex.quote(intent.topic)}"
        click.echo(f"hint: this asks {asks}; for that, try `socialsearch {command}{topic}`. "
                   "Documents matching its words follow.", err=True)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def _rank(value: int | None) -> str:
    """Return a leg's rank, or "-" when that leg did not find the hit."""
    return "-" if value is None else str(value)


@main.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def stats_command(obj: Context, as_json: bool) -> None:
    """Show counts of documents, people and index state."""
    stats = obj.engine().stats()
    if as_json:
        click.echo(json.dumps(stats, indent=2))
        return
    for key, value in stats.items():
        click.echo(f"{key:15} {value}")


@main.command("eval")
@click.option("--qrels", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Relevance judgements (BEIR TSV or TREC qrels).")
@click.option("--queries", type=click.Path(exists=True, dir_okay=False),
              help="Queries (BEIR JSONL or id<TAB>text) to run against the index.")
@click.option("--run", "run_file", type=click.Path(exists=True, dir_okay=False),
              help="Score an existing TREC run file instead of running queries.")
@click.option("--output", type=click.Path(dir_okay=False), help="Write the TREC run here.")
@click.option("--fusion", type=click.Choice(["rrf", "linear", "keyword", "vector"]))
@click.option("--strip-prefix", default="", help="Remove this prefix from document ids.")
@pass_ctx
def eval_command(obj: Context, qrels: str, queries: str | None, run_file: str | None,
                 output: str | None, fusion: str | None, strip_prefix: str) -> None:
    """Score retrieval with nDCG@10, MRR@10 and Recall@100 (Pyserini-style)."""
    from search import evaluation
    from search.models import Principal

    judged = _read_eval_file("qrels", evaluation.read_qrels, qrels)
    if not judged:
        raise click.ClickException(f"no relevance judgements in {qrels}")
    if run_file:
        run = _read_eval_file("run", evaluation.read_run, run_file)
    elif queries:
        if Path(queries).resolve() == Path(qrels).resolve():
            raise click.UsageError("--queries names the qrels file: give the file of query "
                                   "texts (BEIR JSONL or id<TAB>text)")
        texts = _read_eval_file("queries", evaluation.read_queries, queries)
        _check_query_texts(judged, texts, queries)
        engine = obj.engine()
        run = {}
        with progress_bar("querying", len(judged)) as bar:
            for qid in judged:
                if qid in texts:
                    result = engine.search(texts[qid], Principal.system(), limit=100,
                                           fusion=fusion, facets=False)
                    run[qid] = [(h.doc_id.removeprefix(strip_prefix), h.score)
                                for h in result.hits]
                bar.update(1)
        if output:
            evaluation.write_run(run, output)
    else:
        raise click.UsageError("give --queries (to run them) or --run (to score a run file)")
    scores = evaluation.evaluate(run, judged)
    for name, value in scores.items():
        click.echo(f"{name:12} {value:.4f}")


def _check_query_texts(judged: Any, texts: Any, queries: str) -> None:
    """Refuse queries none of the judged ones are in; warn about judged ones without text."""
    missing = [qid for qid in judged if qid not in texts]
    if len(missing) == len(judged):
        raise click.ClickException(
            f"none of the {plural(len(judged), 'judged query', 'judged queries')} has a text in "
            f"{queries} (is it the queries file, with the ids of the qrels?)")
    if missing:
        has = "has" if len(missing) == 1 else "have"
        click.echo(f"warning: {plural(len(missing), 'judged query', 'judged queries')} "
                   f"{has} no text in {queries} and score 0 (e.g. "
                   f"{', '.join(missing[:5])})", err=True)


def _read_eval_file(kind: str, reader: Callable[[str], Any], path: str) -> Any:
    """Read an evaluation file, turning a malformed one into a one-line error."""
    try:
        return reader(path)
    except KeyError as exc:
        raise click.ClickException(f"cannot read {kind} {path}: a record has no {exc} field") \
            from exc
    except (ValueError, OSError) as exc:  # JSON, numbers and encodings are ValueErrors
        raise click.ClickException(f"cannot read {kind} {path}: {exc}") from exc


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=click.IntRange(min=1),
              help="Threads per worker process.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1),
              help="Worker processes: 1 serves with waitress, more fork gunicorn workers "
                   "(about one per core).")
@pass_ctx
def serve_command(obj: Context, host: str, port: int, threads: int, workers: int) -> None:
    """Serve the web page, JSON API and Slack command with a production WSGI server."""
    from web.server import ServerError, serve

    settings = obj.settings()
    click.echo(f"socialsearch serving on http://{host}:{port}/ "
               f"({workers} worker{'s' if workers > 1 else ''} × {threads} threads)")
    try:
        serve(settings, host, port, threads, workers)
    except ServerError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command("demo")
@click.option("--no-serve", is_flag=True, help="Only index the demo corpus.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.pass_context
def demo_command(ctx: click.Context, no_serve: bool, host: str, port: int) -> None:
    """Index the bundled demo corpus (a fictional company) and serve it in demo mode."""
    from indexers.jsonl import JsonlIndexer
    from indexers.runner import run_indexer

    obj: Context = ctx.obj
    if obj.data_dir is None:
        obj.data_dir = "socialsearch-data/demo"
    from search.sentiment_cli import rescore_stale

    with obj.writing("socialsearch demo", demo_mode=True):
        engine = obj.engine(demo_mode=True)
        indexer = JsonlIndexer(DEMO_CORPUS, source="demo")
        with progress_bar("indexing the demo corpus") as bar:
            report = run_indexer(engine, indexer, on_item=lambda _kind: bar.update(1))
        rescored = rescore_stale(engine)
    if rescored:
        click.echo(f"re-scored {plural(rescored, 'customer post')} with the serving sentiment "
                   "model")
    click.echo(f"demo corpus: {report.added} added, {report.updated} updated, "
               f"{report.unchanged} unchanged, {report.people} people, {report.failed} failed")
    if not no_serve:
        from waitress import serve

        from web import create_app
        from web.server import warm_up

        app = create_app(obj.settings(demo_mode=True), engine=engine)
        warm_up(app)
        click.echo(f"socialsearch demo on http://{host}:{port}/ (you browse as a guest; pick "
                   "an employee under 'View as' in the banner to see what they may read)")
        serve(app, host=host, port=port, threads=8)


for _command in (experts_command, people_command, person_command, tokens_group, audit_command,
                 voice_command, digest_command, sentiment_group, migrate_command, check_command,
                 index_command, indexers_command, sources_command, reindex_command,
                 doctor_command):
    main.add_command(_command)
