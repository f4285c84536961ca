"""Twitter/X account archive ("Download your data"): ``tweets.js`` → customer ``post`` documents.

The archive's ``.js`` files are JavaScript, ``window.YTD.tweets.part0 = [...]``: everything up
to the first ``=`` is dropped and the rest parsed as JSON. ``tweets.js`` (also ``tweet.js`` and
``tweets-partN.js``) may sit at the top or under ``data/``; ``account.js`` names the author and,
when present, ``follower.js`` gives the follower count. Retweets are skipped unless
``include_retweets`` is set (their text is someone else's); t.co links are expanded. The tweets
are read one at a time, so a file cut off or damaged part-way keeps the tweets before the break.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from indexers.base import IndexerConfigError, Item
from indexers.customers import customer_person
from indexers.export import (
    ExportIndexer,
    first_line,
    json_problem,
    parse_when,
    read_text,
    text_head,
)
from indexers.tabular import to_int
from search.models import Contribution, Document

_TWEET_FILES = re.compile(r"^tweets?(-part\d+)?\.js$")
_SPACE = re.compile(r"\s*")
_DECODER = json.JSONDecoder()
Author = tuple[str, str, str, int | None]  # person id, handle, display name, followers


def archive_payload(text: str) -> int:
    """Return where the JSON of a ``window.YTD… = [...]`` file starts; ``ValueError`` if none."""
    start = text.find("=")
    if start < 0 or not text[:start].strip().startswith("window."):
        raise ValueError("not a Twitter archive file (no 'window.YTD… =' prefix)")
    return start + 1


def array_items(text: str, pos: int) -> Iterator[Any]:
    """Yield the items of the JSON array at ``pos`` one by one (a break raises after them)."""
    pos = _skip_space(text, pos)
    if not text.startswith("[", pos):
        raise ValueError("not a Twitter archive file (no JSON array after the '=')")
    pos = _skip_space(text, pos + 1)
    while not text.startswith("]", pos):
        item, pos = _DECODER.raw_decode(text, pos)
        yield item
        pos = _skip_space(text, pos)
        if text.startswith(",", pos):
            pos = _skip_space(text, pos + 1)
        elif not text.startswith("]", pos):
            raise json.JSONDecodeError("Expecting ',' delimiter" if pos < len(text)
                                       else "the file ends inside the list", text, pos)


def _break_reason(exc: json.JSONDecodeError, read: int) -> str:
    """Word a break in a tweets file: cut off (no closing ``]``) or damaged, and what was kept."""
    cut = not exc.doc.rstrip().rstrip(";").rstrip().endswith("]")
    reason = ("the file ends inside a record (cut off?)" if cut
              else json_problem(exc))
    if read:
        reason += ("; the record before it was read" if read == 1
                   else f"; the {read:,} records before it were read")
    return reason


def _skip_space(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


class TwitterArchiveIndexer(ExportIndexer):
    """A Twitter/X account archive's tweets as customer posts by the account owner."""

    name = "twitter"
    known_options = frozenset({"include_retweets", "handle", "followers", "default_product",
                               "default_channel"})

    def check_options(self) -> None:
        """Fail on unknown options and on a follower count that is not a number."""
        super().check_options()
        if self.options.get("followers") not in (None, "") and \
                to_int(self.options.get("followers")) is None:
            self.option_number("followers", 0)  # raises, naming the option
    source = "twitter"

    def _data_dir(self) -> Path:
        if self.path.is_file():
            return self.path.parent
        return self.path / "data" if (self.path / "data").is_dir() else self.path

    def _tweet_files(self) -> list[Path]:
        if self.path.is_file():
            return [self.path]
        folder = self._data_dir()
        return sorted(p for p in folder.iterdir() if _TWEET_FILES.match(p.name)) \
            if folder.is_dir() else []

    def check(self) -> None:
        """Fail unless the path is a ``tweets.js`` file or an archive folder holding one."""
        super().check()
        files = self._tweet_files()
        if not files:
            raise IndexerConfigError(f"twitter: no tweets.js (or data/tweets.js) in {self.path}")
        for file in files:
            self._check_file(file)

    def _check_file(self, file: Path) -> None:
        """Refuse a tweets file that does not open as ``window.YTD… =`` (binary data, a CSV)."""
        head = text_head(self.name, file, "a Twitter archive file")
        text = (head or "").lstrip()
        if head is not None and (not text.startswith("window.") or "=" not in text):
            raise IndexerConfigError(
                f"twitter: {file.name} is not a Twitter archive file (it does not start with "
                "'window.YTD.tweets… ='); give the archive's folder or its data/tweets.js"
                + ("; for a CSV of tweets use `socialsearch index customers`"
                   if file.suffix.lower() in (".csv", ".tsv") else ""))

    def _load(self, file: Path) -> Any:
        text = read_text(file)
        return json.loads(text[archive_payload(text):])

    def _account(self) -> tuple[str, str, int | None, str]:
        """Return handle, display name, followers and why account.js was unusable ('' if fine)."""
        handle = str(self.options.get("handle", ""))
        name = ""
        problem = ""
        folder = self._data_dir()
        try:
            account = self._load(folder / "account.js")[0]["account"]
            handle = handle or str(account.get("username") or "")
            name = str(account.get("accountDisplayName") or "")
        except FileNotFoundError:
            pass  # no account file: the handle option or "unknown"
        except (OSError, ValueError, LookupError, TypeError, AttributeError) as exc:
            problem = f"unusable account file ({type(exc).__name__}: {exc})"
        followers: int | None = to_int(self.options.get("followers"))
        if followers is None and (folder / "follower.js").is_file():
            try:
                followers = len(self._load(folder / "follower.js"))
            except (OSError, ValueError, TypeError):
                followers = None
        return handle or "unknown", name, followers, problem

    def crawl(self, since: Mapping[str, Any] | None = None) -> Iterator[Item]:
        """Yield the account owner, then one post per tweet."""
        handle, name, followers, problem = self._account()
        if problem:
            yield self.failure("account.js", f"{problem}; posts are attributed to @{handle}")
        person = customer_person(handle, name, followers, self.source)
        yield person
        posts = 0
        seen: set[str] = set()
        for file in self._tweet_files():
            for item in self._crawl_file(file, (person.id, handle, name, followers), seen):
                posts += isinstance(item, Document)
                yield item
        self._checkpoint = {"posts": posts, "retweets_skipped": self.left_out["retweets"]}

    def _crawl_file(self, file: Path, author: Author, seen: set[str]) -> Iterator[Item]:
        """Yield one file's posts; a break in its JSON keeps the posts read before it."""
        read = 0
        try:
            text = read_text(file)
            for index, record in enumerate(array_items(text, archive_payload(text))):
                read = index + 1
                item = self._record(file, index, record, author, seen)
                if item is not None:
                    yield item
        except json.JSONDecodeError as exc:
            yield self.failure(f"{file.name}:{exc.lineno}", _break_reason(exc, read))
        except (OSError, ValueError) as exc:
            yield self.failure(file.name, str(exc))

    def _record(self, file: Path, index: int, record: Any, author: Author,
                seen: set[str]) -> Item | None:
        """Return a tweet's post, a failure, or ``None`` for a retweet left out."""
        tweet = record.get("tweet", record) if isinstance(record, dict) else None
        tweet = tweet if isinstance(tweet, dict) else None
        tid = str(tweet.get("id_str") or tweet.get("id") or "") if tweet else ""
        where = f"{file.name}:{tid or f'record {index}'}"
        if not tweet or not tid:
            return self.failure(where, "record without a tweet id")
        if tid in seen:
            return self.failure(where, "duplicate tweet id")
        seen.add(tid)
        text = str(tweet.get("full_text") or tweet.get("text") or "")
        if text.startswith("RT @") and not self.option_flag("include_retweets"):
            self.leave_out("retweets")
            return None
        try:
            return self._document(tweet, tid, text, *author)
        except ValueError as exc:
            return self.failure(where, str(exc))

    def _document(self, tweet: Mapping[str, Any], tid: str, text: str, person_id: str,
                  handle: str, name: str, followers: int | None) -> Document:
        created = parse_when(tweet.get("created_at"))
        for url in (tweet.get("entities") or {}).get("urls") or []:
            if url.get("url") and url.get("expanded_url"):
                text = text.replace(str(url["url"]), str(url["expanded_url"]))
        text = html.unescape(text)
        hashtags = [str(h.get("text")) for h in (tweet.get("entities") or {}).get("hashtags") or []]
        product = str(self.options.get("default_product", ""))
        return Document(
            id=self.doc_id(tid), source=self.source, kind="post", title=first_line(text, 80),
            text=text, url=f"https://twitter.com/{handle}/status/{tid}", created_at=created,
            audience="customer", contributions=(Contribution(person_id, "author", created),),
            tags=tuple(hashtags),
            meta={"author": handle, "author_name": name or handle, "followers": followers,
                  "likes": to_int(tweet.get("favorite_count")),
                  "reposts": to_int(tweet.get("retweet_count")), "product": product,
                  "channel": str(self.options.get("default_channel", "twitter")), "rating": None,
                  "lang": tweet.get("lang", ""),
                  "in_reply_to": tweet.get("in_reply_to_screen_name") or None},
        )
