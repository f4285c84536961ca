"""Labelled sentiment sets for evaluation (read in place from ../shared/data, never copied) and
an on-disk MiniLM embedding cache shared by the sentiment scripts."""

from __future__ import annotations

import csv
import hashlib
import html
from dataclasses import dataclass

import numpy as np
from common import SHARED_DATA, WORK, require

CACHE = WORK / "sentiment_cache"
STARS = {1: "negative", 2: "negative", 3: "neutral", 4: "positive", 5: "positive"}


@dataclass(frozen=True)
class LabelledSet:
    """Texts with gold labels (negative / neutral / positive) and optional extra columns."""

    name: str
    texts: list[str]
    labels: list[str]
    extra: list[dict[str, str]]


def airline() -> LabelledSet:
    """The Twitter US airline tweets (CC BY-NC-SA: evaluation only)."""
    path = require(SHARED_DATA / "twitter-us-airline-sentiment" / "Tweets.csv")
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return LabelledSet("airline tweets", [html.unescape(r["text"]) for r in rows],
                       [r["airline_sentiment"] for r in rows], rows)


def alexa() -> LabelledSet:
    """The Amazon Alexa reviews, stars mapped to polarity (1-2, 3, 4-5); empty reviews dropped."""
    path = require(SHARED_DATA / "amazon-alexa-reviews" / "amazon_alexa.tsv")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["verified_reviews"].strip()]
    return LabelledSet("Alexa reviews", [html.unescape(r["verified_reviews"]) for r in rows],
                       [STARS[int(r["rating"])] for r in rows], rows)


def tweeteval(split: str) -> LabelledSet:
    """A TweetEval sentiment split as shipped in ../shared/data (``val`` or ``test``)."""
    folder = require(SHARED_DATA / "tweeteval-sentiment")
    names = {"0": "negative", "1": "neutral", "2": "positive"}
    texts = [t.strip() for t in
             (folder / f"{split}_text.txt").read_text(encoding="utf-8").splitlines()]
    labels = [names[x.strip()] for x in
              (folder / f"{split}_labels.txt").read_text(encoding="utf-8").splitlines()]
    return LabelledSet(f"TweetEval {split}", texts, labels, [{} for _ in texts])


def tweeteval_val() -> LabelledSet:
    """TweetEval sentiment validation split: the development set used to pick settings."""
    return tweeteval("val")


def embed_cached(texts: list[str], threads: int = 2) -> np.ndarray:
    """Return MiniLM vectors for ``texts``, cached on disk by a hash of what the encoder reads."""
    from search.emoji_words import texts_for_encoder

    digest = hashlib.sha256("\x00".join(texts_for_encoder(texts)).encode()).hexdigest()[:24]
    path = CACHE / f"{digest}.npy"
    if path.exists():
        return np.load(path)
    from search.embedder import MiniLMEmbedder

    vectors = MiniLMEmbedder(threads=threads).embed(texts, batch_size=64)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors
