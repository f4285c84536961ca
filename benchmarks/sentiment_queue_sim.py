"""Simulated active learning with the sentiment labelling queue, and the choice of its strategy
on a development split of the company's labels (never on the held-out 20 %).

A simulation plays the labeller: it starts from a few labels, trains a head
(``search.sentiment_training.train_head``) on the labels so far, lets
``search.sentiment_queue.pick_for_labelling`` choose the next posts from the unlabelled rest of
the pool, reveals their gold labels, and repeats. The heads at the requested sizes are returned.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from search.sentiment import LABELS, SentimentHead
from search.sentiment_queue import pick_for_labelling, typical_points
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
)


PRIOR_BY_CV = False  # let the CV choose between the prior and none (--prior cv)


def train(x: np.ndarray, y: Sequence[str], c: float | None,
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


def simulate(x: np.ndarray, vectors: np.ndarray, y: np.ndarray, groups: np.ndarray,
             order: np.ndarray, sizes: Sequence[int], c: float | None, strategy: QueueStrategy,
             shipped: SentimentHead | None = None, prior: SentimentHead | None = None,
             seed: int = 0) -> dict[int, tuple[SentimentHead, float]]:
    """Run the labelling loop over one pool (rows of x / vectors / y / groups); return the head
    (trained towards ``prior``, if given) and its training seconds at each of ``sizes`` the loop
    passes through."""
    labelled = _start(strategy, x, vectors, y, groups, order, shipped, seed)
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
        labelled += pick_for_labelling(head.probabilities(x), vectors, target - len(labelled),
                                       groups=groups.tolist() if strategy.spread else None,
                                       exclude=set(labelled), balance=strategy.balance,
                                       density=strategy.density)
    return found


def _macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(gold, predicted, labels=list(LABELS), average="macro"))


def mean_sd(values: Sequence[float]) -> str:
    """Return 'mean ± sd' of several runs (sd over runs, n − 1)."""
    if len(values) < 2:
        return f"{values[0]:.4f}" if values else "n/a"
    return f"{statistics.mean(values):.4f} ± {statistics.stdev(values):.4f}"


def choose_strategy(x: np.ndarray, vectors: np.ndarray, labels: Sequence[str],
                    groups: np.ndarray, pool: np.ndarray, c: float | None, seeds: int,
                    shipped: SentimentHead,
                    strategies: Sequence[QueueStrategy] = CANDIDATES,
                    prior: SentimentHead | None = None) -> list[tuple[object, ...]]:
    """Compare queue strategies with random labels on a development split of ``pool`` (the
    company's labels only): 80 % of it is the simulated pool, 20 % scores; every head is
    trained towards ``prior`` when one is given. Return table rows."""
    from sklearn.model_selection import train_test_split

    y_all = np.asarray(labels)
    inner, dev = train_test_split(pool, test_size=0.2, random_state=DEV_SPLIT_SEED,
                                  stratify=y_all[pool])
    print(f"  development split of the company's labels: {len(inner)} pool, {len(dev)} scored",
          flush=True)
    xi, vi, yi, gi = x[inner], vectors[inner], y_all[inner], groups[inner]
    gold = y_all[dev].tolist()
    results: dict[tuple[str, int], list[float]] = {}
    for seed in range(seeds):
        order = np.random.default_rng(seed).permutation(len(inner))
        for size in DEV_SIZES:
            head, _ = train(xi[order[:size]], yi[order[:size]], c, prior)
            results.setdefault(("random labels", size), []).append(
                _macro_f1(gold, predict(head, x[dev])))
        if seed == 0:  # all of the pool: the same labels for every seed
            head, _ = train(xi, yi, c, prior)
            results[("all labels", len(inner))] = [_macro_f1(gold, predict(head, x[dev]))]
        for strategy in strategies:
            if strategy.start_from == "shipped" and seed > 0:
                continue  # the same run for every seed unless the start needs random labels
            for size, (head, _) in simulate(xi, vi, yi, gi, order, DEV_SIZES, c, strategy,
                                            shipped, prior, seed).items():
                results.setdefault((strategy.name, size), []).append(
                    _macro_f1(gold, predict(head, x[dev])))
        print(f"  seed {seed} done: " + "; ".join(
            f"{name} {size}: {values[-1]:.4f}" for (name, size), values in results.items()),
            flush=True)
    return [(name, size, len(values), mean_sd(values))
            for (name, size), values in sorted(results.items(), key=lambda kv: (kv[0][1],
                                                                                 kv[0][0]))]
