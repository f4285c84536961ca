"""Slack export indexer: contract, fixture details, bad input, zip safety and the real export."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from indexers.base import IndexerConfigError
from indexers.slack import SlackExportIndexer
from indexers.slack_markup import clean_mrkdwn, mentioned_users
from search.models import Document, Failure, Person
from tests.indexers.contract import DATA, IndexerContract, shared_path

EXPORT = DATA / "slack" / "export"
BROKEN = DATA / "slack" / "broken"


class TestSlackContract(IndexerContract):
    indexer_class = SlackExportIndexer
    fixture = "slack/export"


def crawl(path: Path, **options: Any) -> list[Any]:
    indexer = SlackExportIndexer(path, options=options)
    indexer.check()
    return list(indexer.crawl())


def docs_by_title(items: list[Any]) -> dict[str, Document]:
    return {i.title: i for i in items if isinstance(i, Document)}


def test_markup_is_cleaned() -> None:
    names = {"U1": "Alice Smith"}
    text = "<@U1> see <https://x.io/a?b=1|the doc> &amp; <#C9|ops> <!here> <mailto:a@b.c|a@b.c> <http://y.io>"
    assert clean_mrkdwn(text, names) == "@Alice Smith see the doc & #ops @here a@b.c http://y.io"
    assert mentioned_users("<@U1> <@U2|bob> <@U1>") == ["U1", "U2"]


def test_people_come_from_users_json() -> None:
    people = {p.id: p for p in crawl(EXPORT) if isinstance(p, Person)}
    assert set(people) == {"slack.U0000001", "slack.U0000002", "slack.U0000003"}  # no bots
    alice = people["slack.U0000001"]
    assert alice.name == "Alice Smith"
    assert alice.emails == ("alice@example.com",)
    assert alice.handles == {"slack": "U0000001"}
    assert alice.title == "Data engineer"
    assert people["slack.U0000003"].meta["deleted"] is True


def test_thread_collects_replies_across_days() -> None:
    docs = [d for d in crawl(EXPORT) if isinstance(d, Document)]
    thread = next(d for d in docs if d.id == "slack:C0000001:1578300000.000100")
    assert thread.kind == "thread"
    assert thread.meta["messages"] == 4
    assert "Thanks, rotation worked" in thread.text
    assert "How do we rotate the vault keys? cc @Bob Jones" in thread.text
    assert "Run the rotate job & check the logs <carefully>" in thread.text
    assert "@Alice Smith see #data and ask @here" in thread.text
    roles = {(c.person_id, c.role): c.weight for c in thread.contributions}
    assert roles == {("slack.U0000001", "author"): 2.0, ("slack.U0000002", "replier"): 1.0,
                     ("slack.U0000003", "replier"): 1.0}
    assert thread.access.public
    assert thread.created_at is not None and thread.updated_at is not None
    assert thread.updated_at > thread.created_at


def test_windows_edits_deletes_and_skipped_subtypes() -> None:
    docs = [d for d in crawl(EXPORT) if isinstance(d, Document)]
    text = "\n".join(d.text for d in docs)
    lunch = next(d for d in docs if "Lunch at noon?" in d.text)
    assert lunch.kind == "chat"
    assert "sure, 12:30 works" in lunch.text  # final text of the edited message
    assert "oops wrong channel" not in text  # deleted
    assert "Deployed build 42" not in text  # bot message
    assert "has joined the channel" not in text and "set the channel topic" not in text
    dashboard = next(d for d in docs if "dashboard" in d.text)
    assert dashboard.id != lunch.id  # three hours later: a new window
    file_share = next(d for d in docs if d.meta["channel"] == "data")
    assert "sales.csv" in file_share.text and file_share.meta["archived"] is True


def test_private_conversations_are_members_only() -> None:
    docs = {d.meta["channel"]: d for d in crawl(EXPORT) if isinstance(d, Document)}
    secret = docs["secret-project"]
    assert not secret.access.public
    assert secret.access.users == {"slack.U0000001", "slack.U0000002"}
    assert docs["mpdm-alice--bob--carol-1"].access.users == {
        "slack.U0000001", "slack.U0000002", "slack.U0000003"}
    dm = docs["D0000DM1"]
    assert dm.access.users == {"slack.U0000001", "slack.U0000003"}
    assert dm.meta["conversation"] == "dm"


def test_mentions_become_contributions() -> None:
    docs = [d for d in crawl(EXPORT) if isinstance(d, Document)]
    dashboard = next(d for d in docs if "dashboard" in d.text)
    assert [c.role for c in dashboard.contributions] == ["author"]
    thread = next(d for d in docs if d.kind == "thread" and "vault" in d.text)
    assert not any(c.role == "mentioned" for c in thread.contributions)  # all took part


def test_workspace_url_option_builds_links() -> None:
    docs = [d for d in crawl(EXPORT, workspace_url="https://acme.slack.com/")
            if isinstance(d, Document)]
    thread = next(d for d in docs if d.id == "slack:C0000001:1578300000.000100")
    assert thread.url == "https://acme.slack.com/archives/C0000001/p1578300000000100"


def test_zip_export_equals_folder(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(EXPORT.rglob("*.json")):
            zf.write(file, "Acme Slack export 1.2020/" + file.relative_to(EXPORT).as_posix())
    from_zip = {d.id: d.content_hash for d in crawl(archive) if isinstance(d, Document)}
    from_dir = {d.id: d.content_hash for d in crawl(EXPORT) if isinstance(d, Document)}
    assert from_zip == from_dir


def test_zip_with_escaping_paths_and_bombs(tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(EXPORT.rglob("*.json")):
            zf.write(file, file.relative_to(EXPORT).as_posix())
        zf.writestr("../../outside.json", "[]")
        zf.writestr(zipfile.ZipInfo("/etc/absolute.json"), "[]")
        zf.writestr("general/2020-01-11.json", b"[" + b" " * 5_000_000 + b"]")  # ratio bomb
    items = crawl(archive)
    failures = {f.location: f.reason for f in items if isinstance(f, Failure)}
    assert "../../outside.json" in failures and ".." in failures["../../outside.json"]
    assert "/etc/absolute.json" in failures
    assert "zip bomb" in failures["general/2020-01-11.json"]
    assert len([d for d in items if isinstance(d, Document)]) == 7
    assert not (tmp_path.parent / "outside.json").exists()


def test_zip_entry_over_the_size_limit_is_rejected(tmp_path: Path) -> None:
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        zf.write(EXPORT / "users.json", "users.json")
        zf.write(EXPORT / "channels.json", "channels.json")
        zf.writestr("general/2020-01-06.json", b"[" + b" " * (2 * 1024 * 1024) + b"]")
    items = crawl(archive, max_entry_mb=1)
    assert any(isinstance(f, Failure) and "too large" in f.reason for f in items)


def test_broken_records_become_failures_and_the_rest_continues() -> None:
    items = crawl(BROKEN)
    failures = {f.location: f.reason for f in items if isinstance(f, Failure)}
    assert any(loc.startswith("general/2020-01-06.json:") for loc in failures)  # truncated
    assert "general/2020-01-07.json:message 1" in failures  # bad ts
    assert "general/2020-01-07.json:1578390000.000100" in failures  # duplicate ts
    assert any("orphan" in loc and "privacy" in reason for loc, reason in failures.items())
    docs = [d for d in items if isinstance(d, Document)]
    assert len(docs) == 1
    assert "Café au lait à midi" in docs[0].text  # Latin-1 behind a BOM, CRLF line ends


def test_check_rejects_something_that_is_not_an_export(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(IndexerConfigError, match=r"users\.json"):
        SlackExportIndexer(tmp_path).check()
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(IndexerConfigError, match="zip"):
        SlackExportIndexer(junk).check()


def test_truncated_users_json_is_a_failure(tmp_path: Path) -> None:
    shutil.copytree(EXPORT, tmp_path / "x")
    (tmp_path / "x" / "users.json").write_text('[{"id": "U0000001", "name": "al')
    items = crawl(tmp_path / "x")
    assert any(isinstance(f, Failure) and f.location.startswith("users.json:") for f in items)
    assert not any(isinstance(d, Document) for d in items)  # they would lose their names


# -- the real export ----------------------------------------------------------------------------
@pytest.mark.shared
def test_real_houstondatavis_export() -> None:
    path = shared_path("slack-export-houstondatavis")
    items = crawl(path)
    assert not [f for f in items if isinstance(f, Failure)]
    people = {p.id: p for p in items if isinstance(p, Person)}
    docs = [d for d in items if isinstance(d, Document)]
    assert len(people) == 71
    assert people["slack.U061A1R2R"].name == "Micah Stubbs"
    assert people["slack.U061A1R2R"].emails == ("redacted-040@example.invalid",)
    # 964 plain + 61 file_share + 6 file_comment messages are kept; joins, topics … are not
    assert sum(d.meta["messages"] for d in docs) == 1031
    assert {d.meta["channel"] for d in docs} >= {"general", "datajam", "tools", "sci"}
    assert all(d.access.public and d.kind == "chat" for d in docs)  # public channels, no threads
    assert all(c.person_id in people for d in docs for c in d.contributions
               if c.role != "mentioned")
    assert not any("has joined the channel" in d.text for d in docs)
    assert not any("<@U" in d.text or "&amp;" in d.text for d in docs)
    general = sum(d.meta["messages"] for d in docs if d.meta["channel"] == "general")
    assert 300 < general < 476  # 476 in the channel, minus joins and other notices


def test_system_and_bot_messages_are_counted_as_left_out() -> None:
    indexer = SlackExportIndexer(EXPORT)
    indexer.check()
    list(indexer.crawl())
    assert set(indexer.left_out) == {"joins, leaves, topics and other system messages",
                                     "bot messages"}
    assert all(count >= 1 for count in indexer.left_out.values())
