"""Which prior the company head's cross-validation chooses at each label count.

Reads the airline company's labels only (the 80 % of ``sentiment_learning.split``; the held-out
20 % is not touched): for 100 / 300 / 1,000 / 3,000 labels (random subsets, seeds 0-2) and all
of them, ``train_head(prior=shipped head, prior_by_cv=True)`` picks C and prior-or-none by its
3-fold CV; prints the choice.

Run: .venv/bin/python benchmarks/sentiment_prior_choice.py \
         --vectors-from benchmarks/var/voice_airline/store.db
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from sentiment_data import embed_cached
from sentiment_learning import split, store_vectors

from search.sentiment import HEAD_PATH, SentimentHead, VaderModel, head_features
from search.sentiment_training import train_head

SIZES = (100, 300, 1000, 3000)
SEEDS = 3


def main() -> None:
    """Print size, seed, the chosen prior (None: towards zero) and C."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors-from", type=Path, default=None,
                        help="A socialsearch store.db holding every tweet's MiniLM vector.")
    args = parser.parse_args()
    part = split("airline")
    if args.vectors_from:
        vectors, have = store_vectors(part.data.texts, args.vectors_from)
        if len(have) != len(vectors):
            raise SystemExit(f"{len(vectors) - len(have)} tweets have no vector in the store")
    else:
        vectors = embed_cached(part.data.texts)
    x = head_features(vectors, VaderModel().features(part.data.texts)).astype(np.float64)
    y = np.asarray(part.data.labels)
    prior = SentimentHead.load(HEAD_PATH)
    print("labels\tseed\tprior\tC")
    for size in (*SIZES, len(part.train)):
        for seed in range(SEEDS if size < len(part.train) else 1):
            order = np.random.default_rng(seed).permutation(len(part.train))
            rows = part.train[order[:size]]
            head = train_head(x[rows], y[rows].tolist(), prior=prior, prior_by_cv=True)
            print(f"{size}\t{seed}\t{head.meta['prior']}\t{head.meta['C']}", flush=True)


if __name__ == "__main__":
    main()
