"""Simulated active learning with the sentiment labelling queue, and the choice of its strategy
on a development split of the company's labels (never on the held-out 20 %).

A simulation plays the labeller: it starts from a few labels, trains a head
(``search.sentiment_training.train_head``) on the labels so far, lets
``search.sentiment_queue.pick_for_labelling`` choose the next posts from the unlabelled rest of
the pool, reveals their gold labels, and repeats. The heads at the requested sizes are returned.

Run alone, it compares strategies on the airline development split with more seeds, fewer sizes
and paired differences against the first strategy listed (the held-out 20 % is never read):
.venv/bin/python benchmarks/sentiment_queue_sim.py \
    --vectors-from benchmarks/var/voice_airline/store.db --strategies 10,13 --seeds 0-9
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from search.sentiment import LABELS, SentimentHead
from search.sentiment_queue import (
    Diversity,
    cross_groups,
    pick_for_labelling,
    theme_groups,
    typical_points,
)
from search.sentiment_training import TrainingDataError, train_head

STEPS = (100, 200, 300, 500, 1000, 2000, 3000)
BATCH_UNTIL = 1000  # retraining every `batch` labels stops here (then only at STEPS)
DEV_SIZES = (100, 300, 1000)
DEV_SPLIT_SEED = 1


@dataclass(frozen=True)
class QueueStrategy:
    """How the simulated labeller uses the queue."""

    name: str
    balance: bool = True  # pick_for_labelling's class balance over predicted classes
    start: int = 50  # labels before the queue takes over
    start_from: str = "random"  # "random": a random sample; "shipped": the shipped head's queue;
    # "clusters": the most typical post of each k-means cluster of the pool, largest first
    batch: int = 0  # retrain after every `batch` labels up to BATCH_UNTIL (0: only at STEPS)
    spread: bool = True  # spread the picks over days (the groups)
    density: float = 0.0  # pick_for_labelling's density exponent (0: off)
    themes: int = 0  # also spread the picks over this many k-means themes of the pool (0: off)
    carry: bool = False  # labelled posts count as earlier picks of their group (the spread)
    committee: int = 0  # ask where this many bootstrap heads disagree most (0: uncertainty)
    diversity: Diversity = "soft"  # pick_for_labelling's diversity (soft / duplicates / off)
    explore: float = 0.0  # this share of each batch is drawn at random (the rest by the queue)


SHIPPED_QUEUE = QueueStrategy("previous queue: uncertainty + days + diversity, 50 random first",
                              balance=False)
CANDIDATES = (
    SHIPPED_QUEUE,
    QueueStrategy("class-balanced, 50 random first"),
    QueueStrategy("class-balanced, 100 random first", start=100),
    QueueStrategy("class-balanced, first 50 from the shipped head's queue", start_from="shipped"),
    QueueStrategy("class-balanced, 50 random first, retrain every 50", batch=50),
    QueueStrategy("previous queue, retrain every 50", balance=False, batch=50),
    QueueStrategy("class-balanced, 100 random first, retrain every 50", start=100, batch=50),
    QueueStrategy("class-balanced, 50 random first, retrain every 25", batch=25),
    QueueStrategy("class-balanced, no day spread, retrain every 50", batch=50, spread=False),
    QueueStrategy("class-balanced, density-weighted, retrain every 50", batch=50, density=1.0),
    QueueStrategy("class-balanced, first 50 typical points of k-means clusters",
                  start_from="clusters"),
    QueueStrategy("class-balanced, first 50 from clusters, retrain every 50",
                  start_from="clusters", batch=50),
    QueueStrategy("class-balanced, first 100 from clusters", start=100, start_from="clusters"),
    # 2026-12-01, third round (all with the cluster start)
    QueueStrategy("clusters first, density-weighted (exponent 1)", start_from="clusters",
                  density=1.0),
    QueueStrategy("clusters first, density-weighted (exponent 0.5)", start_from="clusters",
                  density=0.5),
    QueueStrategy("clusters first, density-weighted (exponent 2)", start_from="clusters",
                  density=2.0),
    QueueStrategy("clusters first, labelled posts count in the day spread",
                  start_from="clusters", carry=True),
    QueueStrategy("clusters first, committee of 4 bootstrap heads (disagreement)",
                  start_from="clusters", committee=4),
    QueueStrategy("clusters first, spread over 20 themes x days, labelled posts counted",
                  start_from="clusters", themes=20, carry=True),
    QueueStrategy("clusters first, density-weighted, no diversity", start_from="clusters",
                  density=1.0, diversity="off"),
    QueueStrategy("clusters first, density-weighted, near-duplicates only",
                  start_from="clusters", density=1.0, diversity="duplicates"),
    QueueStrategy("clusters first, a quarter of each batch at random", start_from="clusters",
                  explore=0.25),
)


PRIOR_BY_CV = False  # let the CV choose between the prior and none (--prior cv)


def train(x: np.ndarray, y: Sequence[str] | np.ndarray, c: float | None,
          prior: SentimentHead | None = None) -> tuple[SentimentHead, float]:
    """Train a head (towards ``prior``, if given) and return it with its training seconds."""
    started = time.perf_counter()
    head = train_head(x, list(y), c=c, seed=0, prior=prior, prior_by_cv=PRIOR_BY_CV)
    return head, time.perf_counter() - started


def predict(head: SentimentHead, x: np.ndarray) -> list[str]:
    """Return the head's labels for feature rows ``x``."""
    return [LABELS[i] for i in np.argmax(head.probabilities(x), axis=1)]


def _trainable(y: np.ndarray, labelled: list[int]) -> bool:
    from search.sentiment_training import check_labels

    try:
        check_labels(np.zeros((len(labelled), 1)), y[labelled].tolist())
    except TrainingDataError:
        return False
    return True


def _start(strategy: QueueStrategy, x: np.ndarray, vectors: np.ndarray, y: np.ndarray,
           groups: np.ndarray, order: np.ndarray, shipped: SentimentHead | None,
           seed: int = 0) -> list[int]:
    """Return the first labels: a random sample or the shipped head's queue, grown at random
    (ten at a time) until every class has enough labels to train."""
    if strategy.start_from == "shipped":
        if shipped is None:
            raise ValueError("start_from='shipped' needs the shipped head")
        labelled = pick_for_labelling(shipped.probabilities(x), vectors, strategy.start,
                                      groups=groups.tolist() if strategy.spread else None,
                                      balance=strategy.balance, density=strategy.density)
    elif strategy.start_from == "clusters":
        labelled = typical_points(vectors, strategy.start, seed=seed)
    else:
        labelled = [int(i) for i in order[: strategy.start]]
    extra = (int(i) for i in order if int(i) not in set(labelled))
    while not _trainable(y, labelled):
        labelled += [next(extra) for _ in range(10)]
    return labelled


def bootstrap_committee(x: np.ndarray, y: np.ndarray, head: SentimentHead,
                        prior: SentimentHead | None, size: int, seed: int) -> list[SentimentHead]:
    """Return ``size`` heads with the setting ``head`` was trained with (its C, its prior or
    none), each on a bootstrap resample of the labels drawn within each class."""
    rng = np.random.default_rng(seed)
    towards = prior if head.meta.get("prior") else None
    members = []
    for _ in range(size):
        rows = np.concatenate([rng.choice(np.flatnonzero(y == label), int(np.sum(y == label)))
                               for label in np.unique(y)])
        members.append(train_head(x[rows], y[rows].tolist(), c=float(head.meta["C"]),
                                  prior=towards))
    return members


def _groups(strategy: QueueStrategy, vectors: np.ndarray, days: np.ndarray,
            seed: int) -> list[int] | None:
    """Return the groups the queue spreads its picks over: days and/or themes, or none."""
    parts = [days.tolist()] if strategy.spread else []
    if strategy.themes:
        parts.append(theme_groups(vectors, strategy.themes, seed=seed))
    return cross_groups(*parts) if parts else None


def simulate(x: np.ndarray, vectors: np.ndarray, y: np.ndarray, groups: np.ndarray,
             order: np.ndarray, sizes: Sequence[int], c: float | None, strategy: QueueStrategy,
             shipped: SentimentHead | None = None, prior: SentimentHead | None = None,
             seed: int = 0) -> dict[int, tuple[SentimentHead, float]]:
    """Run the labelling loop over one pool (rows of x / vectors / y / groups); return the head
    (trained towards ``prior``, if given) and its training seconds at each of ``sizes`` the loop
    passes through."""
    labelled = _start(strategy, x, vectors, y, groups, order, shipped, seed)
    spread = _groups(strategy, vectors, groups, seed)
    last = min(max(sizes), len(y))
    targets = set(STEPS) | set(sizes)
    if strategy.batch:
        targets |= set(range(strategy.batch, min(last, BATCH_UNTIL) + 1, strategy.batch))
    found: dict[int, tuple[SentimentHead, float]] = {}
    for target in [*sorted(t for t in targets if t <= last), None]:
        if target is not None and target <= len(labelled):
            continue
        head, seconds = train(x[labelled], y[labelled], c, prior)
        if len(labelled) in sizes:
            found[len(labelled)] = (head, seconds)
        if target is None:
            break
        members = (bootstrap_committee(x[labelled], y[labelled], head, prior,
                                       strategy.committee, seed + len(labelled))
                   if strategy.committee else [])
        if strategy.explore:
            taken = set(labelled)
            fresh = [int(i) for i in order if int(i) not in taken]
            labelled += fresh[: round(strategy.explore * (target - len(labelled)))]
        labelled += pick_for_labelling(head.probabilities(x), vectors, target - len(labelled),
                                       groups=spread,
                                       exclude=set(labelled), balance=strategy.balance,
                                       density=strategy.density,
                                       labelled=set(labelled) if strategy.carry else (),
                                       committee=[m.probabilities(x) for m in members],
                                       diversity=strategy.diversity)
    return found


def _macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(gold, predicted, labels=list(LABELS), average="macro"))


def mean_sd(values: Sequence[float]) -> str:
    """Return 'mean ± sd' of several runs (sd over runs, n − 1)."""
    if len(values) < 2:
        return f"{values[0]:.4f}" if values else "n/a"
    return f"{statistics.mean(values):.4f} ± {statistics.stdev(values):.4f}"


def dev_scores(x: np.ndarray, vectors: np.ndarray, labels: Sequence[str], groups: np.ndarray,
               pool: np.ndarray, c: float | None, seeds: Sequence[int], shipped: SentimentHead,
               strategies: Sequence[QueueStrategy] = CANDIDATES,
               prior: SentimentHead | None = None,
               sizes: Sequence[int] = DEV_SIZES) -> dict[tuple[str, int], list[float]]:
    """Score queue strategies and random labels on a development split of ``pool`` (the
    company's labels only): 80 % of it is the simulated pool, 20 % scores; every head is
    trained towards ``prior`` when one is given. Return macro-F1 per (method, labels), one per
    seed in ``seeds`` (random labels always at every DEV_SIZES)."""
    from sklearn.model_selection import train_test_split

    y_all = np.asarray(labels)
    inner, dev = train_test_split(pool, test_size=0.2, random_state=DEV_SPLIT_SEED,
                                  stratify=y_all[pool])
    print(f"  development split of the company's labels: {len(inner)} pool, {len(dev)} scored",
          flush=True)
    xi, vi, yi, gi = x[inner], vectors[inner], y_all[inner], groups[inner]
    gold = y_all[dev].tolist()
    results: dict[tuple[str, int], list[float]] = {}
    for seed in seeds:
        order = np.random.default_rng(seed).permutation(len(inner))
        for size in DEV_SIZES:
            head, _ = train(xi[order[:size]], yi[order[:size]], c, prior)
            results.setdefault(("random labels", size), []).append(
                _macro_f1(gold, predict(head, x[dev])))
        if seed == seeds[0]:  # all of the pool: the same labels for every seed
            head, _ = train(xi, yi, c, prior)
            results[("all labels", len(inner))] = [_macro_f1(gold, predict(head, x[dev]))]
        for strategy in strategies:
            if strategy.start_from == "shipped" and seed != seeds[0]:
                continue  # the same run for every seed unless the start needs random labels
            for size, (head, _) in simulate(xi, vi, yi, gi, order, sizes, c, strategy,
                                            shipped, prior, seed).items():
                results.setdefault((strategy.name, size), []).append(
                    _macro_f1(gold, predict(head, x[dev])))
        print(f"  seed {seed} done: " + "; ".join(
            f"{name} {size}: {values[-1]:.4f}" for (name, size), values in results.items()),
            flush=True)
    return results


def choose_strategy(x: np.ndarray, vectors: np.ndarray, labels: Sequence[str],
                    groups: np.ndarray, pool: np.ndarray, c: float | None, seeds: int,
                    shipped: SentimentHead,
                    strategies: Sequence[QueueStrategy] = CANDIDATES,
                    prior: SentimentHead | None = None) -> list[tuple[object, ...]]:
    """Compare queue strategies with random labels on a development split of ``pool`` (see
    ``dev_scores``, seeds 0 .. seeds − 1). Return table rows."""
    return summary(dev_scores(x, vectors, labels, groups, pool, c, list(range(seeds)), shipped,
                              strategies, prior))


def summary(results: dict[tuple[str, int], list[float]]) -> list[tuple[object, ...]]:
    """Return table rows (method, labels, runs, mean ± sd), by label count, then method."""
    return [(name, size, len(values), mean_sd(values))
            for (name, size), values in sorted(results.items(), key=lambda kv: (kv[0][1],
                                                                                 kv[0][0]))]


def paired(results: dict[tuple[str, int], list[float]], baseline: str
           ) -> list[tuple[object, ...]]:
    """Return rows of each method's per-seed difference from ``baseline`` at the same size and
    seed: mean ± sd of the differences and how many seeds it won."""
    rows: list[tuple[object, ...]] = []
    for (name, size), values in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        base = results.get((baseline, size), [])
        if name == baseline or len(base) != len(values) or len(values) < 2:
            continue
        diffs = [v - b for v, b in zip(values, base, strict=True)]
        rows.append((name, size, len(diffs), f"{statistics.mean(diffs):+.4f} ± "
                     f"{statistics.stdev(diffs):.4f}", sum(d > 0 for d in diffs)))
    return rows


def main() -> None:
    """Compare queue strategies on the development split of the airline tweets' company labels
    (the held-out 20 % is never read), with more seeds and fewer sizes than --queue-dev."""
    import argparse
    import os
    from pathlib import Path

    import sentiment_learning as learning
    from common import print_table

    from search.sentiment import HEAD_PATH, VaderModel, head_features

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--vectors-from", type=Path, default=None,
                        help="A socialsearch store.db with the tweets' MiniLM vectors.")
    parser.add_argument("--strategies", required=True,
                        help="Comma-separated indexes into CANDIDATES; the first is the "
                             "baseline of the paired differences.")
    parser.add_argument("--seeds", default="0-9", help="Seeds, e.g. 0-9 or 0,3,5.")
    parser.add_argument("--sizes", default="100,300", help="Label counts to score the queue at.")
    args = parser.parse_args()
    global PRIOR_BY_CV
    PRIOR_BY_CV = True  # as 'socialsearch sentiment train' does
    first, _, last = args.seeds.partition("-")
    seeds = (list(range(int(first), int(last) + 1)) if last
             else [int(s) for s in args.seeds.split(",")])
    strategies = [CANDIDATES[int(i)] for i in args.strategies.split(",")]
    part, vectors = learning.load_vectors(learning.split("airline"), args)
    x = head_features(vectors, VaderModel().features(part.data.texts)).astype(np.float64)
    shipped = SentimentHead.load(HEAD_PATH)
    results = dev_scores(x, vectors, part.data.labels, part.groups, part.train, None, seeds,
                         shipped, strategies, shipped, [int(s) for s in args.sizes.split(",")])
    print(f"\nairline tweets, development split, prior cv, seeds {args.seeds}; "
          f"load average {os.getloadavg()}")
    print_table(["queue strategy", "labels", "runs", "macro-F1 (dev, mean ± sd)"],
                summary(results))
    print_table(["queue strategy", "labels", "runs", f"Δ vs {strategies[0].name} (paired)",
                 "seeds won"], paired(results, strategies[0].name))


if __name__ == "__main__":
    main()
