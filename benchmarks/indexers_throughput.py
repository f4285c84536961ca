"""Indexing throughput of each built-in indexer on the real exports in ../shared/data.

Two figures per source: *parse* (``check()`` + ``crawl()``, items only, nothing stored) and
*run* (``run_indexer`` into a fresh engine in a temp dir with the hashing embedder, so the
store and the Whoosh/FAISS indexes are written but no model runs). The HTML wiki has no real
export here, so it runs on a synthetic Confluence-style space made from a template.

Run: .venv/bin/python benchmarks/indexers_throughput.py [--only slack,directory] [--parse-only]
     [--compare-merge]

``--compare-merge`` adds a second *run* per source in which the keyword index merges its small
segments after every batch, as ``run_indexer`` did before 2026-12-02 (it now merges once, at the
end of the run), so both are measured side by side in one run.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import SHARED_DATA, print_table

from indexers.customers import CustomerPostsIndexer
from indexers.directory import DirectoryIndexer
from indexers.htmlwiki import HtmlWikiIndexer
from indexers.mediawiki import MediaWikiXmlIndexer
from indexers.mediawiki_json import MediaWikiJsonIndexer
from indexers.runner import run_indexer
from indexers.slack import SlackExportIndexer
from indexers.stackexchange import StackExchangeIndexer
from indexers.twitter import TwitterArchiveIndexer
from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.models import Document, Failure, Person

ENWIKI = ("mediawiki-enwiki-sample/"
          "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2")
PAGE = """<html><head><title>Space : Page {n}</title></head><body>
<ol id="breadcrumbs"><li><a href="index.html">Space</a></li></ol>
<h1 id="title-heading"><span id="title-text">Space : Page {n}</span></h1>
<div class="page-metadata">Created by <span>Person {a}</span>, last modified by
<span>Person {b}</span> on Mar 03, 2020</div>
<div id="main-content"><h2>Section</h2><p>{body}</p><ul><li><a href="Page_{m}.html">next</a></li>
</ul><table><tr><td>key</td><td>value {n}</td></tr></table></div></body></html>"""


def synthetic_space(folder: Path, pages: int = 2000) -> Path:
    """Write a Confluence-style HTML space of ``pages`` pages and return its folder."""
    folder.mkdir(parents=True, exist_ok=True)
    words = ["deploy", "vault", "rotate", "cluster", "budget", "laser", "safety", "training",
             "onboarding", "kafka", "schema", "migration", "incident", "review"]
    for n in range(pages):
        body = " ".join(words[(n * 7 + i) % len(words)] for i in range(120))
        (folder / f"Page_{n}.html").write_text(
            PAGE.format(n=n, a=n % 40, b=(n * 3) % 40, m=(n + 1) % pages, body=body))
    return folder


def sources(scratch: Path) -> dict[str, Callable[[], Any]]:
    """Return ``{label: factory}`` for every benchmarked indexer."""
    d = SHARED_DATA
    return {
        "slack (houstondatavis)": lambda: SlackExportIndexer(d / "slack-export-houstondatavis"),
        "mediawiki (enwiki sample, bz2)": lambda: MediaWikiXmlIndexer(d / ENWIKI),
        "mediawiki-json (heatsynclabs)": lambda: MediaWikiJsonIndexer(d / "mediawiki-heatsynclabs"),
        "htmlwiki (synthetic, 2000 pages)": lambda: HtmlWikiIndexer(scratch / "space"),
        "stackexchange (cardano)": lambda: StackExchangeIndexer(d / "stackexchange-cardano"),
        "customers (airline tweets CSV)": lambda: CustomerPostsIndexer(
            d / "twitter-us-airline-sentiment" / "Tweets.csv"),
        "customers (alexa reviews TSV)": lambda: CustomerPostsIndexer(
            d / "amazon-alexa-reviews" / "amazon_alexa.tsv"),
        "twitter (andreruffert archive)": lambda: TwitterArchiveIndexer(
            d / "twitter-archive-andreruffert"),
        "directory (LDIF, 1000 entries)": lambda: DirectoryIndexer(d / "ldif-example-directory"),
    }


def size_mib(path: Path) -> float:
    """Return the size on disk of a file or folder in MiB."""
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 2**20


def parse(factory: Callable[[], Any]) -> tuple[int, int, int, float]:
    """Crawl once; return documents, people, failures and seconds."""
    start = time.perf_counter()
    indexer = factory()
    indexer.check()
    docs = people = failures = 0
    for item in indexer.crawl(None):
        if isinstance(item, Document):
            docs += 1
        elif isinstance(item, Person):
            people += 1
        elif isinstance(item, Failure):
            failures += 1
    return docs, people, failures, time.perf_counter() - start


def run(factory: Callable[[], Any], scratch: Path, merge_every_batch: bool = False) -> float:
    """Index into a fresh engine with the hashing embedder; return seconds."""
    data = scratch / "engine"
    shutil.rmtree(data, ignore_errors=True)
    engine = SearchEngine(Settings(data_dir=str(data), embedder="hashing"),
                          embedder=HashingEmbedder())
    if merge_every_batch:  # the runner before 2026-12-02
        upsert = engine.upsert
        engine.upsert = lambda docs, **kw: upsert(docs, **{**kw, "compact": True})  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        run_indexer(engine, factory(), full=True)
        return time.perf_counter() - start
    finally:
        engine.close()


def rate(count: int, seconds: float) -> str:
    """Format items per second."""
    return f"{count / seconds:,.0f}" if seconds > 0 and count else "-"


def main() -> None:
    """Measure every (or the selected) indexer and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated label prefixes to run")
    parser.add_argument("--parse-only", action="store_true", help="skip the run_indexer pass")
    parser.add_argument("--compare-merge", action="store_true",
                        help="also run with a keyword merge after every batch (before 2026-12-02)")
    args = parser.parse_args()
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]
    rows = []
    with tempfile.TemporaryDirectory(prefix="socialsearch-bench-") as tmp:
        scratch = Path(tmp)
        synthetic_space(scratch / "space")
        for label, factory in sources(scratch).items():
            if wanted and not any(label.startswith(w) for w in wanted):
                continue
            docs, people, failures, parse_s = parse(factory)
            run_s = float("nan") if args.parse_only else run(factory, scratch)
            items = docs or people
            mib = size_mib(factory().path)
            row = [label, f"{mib:.1f}", docs, people, failures, f"{parse_s:.2f}",
                   rate(items, parse_s),
                   "-" if args.parse_only else f"{run_s:.2f}",
                   "-" if args.parse_only else rate(items, run_s)]
            if args.compare_merge and not args.parse_only:
                before_s = run(factory, scratch, merge_every_batch=True)
                row += [f"{before_s:.2f}", rate(items, before_s)]
            rows.append(row)
    extra = ["merge every batch s", "merge every batch items/s"] \
        if args.compare_merge and not args.parse_only else []
    print_table(["source", "input MiB", "docs", "people", "failures", "parse s", "parse items/s",
                 "run_indexer s", "run items/s", *extra], rows)


if __name__ == "__main__":
    main()
