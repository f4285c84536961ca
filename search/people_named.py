"""A topic that names a directory person: "who knows about Lena" most likely means Lena Kowalski.

The experts answer then says so and links the profile (every surface still lists the experts on
the word below). Only people that people search shows are named: customers are left out, as
they are from the directory everywhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from search.models import Person
from search.people import PeopleDirectory, is_customer, person_to_dict
from search.terms import fold, words


def people_named(directory: PeopleDirectory, topic: str) -> list[Person]:
    """Return the directory people (no customers) whose name, first + last name, id, e-mail or,
    failing those, first name is exactly ``topic`` (ignoring case and accents), by name."""
    keys = {" ".join(words(topic)), fold(topic).strip()} - {""}
    if not keys:
        return []
    full: list[Person] = []
    first: list[Person] = []
    for entry in directory.entries():  # names split and folded once, when the cache loads
        person, parts = entry.person, entry.name_words
        if is_customer(person):
            continue
        names = {fold(person.id).strip(), *(fold(e).strip() for e in person.emails)}
        if parts:
            names |= {" ".join(parts), f"{parts[0]} {parts[-1]}"}
        if keys & names:
            full.append(person)
        elif parts and parts[0] in keys:
            first.append(person)
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


def directory_match(topic: str, people: Sequence[Person],
                    link: Callable[[Person], str] | None = None) -> dict[str, Any] | None:
    """Return the JSON ``directory_match`` of an experts answer (each person with
    ``profile_url`` when ``link`` is given), or None when the topic names nobody."""
    if not people:
        return None
    return {"message": named_message(topic, people),
            "people": [dict(person_to_dict(p), **({"profile_url": link(p)} if link else {}))
                       for p in people]}
