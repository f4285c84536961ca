"""Rebuild the shipped sentiment head (search/models_data/sentiment_head.npz) reproducibly.

Default training data is redistributable only (see benchmarks/sentiment_corpus.py and
docs/sentiment-data.md): the human-rated sentences of the vaderSentiment 3.3.2 source archive
(MIT) and the sentences this project wrote. Features are the MiniLM embedding plus VADER's four
scores; the head is a multinomial logistic regression over the standardised features.

A company can train its own head on its own labels instead (``--labels file.csv``) and point
the ``sentiment_model`` setting at the resulting ``.npz``.

Run: .venv/bin/python benchmarks/train_sentiment.py [--out PATH] [--labels CSV]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
from collections import Counter
from pathlib import Path

import numpy as np
from common import REPO, WORK
from sentiment_corpus import (
    NEUTRAL_BAND,
    VADER_SHA256,
    fetch_vader_sdist,
    project_sentences,
    rating_label,
    template_sentences,
    vader_rated_sentences,
)
from sentiment_data import embed_cached

from search.embedder import MODEL_NAME
from search.sentiment import HEAD_PATH, LABELS, SentimentHead, VaderModel

C = 0.05
PROJECT_WEIGHT = 1.0
CLASS_WEIGHT = "balanced"
VERSION = "minilm-vader-lr-1"


def default_data(band: float) -> tuple[list[str], list[str], list[float], dict[str, object]]:
    """Return texts, labels, sample weights and a provenance record of the shipped data."""
    texts: list[str] = []
    labels: list[str] = []
    weights: list[float] = []
    sources: dict[str, object] = {}
    rated = vader_rated_sentences(fetch_vader_sdist(WORK / "vader_sdist"))
    for name in sorted({r[0] for r in rated}):
        rows = [r for r in rated if r[0] == name]
        texts += [r[2] for r in rows]
        labels += [rating_label(r[1], band) for r in rows]
        weights += [1.0] * len(rows)
        sources[f"vaderSentiment-3.3.2/{name}"] = len(rows)
    own = project_sentences() + template_sentences()
    texts += [t for _label, t in own]
    labels += [label for label, _t in own]
    weights += [PROJECT_WEIGHT] * len(own)
    sources["project sentences (hand-written + templates)"] = len(own)
    record = {"vaderSentiment sdist sha256": VADER_SHA256, "sets": sources,
              "neutral band": band, "licences": "vaderSentiment: MIT; project text: Apache-2.0"}
    return texts, labels, weights, record


def company_data(path: Path, text_column: str,
                 label_column: str) -> tuple[list[str], list[str], list[float], dict[str, object]]:
    """Read a CSV of the company's own labelled posts (labels negative/neutral/positive)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if (r.get(text_column) or "").strip()]
    labels = [r[label_column].strip().lower() for r in rows]
    unknown = sorted(set(labels) - set(LABELS))
    if unknown:
        raise SystemExit(f"labels must be negative/neutral/positive, found {unknown}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return ([r[text_column] for r in rows], labels, [1.0] * len(rows),
            {"company labels": str(path.name), "sha256": digest, "rows": len(rows)})


def train(texts: list[str], labels: list[str], weights: list[float], c: float) -> SentimentHead:
    """Fit the head on MiniLM embeddings + VADER scores and return it."""
    from sklearn.linear_model import LogisticRegression

    features = np.hstack([embed_cached(texts), VaderModel().features(texts)]).astype(np.float64)
    mean = features.mean(axis=0)
    scale = features.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=5000, class_weight=CLASS_WEIGHT)
    model.fit((features - mean) / scale, labels, sample_weight=np.asarray(weights))
    order = [list(model.classes_).index(label) for label in LABELS]
    return SentimentHead(LABELS, model.coef_[order].astype(np.float32),
                         model.intercept_[order].astype(np.float32), mean.astype(np.float32),
                         scale.astype(np.float32), {})


def main() -> None:
    """Parse arguments, train and write the head."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HEAD_PATH)
    parser.add_argument("--labels", type=Path, help="CSV of your own labelled posts.")
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--label-column", default="label")
    parser.add_argument("--c", type=float, default=C, help="Inverse regularisation strength.")
    parser.add_argument("--neutral-band", type=float, default=NEUTRAL_BAND)
    parser.add_argument("--version", default=None, help="Version stored with each label.")
    args = parser.parse_args()
    if args.labels:
        texts, labels, weights, record = company_data(args.labels, args.text_column,
                                                      args.label_column)
        version = args.version or f"company-{record['sha256']!s:.12}"
    else:
        texts, labels, weights, record = default_data(args.neutral_band)
        version = args.version or VERSION
    head = train(texts, labels, weights, args.c)
    meta = {"version": version, "encoder": MODEL_NAME, "features": "MiniLM + VADER neg/neu/pos/"
            "compound", "C": args.c, "training_data": record,
            "class_counts": dict(Counter(labels)), "script": "benchmarks/train_sentiment.py"}
    head = SentimentHead(head.classes, head.coef, head.intercept, head.mean, head.scale, meta)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    head.save(args.out)
    shown = args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out
    print(f"wrote {shown} ({args.out.stat().st_size:,} bytes): {json.dumps(meta, indent=1)}")


if __name__ == "__main__":
    main()
