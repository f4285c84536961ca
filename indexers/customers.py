"""Customer posts (tweets, reviews, support posts) from CSV/TSV, JSON Lines or JSON arrays.

Columns are mapped by ``options`` (``text``, ``author``, ``author_name``, ``time``, ``followers``,
``likes``, ``reposts``, ``product``, ``channel``, ``id``, ``rating``, ``url``; dotted paths reach
into JSON objects); any left out are auto-detected from common names (``verified_reviews``,
``tweet_created``, ``airline``, ``retweet_count`` …). ``product``/``channel`` may also be given as
fixed values with ``default_product``/``default_channel``, and links to the original posts as
``url_template`` (``https://twitter.com/{author}/status/{id}``); ``keep`` lists extra columns
copied into ``meta`` (for instance a labelled sentiment). Every post is a ``post`` document
with ``audience="customer"``; each distinct author is a person ``c.<handle>`` in the
``customers`` group. Rows without text, and repeats of a post already read under the same id,
are skipped (a repeated id with different content is a failure); rows without an id get a
stable one made from their content.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from string import Formatter
from typing import Any
from urllib.parse import quote

from indexers.base import IndexerConfigError, Item
from indexers.export import ExportIndexer, first_line, parse_when, slugify
from indexers.tabular import (
    Problem,
    Record,
    check_delimiter,
    check_text_file,
    lookup,
    pick_column,
    read_records,
    table_files,
    table_headers,
    to_float,
    to_int,
)
from search.models import Contribution, Document, Person

FIELDS: Mapping[str, Sequence[str]] = {
    "text": ("text", "full_text", "body", "content", "message", "review", "review_text",
             "verified_reviews", "review_body", "comment", "post", "tweet"),
    "author": ("author", "handle", "screen_name", "username", "user_name", "user.screen_name",
               "user", "author_handle", "name", "customer", "reviewer", "reviewer_id"),
    "author_name": ("author_name", "display_name", "user_display_name", "full_name",
                    "reviewer_name", "user.name"),
    "time": ("time", "timestamp", "created_at", "tweet_created", "date", "created", "posted_at",
             "review_date", "datetime", "published"),
    "followers": ("followers", "followers_count", "user_followers", "user.followers_count"),
    "likes": ("likes", "like_count", "favorite_count", "favorites", "helpful_votes", "helpful"),
    "reposts": ("reposts", "retweets", "retweet_count", "repost_count", "shares"),
    "product": ("product", "product_name", "airline", "brand", "variation", "item", "asin", "sku"),
    "channel": ("channel", "platform", "site", "source_channel"),
    "id": ("id", "tweet_id", "post_id", "review_id", "message_id", "id_str", "uuid"),
    "rating": ("rating", "stars", "star_rating", "overall"),
    "url": ("url", "link", "permalink", "post_url", "tweet_url", "review_url"),
}
URL_PLACEHOLDERS = frozenset({"id", "author"})
CUSTOMER_GROUP = "customers"


def customer_person_id(handle: str) -> str:
    """Return the person id of a customer handle (``c.<handle>``, lower case, no ``@``)."""
    return "c." + handle.strip().lstrip("@").lower()


def customer_person(handle: str, name: str, followers: int | None, source: str) -> Person:
    """Return the person record of a customer."""
    return Person(id=customer_person_id(handle), name=name or handle.lstrip("@"),
                  handles={source: handle.lstrip("@")}, groups=(CUSTOMER_GROUP,),
                  meta={"customer": True, "followers": followers or 0})


class CustomerPostsIndexer(ExportIndexer):
    """Customer posts from CSV/TSV/JSONL/JSON with a column mapping (auto-detected by default)."""

    name = "customers"
    source = "customers"
    known_options = frozenset({*FIELDS, "default_product", "default_channel", "delimiter",
                               "keep", "url_template"})

    def check_options(self) -> None:
        """Fail on unknown options, a delimiter that is not one character or a bad URL template."""
        super().check_options()
        check_delimiter(self.name, self.options.get("delimiter"))
        check_url_template(self.name, self._url_template)

    def _files(self) -> list[Path]:
        return table_files(self.path)

    def columns(self, file: Path) -> dict[str, str | None]:
        """Return the column used for each field in ``file`` (mapped, else auto-detected)."""
        headers = table_headers(file, self.options.get("delimiter"))
        chosen: dict[str, str | None] = {}
        for field, candidates in FIELDS.items():
            mapped = self.options.get(field)
            if mapped:
                chosen[field] = str(mapped)
            else:
                taken = set(chosen.values())
                chosen[field] = pick_column([h for h in headers if h not in taken], candidates)
        return chosen

    def check(self) -> None:
        """Fail unless there are table files and each has a text column."""
        super().check()
        files = self._files()
        if not files:
            raise IndexerConfigError(f"{self.name}: no .csv/.tsv/.jsonl/.json files at {self.path}")
        seen: set[str] = set()
        for file in files:
            check_text_file(self.name, file)
            headers = table_headers(file, self.options.get("delimiter"))
            if not headers:
                raise IndexerConfigError(f"{self.name}: {file.name} has no header row or record")
            if self.columns(file)["text"] is None:
                raise IndexerConfigError(
                    f"{self.name}: {file.name} has no text column; map one with options text=… "
                    f"(its columns: {', '.join(headers[:30])})")
            seen |= set(headers) | {h.split(".")[0] for h in headers}
        mapped = [str(self.options[f]) for f in FIELDS if self.options.get(f)]
        for column in mapped + self.option_list("keep"):  # a typo would silently read nothing
            if column not in seen and column.split(".")[0] not in seen:
                where = self.path.name if self.path.is_file() else f"no file in {self.path}"
                raise IndexerConfigError(f"{self.name}: {where} has no column {column!r} "
                                         f"(columns: {', '.join(sorted(seen)[:30])})")

    def crawl(self, since: Mapping[str, Any] | None = None) -> Iterator[Item]:
        """Yield one post per row, each new author before their first post."""
        people: set[str] = set()
        ids: dict[str, str] = {}
        posts = 0
        for file in self._files():
            columns = self.columns(file)
            if columns["text"] is None:
                yield self.failure(file.name, "no text column")
                continue
            for item in read_records(file, self.options.get("delimiter")):
                if isinstance(item, Problem):
                    yield self.failure(item.location, item.reason)
                    continue
                try:
                    result = self._post(file, item, columns, ids)
                except ValueError as exc:
                    yield self.failure(item.location, str(exc))
                    continue
                if result is None:  # counted in left_out
                    continue
                person, doc = result
                if person is not None and person.id not in people:
                    people.add(person.id)
                    yield person
                posts += 1
                yield doc
        self._checkpoint = {"posts": posts, "customers": len(people),
                            "skipped": sum(self.left_out.values())}

    def _post(self, file: Path, record: Record, columns: Mapping[str, str | None],
              ids: dict[str, str]) -> tuple[Person | None, Document] | None:
        def get(field: str) -> Any:
            column = columns.get(field)
            value = lookup(record.data, column) if column else None
            return None if isinstance(value, Mapping | list) else value

        text = html.unescape(str(get("text") or "")).strip()
        if not text:
            self.leave_out("rows without text")
            return None
        handle = str(get("author") or "").strip().lstrip("@")
        author_name = str(get("author_name") or "").strip()
        created = parse_when(get("time"))
        followers = to_int(get("followers"))
        product = " ".join(str(get("product") or self.options.get("default_product") or "").split())
        channel = str(get("channel") or self.options.get("default_channel") or "").strip()
        native = str(get("id") or "").strip()
        url = self._url(get("url"), native, handle)
        fingerprint = hashlib.sha1(f"{handle}|{created}|{text}".encode()).hexdigest()
        if native:
            if native in ids:
                if ids[native] == fingerprint:  # the same post listed twice (labelled twice)
                    self.leave_out("repeated rows")
                    return None
                raise ValueError(f"duplicate id {native!r} with different content; kept the first")
        else:
            native = f"{slugify(file.stem)}-{fingerprint[:16]}"
            n = 1
            while (native if n == 1 else f"{native}-{n}") in ids:
                n += 1
            native = native if n == 1 else f"{native}-{n}"
        ids[native] = fingerprint
        person = customer_person(handle, author_name, followers, self.source) if handle else None
        doc = Document(
            id=self.doc_id(native), source=self.source, kind="post",
            title=first_line(text, 80), text=text, url=url, created_at=created,
            audience="customer",
            contributions=(Contribution(person.id, "author", created),) if person else (),
            tags=(product,) if product else (),
            meta={"author": handle, "author_name": author_name or handle,
                  "followers": followers, "likes": to_int(get("likes")),
                  "reposts": to_int(get("reposts")), "product": product, "channel": channel,
                  "rating": to_float(get("rating")), "native_id": native,
                  **{k: lookup(record.data, k) for k in self.option_list("keep")}},
        )
        return person, doc

    @property
    def _url_template(self) -> str:
        return str(self.options.get("url_template") or "")

    @cached_property
    def _url_fields(self) -> frozenset[str]:
        """Return the placeholders the URL template needs (parsed once per run, not per row)."""
        return check_url_template(self.name, self._url_template)

    def _url(self, value: Any, native: str, handle: str) -> str:
        """Return the post's link: its own http(s) URL, else the filled ``url_template``."""
        own = str(value or "").strip()
        if is_web_address(own):
            return own
        parts = {"id": native, "author": handle}
        if not self._url_template or any(not parts[name] for name in self._url_fields):
            return ""
        return self._url_template.format(**{k: quote(v, safe="") for k, v in parts.items()})


def is_web_address(text: str) -> bool:
    """Tell whether ``text`` starts like an http(s) URL."""
    return text.lower().startswith(("https://", "http://"))


def check_url_template(indexer: str, template: str) -> frozenset[str]:
    """Return the placeholders of ``template`` (none when it is empty); fail unless it is an
    http(s) URL whose only placeholders are {id} and {author}."""
    if not template:
        return frozenset()
    try:
        names = {name for _, name, _, _ in Formatter().parse(template) if name is not None}
    except ValueError as exc:
        raise IndexerConfigError(f"{indexer}: url_template {template!r}: {exc}") from None
    if names - URL_PLACEHOLDERS or not is_web_address(template):
        raise IndexerConfigError(
            f"{indexer}: url_template must be an http(s) URL using only {{id}} and {{author}}, "
            f"got {template!r}")
    return frozenset(names)
