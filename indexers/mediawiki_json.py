"""MediaWiki pages dumped as one JSON file each (the WikiTeam-derived ``pages/*.json`` layout).

Layout: ``[data/]pages/<Slug>.json`` with ``title``, ``ns``, ``id``, ``latest_revision``
{``id``, ``timestamp``, ``contributor`` {``username``, ``ip``}, ``text``}, ``revision_count``,
``first_revision_timestamp`` and ``is_redirect``; optionally ``[data/]revision_history/
<Slug>_revisions.json`` with every revision (newest first, ``parent_id`` null for the first) and
``[dumps/]siteinfo.json`` (the API's siteinfo, for page URLs). With a history file the page's
creator is its ``author``; without one only the last editor is known, as an ``editor``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from indexers.base import IndexerConfigError, Item
from indexers.export import parse_when, read_text, record_problem
from indexers.mediawiki import Page, Revision, WikiPageBuilder

XML_SUFFIXES = (".xml", ".xml.bz2", ".xml.gz")


class MediaWikiJsonIndexer(WikiPageBuilder):
    """MediaWiki pages as per-page JSON files, with revision histories where present."""

    name = "mediawiki-json"
    source = "wiki"

    def pages_dir(self) -> Path | None:
        """Return the folder of page JSON files, or ``None`` when the path has none."""
        for candidate in (self.path / "data" / "pages", self.path / "pages", self.path):
            if candidate.is_dir() and any(candidate.glob("*.json")):
                return candidate
        return None

    def check(self) -> None:
        """Fail unless the path holds a ``pages`` folder of page JSON files."""
        super().check()
        if self.pages_dir() is None:
            files = list(self.path.iterdir()) if self.path.is_dir() else [self.path]
            xml = any(f.name.lower().endswith(XML_SUFFIXES) for f in files)
            hint = (f"; it holds XML files: for a MediaWiki XML export use "
                    f"`socialsearch index mediawiki {self.path}`") if xml else ""
            raise IndexerConfigError(
                f"mediawiki-json: no pages/*.json (or data/pages/*.json) under {self.path}{hint}")

    def _base_url(self) -> str:
        if self.options.get("base_url"):
            return str(self.options["base_url"])
        places = (self.path / "dumps", self.path, self.path.parent / "dumps")  # parent: given data/
        for candidate in (place / "siteinfo.json" for place in places):
            if candidate.is_file():
                try:
                    general = json.loads(read_text(candidate))["query"]["general"]
                    return str(general["server"]) + str(general["articlepath"]).replace("$1", "")
                except (ValueError, KeyError, TypeError):
                    return ""
        return ""

    def crawl(self, since: Mapping[str, Any] | None = None) -> Iterator[Item]:
        """Yield editors and one document per page file."""
        self._init_wiki()
        pages = self.pages_dir()
        if pages is None:
            return
        history = pages.parent / "revision_history"
        base_url = self._base_url()
        seen: set[str] = set()
        for file in sorted(pages.glob("*.json")):
            try:
                page = self._page(file, history)
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
                line = getattr(exc, "lineno", None)
                where = f"{file.name}:{line}" if line else file.name
                yield self.failure(where, record_problem(exc, "page"))
                continue
            if page is None:
                continue
            if page.page_id in seen:
                yield self.failure(f"{file.name}:page {page.page_id}", "duplicate page id")
                continue
            seen.add(page.page_id)
            yield from self.page_items(page, base_url)
        redirects, blank = self.left_out["redirects"], self.left_out["blank pages"]
        self._checkpoint = {"documents": len(seen) - redirects - blank,
                            "redirects": redirects, "blank": blank,
                            "people": len(self._people)}

    def _page(self, file: Path, history: Path) -> Page | None:
        data = json.loads(read_text(file))
        if not isinstance(data, dict):
            raise ValueError(f"not a page: the file holds a JSON {_json_kind(data)}, not an "
                             "object with title, id and latest_revision")
        ns = int(data.get("ns", 0))
        if not self.keeps(ns):
            return None
        latest = data["latest_revision"]
        page = Page(title=str(data["title"]), ns=ns, page_id=str(data["id"]),
                    redirect="?" if data.get("is_redirect") else None)
        page.created = parse_when(data.get("first_revision_timestamp"))
        revisions_file = history / f"{data.get('slug') or file.stem}_revisions.json"
        if revisions_file.is_file():
            revisions = json.loads(read_text(revisions_file))["revisions"]
            page.revisions = [self._revision(r, r.get("parent_id") is None) for r in revisions]
            for rev, raw in zip(page.revisions, revisions, strict=True):
                rev.text = str(raw.get("text") or "") if raw is revisions[0] else ""
        if not page.revisions or page.revisions[0].rev_id != str(latest.get("id")):
            first = int(data.get("revision_count") or 1) <= 1
            page.revisions.insert(0, self._revision(latest, first))
            page.revisions[0].text = str(latest.get("text") or "")
        return page

    @staticmethod
    def _revision(raw: Mapping[str, Any], creates_page: bool) -> Revision:
        contributor = raw.get("contributor") or {}
        user = contributor.get("username") or None
        at = parse_when(raw.get("timestamp"))
        if at is None:
            raise ValueError(f"revision {raw.get('id')} has no timestamp")
        return Revision(user=str(user) if user else None, at=at, creates_page=creates_page,
                        rev_id=str(raw.get("id", "")))


def _json_kind(value: object) -> str:
    """Name a JSON value's type as JSON does ("list", "string", "number" …)."""
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool) or value is None:
        return "true/false/null"
    return "number"
