"""Demo mode only: browse the fictional company as one of its employees ("view as").

Every visitor of the demo is anonymous, so without this the permission model cannot be seen
and nobody can label posts. The chosen person id lives in Flask's signed session cookie and is
honoured only while ``demo_mode`` is on: in a real deployment the route does not exist and a
forged or left-over cookie changes nothing. Switching is a same-site POST, like labelling.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, request, session, url_for

from search.models import Person
from search.store import Store
from web.identity import Identity, identity_for, lookup_person
from web.origin import local_path, same_origin
from web.services import directory
from web.state import get_state

bp = Blueprint("demo", __name__)
SESSION_KEY = "demo_user"


def demo_identity(identity: Identity, store: Store) -> Identity:
    """Return the demo persona chosen in this browser for an anonymous asker, else ``identity``."""
    if identity.user_id is not None or not get_state().settings.demo_mode:
        return identity
    chosen = session.get(SESSION_KEY)
    if not isinstance(chosen, str) or lookup_person(store, chosen) is None:
        return identity
    return identity_for(store, chosen, "demo")


def personas() -> list[Person]:
    """Return the employees a demo visitor may view the site as, by name."""
    return sorted(directory(get_state()).people(), key=lambda p: (p.name.casefold(), p.id))


@bp.app_context_processor
def persona_helper() -> dict[str, Any]:
    """Expose the demo personas to the page header."""
    return {"demo_personas": personas}


@bp.post("/demo/view-as")
def view_as() -> Any:
    """Browse the demo as the chosen employee (an empty choice: as a guest again)."""
    state = get_state()
    if not state.settings.demo_mode:
        abort(404)
    if not same_origin():
        abort(403, description="the demo persona can only be switched from this site's pages")
    user = request.form.get("user", "").strip()
    if not user:
        session.pop(SESSION_KEY, None)
    elif user not in {p.id for p in personas()}:
        abort(400, description=f"no employee with the id {user!r} in the demo directory")
    else:
        session[SESSION_KEY] = user
    return redirect(local_path(request.form.get("next", ""), url_for("ui.search")))
