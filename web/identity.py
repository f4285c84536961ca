"""Who is asking: an API token, a trusted SSO header, a Slack user, or nobody (anonymous)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Request

from search.models import Person, Principal
from search.store import Store
from web.accounts import Accounts


class AuthError(Exception):
    """The request carries no acceptable identity (HTTP 401) or bad credentials."""

    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Identity:
    """The asker: their principal (user + groups), directory entry, and how they proved it."""

    principal: Principal
    person: Person | None = None
    via: str = "anonymous"
    admin: bool = False

    @property
    def user_id(self) -> str | None:
        """Return the asker's user id (``None`` when anonymous)."""
        return self.principal.user_id

    @property
    def display_name(self) -> str:
        """Return a name to greet the asker with."""
        if self.person is not None:
            return self.person.name
        return self.principal.user_id or "Guest"


def lookup_person(store: Store, user: str) -> Person | None:
    """Find a directory entry by person id, e-mail or ``source:handle`` alias."""
    key = user.strip()
    if not key:
        return None
    person = store.get_person(key)
    if person is None:
        alias = f"email:{key}" if "@" in key and ":" not in key else key
        resolved = store.resolve_alias(alias)
        person = store.get_person(resolved) if resolved else None
    return person


def identity_for(store: Store, user: str, via: str, admin: bool = False) -> Identity:
    """Build an identity for a user id; groups come from the person's directory entry."""
    person = lookup_person(store, user)
    if person is None:
        return Identity(Principal(user_id=user.strip()), None, via, admin)
    return Identity(Principal(user_id=person.id, groups=frozenset(person.groups)), person, via,
                    admin)


def anonymous() -> Identity:
    """Return the identity of an anonymous reader (public documents only)."""
    return Identity(Principal.anonymous())


def identify(request: Request, store: Store, accounts: Accounts, sso_header: str,
             anonymous_allowed: bool) -> Identity:
    """Identify the asker of a web or API request, or raise ``AuthError``."""
    auth = request.headers.get("Authorization", "").strip()
    if auth:
        scheme, _, secret = auth.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise AuthError("the Authorization header must be 'Bearer <token>'")
        info = accounts.verify(secret.strip())
        if info is None:
            raise AuthError("the API token is unknown or revoked; create one with "
                            "`socialsearch tokens create --user <person id>`")
        return identity_for(store, info.user_id, "token", info.admin)
    if sso_header:
        user = request.headers.get(sso_header, "").strip()
        if user:
            return identity_for(store, user, "sso")
    if anonymous_allowed:
        return anonymous()
    hint = " or sign in through the company's single sign-on" if sso_header else ""
    raise AuthError("authentication required: send 'Authorization: Bearer <token>'" + hint)
