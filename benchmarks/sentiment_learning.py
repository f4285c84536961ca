"""Learning the company's voice: how fast sentiment improves with the company's own labels.

Each data set is split 80/20, stratified by label (seed 0): the 80 % plays "the company's
labels", the 20 % is held out and only ever scored. In one run, on the held-out part: VADER, the
shipped head, heads trained (``search.sentiment_training.train_head``; C by CV, or fixed with
``--c``) on 100 / 300 / 1,000 / 3,000 / all labels chosen at random or by the labelling queue
(simulated active learning, see ``queue_rounds``), and MiniLM fine-tuned for one epoch on all
labels (``search.sentiment_finetune.fine_tune``; checkpointed in benchmarks/var, resumable).

Run: .venv/bin/python benchmarks/sentiment_learning.py
     (fine-tune alone, resumable, e.g. in the background first:
      .venv/bin/python benchmarks/sentiment_learning.py --finetune-only --datasets airline)
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from common import WORK, print_table
from sentiment_data import LabelledSet, airline, alexa, embed_cached

from search.sentiment import (
    HEAD_PATH,
    LABELS,
    SentimentHead,
    VaderModel,
    head_features,
    load_sentiment_model,
)
from search.sentiment_finetune import fine_tune, fingerprint

SEED = 0
SIZES = (100, 300, 1000, 3000)
QUEUE_START = 50
QUEUE_STEPS = (100, 200, 300, 500, 1000, 2000, 3000)
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
                 epochs: int = 1, batch_size: int = 16, threads: int = 1) -> Path:
    """Fine-tune on all of the company's labels (resumes a killed run) and return the model."""
    out = OUT / part.key
    texts, labels = part.texts(part.train), part.labels(part.train)
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
        rows += compare(part, args)
    if rows:
        print(f"\nload average at the end: {os.getloadavg()}")
        print_table(["data set", "model", "labels", "macro-F1 (held-out 20 %)",
                     "accuracy", "training s"], rows)


def scores(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float]:
    """Return macro-F1 (over the three classes) and accuracy."""
    from sklearn.metrics import accuracy_score, f1_score

    return (float(f1_score(gold, predicted, labels=list(LABELS), average="macro")),
            float(accuracy_score(gold, predicted)))


def _predict(head: SentimentHead, x: np.ndarray) -> list[str]:
    return [LABELS[i] for i in np.argmax(head.probabilities(x), axis=1)]


def _train(x: np.ndarray, y: Sequence[str], c: float | None) -> tuple[SentimentHead, float]:
    from search.sentiment_training import train_head

    started = time.perf_counter()
    head = train_head(x, list(y), c=c, seed=SEED)
    return head, time.perf_counter() - started


def queue_rounds(part: Split, x: np.ndarray, vectors: np.ndarray, order: np.ndarray,
                 c: float | None) -> dict[int, tuple[SentimentHead, float]]:
    """Simulate active learning over the company's labels; return the head at each size.

    Start from the first ``QUEUE_START`` labels of the random order; at each step train a head
    on the labels so far, score the unlabelled rest of the pool with it, and let
    ``pick_for_labelling`` (uncertainty, spread over days, diversity) choose the posts whose
    labels are revealed next, until the next size of ``QUEUE_STEPS``.
    """
    from search.sentiment_queue import pick_for_labelling

    pool = part.train
    y_pool = np.asarray(part.labels(pool))
    from search.sentiment_training import TrainingDataError

    start = QUEUE_START
    while True:  # a rare class may be missing from the random seed set: grow it at random
        labelled = [int(i) for i in order[:start]]
        try:
            _train(x[pool[labelled]], y_pool[labelled], c)
            break
        except TrainingDataError as exc:
            print(f"  queue seed of {start} random labels cannot train ({exc}): +10", flush=True)
            start += 10
    found: dict[int, tuple[SentimentHead, float]] = {}
    for target in (*QUEUE_STEPS, None):
        if target is not None and target <= len(labelled):
            continue
        head, seconds = _train(x[pool[labelled]], y_pool[labelled], c)
        if len(labelled) in SIZES:
            found[len(labelled)] = (head, seconds)
        if target is None or target > len(pool):
            break
        probs = head.probabilities(x[pool])
        labelled += pick_for_labelling(probs, vectors[pool], target - len(labelled),
                                       groups=part.groups[pool].tolist(), exclude=set(labelled))
    return found


def compare(part: Split, args: argparse.Namespace) -> list[tuple[object, ...]]:
    """Return the comparison rows of one data set (all scored on its held-out 20 %)."""
    full = part
    if args.vectors_from:
        vectors, have = store_vectors(part.data.texts, args.vectors_from)
        keep = np.zeros(len(vectors), dtype=bool)
        keep[have] = True
        part = Split(part.key, part.data, part.train[keep[part.train]], part.test[keep[part.test]],
                     part.groups)
        print(f"  only posts with a vector in {args.vectors_from}: {len(part.train)} company "
              f"labels, {len(part.test)} held out", flush=True)
        products = Counter(part.data.extra[i].get("airline", "") for i in have)
        print(f"  by airline: {dict(products.most_common())}", flush=True)
    else:
        vectors = embed_cached(part.data.texts)
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
    add("shipped head", 0, _predict(shipped, x[test]), None)
    order = np.random.default_rng(SEED).permutation(len(part.train))
    y_train = np.asarray(part.labels(part.train))
    for size in SIZES:
        if size >= len(order):
            continue
        rows_ = part.train[order[:size]]
        try:
            head, seconds = _train(x[rows_], y_train[order[:size]], args.c)
        except ValueError as exc:  # TrainingDataError: e.g. a rare class absent at this size
            rows.append((data.name, "head, random labels", size, "n/a", "n/a", str(exc)))
            print(f"  head, random labels {size}: cannot train ({exc})", flush=True)
            continue
        add("head, random labels", size, _predict(head, x[test]), seconds)
    for size, (head, seconds) in sorted(queue_rounds(part, x, vectors, order, args.c).items()):
        add("head, queue-chosen labels", size, _predict(head, x[test]), seconds)
    head, seconds = _train(x[part.train], y_train, args.c)
    add("head, all labels", len(part.train), _predict(head, x[test]), seconds)
    started = time.perf_counter()
    _predict(head, head_features(vectors[test], vader.features(part.texts(test))))
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
                ("head, all labels", len(part.train), _predict(head, x[test]))):
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
