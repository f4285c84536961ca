"""Slack workspace export (zip or folder) → one document per thread or conversation window.

Reads ``users.json`` (people), ``channels.json`` (public), ``groups.json`` (private channels),
``mpims.json`` and ``dms.json`` (group and direct messages) and the per-day message files
``<conversation>/YYYY-MM-DD.json``. A parent and its replies (``thread_ts``) become one
``thread`` document; unthreaded chatter is cut into ``chat`` windows (same conversation, same
day file, gaps shorter than ``window_minutes``). Anything not public is readable only by the
conversation's members. Join/leave/topic/bot messages are skipped, edits keep their final text,
deleted messages are dropped.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any

from indexers.archive import ArchiveError, ExportTree
from indexers.base import IndexerConfigError, Item
from indexers.export import ExportIndexer, decode_bytes, first_line
from indexers.slack_markup import clean_mrkdwn, mentioned_users
from search.models import Access, Contribution, Document, Person

SKIPPED_SUBTYPES = frozenset({
    "channel_join", "channel_leave", "group_join", "group_leave", "channel_topic",
    "channel_purpose", "channel_name", "channel_archive", "channel_unarchive", "group_topic",
    "group_purpose", "group_name", "group_archive", "group_unarchive", "bot_add", "bot_remove",
    "bot_message", "pinned_item", "unpinned_item", "reminder_add", "reminder_delete",
    "sh_room_created", "sh_room_shared", "huddle_thread", "channel_convert_to_private",
    "channel_convert_to_public", "tombstone", "joiner_notification",
})
DAY_FILE = "????-??-??.json"
CONVERSATION_FILES = (("channels.json", "channel"), ("groups.json", "private"),
                      ("mpims.json", "mpim"), ("dms.json", "dm"))


def parent_of(name: str) -> str:
    """Return the folder part of an export file name ("" at the top level)."""
    return name.rsplit("/", 1)[0] if "/" in name else ""


@dataclass
class Conversation:
    """A channel, private group, multi-person or direct message conversation."""

    id: str
    name: str
    kind: str
    members: list[str]
    archived: bool = False

    @property
    def public(self) -> bool:
        """Tell whether everyone in the workspace may read this conversation."""
        return self.kind == "channel"

    @property
    def label(self) -> str:
        """Return the conversation's human name (``#general``, ``DM``)."""
        if self.kind in ("channel", "private"):
            return f"#{self.name}"
        return f"{self.kind} {self.name}"


@dataclass
class Message:
    """One kept message: who, when, which day file, final text and thread."""

    ts: str
    user: str
    text: str
    day: str
    thread_ts: str | None = None
    reactions: int = 0
    when: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.when = datetime.fromtimestamp(float(self.ts), tz=UTC)


class SlackExportIndexer(ExportIndexer):
    """Slack workspace export: threads and conversation windows with members-only access."""

    name = "slack"
    source = "slack"
    resolve_people = True
    known_options = frozenset({"window_minutes", "workspace_url", "max_entry_mb"})

    def check_options(self) -> None:
        """Fail on unknown options and on numbers that are not numbers."""
        super().check_options()
        self.option_number("window_minutes", 30)
        self.option_number("max_entry_mb", 512, minimum=1)

    def _tree(self) -> ExportTree:
        limit = int(self.option_number("max_entry_mb", 512, minimum=1) * 1024 * 1024)
        return ExportTree(self.path, max_entry_bytes=limit)

    def check(self) -> None:
        """Fail unless the path is a folder or zip holding ``users.json`` or ``channels.json``."""
        super().check()
        try:
            tree = self._tree()
        except ArchiveError as exc:
            raise IndexerConfigError(f"slack: {exc}") from exc
        try:
            if not (tree.find("channels.json") or tree.find("users.json")):
                raise IndexerConfigError(
                    f"slack: {self.path} holds no users.json or channels.json; "
                    "is it a Slack workspace export?")
        finally:
            tree.close()

    def crawl(self, since: Mapping[str, Any] | None = None) -> Iterator[Item]:
        """Yield people, then one document per thread or conversation window."""
        tree = self._tree()
        try:
            yield from self._crawl(tree)
        finally:
            tree.close()

    def _crawl(self, tree: ExportTree) -> Iterator[Item]:
        for name, reason in tree.rejected:
            yield self.failure(name, reason)
        anchor = tree.find("channels.json") or tree.find("users.json") or ""
        root = parent_of(anchor)
        names: dict[str, str] = {}
        users, failure = self._load(tree, root, "users.json")
        if failure:  # messages read without it would overwrite stored ones with bare user ids
            yield failure
            yield self.failure("users.json", "no messages read: their authors would lose their "
                               "names; fix users.json and run again")
            return
        for record in users or []:
            item = self._person(record)
            if isinstance(item, Person):
                names[str(record["id"])] = item.name
            if item is not None:
                yield item
        conversations: list[Conversation] = []
        for filename, kind in CONVERSATION_FILES:
            records, failure = self._load(tree, root, filename)
            if failure:
                yield failure
            conversations += [c for c in (self._conversation(r, kind) for r in records or []) if c]
        channel_names = {c.id: c.name for c in conversations}
        folders = {self._folder(root, c): c for c in conversations}
        docs = messages = 0
        for folder, days in self._day_files(tree, root).items():
            conv = folders.get(folder)
            if conv is None:
                yield self.failure(folder, "conversation folder is not listed in channels.json, "
                                   "groups.json, mpims.json or dms.json; skipped (privacy unknown)")
                continue
            kept: list[Message] = []
            for item in self._read_conversation(tree, days, kept):
                yield item
            messages += len(kept)
            for doc in self._documents(conv, kept, names, channel_names):
                docs += 1
                yield doc
        self._checkpoint = {"conversations": len(conversations), "messages": messages,
                            "documents": docs}

    # -- loading ----------------------------------------------------------------------------
    def _load(self, tree: ExportTree, root: str, filename: str) -> tuple[list[Any] | None,
                                                                           Item | None]:
        name = f"{root}/{filename}" if root else filename
        if name not in tree.names():
            return None, None
        return self._load_json(tree, name)

    def _load_json(self, tree: ExportTree, name: str) -> tuple[list[Any] | None, Item | None]:
        try:
            data = json.loads(decode_bytes(tree.read_bytes(name)))
        except json.JSONDecodeError as exc:
            return None, self.failure(f"{name}:{exc.lineno}", f"invalid JSON: {exc.msg}")
        except (ArchiveError, zipfile.BadZipFile, OSError) as exc:
            return None, self.failure(name, f"unreadable: {exc}")
        if not isinstance(data, list):
            return None, self.failure(name, "expected a JSON array")
        return data, None

    def _person(self, record: Any) -> Item | None:
        if not isinstance(record, dict) or not record.get("id"):
            return self.failure("users.json", f"user record without id: {str(record)[:80]}")
        if record.get("is_bot") or record["id"] == "USLACKBOT":
            return None
        profile = record.get("profile") or {}
        uid = str(record["id"])
        name = (profile.get("real_name") or record.get("real_name") or
                profile.get("display_name") or record.get("name") or uid)
        email = profile.get("email") or ""
        return Person(
            id=self.person_id(uid), name=str(name).strip() or uid,
            emails=(email,) if email else (), handles={self.source: uid},
            title=str(profile.get("title") or ""),
            meta={"slack_name": record.get("name", ""), "deleted": bool(record.get("deleted"))},
        )

    def _conversation(self, record: Any, kind: str) -> Conversation | None:
        if not isinstance(record, dict) or not record.get("id"):
            return None
        if kind == "channel" and record.get("is_private"):
            kind = "private"
        listed = record.get("members")
        members = [str(m) for m in listed] if isinstance(listed, list) else []
        if kind == "dm" and not members:
            members = [str(u) for u in (record.get("user"), record.get("creator")) if u]
        return Conversation(id=str(record["id"]), name=str(record.get("name") or record["id"]),
                            kind=kind, members=members, archived=bool(record.get("is_archived")))

    @staticmethod
    def _folder(root: str, conv: Conversation) -> str:
        folder = conv.id if conv.kind == "dm" else conv.name
        return f"{root}/{folder}" if root else folder

    @staticmethod
    def _day_files(tree: ExportTree, root: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for name in tree.names():
            parent = parent_of(name)
            if PurePosixPath(name).match(DAY_FILE) and parent and parent_of(parent) == root:
                found.setdefault(parent, []).append(name)
        return found

    def _read_conversation(self, tree: ExportTree, days: list[str],
                           kept: list[Message]) -> Iterator[Item]:
        by_ts: dict[str, Message] = {}
        edits: dict[str, str] = {}
        deleted: set[str] = set()
        for name in sorted(days):
            records, failure = self._load_json(tree, name)
            if failure:
                yield failure
                continue
            day = PurePosixPath(name).stem
            for index, record in enumerate(records or []):
                try:
                    msg = self._message(record, day, edits, deleted)
                except (ValueError, TypeError, KeyError, OverflowError) as exc:
                    yield self.failure(f"{name}:message {index}", f"{type(exc).__name__}: {exc}")
                    continue
                if msg is None:
                    continue
                if msg.ts in by_ts:
                    yield self.failure(f"{name}:{msg.ts}", "duplicate message ts; kept the first")
                    continue
                by_ts[msg.ts] = msg
        for ts, text in edits.items():
            if ts in by_ts:
                by_ts[ts].text = text
        kept.extend(sorted((m for m in by_ts.values() if m.ts not in deleted),
                           key=lambda m: float(m.ts)))

    def _message(self, record: Any, day: str, edits: dict[str, str],
                 deleted: set[str]) -> Message | None:
        if not isinstance(record, dict):
            raise TypeError("message is not a JSON object")
        subtype = record.get("subtype")
        if subtype == "message_changed":
            new = record.get("message") or {}
            if new.get("ts"):
                edits[str(new["ts"])] = str(new.get("text") or "")
            return None
        if subtype == "message_deleted":
            deleted.add(str(record.get("deleted_ts") or ""))
            return None
        comment = record.get("comment")
        if not isinstance(comment, dict):
            comment = {}
        user = record.get("user") or comment.get("user")
        if subtype in SKIPPED_SUBTYPES or record.get("hidden") or not user:
            self.leave_out("bot messages" if subtype == "bot_message" or record.get("bot_id")
                           else "joins, leaves, topics and other system messages")
            return None
        if record.get("bot_id") and subtype not in (None, "file_share", "thread_broadcast"):
            self.leave_out("bot messages")
            return None
        text = str(record.get("text") or "")
        if not text.strip():
            return None
        ts = str(record["ts"])
        thread = record.get("thread_ts")
        reactions = sum(int(r.get("count", 0)) for r in record.get("reactions") or [])
        return Message(ts=ts, user=str(user), text=text, day=day,
                       thread_ts=str(thread) if thread else None, reactions=reactions)

    # -- documents --------------------------------------------------------------------------
    def _documents(self, conv: Conversation, messages: list[Message], names: Mapping[str, str],
                   channels: Mapping[str, str]) -> Iterator[Document]:
        threads: dict[str, list[Message]] = {}
        for m in messages:
            if m.thread_ts and m.thread_ts != m.ts:
                threads.setdefault(m.thread_ts, []).append(m)
        loose: list[Message] = []
        for m in messages:
            if m.thread_ts and m.thread_ts != m.ts:
                continue
            if m.ts in threads:
                threads[m.ts].insert(0, m)
            else:
                loose.append(m)
        for thread_ts, group in threads.items():
            yield self._document(conv, thread_ts, group, "thread", names, channels)
        for window in self._windows(loose):
            yield self._document(conv, window[0].ts, window, "chat", names, channels)

    def _windows(self, messages: list[Message]) -> Iterator[list[Message]]:
        gap = self.option_number("window_minutes", 30) * 60
        window: list[Message] = []
        for m in messages:
            if window and (m.day != window[-1].day or float(m.ts) - float(window[-1].ts) >= gap):
                yield window
                window = []
            window.append(m)
        if window:
            yield window

    def _document(self, conv: Conversation, key: str, group: list[Message], kind: str,
                  names: Mapping[str, str], channels: Mapping[str, str]) -> Document:
        lines = [f"{names.get(m.user, m.user)}: {clean_mrkdwn(m.text, names, channels)}"
                 for m in group]
        lead = clean_mrkdwn(group[0].text, names, channels)
        contributions = self._contributions(group)
        url = ""
        if self.options.get("workspace_url"):
            base = str(self.options["workspace_url"]).rstrip("/")
            url = f"{base}/archives/{conv.id}/p{key.replace('.', '')}"
        access = Access() if conv.public else Access.restricted(
            self.person_id(u) for u in conv.members)
        return Document(
            id=self.doc_id(f"{conv.id}:{key}"), source=self.source, kind=kind,
            title=f"{conv.label}: {first_line(lead, 70) or '(no text)'}",
            text="\n".join(lines), url=url, created_at=group[0].when,
            updated_at=group[-1].when, contributions=contributions, access=access,
            tags=(conv.name,) if conv.kind in ("channel", "private") else (),
            meta={"channel": conv.name, "channel_id": conv.id, "conversation": conv.kind,
                  "messages": len(group), "reactions": sum(m.reactions for m in group),
                  "archived": conv.archived, "ts": key},
        )

    def _contributions(self, group: list[Message]) -> tuple[Contribution, ...]:
        counts: dict[str, int] = {}
        first_at: dict[str, datetime] = {}
        for m in group:
            counts[m.user] = counts.get(m.user, 0) + 1
            first_at.setdefault(m.user, m.when)
        lead = group[0].user
        out = [Contribution(self.person_id(lead), "author", first_at[lead], float(counts[lead]))]
        out += [Contribution(self.person_id(u), "replier", first_at[u], float(n))
                for u, n in counts.items() if u != lead]
        mentioned: dict[str, datetime] = {}
        for m in group:
            for uid in mentioned_users(m.text):
                if uid not in counts:
                    mentioned.setdefault(uid, m.when)
        out += [Contribution(self.person_id(u), "mentioned", at) for u, at in mentioned.items()]
        return tuple(out)
