"""A topic that names a directory person: "who knows about Lena" most likely means Lena Kowalski.

The experts answer then says so and links the profile (every surface still lists the experts on
the word below). Only people that people search shows are named: customers are left out, as
they are from the directory everywhere else.
"""

from __future__ import annotations

from collections.abc import Sequence

from search.models import Person
from search.people import PeopleDirectory, is_customer
from search.terms import fold, words


def name_keys(person: Person) -> tuple[set[str], str]:
    """Return the folded forms that name ``person`` (full name, first + last name, id, e-mails)
    and, apart, their first name alone."""
    parts = words(person.name)
    keys = {fold(person.id).strip()} | {fold(e).strip() for e in person.emails}
    if parts:
        keys |= {" ".join(parts), f"{parts[0]} {parts[-1]}"}
    return keys - {""}, parts[0] if parts else ""


def people_named(directory: PeopleDirectory, topic: str) -> list[Person]:
    """Return the directory people (no customers) whose name, first + last name, id or, failing
    those, first name is exactly ``topic`` (ignoring case and accents), by name."""
    keys = {" ".join(words(topic)), fold(topic).strip()} - {""}
    if not keys:
        return []
    full: list[Person] = []
    first: list[Person] = []
    for entry in directory.entries():
        if is_customer(entry.person):
            continue
        names, first_name = name_keys(entry.person)
        if keys & names:
            full.append(entry.person)
        elif first_name in keys:
            first.append(entry.person)
    return sorted(full or first, key=lambda p: (fold(p.name), p.id))


def named_message(topic: str, people: Sequence[Person]) -> str | None:
    """Return the line saying ``topic`` is a person (or several) in the directory, or None."""
    if not people:
        return None
    if len(people) == 1:
        return f"{people[0].name} is a person in the directory — see their profile."
    names = ", ".join(f"{p.name} ({p.id})" for p in people)
    return (f"“{topic.strip()}” is the name of {len(people)} people in the directory: {names} — "
            "see their profiles.")
