"""``socialsearch voice`` and ``socialsearch digest``: voice of the customer on the command line.

Heavy modules (numpy, the engine, the sentiment model) are imported inside the commands.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click

from search.cli_context import Context, make_principal, pass_ctx, principal_options
from search.wording import plural

EXAMPLE_CHARS = 160  # longest example post the text report prints


def _when(value: str | None, name: str, parse: Callable[[Any], Any]) -> Any:
    try:
        return parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=name) from exc


@click.command("voice")
@click.argument("topic", default="*")
@click.option("--since", help="Only posts created on/after this date (ISO-8601).")
@click.option("--until", help="Only posts created on/before this date (ISO-8601).")
@click.option("--bucket", type=click.Choice(["day", "week"]), default="day", show_default=True,
              help="Size of the time buckets.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as JSON.")
@click.option("--csv", "as_csv", is_flag=True,
              help="Print every post behind the report as CSV (newest first) instead.")
@principal_options
@pass_ctx
def voice_command(obj: Context, topic: str, since: str | None, until: str | None, bucket: str,
                  as_json: bool, as_csv: bool, user: str | None, groups: tuple[str, ...],
                  see_all: bool) -> None:
    """What customers say about TOPIC ('*' for everything): sentiment, themes, spikes, people."""
    from search.models import parse_time, parse_until
    from search.voice import VoiceAnalyzer
    from search.voice_export import csv_chunks, newest_first

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    start, end = _when(since, "--since", parse_time), _when(until, "--until", parse_until)
    engine = obj.engine()
    principal = make_principal(user, groups, see_all, engine)
    if as_csv:
        posts, _notes = VoiceAnalyzer(engine).posts(topic, start, end, principal)
        for chunk in csv_chunks(newest_first(posts)):
            click.echo(chunk, nl=False)
        return
    report = VoiceAnalyzer(engine).report(topic, start, end, principal, bucket=bucket)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
        return
    click.echo(render_report(report.to_dict()))


def render_report(data: dict[str, Any]) -> str:
    """Return a voice report (as from ``VoiceReport.to_dict``) as readable text."""
    from search.ratings import describe_ratings
    from search.snippets import text_label
    from search.voice_parts import describe_reach, describe_spike

    s = data["sentiment"]
    lines = [click.style(f"Voice of the customer: {data['topic']}", bold=True),
             f"{plural(data['total'], 'post')} · {s['negative']} negative · "
             f"{s['neutral']} neutral · {s['positive']} positive · "
             f"mean score {s['mean_score']:+.2f}"]
    if data.get("ratings"):
        lines.append(describe_ratings(data["ratings"]))
    previous = data.get("previous")
    if previous:
        p = previous["sentiment"]
        lines.append(f"the {_period(previous['days'])} before: "
                     f"{plural(previous['total'], 'post')} · {p['negative']} negative · "
                     f"mean score {p['mean_score']:+.2f}"
                     + (f" · {describe_ratings(previous['ratings'])}"
                        if previous.get("ratings") else ""))
    if data["timeline"]:
        peak = max(data["timeline"], key=lambda b: b["count"])
        lines.append(f"{plural(len(data['timeline']), data['bucket'] + ' bucket')} from "
                     f"{data['timeline'][0]['label']} to {data['timeline'][-1]['label']}; "
                     f"busiest {peak['label']} ({plural(peak['count'], 'post')})")
    for spike in data["spikes"]:
        lines.append(f"  spike {spike.get('bucket', spike['index'])}: {describe_spike(spike)} — "
                     f"{', '.join(spike['phrases']) or 'no distinctive phrases'}")
    if data["themes"]:
        lines.append(click.style("Themes", bold=True))
        for theme in data["themes"]:
            mix = theme["sentiment"]
            rating = f", rated {theme['rating']:.1f}" if theme.get("rating") is not None else ""
            lines.append(f"  {theme['size']:5} {theme['label']} "
                         f"({round(100 * mix['negative_share'])}% negative{rating})")
    for title, key in (("Most negative", "most_negative"), ("Most positive", "most_positive")):
        if data[key]:
            lines.append(click.style(title, bold=True))
            lines += [f"  - {text_label(p['text'], EXAMPLE_CHARS)} ({p['author_name'] or p['id']})"
                      for p in data[key][:3]]
    if data["influencers"]:
        lines.append(click.style("Influential customers", bold=True))
        for i in data["influencers"][:5]:
            reach = describe_reach(i["followers"], i["engagement"])
            lines.append(f"  {i['name']}: {plural(i['posts'], 'post')}"
                         + (f" · {reach}" if reach else ""))
    if data["internal_documents"] or data["experts"]:
        lines.append(click.style("Who can act", bold=True))
        lines += [f"  doc {d['title'] or d['id']} {d['url']}".rstrip()
                  for d in data["internal_documents"][:5]]
        lines += [f"  expert {e['person'].get('name', e['person'].get('id'))}"
                  for e in data["experts"][:5]]
    lines += [f"note: {n}" for n in data["notes"]]
    return "\n".join(lines)


def _period(days: float) -> str:
    """Word the length of the comparison period: "day", "1,868 days", "6 hours"."""
    if round(days) >= 2:
        return plural(round(days), "day")
    if round(days) == 1:
        return "day"
    return plural(max(1, round(days * 24)), "hour")


@click.command("digest")
@click.option("--week", help="ISO week, e.g. 2015-W08 (default: the last full week, or the "
              "week of the newest post you may read when that is older).")
@click.option("--markdown", "fmt", flag_value="markdown", default=True,
              help="Print Markdown (default).")
@click.option("--slack", "fmt", flag_value="slack", help="Print Slack mrkdwn.")
@click.option("--json", "fmt", flag_value="json", help="Print JSON.")
@principal_options
@pass_ctx
def digest_command(obj: Context, week: str | None, fmt: str, user: str | None,
                   groups: tuple[str, ...], see_all: bool) -> None:
    """The top 10 customer touch points (wins, issues, trends) of an ISO week."""
    from search.digest import DigestBuilder, DigestError
    from search.digest_week import default_week

    engine = obj.engine()
    principal = make_principal(user, groups, see_all, engine)
    if not week:
        week = default_week(engine, principal)
        click.echo(f"week {week} (choose another with --week)", err=True)
    try:
        digest = DigestBuilder(engine).build(week, principal)
    except DigestError as exc:
        raise click.BadParameter(str(exc), param_hint="--week") from exc
    if fmt == "json":
        click.echo(json.dumps(digest.to_dict(), indent=2))
    else:
        click.echo(digest.to_markdown(slack=fmt == "slack"), nl=False)
