"""Sentiment evaluation: VADER and the shipped head side by side, in one run.

Test sets (read in place from ../shared/data, never copied, never trained on by what ships):
the labelled airline tweets and the Alexa reviews (stars 1-2 negative, 3 neutral, 4-5
positive). TweetEval's validation split is shown too: it is the development set the shipped
head's settings were chosen on.

Also shown, clearly marked NOT SHIPPED: an "in-domain" head of the same kind trained on one half
of each test set and scored on the other half, to show what a company's own labels give.

Run: .venv/bin/python benchmarks/sentiment_eval.py
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
from common import print_table
from sentiment_data import LabelledSet, airline, alexa, embed_cached, tweeteval_val
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split

from search.embedder import MiniLMEmbedder
from search.sentiment import (
    HEAD_PATH,
    LABELS,
    EmbeddingHeadModel,
    SentimentHead,
    VaderModel,
    head_features,
)

SEED = 0


def scores(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float, str]:
    """Return macro-F1, accuracy and per-class F1 (neg/neu/pos)."""
    per_class = f1_score(gold, predicted, labels=list(LABELS), average=None)
    return (float(f1_score(gold, predicted, labels=list(LABELS), average="macro")),
            float(accuracy_score(gold, predicted)),
            " / ".join(f"{v:.3f}" for v in per_class))


def in_domain_head(x: np.ndarray, y: list[str]) -> tuple[object, np.ndarray, np.ndarray]:
    """Fit a logistic head on in-domain features (C picked by 5-fold CV on the training half)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z, labels = (x - mean) / scale, np.asarray(y)
    folds = list(StratifiedKFold(5, shuffle=True, random_state=SEED).split(z, labels))
    best_c, best = 1.0, -1.0
    for c in (0.01, 0.03, 0.1, 0.3, 1.0):
        cv = np.mean([f1_score(labels[test], LogisticRegression(C=c, max_iter=5000)
                               .fit(z[train], labels[train]).predict(z[test]), average="macro")
                      for train, test in folds])
        if cv > best:
            best_c, best = c, float(cv)
    return LogisticRegression(C=best_c, max_iter=5000).fit(z, labels), mean, scale


def evaluate(data: LabelledSet, vader: VaderModel, head: EmbeddingHeadModel,
             rows: list[tuple[object, ...]], in_domain: bool) -> None:
    """Append the result rows of one data set."""
    vectors = embed_cached(data.texts)
    vader_pred = [s.label for s in vader.predict(data.texts)]
    head_pred = [s.label for s in head.predict(data.texts, vectors=vectors)]
    n = len(data.texts)
    rows.append((data.name, n, "VADER (baseline)", *scores(data.labels, vader_pred)))
    rows.append((data.name, n, "shipped head", *scores(data.labels, head_pred)))
    if not in_domain:
        return
    idx = np.arange(n)
    train, test = train_test_split(idx, test_size=0.5, random_state=SEED,
                                   stratify=data.labels)
    features = head_features(vectors, vader.features(data.texts)).astype(np.float64)
    y = [data.labels[i] for i in train]
    model, mean, scale = in_domain_head(features[train], y)
    gold = [data.labels[i] for i in test]
    name = f"{data.name}, held-out half"
    rows.append((name, len(test), "VADER (baseline)",
                 *scores(gold, [vader_pred[i] for i in test])))
    rows.append((name, len(test), "shipped head", *scores(gold, [head_pred[i] for i in test])))
    predicted = list(model.predict((features[test] - mean) / scale))  # type: ignore[attr-defined]
    rows.append((name, len(test), "in-domain head, NOT SHIPPED (trained on the other half)",
                 *scores(gold, predicted)))


def throughput(texts: list[str], head: EmbeddingHeadModel, vader: VaderModel) -> None:
    """Print posts per second of each path."""
    sample = texts[:5000]
    vectors = embed_cached(texts)[: len(sample)]
    rows = []
    start = time.perf_counter()
    vader.predict(sample)
    rows.append(("VADER", len(sample), len(sample) / (time.perf_counter() - start)))
    start = time.perf_counter()
    head.predict(sample, vectors=vectors)
    rows.append(("shipped head, vectors from the index cache (index-time path)", len(sample),
                 len(sample) / (time.perf_counter() - start)))
    fresh = texts[-1000:]
    encoder = MiniLMEmbedder(threads=2)
    encoder.embed(fresh[:10])
    start = time.perf_counter()
    EmbeddingHeadModel(head.head, encoder).predict(fresh)
    rows.append(("shipped head + MiniLM encoding (2 threads)", len(fresh),
                 len(fresh) / (time.perf_counter() - start)))
    print("Throughput (airline tweets)")
    print_table(["path", "posts", "posts/s"], [(a, b, f"{c:,.0f}") for a, b, c in rows])


def main() -> None:
    """Print the evaluation tables."""
    vader = VaderModel()
    shipped = SentimentHead.load(HEAD_PATH)
    head = EmbeddingHeadModel(shipped)
    rows: list[tuple[object, ...]] = []
    tweets = airline()
    evaluate(tweets, vader, head, rows, in_domain=True)
    evaluate(alexa(), vader, head, rows, in_domain=True)
    evaluate(tweeteval_val(), vader, head, rows, in_domain=False)
    print(f"Sentiment, 3 classes (shipped head: {shipped.version})")
    print_table(["data set", "posts", "model", "macro-F1", "accuracy",
                 "F1 neg / neu / pos"], rows)
    print()
    throughput(tweets.texts, head, vader)


if __name__ == "__main__":
    main()
