"""Sentiment of customer posts: a pluggable ``SentimentModel``, VADER and the shipped MiniLM head.

The default model is a small logistic-regression head over the MiniLM sentence embedding that
the index already computes, with VADER's four scores appended as features. Its coefficients ship
in ``search/models_data/sentiment_head.npz`` (rebuilt by ``benchmarks/train_sentiment.py``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from search.embedder import MODEL_NAME, Embedder
from search.emoji_words import emoji_as_words, texts_for_encoder

Label = Literal["negative", "neutral", "positive"]
LABELS: tuple[Label, ...] = ("negative", "neutral", "positive")
HEAD_PATH = Path(__file__).resolve().parent / "models_data" / "sentiment_head.npz"
VADER_THRESHOLD = 0.05


class SentimentModelError(RuntimeError):
    """A sentiment model cannot be loaded or does not fit the embedder."""


@dataclass(frozen=True)
class Sentiment:
    """A polarity label, a score in [-1, 1] (negative to positive) and a confidence in [0, 1]."""

    label: Label
    score: float
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"label": self.label, "score": round(self.score, 4),
                "confidence": round(self.confidence, 4)}


class SentimentModel(Protocol):
    """Classifies texts as negative, neutral or positive."""

    version: str

    def predict(self, texts: Sequence[str]) -> list[Sentiment]:
        """Return one sentiment per text."""
        ...


def _clip(value: float) -> float:
    return max(-1.0, min(1.0, float(value)))


class VaderModel:
    """The rule-based VADER baseline (compound score with the usual ±0.05 thresholds)."""

    version = "vader-3.3.2"

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._analyzer = SentimentIntensityAnalyzer()

    def features(self, texts: Sequence[str]) -> np.ndarray:
        """Return VADER's ``neg, neu, pos, compound`` scores, shape ``(len(texts), 4)``.

        Emoji are given to VADER by their current English names ("😡" → "enraged face"): its own
        emoji table has older names that carry no sentiment ("pouting face").
        """
        out = np.zeros((len(texts), 4), dtype=np.float32)
        for row, text in enumerate(texts):
            s = self._analyzer.polarity_scores(emoji_as_words(text or ""))
            out[row] = (s["neg"], s["neu"], s["pos"], s["compound"])
        return out

    def predict(self, texts: Sequence[str]) -> list[Sentiment]:
        """Label by the compound score: ≥ 0.05 positive, ≤ -0.05 negative, else neutral."""
        result = []
        for _neg, neu, _pos, compound in self.features(texts).tolist():
            label: Label = ("positive" if compound >= VADER_THRESHOLD
                            else "negative" if compound <= -VADER_THRESHOLD else "neutral")
            confidence = abs(compound) if label != "neutral" else neu
            result.append(Sentiment(label, _clip(compound), float(confidence)))
        return result


@dataclass(frozen=True)
class SentimentHead:
    """Logistic-regression coefficients over ``[embedding, VADER scores]`` (standardised)."""

    classes: tuple[str, ...]
    coef: np.ndarray
    intercept: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    meta: dict[str, Any]

    @property
    def encoder(self) -> str:
        """Return the name of the sentence encoder the head was trained on."""
        return str(self.meta.get("encoder", MODEL_NAME))

    @property
    def version(self) -> str:
        """Return a version string naming the head (stored with every classification)."""
        return str(self.meta.get("version", "head"))

    @property
    def dimension(self) -> int:
        """Return the embedding dimension the head expects (VADER features excluded)."""
        return int(self.coef.shape[1]) - 4

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """Return class probabilities, shape ``(n, len(classes))``."""
        z = (features - self.mean) / self.scale
        logits = z @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True))

    def save(self, path: str | Path) -> None:
        """Write the head as a plain ``.npz`` (no pickle)."""
        np.savez_compressed(
            path, classes=np.array(self.classes), coef=self.coef.astype(np.float32),
            intercept=self.intercept.astype(np.float32), mean=self.mean.astype(np.float32),
            scale=self.scale.astype(np.float32), meta=np.array(json.dumps(self.meta)),
        )

    @classmethod
    def load(cls, path: str | Path) -> SentimentHead:
        """Read a head written by ``save`` (refuses pickled content)."""
        try:
            with np.load(path, allow_pickle=False) as data:
                head = cls(
                    classes=tuple(str(c) for c in data["classes"].tolist()),
                    coef=np.asarray(data["coef"], dtype=np.float32),
                    intercept=np.asarray(data["intercept"], dtype=np.float32),
                    mean=np.asarray(data["mean"], dtype=np.float32),
                    scale=np.asarray(data["scale"], dtype=np.float32),
                    meta=json.loads(str(data["meta"])),
                )
        except (OSError, KeyError, ValueError) as exc:
            raise SentimentModelError(f"cannot read sentiment head {path}: {exc}") from exc
        if set(head.classes) != set(LABELS):
            raise SentimentModelError(f"sentiment head {path} has classes {head.classes}")
        return head


def head_features(vectors: np.ndarray, vader: np.ndarray) -> np.ndarray:
    """Concatenate sentence vectors and VADER scores into the head's feature matrix."""
    return np.hstack([np.asarray(vectors, dtype=np.float32), np.asarray(vader, dtype=np.float32)])


def sentiments_from_probabilities(classes: Sequence[str], probs: np.ndarray) -> list[Sentiment]:
    """Turn class probabilities into sentiments: argmax label, score P(pos) − P(neg)."""
    idx = {c: i for i, c in enumerate(classes)}
    out = []
    for row in probs:
        best = int(np.argmax(row))
        label = str(classes[best])
        score = float(row[idx["positive"]] - row[idx["negative"]])
        out.append(Sentiment(label, _clip(score), float(row[best])))  # type: ignore[arg-type]
    return out


class EmbeddingHeadModel:
    """The shipped model: logistic regression over MiniLM embeddings plus VADER's scores."""

    def __init__(self, head: SentimentHead, embedder: Embedder | None = None) -> None:
        self.head = head
        self._embedder = embedder
        self._vader = VaderModel()
        self.version = head.version

    @property
    def embedder(self) -> Embedder:
        """Return the sentence encoder (the packaged MiniLM unless one was given)."""
        if self._embedder is None:
            from search.embedder import MiniLMEmbedder

            self._embedder = MiniLMEmbedder()
        return self._embedder

    def reads_vectors_of(self, encoder: str) -> bool:
        """Tell whether vectors of the ``encoder`` model are this head's input (so may be reused).

        A fine-tuned directory's head names the MiniLM it started from, but reads its own
        encoder's vectors: only a model without an encoder of its own, or with that same one, does.
        """
        own = self._embedder
        return self.head.encoder == encoder and (own is None or own.name == encoder)

    def predict(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> list[Sentiment]:
        """Classify texts; ``vectors`` (already computed embeddings) skip the encoder."""
        if not texts:
            return []
        if vectors is None:
            vectors = self.embedder.embed(list(texts))
        if vectors.shape != (len(texts), self.head.dimension):
            raise SentimentModelError(
                f"the sentiment head expects {self.head.dimension}-d vectors, got {vectors.shape}"
            )
        probs = self.head.probabilities(head_features(vectors, self._vader.features(texts)))
        return sentiments_from_probabilities(self.head.classes, probs)


class DirectoryEncoder:
    """A local sentence-transformers model directory used as the head's encoder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = f"st:{path.name}"
        self._model: Any = None
        self.dimension = 0

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Return normalised vectors from the directory's model."""
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            from search.embedder import no_loading_bar

            with no_loading_bar():
                self._model = SentenceTransformer(str(self.path), device="cpu")
        vectors = self._model.encode(texts_for_encoder(texts), batch_size=batch_size,
                                     normalize_embeddings=True, convert_to_numpy=True,
                                     show_progress_bar=False)
        self.dimension = int(vectors.shape[1])
        return np.asarray(vectors, dtype=np.float32)


STAR_LABELS = {1: "negative", 2: "negative", 3: "neutral", 4: "positive", 5: "positive"}


def _map_label(name: str, index: int, count: int) -> Label:
    text = name.lower()
    for label in LABELS:
        if label[:3] in text:
            return label
    digits = [int(ch) for ch in text if ch.isdigit()]
    if count == 5 and digits and 1 <= digits[0] <= 5:
        return STAR_LABELS[digits[0]]  # type: ignore[return-value]
    if count == 3:
        return LABELS[index]
    if count == 2:
        return ("negative", "positive")[index]
    raise SentimentModelError(f"cannot map model label {name!r} to negative/neutral/positive")


class TransformersModel:
    """A local Hugging Face sequence-classification model directory (labels mapped by name)."""

    def __init__(self, path: str | Path, batch_size: int = 32, max_length: int = 256) -> None:
        try:
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError as exc:  # pragma: no cover - both ship with sentence-transformers
            raise SentimentModelError("transformers and torch are needed for this model") from exc
        self._torch = torch
        self.path = Path(path)
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.path), local_files_only=True)
        self.model = AutoModelForSequenceClassification.from_pretrained(
            str(self.path), local_files_only=True)
        self.model.eval()
        id2label = self.model.config.id2label
        count = len(id2label)
        self.labels = [_map_label(str(id2label[i]), i, count) for i in range(count)]
        self.batch_size = batch_size
        self.max_length = max_length
        self.version = f"transformers:{self.path.name}"

    def predict(self, texts: Sequence[str]) -> list[Sentiment]:
        """Classify texts with the model, summing probabilities of labels mapped together."""
        out: list[Sentiment] = []
        for start in range(0, len(texts), self.batch_size):
            part = [t or "" for t in texts[start : start + self.batch_size]]
            enc = self.tokenizer(part, padding=True, truncation=True, max_length=self.max_length,
                                 return_tensors="pt")
            with self._torch.no_grad():
                probs = self._torch.softmax(self.model(**enc).logits, dim=-1).numpy()
            merged = np.zeros((len(part), 3), dtype=np.float32)
            for col, label in enumerate(self.labels):
                merged[:, LABELS.index(label)] += probs[:, col]
            out += sentiments_from_probabilities(LABELS, merged)
        return out


def load_sentiment_model(spec: str, embedder: Embedder | None = None) -> SentimentModel:
    """Return the model a ``sentiment_model`` setting names.

    ``auto`` is the shipped head when ``embedder`` is MiniLM (or absent) and VADER otherwise;
    ``head`` is the shipped head; ``vader`` is VADER; a ``.npz`` path is a head trained by
    ``benchmarks/train_sentiment.py``; a directory is a local transformers classifier, or a
    sentence-transformers encoder holding a ``sentiment_head.npz`` trained on it.
    """
    spec = (spec or "auto").strip()
    if spec == "vader":
        return VaderModel()
    if spec == "auto" and embedder is not None and embedder.name != MODEL_NAME:
        return VaderModel()
    if spec in ("auto", "head"):
        head = SentimentHead.load(HEAD_PATH)
        if embedder is not None and embedder.name != head.encoder:
            if spec == "auto":
                return VaderModel()
            embedder = None
        return EmbeddingHeadModel(head, embedder)
    path = Path(spec).expanduser()
    if path.is_file() and path.suffix == ".npz":
        head = SentimentHead.load(path)
        same = embedder is not None and embedder.name == head.encoder
        return EmbeddingHeadModel(head, embedder if same else None)
    if path.is_dir():
        return _load_directory(path)
    raise SentimentModelError(
        f"unknown sentiment model {spec!r}: use auto, head, vader, a head .npz file or a local "
        "model directory"
    )


def _load_directory(path: Path) -> SentimentModel:
    if (path / "sentiment_head.npz").exists() and (path / "modules.json").exists():
        head = SentimentHead.load(path / "sentiment_head.npz")
        return EmbeddingHeadModel(head, DirectoryEncoder(path))
    config = path / "config.json"
    if config.exists():
        try:
            architectures = json.loads(config.read_text()).get("architectures") or []
        except ValueError as exc:
            raise SentimentModelError(f"unreadable {config}: {exc}") from exc
        if any(a.endswith("ForSequenceClassification") for a in architectures):
            return TransformersModel(path)
    raise SentimentModelError(
        f"{path} is neither a sequence-classification model nor a sentence-transformers "
        "model with a sentiment_head.npz"
    )


def mean_score(sentiments: Sequence[Sentiment]) -> float:
    """Return the average score (0.0 for none)."""
    if not sentiments:
        return 0.0
    value = sum(s.score for s in sentiments) / len(sentiments)
    return 0.0 if math.isnan(value) else value
