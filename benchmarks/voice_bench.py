"""Voice-of-the-customer benchmark on the labelled airline tweets (read in place, never copied).

Indexes the 14,640 tweets as customer posts with MiniLM into benchmarks/var/voice_airline (the
embedding cache makes reruns fast), then measures:

* theme quality: do the themes of the negative tweets line up with the crowd-labelled
  ``negativereason``? (NMI and purity, against keyword-bucket and random baselines);
* topic matching: precision / recall of the posts a report finds for a complaint topic;
* latency: voice reports over all 14.6k posts and on topics (p50 / p95), and the weekly digest.

Run: .venv/bin/python benchmarks/voice_bench.py [--skip-index] [--old-path] [--latency-only]
     [--compare-corpus] (per-report loading vs the shared corpus, side by side)
"""

from __future__ import annotations

import argparse
import html
import os
import time
from collections import Counter
from collections.abc import Sequence
from datetime import datetime

import numpy as np
from common import WORK, percentile, print_table
from sentiment_data import airline
from threadpoolctl import threadpool_limits

from search.config import Settings
from search.customer_posts import load_posts
from search.digest import DigestBuilder
from search.engine import SearchEngine
from search.models import Contribution, Document, Principal
from search.phrases import tokens
from search.sentiment_store import count_classified, post_vectors
from search.themes import centre_by_group, cluster
from search.voice import VoiceAnalyzer, VoiceReport

DATA = WORK / "voice_airline"
TOPICS = {  # topic typed by an analyst -> the negativereason it should find
    "lost luggage": "Lost Luggage",
    "cancelled flight": "Cancelled Flight",
    "late flight": "Late Flight",
    "customer service": "Customer Service Issue",
    "damaged luggage": "Damaged Luggage",
    "booking problems": "Flight Booking Problems",
    "flight attendant": "Flight Attendant Complaints",
}
LATENCY_TOPICS = ["*", "lost luggage", "cancelled flight", "late flight", "customer service",
                  "wifi", "refund", "seats", "delayed", "rebooking"]


def documents() -> list[Document]:
    """Turn the airline tweets into customer posts the way a tweet indexer would."""
    data = airline()
    docs = []
    for row in data.extra:
        created = datetime.strptime(row["tweet_created"], "%Y-%m-%d %H:%M:%S %z")
        handle = row["name"]
        docs.append(Document(
            id=f"airline:{row['tweet_id']}", source="airline", kind="post", title="",
            text=html.unescape(row["text"]), url="", created_at=created, audience="customer",
            contributions=(Contribution(f"c.{handle}", "author", created),),
            meta={"author": handle, "author_name": handle, "followers": 0, "likes": 0,
                  "reposts": int(row["retweet_count"] or 0), "product": row["airline"],
                  "channel": "twitter"}))
    return docs


def open_engine() -> SearchEngine:
    """Open the benchmark engine (MiniLM, shipped sentiment head)."""
    return SearchEngine(Settings(data_dir=str(DATA), embedder="minilm"))


def index(engine: SearchEngine) -> None:
    """Index the tweets (only new or changed ones are embedded and classified)."""
    start = time.perf_counter()
    counts = engine.upsert(documents())
    print(f"indexed: {counts} in {time.perf_counter() - start:.1f}s; "
          f"{count_classified(engine.store)} posts with stored sentiment\n")


def purity(truth: Sequence[str], labels: Sequence[int]) -> float:
    """Return the share of items in their cluster's majority class."""
    by_cluster: dict[int, Counter[str]] = {}
    for t, lab in zip(truth, labels, strict=True):
        by_cluster.setdefault(lab, Counter())[t] += 1
    return sum(c.most_common(1)[0][1] for c in by_cluster.values()) / len(truth)


def keyword_buckets(texts: Sequence[str], k: int) -> list[int]:
    """Baseline: bucket each text by the most frequent of the k commonest content words in it."""
    frequency = Counter(w for t in texts for w in set(tokens(t)))
    top = [w for w, _ in frequency.most_common(k)]
    out = []
    for text in texts:
        words = set(tokens(text))
        out.append(next((i for i, w in enumerate(top) if w in words), k))
    return out


def theme_quality(engine: SearchEngine) -> None:
    """Compare themes of negative tweets with the labelled complaint reasons."""
    from sklearn.metrics import normalized_mutual_info_score as nmi

    data = airline()
    nums = engine.store.nums_for([f"airline:{r['tweet_id']}" for r in data.extra])
    rows = [r for r in data.extra if r["airline_sentiment"] == "negative"
            and r["negativereason"] not in ("", "Can't Tell")]
    posts = load_posts(engine, [nums[f"airline:{r['tweet_id']}"] for r in rows])
    truth = [r["negativereason"] for r in rows]
    vectors = post_vectors(engine, [(p.title, p.text) for p in posts])
    centred = centre_by_group(vectors, [p.product for p in posts])
    k_reasons = len(set(truth))
    results = []
    for name, x, fixed in (("themes (shipped: centred per airline, k by silhouette)", centred,
                            None),
                           (f"themes, k fixed to {k_reasons}", centred, k_reasons),
                           ("themes without centring, k by silhouette", vectors, None)):
        start = time.perf_counter()
        with threadpool_limits(limits=1, user_api="blas"):  # as in a report
            found = cluster(x, fixed_k=fixed)
        ms = (time.perf_counter() - start) * 1000
        labels = found.labels.tolist()
        results.append((name, found.k, nmi(truth, labels), purity(truth, labels), f"{ms:.0f}"))
    for k in (found.k, k_reasons):
        labels = keyword_buckets([p.text for p in posts], k)
        results.append((f"baseline: keyword buckets, k={k}", k + 1, nmi(truth, labels),
                        purity(truth, labels), "-"))
    rng = np.random.default_rng(0)
    labels = rng.integers(0, k_reasons, len(truth)).tolist()
    results.append((f"baseline: random, k={k_reasons}", k_reasons, nmi(truth, labels),
                    purity(truth, labels), "-"))
    print(f"Theme quality: {len(truth)} negative tweets with a labelled reason "
          f"({k_reasons} reasons; 'Can't Tell' excluded)")
    print_table(["method", "clusters", "NMI", "purity", "ms"], results)
    print()


def topic_matching(engine: SearchEngine, analyzer: VoiceAnalyzer) -> None:
    """Precision and recall of the negative posts a report finds, per labelled reason."""
    data = airline()
    reason = {f"airline:{r['tweet_id']}": r["negativereason"] for r in data.extra}
    negative = {f"airline:{r['tweet_id']}" for r in data.extra
                if r["airline_sentiment"] == "negative"}
    rows = []
    for topic, label in TOPICS.items():
        posts, _ = analyzer.posts(topic, None, None, Principal.system())
        found = {p.id for p in posts} & negative
        gold = {i for i, r in reason.items() if r == label}
        hit = len(found & gold)
        rows.append((topic, label, len(posts), len(found), len(gold),
                     hit / len(found) if found else 0.0, hit / len(gold) if gold else 0.0))
    print("Topic matching (negative tweets the report counts vs the labelled reason)")
    print_table(["topic", "reason", "posts matched", "negative matched", "labelled",
                 "precision", "recall"], rows)
    print()


def time_reports(analyzer: VoiceAnalyzer, rounds: int) -> tuple[list[tuple[object, ...]],
                                                                   list[float]]:
    """Time warm reports per topic; return table rows and every timing."""
    principal = Principal.system()
    rows: list[tuple[object, ...]] = []
    every: list[float] = []
    for topic in LATENCY_TOPICS:
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            report = analyzer.report(topic, None, None, principal)
            times.append((time.perf_counter() - start) * 1000)
        every += times
        rows.append((topic, report.total, len(report.themes), f"{percentile(times, 50):.0f}",
                     f"{percentile(times, 95):.0f}"))
    return rows, every


def latency(engine: SearchEngine, rounds: int, old_path: bool = False) -> None:
    """Time voice reports (cold first report, then warm) with and without internal routing."""
    principal = Principal.system()
    analysis = VoiceAnalyzer(engine, route=False)
    start = time.perf_counter()
    analysis.report("*", None, None, principal)
    cold = (time.perf_counter() - start) * 1000
    rows, every = time_reports(analysis, rounds)
    print(f"Voice report latency, customer analysis only (route=False; {rounds} warm runs per "
          f"topic; the first, cold report over all posts took {cold:.0f} ms)")
    print_table(["topic", "posts", "themes", "p50 ms", "p95 ms"], rows)
    print(f"\nall topics: p50 {percentile(every, 50):.0f} ms, p95 {percentile(every, 95):.0f} ms,"
          f" max {max(every):.0f} ms\n")
    full = VoiceAnalyzer(engine)
    full.report("*", None, None, principal)
    rows, every = time_reports(full, rounds)
    print(f"Voice report latency, full report (routing to internal documents and experts; "
          f"{rounds} warm runs per topic)")
    print_table(["topic", "posts", "themes", "p50 ms", "p95 ms"], rows)
    print(f"\nall topics: p50 {percentile(every, 50):.0f} ms, p95 {percentile(every, 95):.0f} ms,"
          f" max {max(every):.0f} ms")
    if old_path:
        widen = engine._filtered_nums
        engine._filtered_nums = lambda principal, filters: None  # type: ignore[method-assign]
        try:
            rows, every = time_reports(full, rounds)
        finally:
            engine._filtered_nums = widen  # type: ignore[method-assign]
        print("Same, old path: the internal searches' vector leg widens through every vector")
        print_table(["topic", "posts", "themes", "p50 ms", "p95 ms"], rows)
        print(f"\nall topics: p50 {percentile(every, 50):.0f} ms, "
              f"p95 {percentile(every, 95):.0f} ms, max {max(every):.0f} ms")
    from search.filters import Filters

    times = []
    for topic in LATENCY_TOPICS[1:]:
        start = time.perf_counter()
        engine.search(topic, principal, Filters(audience="internal"), limit=5, facets=False)
        times.append((time.perf_counter() - start) * 1000)
    print(f"one internal engine.search (routing runs one, plus expert finding's own): "
          f"p50 {percentile(times, 50):.0f} ms, p95 {percentile(times, 95):.0f} ms\n")
    builder = DigestBuilder(engine, full)
    builder.build("2015-W08", principal)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        digest = builder.build("2015-W08", principal)
        times.append((time.perf_counter() - start) * 1000)
    print(f"weekly digest 2015-W08 ({digest.total} posts, {len(digest.touch_points)} touch "
          f"points): p50 {percentile(times, 50):.0f} ms, p95 {percentile(times, 95):.0f} ms\n")


def comparable(report: VoiceReport) -> dict[str, object]:
    """The report as JSON without its timings."""
    data = report.to_dict(include_posts=True)
    data.pop("timings_ms")
    return data


def compare(engine: SearchEngine, rounds: int, route: bool) -> None:
    """Time the per-report path and the shared corpus side by side, interleaved per report."""
    principal = Principal.system()
    old = VoiceAnalyzer(engine, route=route, corpus_posts=0)
    new = VoiceAnalyzer(engine, route=route)
    cold = []
    for analyzer in (old, new):
        start = time.perf_counter()
        analyzer.report("*", None, None, principal)
        cold.append((time.perf_counter() - start) * 1000)
    for topic in LATENCY_TOPICS:  # untimed: embeds each topic once (cached per analyzer)
        old.report(topic, None, None, principal)
        new.report(topic, None, None, principal)
    times: dict[tuple[str, str], list[float]] = {}
    totals: dict[str, int] = {}
    load = [os.getloadavg()]
    for _ in range(rounds):
        for topic in LATENCY_TOPICS:
            reports = []
            for name, analyzer in (("old", old), ("new", new)):
                start = time.perf_counter()
                reports.append(analyzer.report(topic, None, None, principal))
                times.setdefault((topic, name), []).append((time.perf_counter() - start) * 1000)
            if comparable(reports[0]) != comparable(reports[1]):
                raise SystemExit(f"the two paths disagree on {topic!r}")
            totals[topic] = reports[1].total
    load.append(os.getloadavg())
    what = "full report (routing included)" if route else "customer analysis only (route=False)"
    print(f"Voice report latency, {what}: per-report loading (old) vs the shared corpus (new), "
          f"{rounds} interleaved warm runs per topic (after one untimed report per topic, which "
          "embeds the topic); every report identical on both paths.")
    print(f"Cold first report over all posts: old {cold[0]:.0f} ms, new {cold[1]:.0f} ms "
          "(loads the corpus). Load average (1, 5, 15 min) "
          f"{load[0][0]:.2f} {load[0][1]:.2f} {load[0][2]:.2f} before, "
          f"{load[1][0]:.2f} {load[1][1]:.2f} {load[1][2]:.2f} after.")
    rows: list[tuple[object, ...]] = []
    for topic in LATENCY_TOPICS:
        o, n = times[(topic, "old")], times[(topic, "new")]
        rows.append((topic, totals[topic], f"{percentile(o, 50):.0f}", f"{percentile(o, 95):.0f}",
                     f"{percentile(n, 50):.0f}", f"{percentile(n, 95):.0f}"))
    every = {name: [t for (_, n), ts in times.items() if n == name for t in ts]
             for name in ("old", "new")}
    rows.append(("all topics", "", *(f"{percentile(every[name], pct):.0f}"
                                     for name in ("old", "new") for pct in (50, 95))))
    print_table(["topic", "posts", "old p50 ms", "old p95 ms", "new p50 ms", "new p95 ms"], rows)
    print()


def main() -> None:
    """Index, then print every table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-index", action="store_true", help="Use the existing index.")
    parser.add_argument("--rounds", type=int, default=5, help="Timed runs per topic.")
    parser.add_argument("--old-path", action="store_true",
                        help="Also time full reports with the old widening vector leg.")
    parser.add_argument("--latency-only", action="store_true",
                        help="Skip theme quality and topic matching.")
    parser.add_argument("--compare-corpus", action="store_true",
                        help="Only time per-report loading against the shared corpus, side by "
                             "side (analysis only, then full reports).")
    args = parser.parse_args()
    engine = open_engine()
    if not args.skip_index:
        index(engine)
    print(f"load average before: {os.getloadavg()}")
    if args.compare_corpus:
        compare(engine, args.rounds, route=False)
        compare(engine, args.rounds, route=True)
        print(f"load average after: {os.getloadavg()}")
        engine.close()
        return
    if not args.latency_only:
        theme_quality(engine)
        topic_matching(engine, VoiceAnalyzer(engine, route=False))
    latency(engine, args.rounds, args.old_path)
    print(f"load average after: {os.getloadavg()}")
    engine.close()


if __name__ == "__main__":
    main()
