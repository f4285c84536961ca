"""A larger development set for expert finding: several split times before the test split.

The Cardano benchmark (``experts_cardano.py``) picks the finder's knobs on one development split
(index before 50 % of questions, ask about the next 30 %: 62 questions) and reports the test
split (index before 80 %, ask about the last 20 %). Sixty-two questions are few. Here the index is
cut at several earlier points instead, and each cut is asked about the questions of the window
that follows it. Every window ends by the 80 % mark, so the test questions are never read. The
questions of all windows are pooled. For each settings variant the script prints the pooled MRR,
P@1 and Recall@10, the MRR of each window, and the paired bootstrap 95 % interval of its MRR
minus the shipped defaults'. The two baselines come last.

Run (20 %-wide windows after 20, 40 and 60 %, the test split's width; indexes are cached under
benchmarks/var, shared with experts_cardano.py where the cut is the same):
.venv/bin/python benchmarks/experts_rolling.py --starts 20,40,60 --window 20
"""

from __future__ import annotations

import argparse
import dataclasses
from datetime import datetime

import experts_cardano
from common import WORK, print_table
from experts_cardano import (
    CachedEngine,
    Query,
    Ranked,
    Site,
    answer_count_baseline,
    bm25_baseline,
    build,
    finder_lists,
    load_site,
    metrics,
    paired_bootstrap,
    queries,
)

from search.experts import ExpertSettings

SHIPPED = ExpertSettings()
_R = dataclasses.replace
VARIANTS: list[tuple[str, ExpertSettings]] = [
    ("shipped defaults", SHIPPED),
    ("tag evidence off", _R(SHIPPED, tag_weight=0.0)),
    ("tag_weight 0.5", _R(SHIPPED, tag_weight=0.5)),
    ("tag_weight 2", _R(SHIPPED, tag_weight=2.0)),
    ("tag_depth 50", _R(SHIPPED, tag_depth=50)),
    ("availability off", _R(SHIPPED, availability_half_life_days=None)),
    ("availability half-life 3.5 days", _R(SHIPPED, availability_half_life_days=3.5)),
    ("availability half-life 14 days", _R(SHIPPED, availability_half_life_days=14.0)),
    ("availability half-life 30 days", _R(SHIPPED, availability_half_life_days=30.0)),
    ("availability floor 0.3", _R(SHIPPED, availability_floor=0.3)),
    ("contribution half-life 30 days", _R(SHIPPED, half_life_days=30.0)),
    ("contribution half-life 60 days", _R(SHIPPED, half_life_days=60.0)),
    ("contribution half-life 365 days", _R(SHIPPED, half_life_days=365.0)),
    ("no recency decay", _R(SHIPPED, half_life_days=None)),
    ("normalisation none", _R(SHIPPED, normalisation="none")),
    ("log strength 0.5", _R(SHIPPED, log_strength=0.5)),
    ("rank_k 3", _R(SHIPPED, rank_k=3.0)),
    ("rank_k 30", _R(SHIPPED, rank_k=30.0)),
    ("depth 50", _R(SHIPPED, depth=50)),
    ("fusion rrf", _R(SHIPPED, fusion="rrf")),
    ("keyword leg only", _R(SHIPPED, fusion="keyword")),
    ("vector leg only", _R(SHIPPED, fusion="vector")),
]


@dataclasses.dataclass
class Window:
    """One cut of the index and the questions asked after it."""

    start: datetime
    questions: list[Query]
    engine: CachedEngine


def windows(starts: list[int], width: int, embedder_name: str) -> tuple[Site, list[Window]]:
    """Build (or reuse) one index per cut; return the site and the windows."""
    site = load_site()
    created = sorted(q.created for q in site.questions.values())
    n = len(created)
    out = []
    for pct in starts:
        if pct + width > 80:
            raise SystemExit(f"the window after {pct} % would reach past the 80 % test split")
        start, end = created[pct * n // 100], created[(pct + width) * n // 100]
        name = ("experts-cardano-dev-" if pct == 50 else f"experts-cardano-roll{pct}-") \
            + embedder_name
        engine = build(site, start, name, embedder_name)
        qs = queries(site, start, end)
        print(f"cut at {pct} % ({start:%Y-%m-%d}): {len(qs)} questions until {end:%Y-%m-%d}",
              flush=True)
        out.append(Window(start, qs, CachedEngine(engine)))
    return site, out


def pooled_row(label: str, per_window: list[Ranked], shipped: Ranked | None
               ) -> tuple[object, ...]:
    """Return one table row: pooled metrics, per-window MRR, interval against the shipped."""
    lists = [item for ranked in per_window for item in ranked]
    m = metrics(lists)
    interval = ""
    if shipped is not None:
        low, high = paired_bootstrap(lists, shipped)
        interval = f"[{low:+.4f}, {high:+.4f}]"
    return (label, m["MRR"], m["P@1"], m["R@10"],
            " / ".join(f"{metrics(r)['MRR']:.3f}" for r in per_window), interval)


def main() -> None:
    """Print the pooled comparison over the requested windows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", default="20,40,60",
                        help="cuts, in percent of questions by creation time")
    parser.add_argument("--window", type=int, default=20,
                        help="width of each question window, in percent")
    parser.add_argument("--embedder", default="minilm", choices=["minilm", "hashing"])
    parser.add_argument("--no-editors", action="store_true",
                        help="leave question editors out of the index (the figures before "
                             "2026-12-02)")
    args = parser.parse_args()
    experts_cardano.EDITORS = not args.no_editors
    site, wins = windows([int(v) for v in args.starts.split(",")], args.window, args.embedder)
    rows = []
    shipped: Ranked | None = None
    for label, settings in VARIANTS:
        per = [finder_lists(w.engine, w.questions, settings, w.start) for w in wins]
        rows.append(pooled_row(label, per, shipped))
        if shipped is None:
            shipped = [item for ranked in per for item in ranked]
    counts = [answer_count_baseline(site, w.start, w.questions) for w in wins]
    bm25 = [bm25_baseline(site, w.start, w.questions, WORK / "experts-rolling-bm25")
            for w in wins]
    rows.append(pooled_row("(a) answer count", counts, shipped))
    rows.append(pooled_row("(b) BM25 over answers, summed per author", bm25, shipped))
    total = sum(len(w.questions) for w in wins)
    print(f"\n{total} questions in {len(wins)} windows (cuts at {args.starts} %, "
          f"{args.window} % wide), embedder {args.embedder}\n")
    print_table(["method", "MRR", "P@1", "Recall@10", "MRR per window",
                 "MRR minus shipped, 95 % interval"], rows)


if __name__ == "__main__":
    main()
