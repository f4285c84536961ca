"""Train a company sentiment model from the labels in the store, score it, store it, promote it.

The head trains on the cached MiniLM vectors of the labelled posts (no re-embedding; text-only
labels are embedded). A stratified 20% of the labels is held out: the candidate, trained on the
other 80%, must beat the current model's macro-F1 there to be promoted, and a head must not
score below it in the cross-validation over all labels either (``force`` overrides).
The stored head is then refit on all labels with the same C. Cross-validation over all labels
reports the candidate against the current model and VADER on the same folds. When the shipped
head fits the engine's embedder, it is offered as the prior (what the product knew before the
company's labels): the cross-validation that picks C also decides whether the head is pulled
towards the shipped head's coefficients or towards zero -- the prior helps a few hundred labels,
thousands of labels usually do better without it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from search.chunking import join_text
from search.sentiment import (
    HEAD_PATH,
    LABELS,
    EmbeddingHeadModel,
    SentimentHead,
    SentimentModelError,
    VaderModel,
    head_features,
)
from search.sentiment_labels import all_labels, resolve_labels
from search.sentiment_store import forget_model, model_for, post_vectors
from search.sentiment_training import (
    CrossValidation,
    Scores,
    TrainingDataError,
    check_labels,
    cross_validate,
    pick_setting,
    score_predictions,
    train_head,
)
from search.sentiment_versions import (
    ModelVersion,
    models_dir,
    new_version_name,
    register,
    write_head,
)

if TYPE_CHECKING:
    from search.engine import SearchEngine

HOLDOUT = 0.2
MIN_TRAIN_LABELS = 30


@dataclass(frozen=True)
class TrainingSet:
    """The resolved labels with their texts, cached vectors and VADER scores."""

    texts: list[str]
    labels: list[str]
    vectors: np.ndarray
    vader: np.ndarray
    conflicts: int
    missing: int

    @property
    def features(self) -> np.ndarray:
        """Return the head's feature rows."""
        return head_features(self.vectors, self.vader)


@dataclass(frozen=True)
class TrainingResult:
    """A trained version, whether it was promoted and why, and its scores."""

    version: ModelVersion
    promoted: bool
    reason: str
    cv: CrossValidation | None
    heldout: dict[str, Scores]
    data: TrainingSet

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"version": self.version.version, "promoted": self.promoted,
                "reason": self.reason, "labels": len(self.data.labels),
                "conflicting_posts": self.data.conflicts,
                "labels_on_deleted_posts": self.data.missing,
                "heldout": {k: v.to_dict() for k, v in self.heldout.items()},
                "cross_validation": self.cv.to_dict() if self.cv else None}


def training_set(engine: SearchEngine) -> TrainingSet:
    """Resolve the stored labels (newest wins) and fetch the cached vectors of their posts."""
    resolved = resolve_labels(all_labels(engine.store))
    doc_ids = [lab.doc_id for lab in resolved.labels if lab.doc_id]
    docs = {d.id: d for d in engine.store.get_documents(doc_ids)} if doc_ids else {}
    items: list[tuple[str, str]] = []
    labels: list[str] = []
    missing = 0
    for lab in resolved.labels:
        if lab.doc_id is None:
            items.append(("", lab.text))
        elif lab.doc_id in docs:
            items.append((docs[lab.doc_id].title, docs[lab.doc_id].text))
        else:
            missing += 1
            continue
        labels.append(lab.label)
    texts = [join_text(title, text) for title, text in items]
    dim = engine.embedder.dimension
    vectors = post_vectors(engine, items) if items else np.zeros((0, dim), dtype=np.float32)
    vader = VaderModel().features(texts)
    return TrainingSet(texts, labels, vectors, vader, resolved.conflicts, missing)


def prior_for(engine: SearchEngine, path: Path = HEAD_PATH) -> SentimentHead | None:
    """Return the shipped head as the prior of company heads when it was trained on the
    engine's embedder (same encoder, same dimension); otherwise None (train towards zero)."""
    try:
        head = SentimentHead.load(path)
    except SentimentModelError:
        return None
    fits = head.encoder == engine.embedder.name and head.dimension == engine.embedder.dimension
    return head if fits else None


def current_predictions(engine: SearchEngine, data: TrainingSet) -> tuple[str, list[str]]:
    """Return the serving model's version and its labels for the training texts."""
    model = model_for(engine)
    if isinstance(model, EmbeddingHeadModel) and model.reads_vectors_of(engine.embedder.name):
        probs = model.head.probabilities(data.features)
        return model.version, [str(LABELS[i]) for i in probs.argmax(axis=1)]
    return model.version, [s.label for s in model.predict(data.texts)]


def _split(labels: list[str], seed: int) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.model_selection import train_test_split

    rows = np.arange(len(labels))
    try:
        train, test = train_test_split(rows, test_size=HOLDOUT, random_state=seed,
                                       stratify=labels)
    except ValueError as exc:
        raise TrainingDataError(f"cannot hold out a stratified {HOLDOUT:.0%}: {exc}") from exc
    _check_heldout(labels, test)
    return np.sort(train), np.sort(test)


def _check_heldout(labels: list[str], test: np.ndarray) -> None:
    """Refuse a held-out part that misses a class: it could not judge the model on that class."""
    missing = sorted(set(labels) - {labels[i] for i in test})
    if missing:
        counts = ", ".join(f"{labels.count(c)} {c!r}" for c in missing)
        raise TrainingDataError(
            f"only {counts} labels: too few for the held-out {HOLDOUT:.0%} to hold one, so the "
            f"model could not be judged on it; label at least {round(1 / HOLDOUT)} of each class")


def train(engine: SearchEngine, who: str, *, force: bool = False, folds: int = 5, seed: int = 0,
          fine_tune: bool = False, epochs: int | None = None,
          progress: Callable[[str], None] | None = None) -> TrainingResult:
    """Train, score, store and (when it beats the current model, or ``force``) promote a model."""
    say = progress or (lambda _msg: None)
    data = training_set(engine)
    if len(data.labels) < MIN_TRAIN_LABELS:  # before check_labels, whose minimum is lower
        raise TrainingDataError(f"only {len(data.labels)} labels: at least {MIN_TRAIN_LABELS} "
                                "are needed (80% to train, 20% held out to judge the model)")
    y = check_labels(data.features, data.labels)
    train_rows, test_rows = _split(data.labels, seed)
    current_version, current = current_predictions(engine, data)
    vader = [s.label for s in VaderModel().predict(data.texts)]
    x = data.features
    say(f"{len(y)} labels ({data.conflicts} posts with conflicting labels, newest wins); "
        f"holding out {len(test_rows)}")
    offered = prior_for(engine)
    c, prior = pick_setting(x[train_rows], y[train_rows].tolist(), seed=seed,
                            priors=(offered, None) if offered is not None else (None,))
    version = new_version_name(engine.store)
    settings: dict[str, Any] = {"C": c, "holdout": HOLDOUT, "seed": seed, "folds": folds,
                                "encoder": engine.embedder.name, "compared_with": current_version,
                                "prior": prior.version if prior is not None else None,
                                "prior_offered": offered.version if offered is not None else None}
    if fine_tune:
        predicted, kind, path, blob, settings["epochs"] = _fine_tune(
            engine, data, train_rows, test_rows, say, epochs)
        cv = None
    else:
        candidate = train_head(x[train_rows], y[train_rows].tolist(), c=c, prior=prior)
        predicted = [str(LABELS[i]) for i in candidate.probabilities(x[test_rows]).argmax(axis=1)]
        say(f"cross-validating ({folds} folds, C={c:g})")
        cv = cross_validate(x, y.tolist(), folds=folds, seed=seed, c=c, prior=prior,
                            baselines={"current": current, "vader": vader})
        kind, blob = "head", None
        path = str(Path("models") / "sentiment" / f"{version}.npz")
    truth = y[test_rows]
    heldout = {"candidate": score_predictions(truth, predicted),
               "current": score_predictions(truth, [current[i] for i in test_rows]),
               "vader": score_predictions(truth, [vader[i] for i in test_rows])}
    better = heldout["candidate"].macro_f1 > heldout["current"].macro_f1
    reason = (f"held-out macro-F1 {heldout['candidate'].macro_f1:.4f} vs current "
              f"{current_version} {heldout['current'].macro_f1:.4f}")
    # a small held-out part turns on a post or two; the folds cover every label
    if better and cv is not None and cv.model.macro_f1 < cv.baselines["current"].macro_f1:
        better = False
        reason += (f", but cross-validated {cv.model.macro_f1:.4f} vs "
                   f"{cv.baselines['current'].macro_f1:.4f}")
    promote = force or better
    reason += "" if better else (": promoted by --force" if force else ": not promoted")
    if kind == "head":
        head = train_head(x, y.tolist(), c=c, seed=seed, prior=prior, note={
            "version": version, "labels": len(y), "encoder": engine.embedder.name,
            "trained_at": datetime.now(UTC).isoformat()})
        blob = write_head(head, models_dir(engine) / f"{version}.npz")
    row = ModelVersion(version, datetime.now(UTC), who, kind, path, len(y), settings,
                       cv.to_dict() if cv else {}, {k: v.to_dict() for k, v in heldout.items()},
                       "candidate", None)
    register(engine.store, row, blob, promote)
    if promote:
        forget_model(engine)  # this process serves the new model from now on
    return TrainingResult(row, promote, reason, cv, heldout, data)


def _fine_tune(engine: SearchEngine, data: TrainingSet, train_rows: np.ndarray,
               test_rows: np.ndarray, say: Callable[[str], None],
               epochs: int | None) -> tuple[list[str], str, str, bytes | None, int]:
    """Fine-tune MiniLM on the training part (part of the optional fine-tuning module)."""
    try:
        from search.sentiment_finetune import CHECKPOINT, FINETUNE_EPOCHS, fine_tune, work_dir
    except ImportError as exc:
        raise TrainingDataError("fine-tuning is not available in this installation "
                                f"(search.sentiment_finetune: {exc})") from exc
    from search.sentiment import load_sentiment_model

    texts, labels = [data.texts[i] for i in train_rows], [data.labels[i] for i in train_rows]
    epochs = epochs or FINETUNE_EPOCHS
    out = work_dir(models_dir(engine), texts, labels, epochs)  # a killed run resumes here
    again = "resuming a killed run " if (out / CHECKPOINT).exists() else ""
    say(f"fine-tuning MiniLM on {len(train_rows)} labels, {epochs} epoch(s) (CPU; resumable) "
        f"{again}into {out}")
    directory = fine_tune(texts, labels, out, epochs=epochs)
    model = load_sentiment_model(str(directory))
    predicted = [str(s.label) for s in model.predict([data.texts[i] for i in test_rows])]
    relative = Path(directory).resolve().relative_to(Path(engine.settings.data_path).resolve())
    return predicted, "fine-tune", str(relative), None, epochs
