"""MediaWiki XML export (``Special:Export`` or a dump; ``.xml``, ``.xml.bz2`` or ``.xml.gz``).

The file is streamed with ``iterparse`` and every page is cleared once read, so full-history
dumps of any size fit in memory. Each page in the kept namespaces (main only by default) becomes
a ``wiki`` document with clean text. The contributor of a page's first revision (one without a
``parentid``) is its ``author``; everyone else who edited it in the export is an ``editor``,
weighted by their edit count. IP edits stay anonymous. Redirect pages are skipped and counted.
"""

from __future__ import annotations

import bz2
import gzip
import ipaddress
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from indexers.base import IndexerConfigError, Item
from indexers.export import ExportIndexer, option_list, parse_when
from indexers.wikitext import clean_wikitext
from search.models import Contribution, Document, Person

WIKI_SUFFIXES = (".xml", ".xml.bz2", ".xml.gz", ".bz2", ".gz")


def is_ip(name: str) -> bool:
    """Tell whether a contributor name is an IP address (an anonymous edit)."""
    try:
        ipaddress.ip_address(name.strip())
    except ValueError:
        return False
    return True


@dataclass
class Revision:
    """The parts of one revision that matter: who, when, and whether it created the page."""

    user: str | None
    at: datetime | None
    creates_page: bool
    text: str = ""
    rev_id: str = ""


@dataclass
class Page:
    """A page being assembled from the stream."""

    title: str = ""
    ns: int = 0
    page_id: str = ""
    redirect: str | None = None
    revisions: list[Revision] = field(default_factory=list)
    created: datetime | None = None  # when known beyond the revisions in the export
    latest: Revision | None = None  # the newest revision read so far (it alone keeps its text)


class WikiPageBuilder(ExportIndexer):
    """Turns pages (title, namespace, revisions) into documents and people; shared by wikis."""

    resolve_people = True
    known_options = frozenset({"namespaces", "all_namespaces", "base_url"})

    def _init_wiki(self) -> None:
        self._people: set[str] = set()
        self.anonymous_edits = 0
        kept = self.options.get("namespaces", [0])
        self.all_namespaces = kept in ("all", "*") or self.option_flag("all_namespaces")
        try:
            self.namespaces = set() if self.all_namespaces else {
                int(n) for n in option_list(kept)}
        except ValueError:
            raise IndexerConfigError(
                f"{self.name}: option namespaces must be namespace numbers such as 0,4 "
                f"or all, got {kept!r}") from None

    def check_options(self) -> None:
        """Fail on unknown options and on namespaces that are not numbers."""
        super().check_options()
        self._init_wiki()

    def keeps(self, ns: int) -> bool:
        """Tell whether pages of namespace ``ns`` are indexed."""
        return self.all_namespaces or ns in self.namespaces

    def editor_person(self, name: str) -> Person:
        """Return the person of a wiki username."""
        return Person(id=self.person_id(name.strip().replace(" ", "_")), name=name.strip(),
                      handles={self.source: name.strip()})

    def page_items(self, page: Page, base_url: str) -> Iterator[Item]:
        """Yield a page's new editors, then its document (none for a redirect or blank page)."""
        latest = max(page.revisions, key=_revision_order) if page.revisions else None
        if latest is None:
            return
        wiki = clean_wikitext(latest.text)
        if page.redirect or wiki.redirect:
            self.leave_out("redirects")
            return
        if not wiki.text.strip():  # blanked: nothing to find, show or cite
            self.leave_out("blank pages")
            return
        counts: dict[str, int] = {}
        last_at: dict[str, datetime | None] = {}
        creator: str | None = None
        for rev in page.revisions:
            if rev.user is None or is_ip(rev.user):
                self.anonymous_edits += 1
                continue
            counts[rev.user] = counts.get(rev.user, 0) + 1
            last_at[rev.user] = max((t for t in (last_at.get(rev.user), rev.at) if t),
                                    default=None)
            if rev.creates_page:
                creator = rev.user
        contributions = []
        for user, n in counts.items():
            person = self.editor_person(user)
            if person.id not in self._people:
                self._people.add(person.id)
                yield person
            role = "author" if user == creator else "editor"
            contributions.append(Contribution(person.id, role, last_at[user], float(n)))
        times = [r.at for r in page.revisions if r.at]
        url = f"{base_url}{quote(page.title.replace(' ', '_'), safe='/:()')}" if base_url else ""
        yield Document(
            id=self.doc_id(page.page_id), source=self.source, kind="wiki", title=page.title,
            text=wiki.text, url=url, created_at=page.created or (min(times) if times else None),
            updated_at=max(times) if times else None, contributions=tuple(contributions),
            tags=wiki.categories,
            meta={"namespace": page.ns, "page_id": page.page_id, "revision_id": latest.rev_id,
                  "headings": list(wiki.headings),
                  "revisions": len(page.revisions),
                  "anonymous_edits": sum(1 for r in page.revisions
                                         if r.user is None or is_ip(r.user))},
        )


def _revision_order(rev: Revision) -> tuple[bool, datetime | int, str]:
    return (rev.at is not None, rev.at or 0, rev.rev_id)


def _keep_latest_text(page: Page, new: Revision) -> None:
    """Add ``new`` to the page, keeping the wikitext of its latest revision only (full history)."""
    if page.latest is None or _revision_order(new) >= _revision_order(page.latest):
        if page.latest is not None:
            page.latest.text = ""
        page.latest = new
    else:
        new.text = ""
    page.revisions.append(new)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(elem: ET.Element, name: str) -> str:
    for child in elem:
        if _local(child.tag) == name:
            return child.text or ""
    return ""


class MediaWikiXmlIndexer(WikiPageBuilder):
    """MediaWiki XML export: one ``wiki`` document per page, editors as contributions."""

    name = "mediawiki"
    source = "wiki"

    def _files(self) -> list[Path]:
        if self.path.is_dir():
            return sorted(p for p in self.path.iterdir()
                          if p.is_file() and p.name.lower().endswith(WIKI_SUFFIXES))
        return [self.path]

    @staticmethod
    def _open(file: Path) -> IO[bytes] | gzip.GzipFile | bz2.BZ2File:
        name = file.name.lower()
        if name.endswith(".bz2"):
            return bz2.open(file, "rb")
        if name.endswith(".gz"):
            return gzip.open(file, "rb")
        return open(file, "rb")

    def check(self) -> None:
        """Fail unless the path is (or holds) a readable MediaWiki XML export."""
        super().check()
        files = self._files()
        if not files:
            from indexers.mediawiki_json import MediaWikiJsonIndexer

            hint = ""
            if MediaWikiJsonIndexer(self.path).pages_dir() is not None:
                hint = (f"; it holds a MediaWiki JSON dump (pages/*.json): use "
                        f"`socialsearch index mediawiki-json {self.path}`")
            raise IndexerConfigError(f"mediawiki: no .xml/.xml.bz2 files in {self.path}{hint}")
        for file in files:
            try:
                with self._open(file) as fh:
                    head = fh.read(4096)
            except (OSError, EOFError, ValueError) as exc:
                raise IndexerConfigError(f"mediawiki: cannot read {file}: {exc}") from exc
            if b"<mediawiki" not in head and b"<page" not in head:
                raise IndexerConfigError(
                    f"mediawiki: {file} does not look like a MediaWiki XML export")

    def crawl(self, since: Mapping[str, Any] | None = None) -> Iterator[Item]:
        """Stream every file's pages; a truncated file keeps what was read before the break."""
        self._init_wiki()
        docs = 0
        seen: set[str] = set()
        for file in self._files():
            for item in self._crawl_file(file):
                if isinstance(item, Document):
                    if item.id in seen:
                        yield self.failure(f"{file.name}:page {item.meta['page_id']}",
                                           "duplicate page id; kept the first")
                        continue
                    seen.add(item.id)
                    docs += 1
                yield item
        self._checkpoint = {"documents": docs, "redirects": self.left_out["redirects"],
                            "blank": self.left_out["blank pages"],
                            "people": len(self._people), "anonymous_edits": self.anonymous_edits}

    def _crawl_file(self, file: Path) -> Iterator[Item]:
        base_url = str(self.options.get("base_url", ""))
        try:
            with self._open(file) as fh:
                yield from self._pages(file, fh, base_url)
        except ET.ParseError as exc:
            line = exc.position[0] if exc.position else 0
            yield self.failure(f"{file.name}:{line}", f"XML error: {exc}")
        except (LookupError, ValueError) as exc:  # unknown or multi-byte declared encoding
            yield self.failure(file.name, f"XML encoding not supported: {exc}")
        except (OSError, EOFError) as exc:
            yield self.failure(file.name, f"cannot read: {exc}")

    def _pages(self, file: Path, fh: Any, base_url: str) -> Iterable[Item]:
        context = ET.iterparse(fh, events=("start", "end"))
        root: ET.Element | None = None
        page = Page()
        for event, elem in context:
            tag = _local(elem.tag)
            if event == "start":
                if root is None:
                    root = elem
                elif tag == "page":
                    page = Page()
                continue
            if tag == "base" and not base_url and elem.text and "/" in elem.text:
                base_url = elem.text.rsplit("/", 1)[0] + "/"
            elif tag == "revision":
                _keep_latest_text(page, self._revision(elem))
                elem.clear()
            elif tag == "page":
                yield from self._finish(file, elem, page, base_url)
                if root is not None:
                    root.clear()

    def _revision(self, elem: ET.Element) -> Revision:
        user: str | None = None
        for child in elem:
            if _local(child.tag) == "contributor":
                user = _child_text(child, "username") or None
        stamp = _child_text(elem, "timestamp")
        try:
            at = parse_when(stamp)
        except ValueError:
            at = None
        return Revision(user=user, at=at, creates_page=not _child_text(elem, "parentid"),
                        text=_child_text(elem, "text"), rev_id=_child_text(elem, "id"))

    def _finish(self, file: Path, elem: ET.Element, page: Page, base_url: str) -> Iterator[Item]:
        page.title = _child_text(elem, "title").strip()
        page.page_id = _child_text(elem, "id").strip()
        location = f"{file.name}:page {page.title or page.page_id or '?'}"
        try:
            page.ns = int(_child_text(elem, "ns") or 0)
        except ValueError:
            yield self.failure(location, "namespace is not a number")
            return
        if not page.title or not page.page_id:
            yield self.failure(location, "page without title or id")
            return
        if not self.keeps(page.ns):
            return
        if any(r.at is None for r in page.revisions):
            yield self.failure(location, "revision with a missing or unreadable timestamp")
            return
        for child in elem:
            if _local(child.tag) == "redirect":
                page.redirect = child.get("title") or "?"
        yield from self.page_items(page, base_url)
