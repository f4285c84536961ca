"""The people half of the store: people, their aliases and what they contributed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.engine import Row

from search import schema as t
from search.models import Contribution, Person, utc


class PeopleRecords:
    """People methods of ``Store`` (mixed in; needs the store's SQLAlchemy ``engine``)."""

    engine: Engine

    def upsert_people(self, persons: Iterable[Person]) -> int:
        """Insert or replace people and their aliases (emails, handles); return the count."""
        count = 0
        with self.engine.begin() as conn:
            for p in persons:
                values = {
                    "id": p.id, "name": p.name, "emails": t.json_text(list(p.emails)),
                    "handles": t.json_text(dict(p.handles)), "title": p.title,
                    "department": p.department, "manager_id": p.manager_id,
                    "skills": t.json_text(list(p.skills)), "groups": t.json_text(list(p.groups)),
                    "meta": t.json_text(dict(p.meta)),
                }
                conn.execute(delete(t.people).where(t.people.c.id == p.id))
                conn.execute(insert(t.people).values(**values))
                for alias in person_aliases(p):
                    conn.execute(delete(t.person_aliases).where(t.person_aliases.c.alias == alias))
                    conn.execute(insert(t.person_aliases).values(alias=alias, person_id=p.id))
                count += 1
        return count

    def get_people(self, ids: Sequence[str]) -> list[Person]:
        """Return people by id, in the given order (missing ids are skipped)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.people).where(t.people.c.id.in_(list(ids)))).all()
        found = {r.id: _row_to_person(r) for r in rows}
        return [found[i] for i in ids if i in found]

    def get_person(self, person_id: str) -> Person | None:
        """Return one person or ``None``."""
        found = self.get_people([person_id])
        return found[0] if found else None

    def iter_people(self) -> Iterator[Person]:
        """Yield every person."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.people).order_by(t.people.c.id)).all()
        for r in rows:
            yield _row_to_person(r)

    def resolve_alias(self, alias: str) -> str | None:
        """Return the person id known by an alias such as ``email:a@b.c`` or ``slack:U1``."""
        with self.engine.connect() as conn:
            value = conn.execute(
                select(t.person_aliases.c.person_id).where(
                    t.person_aliases.c.alias == alias.lower()
                )
            ).scalar()
        return str(value) if value is not None else None

    def count_people(self) -> int:
        """Return how many people the store holds."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.people)).scalar() or 0)

    def contributions_of(self, person_id: str) -> list[tuple[str, Contribution]]:
        """Return ``(doc id, contribution)`` for everything a person contributed to."""
        query = (
            select(t.documents.c.id, t.contributions)
            .join(t.documents, t.documents.c.num == t.contributions.c.num)
            .where(t.contributions.c.person_id == person_id)
        )
        with self.engine.connect() as conn:
            return [
                (r.id, Contribution(r.person_id, r.role, utc(r.at), r.weight))
                for r in conn.execute(query)
            ]


def person_aliases(person: Person) -> list[str]:
    """Return the lookup aliases of a person: id, emails and per-source handles."""
    aliases = [f"id:{person.id}"]
    aliases += [f"email:{e}" for e in person.emails]
    aliases += [f"{src}:{handle}" for src, handle in person.handles.items() if handle]
    return list(dict.fromkeys(a.lower() for a in aliases))


def _row_to_person(r: Row[Any]) -> Person:
    return Person(
        id=r.id,
        name=r.name,
        emails=tuple(json.loads(r.emails)),
        handles=json.loads(r.handles),
        title=r.title,
        department=r.department,
        manager_id=r.manager_id,
        skills=tuple(json.loads(r.skills)),
        groups=tuple(json.loads(r.groups)),
        meta=json.loads(r.meta),
    )
