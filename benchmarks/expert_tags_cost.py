"""What the expert finder's tag evidence costs at 100k documents (search/tag_evidence.py).

The synthetic 100k index of ``experts_cardano.py`` has no tags, so its latency rows do not
exercise the tag signal. This script opens that index (build it first with
``benchmarks/experts_cardano.py --latency-only``), gives every document 1-3 tags drawn from a
Zipf curve over 500 tags *in memory* (the store is not changed), and times each step of the
tag signal: reading the documents' tags, aggregating one access-token set's per-tag credits
(both once per store state), and the per-query work (scores over the topic's tags and the
evidence of ten experts).

Run: nice -n 19 .venv/bin/python benchmarks/expert_tags_cost.py
"""

from __future__ import annotations

import random
import time

import numpy as np
from common import WORK, percentile, print_table

from search.activity_table import ActivityTable
from search.expert_settings import default_role_weights
from search.models import Principal
from search.read_cache import ReadableMask
from search.store import Store
from search.tag_evidence import DocumentTags, TopicTags, build_credits, tag_weights

TAGS = 500


def synthetic_tags(table: ActivityTable, seed: int = 3) -> DocumentTags:
    """Give every document of the table 1-3 Zipf-distributed tags (in memory only)."""
    rng = random.Random(seed)
    names = [f"tag{i}" for i in range(TAGS)]
    weights = [1.0 / (i + 1) for i in range(TAGS)]
    size = int(table.num.max()) + 1
    lists = [sorted(set(rng.choices(range(TAGS), weights, k=rng.randint(1, 3))))
             for _ in range(size)]
    counts = np.array([len(x) for x in lists], dtype=np.int64)
    ptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    return DocumentTags(names, ptr, np.array([i for x in lists for i in x], dtype=np.int64))


def main() -> None:
    """Time each step of the tag signal on the synthetic 100k store."""
    path = WORK / "experts-synthetic-100000" / "store.db"
    if not path.exists():
        raise SystemExit(f"{path} is missing: run benchmarks/experts_cardano.py --latency-only")
    store = Store(f"sqlite:///{path}", migrate=False)
    rows: list[tuple[str, str]] = []
    t0 = time.perf_counter()
    real = DocumentTags.load(store)
    rows.append(("read every document's tags (once per store state)",
                 f"{(time.perf_counter() - t0) * 1000:.0f} ms ({len(real.names)} tags stored)"))
    t0 = time.perf_counter()
    table = ActivityTable.load(store)
    assert table is not None
    rows.append(("load the contribution table (shared with the activity look-up)",
                 f"{(time.perf_counter() - t0) * 1000:.0f} ms ({len(table.num):,} rows)"))
    tags = synthetic_tags(table)
    staff = Principal(user_id="p1", groups=frozenset({"staff"}))
    tokens = staff.tokens() or []
    mask = ReadableMask(store.readable_num_array(tokens))
    t0 = time.perf_counter()
    credits = build_credits(table, tags, mask, default_role_weights(), 0.5, 180.0, None)
    rows.append(("per-tag credits of one access-token set (once per store state)",
                 f"{(time.perf_counter() - t0) * 1000:.0f} ms ({len(credits.credit):,} "
                 f"tag-person pairs)"))
    rng = random.Random(5)
    nums = np.flatnonzero(tags.counts(np.arange(len(tags.ptr) - 1)))
    per_query: list[float] = []
    evidence: list[float] = []
    for _ in range(100):
        top = [int(n) for n in rng.sample(list(nums[:100_000]), 20)]
        hits = [(11 / (10 + r), [tags.names[i] for i in tags.ids[tags.ptr[n]:tags.ptr[n + 1]]])
                for r, n in enumerate(top, start=1)]
        t0 = time.perf_counter()
        topic = TopicTags(credits, tag_weights(hits))
        gains = topic.gains(1.0, 1.0, ())
        per_query.append((time.perf_counter() - t0) * 1000)
        shown = sorted(gains, key=lambda p: -gains[p][0])[:10]
        t0 = time.perf_counter()
        topic.evidence(store, {pid: 3 for pid in shown}, staff)
        evidence.append((time.perf_counter() - t0) * 1000)
    rows.append(("per query: topic tags and everyone's tag score (100 topics)",
                 f"p50 {percentile(per_query, 50):.1f} ms, p95 {percentile(per_query, 95):.1f} ms"))
    rows.append(("per query: tagged evidence of 10 experts (100 topics)",
                 f"p50 {percentile(evidence, 50):.1f} ms, p95 {percentile(evidence, 95):.1f} ms"))
    print_table(["step", "time"], rows)


if __name__ == "__main__":
    main()
