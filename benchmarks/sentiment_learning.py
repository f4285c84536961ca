"""Learning the company's voice: how fast sentiment improves with the company's own labels.

Each data set is split 80/20, stratified by label (seed 0): the 80 % plays "the company's
labels", the 20 % is held out and only ever scored. In one run, on the held-out part: VADER, the
shipped head, heads trained (``search.sentiment_training.train_head``; C by CV, or fixed with
``--c``; the CV also chooses between pulling towards the shipped head and towards zero,
``--prior``) on 100 / 300 / 1,000 / 3,000 / all labels chosen at random or by the labelling queue
(simulated active learning, see ``sentiment_queue_sim``; both over ``--seeds`` random seeds,
mean ± sd), and MiniLM fine-tuned on all labels for ``FINETUNE_EPOCHS`` epochs
(``search.sentiment_finetune.fine_tune``; checkpointed in benchmarks/var, resumable).

Run: .venv/bin/python benchmarks/sentiment_learning.py
     (fine-tune alone, resumable, e.g. in the background first:
      .venv/bin/python benchmarks/sentiment_learning.py --finetune-only --datasets airline;
      the queue strategies compared on a development split of the company's labels only:
      .venv/bin/python benchmarks/sentiment_learning.py --queue-dev --datasets airline;
      the fine-tune's epoch count chosen on the same development split:
      .venv/bin/python benchmarks/sentiment_learning.py --finetune-dev 1,2,3 --datasets airline)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import sentiment_queue_sim
from common import WORK, print_table
from sentiment_data import LabelledSet, airline, alexa, embed_cached
from sentiment_queue_sim import (
    CANDIDATES,
    DEV_SPLIT_SEED,
    choose_strategy,
    mean_sd,
    predict,
    simulate,
    train,
)

from search.sentiment import (
    HEAD_PATH,
    LABELS,
    SentimentHead,
    VaderModel,
    head_features,
    load_sentiment_model,
)
from search.sentiment_finetune import FINETUNE_EPOCHS, fine_tune, fingerprint
from search.sentiment_training import TrainingDataError

SEED = 0
SIZES = (100, 300, 1000, 3000)
QUEUE = CANDIDATES[10]  # chosen with --queue-dev on the company's labels (docs/evaluation.md)
OUT = WORK / "sentiment_finetune"
DATASETS = {"airline": airline, "alexa": alexa}


@dataclass(frozen=True)
class Split:
    """One data set split into the company's labels (train) and the held-out part (test)."""

    key: str
    data: LabelledSet
    train: np.ndarray
    test: np.ndarray
    groups: np.ndarray

    def texts(self, rows: np.ndarray) -> list[str]:
        """Return the texts of ``rows``."""
        return [self.data.texts[i] for i in rows]

    def labels(self, rows: np.ndarray) -> list[str]:
        """Return the gold labels of ``rows``."""
        return [self.data.labels[i] for i in rows]


def _day(row: dict[str, str]) -> str:
    """Return the day of a post (airline ``tweet_created``, Alexa ``date``) for queue groups."""
    if "tweet_created" in row:
        return row["tweet_created"][:10]
    try:
        return datetime.strptime(row.get("date", ""), "%d-%b-%y").strftime("%Y-%m")
    except ValueError:
        return ""


def split(key: str) -> Split:
    """Load a data set and split it 80/20, stratified by label, seed 0."""
    from sklearn.model_selection import train_test_split

    data = DATASETS[key]()
    rows = np.arange(len(data.texts))
    train, test = train_test_split(rows, test_size=0.2, random_state=SEED,
                                   stratify=data.labels)
    days = [_day(r) for r in data.extra]
    names = {d: i for i, d in enumerate(sorted(set(days)))}
    return Split(key, data, np.asarray(train), np.asarray(test),
                 np.asarray([names[d] for d in days]))


def store_vectors(texts: Sequence[str], store: Path) -> tuple[np.ndarray, np.ndarray]:
    """Return the MiniLM vectors a socialsearch store already cached for ``texts`` (read-only)
    and the indices of the texts that have one (a one-passage post's cache key)."""
    import sqlite3

    from search.chunking import passage_key, passages
    from search.embedder import MODEL_NAME

    keys = []
    for text in texts:
        parts = passages("", text) or [" "]
        keys.append(passage_key(MODEL_NAME, parts[0]) if len(parts) == 1 else "")
    found: dict[str, bytes] = {}
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as conn:
        wanted = [k for k in keys if k]
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            marks = ",".join("?" * len(part))
            found.update(conn.execute(f"select key, vector from embeddings where key in ({marks})",
                                      part).fetchall())
    have = np.asarray([i for i, k in enumerate(keys) if k in found], dtype=np.int64)
    vectors = np.zeros((len(texts), 384), dtype=np.float32)
    for i in have:
        vectors[i] = np.frombuffer(found[keys[i]], dtype=np.float32)
    return vectors, have


def run_finetune(part: Split, *, max_seconds: float | None, reuse_partial: bool,
                 epochs: int = FINETUNE_EPOCHS, batch_size: int = 16, threads: int = 1,
                 rows: np.ndarray | None = None, out: Path | None = None) -> Path:
    """Fine-tune on the company's labels (or on ``rows`` of them; resumes a killed run) and
    return the model."""
    rows = part.train if rows is None else rows
    out = OUT / part.key if out is None else out
    texts, labels = part.texts(rows), part.labels(rows)
    info = out / "model" / "finetune.json"
    if reuse_partial and info.exists():
        meta = json.loads(info.read_text())
        if meta.get("fingerprint") == fingerprint(texts, labels, epochs, batch_size, SEED):
            return out / "model"
    return fine_tune(texts, labels, out, epochs=epochs, batch_size=batch_size, seed=SEED,
                     max_seconds=max_seconds, threads=threads)


def main() -> None:
    """Parse arguments and run the fine-tunes and/or the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default="airline,alexa",
                        help="Comma-separated: airline, alexa.")
    parser.add_argument("--finetune-only", action="store_true",
                        help="Only run (or resume) the fine-tunes, then stop.")
    parser.add_argument("--finetune-seconds", type=float, default=None,
                        help="Stop each fine-tune after this many seconds (resumable).")
    parser.add_argument("--reuse-partial", action="store_true",
                        help="Score a fine-tune stopped early as it is, without training more.")
    parser.add_argument("--skip-finetune", action="store_true")
    parser.add_argument("--vectors-from", type=Path, default=None,
                        help="Use the MiniLM vectors a socialsearch store.db already cached "
                             "(read-only); posts without one are left out of both parts.")
    parser.add_argument("--finetune-test-sample", type=int, default=0,
                        help="Score the fine-tune on this many held-out posts (0: all).")
    parser.add_argument("--c", type=float, default=None,
                        help="Fixed C for every head (default: picked by CV, as train_head does).")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (one is fastest on a busy 2-core machine).")
    parser.add_argument("--seeds", type=int, default=5,
                        help="Random orders for the random and queue-chosen heads (mean ± sd).")
    parser.add_argument("--queue-dev", action="store_true",
                        help="Only compare queue strategies on a development split of the "
                             "company's labels (the held-out 20 %% is not touched).")
    parser.add_argument("--prior", choices=("cv", "shipped", "none"), default="cv",
                        help="Train every head towards the shipped head's coefficients "
                             "(shipped), towards zero (none), or let each head's CV choose "
                             "between the two (cv, as 'socialsearch sentiment train' does).")
    parser.add_argument("--finetune-dev", default="",
                        help="Only compare fine-tunes of these comma-separated epoch counts on "
                             "a development split of the company's labels (80/20, seed 1; the "
                             "held-out 20 %% is not touched).")
    parser.add_argument("--strategies", default="",
                        help="With --queue-dev: comma-separated indexes into "
                             "sentiment_queue_sim.CANDIDATES (default: all).")
    args = parser.parse_args()
    keys = [k.strip() for k in args.datasets.split(",") if k.strip()]
    rows: list[tuple[object, ...]] = []
    for key in keys:
        part = split(key)
        if args.finetune_only:
            started = time.perf_counter()
            path = run_finetune(part, max_seconds=args.finetune_seconds, reuse_partial=False,
                                threads=args.threads)
            print(f"{key}: {path} in {time.perf_counter() - started:.0f}s", flush=True)
            continue
        print(f"{part.data.name}: {len(part.train)} company labels, {len(part.test)} held out",
              flush=True)
        if args.finetune_dev:
            found = choose_epochs(part, [int(e) for e in args.finetune_dev.split(",")],
                                  args.threads)
            print(f"\n{part.data.name}, development split; load average {os.getloadavg()}")
            print_table(["epochs", "steps", "macro-F1 (dev)", "accuracy (dev)", "training s"],
                        found)
            continue
        if args.queue_dev:
            part, vectors = load_vectors(part, args)
            x = head_features(vectors, VaderModel().features(part.data.texts)).astype(np.float64)
            found = choose_strategy(x, vectors, part.data.labels, part.groups, part.train, args.c,
                                    args.seeds, SentimentHead.load(HEAD_PATH),
                                    [CANDIDATES[int(i)] for i in args.strategies.split(",")]
                                    if args.strategies else CANDIDATES, prior_of(args))
            print(f"\n{part.data.name}, development split, prior {args.prior}; "
                  f"load average {os.getloadavg()}")
            print_table(["queue strategy", "labels", "runs", "macro-F1 (dev, mean ± sd)"], found)
            continue
        rows += compare(part, args)
    if rows:
        print(f"\nload average at the end: {os.getloadavg()}")
        print_table(["data set", "model", "labels", "macro-F1 (held-out 20 %)",
                     "accuracy", "training s"], rows)


def choose_epochs(part: Split, candidates: Sequence[int], threads: int
                  ) -> list[tuple[object, ...]]:
    """Fine-tune on 80 % of the company's labels for each epoch count and score each on the
    other 20 % (the development split the queue strategies are chosen on). Return table rows."""
    from sklearn.model_selection import train_test_split

    inner, dev = train_test_split(part.train, test_size=0.2, random_state=DEV_SPLIT_SEED,
                                  stratify=part.labels(part.train))
    print(f"  development split of the company's labels: {len(inner)} train, {len(dev)} scored",
          flush=True)
    rows: list[tuple[object, ...]] = []
    for epochs in candidates:
        path = run_finetune(part, max_seconds=None, reuse_partial=False, epochs=epochs,
                            threads=threads, rows=np.asarray(inner),
                            out=OUT / f"{part.key}-dev-{epochs}ep")
        meta = json.loads((path / "finetune.json").read_text())
        predicted = [s.label for s in load_sentiment_model(str(path)).predict(part.texts(dev))]
        f1, acc = scores(part.labels(dev), predicted)
        print(f"  {epochs} epoch(s): dev macro-F1 {f1:.4f} accuracy {acc:.4f}", flush=True)
        rows.append((epochs, meta["steps"], f1, acc, f"{meta['train_seconds']:.0f}"))
    return rows


def prior_of(args: argparse.Namespace) -> SentimentHead | None:
    """Return the head every trained head is pulled towards (None: towards zero)."""
    sentiment_queue_sim.PRIOR_BY_CV = args.prior == "cv"
    return SentimentHead.load(HEAD_PATH) if args.prior != "none" else None


def scores(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float]:
    """Return macro-F1 (over the three classes) and accuracy."""
    from sklearn.metrics import accuracy_score, f1_score

    return (float(f1_score(gold, predicted, labels=list(LABELS), average="macro")),
            float(accuracy_score(gold, predicted)))


def load_vectors(part: Split, args: argparse.Namespace) -> tuple[Split, np.ndarray]:
    """Return the split (without posts lacking a vector) and the MiniLM vectors of all posts."""
    if not args.vectors_from:
        return part, embed_cached(part.data.texts)
    vectors, have = store_vectors(part.data.texts, args.vectors_from)
    keep = np.zeros(len(vectors), dtype=bool)
    keep[have] = True
    part = Split(part.key, part.data, part.train[keep[part.train]], part.test[keep[part.test]],
                 part.groups)
    print(f"  only posts with a vector in {args.vectors_from}: {len(part.train)} company "
          f"labels, {len(part.test)} held out", flush=True)
    products = Counter(part.data.extra[i].get("airline", "") for i in have)
    print(f"  by airline: {dict(products.most_common())}", flush=True)
    return part, vectors


def compare(part: Split, args: argparse.Namespace) -> list[tuple[object, ...]]:
    """Return the comparison rows of one data set (all scored on its held-out 20 %)."""
    full = part
    part, vectors = load_vectors(part, args)
    data, test = part.data, part.test
    gold = part.labels(test)
    vader = VaderModel()
    vader_features = vader.features(data.texts)
    x = head_features(vectors, vader_features).astype(np.float64)
    n_test = len(test)
    rows: list[tuple[object, ...]] = []

    def add(model: str, labels: object, predicted: Sequence[str], seconds: float | None) -> None:
        f1, acc = scores(gold, predicted)
        rows.append((data.name, model, labels, f1, acc,
                     "" if seconds is None else f"{seconds:.1f}"))
        print(f"  {model} {labels}: macro-F1 {f1:.4f} accuracy {acc:.4f}", flush=True)

    add("VADER (baseline)", 0, [s.label for s in vader.predict(part.texts(test))], None)
    shipped = SentimentHead.load(HEAD_PATH)
    prior = prior_of(args)
    add("shipped head", 0, predict(shipped, x[test]), None)
    y_train = np.asarray(part.labels(part.train))
    runs: dict[tuple[str, int], list[tuple[float, float, float]]] = {}
    untrainable: dict[int, int] = {}  # random-label sizes a seed could not train on
    for seed in range(args.seeds):
        order = np.random.default_rng(seed).permutation(len(part.train))
        for size in SIZES:
            if size < len(order):
                try:
                    head, seconds = train(x[part.train[order[:size]]], y_train[order[:size]],
                                          args.c, prior)
                except TrainingDataError as error:  # e.g. 100 random Alexa reviews, 1 neutral
                    print(f"  seed {seed}, {size} random labels: {error}; the shipped head "
                          "keeps serving", flush=True)
                    head, seconds = shipped, 0.0
                    untrainable[size] = untrainable.get(size, 0) + 1
                runs.setdefault(("head, random labels", size), []).append(
                    (*scores(gold, predict(head, x[test])), seconds))
        found = simulate(x[part.train], vectors[part.train], y_train, part.groups[part.train],
                         order, SIZES, args.c, QUEUE, shipped, prior, seed)
        for size, (head, seconds) in found.items():
            runs.setdefault(("head, queue-chosen labels", size), []).append(
                (*scores(gold, predict(head, x[test])), seconds))
        print(f"  seed {seed}: " + "; ".join(f"{name} {size}: {r[-1][0]:.4f}"
                                               for (name, size), r in sorted(runs.items())),
              flush=True)
    for (name, size), found_runs in sorted(runs.items()):
        f1s, accs, secs = zip(*found_runs, strict=True)
        kept = untrainable.get(size, 0) if name == "head, random labels" else 0
        note = f"; {kept} kept the shipped head" if kept else ""
        rows.append((data.name, f"{name} ({len(f1s)} seeds{note})", size, mean_sd(f1s),
                     mean_sd(accs),
                     f"{statistics.mean(secs):.1f}"))
    head, seconds = train(x[part.train], y_train, args.c, prior)
    add("head, all labels", len(part.train), predict(head, x[test]), seconds)
    print(f"  C of the all-labels head: {head.meta['C']}, prior: {head.meta['prior']}",
          flush=True)
    started = time.perf_counter()
    predict(head, head_features(vectors[test], vader.features(part.texts(test))))
    speed_head = n_test / (time.perf_counter() - started)
    print(f"  head scoring (cached vectors + VADER): {speed_head:,.0f} posts/s", flush=True)
    if not args.skip_finetune:
        rows += _finetuned_rows(full, part, args, head, x, vader)
    return rows


def _finetuned_rows(full: Split, part: Split, args: argparse.Namespace, head: SentimentHead,
                    x: np.ndarray, vader: VaderModel) -> list[tuple[object, ...]]:
    """Fine-tune (or reuse the fine-tune of) all labels and score it end to end.

    With ``--finetune-test-sample N`` the fine-tune is scored on N held-out posts (a seeded
    sample), and VADER and the all-labels head are scored again on the same N beside it.
    """
    import torch

    path = run_finetune(full, max_seconds=args.finetune_seconds,
                        reuse_partial=args.reuse_partial, threads=args.threads)
    meta = json.loads((path / "finetune.json").read_text())
    test = part.test
    where = part.data.name
    if args.finetune_test_sample and args.finetune_test_sample < len(test):
        test = np.sort(np.random.default_rng(SEED).permutation(test)[:args.finetune_test_sample])
        where = f"{where}, {len(test)} of the held-out"
    gold, texts = part.labels(test), part.texts(test)
    rows: list[tuple[object, ...]] = []
    if len(test) < len(part.test):
        for name, count, predicted in (
                ("VADER (baseline)", 0, [s.label for s in vader.predict(texts)]),
                ("head, all labels", len(part.train), predict(head, x[test]))):
            rows.append((where, name, count, *scores(gold, predicted), ""))
    torch.set_num_threads(args.threads)
    model = load_sentiment_model(str(path))
    started = time.perf_counter()
    predicted = [s.label for s in model.predict(texts)]
    speed = len(texts) / (time.perf_counter() - started)
    f1, acc = scores(gold, predicted)
    name = (f"MiniLM fine-tuned, {meta['epochs_done']} of {meta['epochs']} epoch "
            f"({meta['steps']} of {meta['total_steps']} steps)")
    print(f"  {name}: macro-F1 {f1:.4f} accuracy {acc:.4f}; scoring {speed:.1f} posts/s "
          f"(texts in, MiniLM encoding included, {args.threads} thread)", flush=True)
    return [*rows, (where, name, len(full.train), f1, acc, f"{meta['train_seconds']:.0f}")]


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    main()
