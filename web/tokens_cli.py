"""``socialsearch tokens …`` and ``socialsearch audit``: API tokens and the query audit log."""

from __future__ import annotations

import json
from typing import Any

import click

from search.models import parse_time


def _accounts(ctx: click.Context) -> Any:
    from web.accounts import Accounts

    return Accounts(ctx.obj.engine(new_store_ok=True).store.engine)


@click.group("tokens")
def tokens_group() -> None:
    """Create, list and revoke API tokens (stored only as SHA-256 hashes)."""


@tokens_group.command("create")
@click.option("--user", required=True, help="Person id (or e-mail) the token acts for.")
@click.option("--name", default="", help="A label to recognise the token by.")
@click.option("--admin", is_flag=True, help="Allow reading the audit log through the API.")
@click.pass_context
def create_command(ctx: click.Context, user: str, name: str, admin: bool) -> None:
    """Create a token for USER and print it once (it cannot be shown again)."""
    from web.identity import lookup_person

    accounts = _accounts(ctx)
    person = lookup_person(ctx.obj.engine(new_store_ok=True).store, user)
    if person is None:
        click.echo(f"warning: {user!r} is not in the directory; the token will read public "
                   "documents and documents shared with that user id only", err=True)
    secret, info = accounts.create_token(person.id if person else user, name, admin)
    click.echo(secret)
    click.echo(f"token {info.id} for {info.user_id}{' (admin)' if admin else ''}; "
               "send it as 'Authorization: Bearer <token>'", err=True)


@tokens_group.command("list")
@click.option("--user", help="Only this user's tokens.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_command(ctx: click.Context, user: str | None, as_json: bool) -> None:
    """List tokens (never their secrets)."""
    tokens = _accounts(ctx).list_tokens(user)
    if as_json:
        click.echo(json.dumps([t.to_dict() for t in tokens], indent=2))
        return
    if not tokens:
        click.echo("no tokens yet: socialsearch tokens create --user <person id>")
    for t in tokens:
        state = "revoked" if t.revoked_at else "active"
        used = t.last_used_at.isoformat(timespec="seconds") if t.last_used_at else "never"
        click.echo(f"{t.id}  {t.user_id:24} {state:8} {'admin' if t.admin else '     '} "
                   f"last used {used}  {t.name}")


@tokens_group.command("revoke")
@click.argument("token_id")
@click.pass_context
def revoke_command(ctx: click.Context, token_id: str) -> None:
    """Revoke the token with TOKEN_ID (as shown by `tokens list`)."""
    if not _accounts(ctx).revoke(token_id):
        raise click.ClickException(f"no active token with id {token_id!r}")
    click.echo(f"revoked {token_id}")


@click.command("audit")
@click.option("--user", help="Only this user's queries.")
@click.option("--since", help="Only entries at/after this time (ISO-8601).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def audit_command(ctx: click.Context, user: str | None, since: str | None, limit: int,
                  as_json: bool) -> None:
    """Show who asked what, when, and how many results they got (newest first)."""
    try:
        start = parse_time(since)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from exc
    entries = _accounts(ctx).audit(user, start, limit)
    if as_json:
        click.echo(json.dumps([e.to_dict() for e in entries], indent=2))
        return
    if not entries:
        click.echo("the audit log is empty")
    for e in entries:
        when = e.at.isoformat(timespec="seconds") if e.at else "?"
        click.echo(f"{when}  {e.user_id or 'anonymous':20} {e.surface:5} {e.action:8} "
                   f"{e.results:5} results  {e.query}")
