"""HTML wiki export (a folder or zip of ``.html`` pages, e.g. a Confluence space export).

Each page becomes a ``wiki`` document: the title (``#title-text``, ``<h1>`` or ``<title>``, with a
Confluence ``Space : `` prefix removed), the body text without navigation, scripts, styles,
breadcrumbs, metadata lines and attachment lists, the breadcrumbs and links in ``meta``, and
the ``Created by X, last modified by Y on DATE`` line (or ``<meta name="author">``) as the
``author``/``editor`` contributions and dates. People are known by display name only, so identity
resolution matches them to the directory by full name.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import PurePosixPath
from typing import Any

from indexers.archive import ArchiveError, ExportTree
from indexers.base import IndexerConfigError, Item
from indexers.export import (
    ExportIndexer,
    decode_bytes,
    html_text_parts,
    parse_html,
    parse_when,
    slugify,
    tidy,
    unique,
)
from search.models import Contribution, Document, Person

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_METADATA = re.compile(
    r"Created by\s+(?P<creator>.+?)"
    r"(?:,\s*last (?:modified|updated)(?:\s+by\s+(?P<editor>.+?))?)?"
    r"\s+on\s+(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}|\d{4}-\d{2}-\d{2})", re.S)
_NOISE_TAGS = frozenset({"nav", "header", "footer", "aside"})
_NOISE_IDS = frozenset({"breadcrumb-section", "breadcrumbs", "footer", "navigation",
                        "title-heading"})
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_NOISE_CLASSES = frozenset({"page-metadata", "pageSection", "breadcrumbs"})
_BODY_RANK = ("#main-content", "main", "article", "#content", "body")
MAX_LINKS = 200


@dataclass
class PageParts:
    """The parts of a wiki page found in one walk over its tags (no CSS selectors: speed)."""

    crumbs: list[Any] = field(default_factory=list)
    title: Any = None
    h1: Any = None
    metadata: Any = None
    body: Any = None
    noise: list[Any] = field(default_factory=list)

    @classmethod
    def of(cls, soup: Any) -> PageParts:
        """Walk the parsed page once and pick out breadcrumbs, title, metadata, body, noise."""
        parts = cls()
        bodies: dict[str, Any] = {}
        for tag in soup.find_all(True):
            tag_id = tag.get("id") or ""
            classes = set(tag.get("class") or ())
            if tag_id == "breadcrumbs" or "breadcrumbs" in classes or (
                    tag.name == "nav" and tag.get("aria-label") == "breadcrumb"):
                parts.crumbs = parts.crumbs or tag.find_all("li")
            if tag_id == "title-text" and parts.title is None:
                parts.title = tag
            if tag.name == "h1" and parts.h1 is None:
                parts.h1 = tag
            if "page-metadata" in classes and parts.metadata is None:
                parts.metadata = tag
            for key in (f"#{tag_id}" if tag_id else "", tag.name):
                if key in _BODY_RANK and key not in bodies:
                    bodies[key] = tag
            if (tag.name in _NOISE_TAGS or tag_id in _NOISE_IDS or classes & _NOISE_CLASSES
                    or tag.get("role") == "navigation"):
                parts.noise.append(tag)
        parts.body = next((bodies[k] for k in _BODY_RANK if k in bodies), None)
        return parts


class HtmlWikiIndexer(ExportIndexer):
    """A folder or zip of HTML wiki pages (Confluence-style): text, breadcrumbs, authors, links."""

    name = "htmlwiki"
    known_options = frozenset({"base_url", "exclude"})
    source = "htmlwiki"
    resolve_people = True

    def _tree(self) -> ExportTree:
        return ExportTree(self.path)

    def _pages(self, tree: ExportTree) -> list[str]:
        exclude = self.option_list("exclude")
        return [n for n in tree.names() if n.lower().endswith(HTML_SUFFIXES)
                and not any(fnmatch(n, pattern) for pattern in exclude)]

    def check(self) -> None:
        """Fail unless the path is a folder or zip holding ``.html`` pages."""
        super().check()
        try:
            tree = self._tree()
        except ArchiveError as exc:
            raise IndexerConfigError(f"htmlwiki: {exc}") from exc
        try:
            if not self._pages(tree):
                raise IndexerConfigError(f"htmlwiki: no .html pages in {self.path}")
        finally:
            tree.close()

    def crawl(self, since: Mapping[str, Any] | None = None) -> Iterator[Item]:
        """Yield each page's people, then its document."""
        tree = self._tree()
        people: set[str] = set()
        docs = 0
        try:
            for name, reason in tree.rejected:
                yield self.failure(name, reason)
            for name in self._pages(tree):
                try:
                    items = self._page(name, decode_bytes(tree.read_bytes(name)))
                except (ArchiveError, zipfile.BadZipFile, OSError, ValueError) as exc:
                    yield self.failure(name, f"{type(exc).__name__}: {exc}")
                    continue
                for item in items:
                    if isinstance(item, Person):
                        if item.id in people:
                            continue
                        people.add(item.id)
                    else:
                        docs += 1
                    yield item
        finally:
            tree.close()
        self._checkpoint = {"documents": docs, "people": len(people)}

    def _person(self, name: str) -> Person:
        return Person(id=self.person_id(slugify(name)), name=name, handles={self.source: name})

    def _page(self, name: str, markup: str) -> list[Item]:
        soup = parse_html(markup)
        parts = PageParts.of(soup)
        crumbs = [c for c in (tidy(li.get_text(" ")) for li in parts.crumbs) if c]
        title = self._title(parts, soup, crumbs) or PurePosixPath(name).stem.replace("_", " ")
        found = _METADATA.search(tidy((parts.metadata or soup).get_text(" ")))
        creator = editor = None
        created = updated = None
        if found:
            creator = tidy(found.group("creator"))
            editor = tidy(found.group("editor") or "") or None
            when = parse_when(found.group("date"))
            if ", last" in found.group(0):
                updated = when
            else:
                created = when
        author_tag = soup.find("meta", attrs={"name": "author"})
        if creator is None and author_tag is not None and author_tag.get("content"):
            creator = tidy(str(author_tag["content"]))
        body = parts.body or soup
        for tag in parts.noise:
            tag.decompose()
        links = unique(str(a["href"]) for a in body.find_all("a", href=True)
                       if not str(a["href"]).startswith("#"))[:MAX_LINKS]
        text = tidy("".join(html_text_parts(body)))
        lines = set(text.split("\n"))
        headings = unique(h for h in (tidy(tag.get_text(" ")) for tag in body.find_all(_HEADINGS))
                          if h and h in lines and h != title)
        items: list[Item] = []
        contributions: list[Contribution] = []
        for person_name, role, at in ((creator, "author", created),
                                      (editor, "editor", updated)):
            if person_name:
                person = self._person(person_name)
                items.append(person)
                contributions.append(Contribution(person.id, role, at))
        base = str(self.options.get("base_url", ""))
        native = str(PurePosixPath(name).with_suffix(""))
        items.append(Document(
            id=self.doc_id(native), source=self.source, kind="wiki", title=title, text=text,
            url=f"{base.rstrip('/')}/{name}" if base else "", created_at=created,
            updated_at=updated or created, contributions=tuple(contributions),
            tags=tuple(crumbs[:1]),
            meta={"breadcrumbs": crumbs, "links": links, "path": name, "headings": headings},
        ))
        return items

    @staticmethod
    def _title(parts: PageParts, soup: Any, crumbs: list[str]) -> str:
        for tag in (parts.title, parts.h1):
            if tag is not None and tidy(tag.get_text(" ")):
                title = tidy(tag.get_text(" "))
                break
        else:
            title = tidy(soup.title.get_text(" ")) if soup.title else ""
        space, sep, rest = title.partition(" : ")
        if sep and (not crumbs or crumbs[0] == space):
            return rest
        return title

