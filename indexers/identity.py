"""Identity resolution: one person behind a Slack user, a wiki editor, a Q&A user, an employee.

The rule, applied by the runner to every person yielded by an indexer that sets
``resolve_people = True`` (Slack, MediaWiki, HTML wiki, Stack Exchange):

1. **E-mail**: if any of the person's e-mail addresses is already an alias (``email:x``) of a
   *different* stored person, that person wins.
2. **Handle**: otherwise, if the person's per-source handle (``slack:U123``, ``wiki:Will``,
   ``qa:17``) is already an alias of a different stored person, that person wins (this is how
   a match made once, for instance by name, sticks on later crawls).
3. **Full name**: otherwise, if exactly one stored person has the same normalised full name
   (case, accents and punctuation folded; at least two words, so a bare ``Will`` never matches)
   and that person does not already hold a *different* handle of the same source, that person
   wins. Two candidates means ambiguous: no match.

The directory is the authority: it is indexed without resolution, and because its people own
their e-mail aliases, everyone else resolves onto them. When a person resolves to a stored person
``T``, the runner stores ``T`` enriched with the newcomer's e-mails and handles (so the handle alias
points at ``T`` from now on) and rewrites the source's person ids in contributions and access lists
to ``T``. Index the directory first; after a directory import, re-run the other sources so their
documents pick up the canonical ids (unchanged resolution means unchanged content hashes).
"""

from __future__ import annotations

from dataclasses import replace

from indexers.base import Item
from indexers.export import normalise_name
from search.models import Access, Contribution, Document, Person
from search.store import Store


class IdentityResolver:
    """Maps the people of one crawl onto people the store already knows."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.mapping: dict[str, str] = {}
        self._merged: dict[str, Person] = {}
        self._by_name: dict[str, list[Person]] | None = None

    def resolve(self, item: Item) -> Item:
        """Return ``item`` with its person ids mapped to canonical people."""
        if isinstance(item, Person):
            return self.person(item)
        if isinstance(item, Document):
            return self.document(item)
        return item

    def match(self, person: Person) -> str | None:
        """Return the id of the stored person this one is, or ``None`` when it is new."""
        for email in person.emails:
            found = self.store.resolve_alias(f"email:{email}")
            if found and found != person.id:
                return found
        for src, handle in person.handles.items():
            found = self.store.resolve_alias(f"{src}:{handle}") if handle else None
            if found and found != person.id:
                return found
        return self._match_name(person)

    def _match_name(self, person: Person) -> str | None:
        key = normalise_name(person.name)
        if len(key.split()) < 2:
            return None
        candidates = [
            p for p in self._names().get(key, [])
            if p.id != person.id and not any(
                p.handles.get(src) not in (None, "", handle)
                for src, handle in person.handles.items()
            )
        ]
        return candidates[0].id if len(candidates) == 1 else None

    def _names(self) -> dict[str, list[Person]]:
        if self._by_name is None:
            self._by_name = {}
            for p in self.store.iter_people():
                self._by_name.setdefault(normalise_name(p.name), []).append(p)
        return self._by_name

    def person(self, person: Person) -> Person:
        """Return the person to store: the newcomer itself, or the matched person enriched."""
        target = self.match(person)
        if target is None:
            return person
        base = self._merged.get(target) or self.store.get_person(target)
        if base is None:  # an alias of a person that no longer exists
            return person
        handles = dict(person.handles)
        handles.update({k: v for k, v in base.handles.items() if v})
        merged = replace(base, emails=tuple(dict.fromkeys(base.emails + person.emails)),
                         handles=handles)
        self._merged[target] = merged
        self.mapping[person.id] = target
        return merged

    def document(self, doc: Document) -> Document:
        """Return ``doc`` with contributions and access lists pointing at canonical people."""
        if not self.mapping or (not any(
            c.person_id in self.mapping for c in doc.contributions
        ) and not any(u in self.mapping for u in doc.access.users)):
            return doc
        contributions = tuple(
            Contribution(self.mapping.get(c.person_id, c.person_id), c.role, c.at, c.weight)
            for c in doc.contributions
        )
        access = doc.access
        if not access.public:
            access = Access.restricted(
                (self.mapping.get(u, u) for u in access.users), access.groups)
        return replace(doc, contributions=contributions, access=access)
