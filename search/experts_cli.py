"""The ``experts``, ``people`` and ``person`` commands (registered on the group in search.cli).

The engine and models are imported inside the commands so ``socialsearch --help`` stays light.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from search.cli_context import Context, make_principal, pass_ctx, principal_options
from search.wording import plural

if TYPE_CHECKING:
    from search.experts import Expert
    from search.people import Profile

ROLE_LABELS = {"accepted_answerer": "accepted answer", "answerer": "answer", "author": "author",
               "editor": "editor", "replier": "reply", "commenter": "comment", "asker": "asked"}


def _day(value: Any) -> str:
    return value.date().isoformat() if value is not None else "undated"



def _describe(person: Any) -> str:
    role = person.role(", ")
    return f"{person.name} ({person.id})" + (f" — {role}" if role else "")


def _print_experts(topic: str, experts: list[Expert]) -> None:
    from search.snippets import hit_label, plain_text

    if not experts:
        click.echo(f"nobody found for {topic!r}: no internal document you may read is about it "
                   "and nobody declares it as a skill; try broader or different words")
        return
    top = experts[0].score or 1.0  # scores only compare within one answer: show them so
    for rank, expert in enumerate(experts, start=1):
        found = plural(expert.documents, "matching document")
        click.echo(click.style(f"{rank:2}. {_describe(expert.person)}", bold=True)
                   + f"  relative score {expert.score / top:.2f}, {found}")
        if expert.matched_skills:
            click.echo(f"    declared skills: {', '.join(expert.matched_skills)}")
        if expert.tags:
            click.echo(f"    active under the topic's tags: {', '.join(expert.tags)}")
        for ev in expert.evidence:
            role = ROLE_LABELS.get(ev.role, ev.role)
            label = hit_label(ev.title, ev.snippet, ev.doc_id)
            click.echo(f"    - [{role}, {_day(ev.at)}] {label}  {ev.doc_id}")
            if ev.snippet:
                click.echo(f"      {' '.join(plain_text(ev.snippet).split())[:200]}")


@click.command("experts")
@click.argument("topic")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--since", help="Only count contributions made on/after this date (ISO-8601).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@principal_options
@pass_ctx
def experts_command(obj: Context, topic: str, limit: int, since: str | None, as_json: bool,
                    user: str | None, groups: tuple[str, ...], see_all: bool) -> None:
    """Who knows about TOPIC: people ranked by evidence in documents the asker may read."""
    from search.experts import ExpertFinder, ExpertQueryError
    from search.models import parse_time
    from search.people import PeopleDirectory
    from search.people_named import directory_match, people_named

    try:
        since_at = parse_time(since)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from exc
    engine = obj.engine()
    try:
        experts = ExpertFinder(engine).find(topic, make_principal(user, groups, see_all, engine),
                                            limit=limit, since=since_at)
    except ExpertQueryError as exc:
        raise click.ClickException(str(exc)) from exc
    named = people_named(PeopleDirectory(engine), topic)
    if as_json:
        click.echo(json.dumps({"topic": topic, "directory_match": directory_match(topic, named),
                               "experts": [e.to_dict() for e in experts]}, indent=2))
        return
    if len(named) == 1:
        click.echo(f"{named[0].name} is a person in the directory: "
                   f"socialsearch person {named[0].id}\n")
    elif named:
        click.echo(f"“{topic.strip()}” names {len(named)} people in the directory: "
                   + ", ".join(f"{p.name} ({p.id})" for p in named)
                   + "; socialsearch person ID shows a profile\n")
    _print_experts(topic, experts)


@click.command("people")
@click.argument("query")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@principal_options
@pass_ctx
def people_command(obj: Context, query: str, limit: int, as_json: bool, user: str | None,
                   groups: tuple[str, ...], see_all: bool) -> None:
    """Find people by (part of) a name, an id, a title, a department or a skill."""
    from search.people import PeopleDirectory, PeopleQueryError

    engine = obj.engine()
    try:
        matches = PeopleDirectory(engine).search(
            query, make_principal(user, groups, see_all, engine), limit=limit)
    except PeopleQueryError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps({"query": query, "people": [m.to_dict() for m in matches]},
                              indent=2))
        return
    if not matches:
        click.echo(f"nobody matches {query!r}; try part of a name, a title or a skill")
        return
    for match in matches:
        skills = f"; skills: {', '.join(match.person.skills)}" if match.person.skills else ""
        click.echo(f"{_describe(match.person)}{skills}")


def _print_profile(profile: Profile) -> None:
    from search.snippets import short_links

    person = profile.person
    click.echo(click.style(_describe(person), bold=True))
    if not profile.in_directory:
        click.echo("  (not in the directory: known only as a contributor)")
    if person.skills:
        click.echo(f"  skills: {', '.join(person.skills)}")
    if profile.topics:
        click.echo(f"  known for: {', '.join(t.term for t in profile.topics)}")
    click.echo(f"  {plural(profile.contribution_count, 'document')} you may read")
    for c in profile.contributions:
        role = ROLE_LABELS.get(c.role, c.role)
        click.echo(f"    - [{role}, {_day(c.at)}] {short_links(c.title) or '(untitled)'}  "
                   f"{c.doc_id}")
    for colleague in profile.colleagues:
        extra = (f", {plural(colleague.shared_documents, 'shared document')}"
                 if colleague.relation == "collaborator" else "")
        click.echo(f"  {colleague.relation}: {_describe(colleague.person)}{extra}")


@click.command("person")
@click.argument("person_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@principal_options
@pass_ctx
def person_command(obj: Context, person_id: str, as_json: bool, user: str | None,
                   groups: tuple[str, ...], see_all: bool) -> None:
    """Show a person's profile: topics, top readable contributions and colleagues."""
    from search.people import PeopleDirectory, PersonNotFoundError

    engine = obj.engine()
    try:
        profile = PeopleDirectory(engine).profile(
            person_id, make_principal(user, groups, see_all, engine))
    except PersonNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(profile.to_dict(), indent=2))
        return
    _print_profile(profile)
