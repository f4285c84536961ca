"""Choose the shipped sentiment head's settings on the development set (TweetEval val) only.

Coordinate search from a starting point: each round goes through the settings one at a time
and tries every value of a setting on top of the best configuration so far (sample weight of
each training part, where 0 drops the part; the neutral band of the VADER ratings; C; class
weighting), keeps a change only when it raises TweetEval val macro-F1 by at
least ``--min-gain``, and stops when a round changes nothing. The airline tweets and the Alexa
reviews are never read here. Every configuration tried is printed with its dev score, so the
choice can be checked.

Run: nice -n 19 .venv/bin/python benchmarks/sentiment_dev.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

import numpy as np
from common import print_table
from sentiment_corpus import rating_label, vader_rated_sentences
from sentiment_data import embed_cached, tweeteval_val
from sklearn.metrics import f1_score
from train_sentiment import (
    SHIPPED,
    TrainingPart,
    TrainingSettings,
    default_parts,
    fit_head,
    part_features,
    weighted,
)

from search.sentiment import LABELS, VaderModel, head_features, sentiments_from_probabilities

WEIGHT_VALUES = {
    "project social posts (hand-written)": (0.0, 1.0, 2.0, 3.0, 5.0),
    "project templates": (0.0, 0.5, 1.0),
    "project sentences (hand-written)": (0.0, 1.0, 2.0, 3.0),
    "vaderSentiment-3.3.2/tweets": (0.0, 1.0, 2.0),
    "vaderSentiment-3.3.2/amazonReviewSnippets": (0.0, 1.0),
    "vaderSentiment-3.3.2/movieReviewSnippets": (0.0, 0.5, 1.0),
    "vaderSentiment-3.3.2/nytEditorialSnippets": (0.0, 0.5, 1.0),
}
BANDS = (0.25, 0.5, 0.75, 1.0)
CS = (0.01, 0.02, 0.05, 0.1, 0.2)
CLASS_WEIGHTS: tuple[str | None, ...] = ("balanced", None)


class DevBench:
    """Training features computed once; scores a settings object on TweetEval val."""

    def __init__(self) -> None:
        self.parts = default_parts(SHIPPED.neutral_band)
        self.features = {p.name: part_features(p) for p in self.parts}
        self.ratings: dict[str, list[float]] = {}
        from common import WORK
        from sentiment_corpus import fetch_vader_sdist

        for name, rating, _text in vader_rated_sentences(fetch_vader_sdist(WORK / "vader_sdist")):
            self.ratings.setdefault(f"vaderSentiment-3.3.2/{name}", []).append(rating)
        dev = tweeteval_val()
        self.dev_labels = dev.labels
        self.dev_x = head_features(embed_cached(dev.texts), VaderModel().features(dev.texts))
        self.cache: dict[str, float] = {}

    def relabelled(self, band: float) -> list[TrainingPart]:
        """Return the parts with the VADER ratings mapped at ``band``."""
        return [replace(p, labels=[rating_label(r, band) for r in self.ratings[p.name]])
                if p.name in self.ratings else p for p in self.parts]

    def score(self, settings: TrainingSettings) -> float:
        """Return TweetEval val macro-F1 of a head trained with ``settings`` (memoised)."""
        key = repr(settings)
        if key not in self.cache:
            used = weighted(self.relabelled(settings.neutral_band), settings)
            x = np.vstack([self.features[p.name] for p in used])
            labels = [label for p in used for label in p.labels]
            weights = np.concatenate([np.full(len(p.texts), p.weight) for p in used])
            head = fit_head(x, labels, weights, settings.c, settings.class_weight)
            predicted = [s.label for s in sentiments_from_probabilities(
                LABELS, head.probabilities(self.dev_x))]
            self.cache[key] = float(f1_score(self.dev_labels, predicted, labels=list(LABELS),
                                             average="macro"))
        return self.cache[key]


def dimensions() -> list[tuple[str, list[tuple[str, Callable[[TrainingSettings],
                                                                 TrainingSettings]]]]]:
    """Return the settings searched, each with its named one-setting changes."""
    out: list[tuple[str, list[tuple[str, Callable[[TrainingSettings], TrainingSettings]]]]] = []
    for name, values in WEIGHT_VALUES.items():
        out.append((f"weight {name}", [(f"{w:g}", partial(_weight, name=name, weight=w))
                                       for w in values]))
    out.append(("neutral band", [(f"{b:g}", partial(_field, key="neutral_band", value=b))
                                 for b in BANDS]))
    out.append(("C", [(f"{c:g}", partial(_field, key="c", value=c)) for c in CS]))
    out.append(("class weight", [(str(cw), partial(_field, key="class_weight", value=cw))
                                 for cw in CLASS_WEIGHTS]))
    return out


def _weight(settings: TrainingSettings, name: str, weight: float) -> TrainingSettings:
    return settings.with_weight(name, weight)


def _field(settings: TrainingSettings, key: str, value: object) -> TrainingSettings:
    changes: dict[str, Any] = {key: value}
    return replace(settings, **changes)


def search(bench: DevBench, start: TrainingSettings, rounds: int,
           min_gain: float) -> TrainingSettings:
    """Coordinate search on TweetEval val; print every configuration tried."""
    best, best_score = start, bench.score(start)
    print(f"start: dev macro-F1 {best_score:.4f}", flush=True)
    for number in range(1, rounds + 1):
        rows, changed = [], False
        for setting, changes in dimensions():
            base = best
            for value_name, change in changes:
                candidate = change(base)
                started = time.perf_counter()
                value = bench.score(candidate)
                keep = value >= best_score + min_gain
                rows.append((number, f"{setting} = {value_name}", value,
                             f"{time.perf_counter() - started:.1f}", "kept" if keep else ""))
                if keep:
                    best, best_score, changed = candidate, value, True
            print(f"round {number}, {setting}: best {best_score:.4f}", flush=True)
        print_table(["round", "change", "TweetEval val macro-F1", "seconds", ""], rows)
        print(f"after round {number}: {best_score:.4f} {best}", flush=True)
        if not changed:
            break
    return best


def main() -> None:
    """Run the coordinate search from the previous shipped head's settings (every part weight 1,
    no social posts, C 0.05)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--min-gain", type=float, default=0.002)
    args = parser.parse_args()
    bench = DevBench()
    previous = TrainingSettings(c=0.05, neutral_band=0.5, class_weight="balanced",
                                weights={name: 1.0 for name in WEIGHT_VALUES})
    previous = previous.with_weight("project social posts (hand-written)", 0.0)
    print(f"previous head (no social posts): {bench.score(previous):.4f}")
    print(f"shipped settings (train_sentiment.SHIPPED): {bench.score(SHIPPED):.4f}")
    search(bench, previous, args.rounds, args.min_gain)


if __name__ == "__main__":
    main()
