"""Crawl an indexer over a copy of its fixture with one file replaced by hostile bytes.

Shared by the property-based tests (tests/robustness/test_parser_properties.py) and the
atheris fuzzer (benchmarks/fuzz_parsers.py): the contract checked by both is that a crawl
turns any file content into documents, people or ``Failure`` items and never raises. The
only exception allowed is ``IndexerConfigError`` from ``check()``, the documented way of
refusing a source that is unusable as a whole before any work is done.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from indexers.base import IndexerConfigError
from indexers.registry import load_indexer
from search.models import Document, Failure, Person

DATA = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True)
class Target:
    """An indexer, the fixture it crawls (a folder or one file) and the files worth mutating."""

    indexer: str
    fixture: str
    files: tuple[str, ...]


TARGETS: tuple[Target, ...] = (
    Target("jsonl", "mini.jsonl", ("",)),
    Target("slack", "slack/export", ("users.json", "channels.json", "groups.json",
                                      "general/2020-01-06.json", "secret-project/2020-01-08.json",
                                      "mpims.json", "dms.json")),
    Target("mediawiki", "mediawiki/export.xml", ("",)),
    Target("mediawiki-json", "mediawiki-json", (
        "data/pages/Laser_Cutter.json", "dumps/siteinfo.json",
        "data/revision_history/Access_Card_Procedure_revisions.json")),
    Target("htmlwiki", "htmlwiki/space", ("Onboarding_1001.html", "index.html",
                                          "misc/plain.htm")),
    Target("stackexchange", "stackexchange/dump", ("Posts.xml", "Users.xml", "Comments.xml")),
    Target("customers", "customers/good", ("tweets.csv", "reviews.jsonl")),
    Target("twitter", "twitter/archive", ("data/tweets.js", "data/account.js")),
    Target("directory", "directory/good", ("people.csv", "contractors.json", "org.ldif")),
)
BY_NAME = {t.indexer: t for t in TARGETS}


def original(target: Target, file: str) -> bytes:
    """Return the fixture bytes of one mutable file of ``target``."""
    base = DATA / target.fixture
    return (base / file if file else base).read_bytes()


def prepare(target: Target, workdir: Path) -> Path:
    """Copy the target's fixture under ``workdir`` and return the copy's path."""
    source = DATA / target.fixture
    copy = workdir / Path(target.fixture).name
    if copy.exists():
        shutil.rmtree(copy) if copy.is_dir() else copy.unlink()
    if source.is_dir():
        shutil.copytree(source, copy)
    else:
        shutil.copyfile(source, copy)
    return copy


def crawl_with(target: Target, file: str, content: bytes, workdir: Path) -> list[object]:
    """Crawl ``target`` with ``file`` (relative to its fixture) replaced by ``content``.

    Returns the items, or ``[]`` when ``check()`` refuses the source; any other exception
    escapes, which is what the tests and the fuzzer look for.
    """
    root = prepare(target, workdir)
    path = root / file if file else root
    path.write_bytes(content)
    indexer = load_indexer(target.indexer)(root)
    try:
        indexer.check()
    except IndexerConfigError:
        return []
    items = list(indexer.crawl(None))
    bad = [i for i in items if not isinstance(i, Document | Person | Failure)]
    if bad:
        raise TypeError(f"{target.indexer} yielded a non-item: {bad[0]!r}")
    return items
