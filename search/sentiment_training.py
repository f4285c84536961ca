"""Train and cross-validate a sentiment head on a company's own labelled posts.

Pure numpy / scikit-learn: the inputs are rows of ``search.sentiment.head_features`` (the
MiniLM vector plus VADER's four scores) and labels ``negative`` / ``neutral`` / ``positive``.
The head is a class-balanced multinomial logistic regression over standardised features, the
same shape as the shipped head, so it is saved and served by ``SentimentHead``. Given a
``prior`` (the shipped head), its L2 penalty pulls towards the prior's coefficients instead of
towards zero (``search.sentiment_prior``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from search.embedder import MODEL_NAME
from search.sentiment import LABELS, SentimentHead
from search.sentiment_prior import fit_head, prior_fits

C_GRID: tuple[float, ...] = (0.003, 0.01, 0.03, 0.1, 0.3)
MIN_LABELS = 20
MIN_PER_CLASS = 2


class TrainingDataError(ValueError):
    """The labels cannot train a model (too few, one class only, bad labels, shape mismatch)."""


@dataclass(frozen=True)
class Scores:
    """Macro-F1, accuracy, a per-class report and a confusion matrix of one set of predictions."""

    macro_f1: float
    accuracy: float
    report: dict[str, dict[str, float]]
    confusion: list[list[int]]
    fold_macro_f1: list[float] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (confusion rows are true labels, columns predictions)."""
        return {"macro_f1": round(self.macro_f1, 4), "accuracy": round(self.accuracy, 4),
                "report": {k: {m: round(v, 4) for m, v in r.items()} for k, r in
                           self.report.items()},
                "confusion": {"labels": list(LABELS), "rows": self.confusion},
                "fold_macro_f1": [round(v, 4) for v in self.fold_macro_f1]}


@dataclass(frozen=True)
class CrossValidation:
    """Out-of-fold scores of the trained head and of each baseline on the same folds."""

    folds: int
    count: int
    model: Scores
    baselines: dict[str, Scores]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"folds": self.folds, "labels": self.count, "model": self.model.to_dict(),
                "baselines": {k: v.to_dict() for k, v in self.baselines.items()}}


def check_labels(features: np.ndarray, labels: Sequence[str]) -> np.ndarray:
    """Return the labels as an array, or raise ``TrainingDataError`` saying what is wrong."""
    y = np.asarray([str(label) for label in labels])
    if features.ndim != 2 or features.shape[0] != len(y):
        raise TrainingDataError(
            f"{features.shape[0] if features.ndim else 0} feature rows for {len(y)} labels")
    unknown = sorted(set(y.tolist()) - set(LABELS))
    if unknown:
        raise TrainingDataError(f"unknown labels {unknown}: use negative, neutral or positive")
    if len(y) < MIN_LABELS:
        raise TrainingDataError(f"only {len(y)} labels: at least {MIN_LABELS} are needed")
    counts = Counter(y.tolist())
    if len(counts) < 2:
        raise TrainingDataError(f"all {len(y)} labels are {next(iter(counts))!r}: "
                                "at least two classes are needed")
    thin = sorted(c for c, n in counts.items() if n < MIN_PER_CLASS)
    if thin:
        raise TrainingDataError(f"classes {thin} have fewer than {MIN_PER_CLASS} labels")
    return y


def _fit(x: np.ndarray, y: np.ndarray, c: float,
         prior: SentimentHead | None = None) -> SentimentHead:
    """Fit one class-balanced logistic regression (penalty centred on ``prior``, if any)."""
    return fit_head(x, y.tolist(), c, LABELS, prior)


def _folds(y: np.ndarray, folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import StratifiedKFold

    smallest = min(Counter(y.tolist()).values())
    n = max(2, min(folds, smallest))
    splitter = StratifiedKFold(n_splits=n, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(y)), y))


def _predict(head: SentimentHead, x: np.ndarray) -> np.ndarray:
    return np.asarray(LABELS)[np.argmax(head.probabilities(x), axis=1)]


def pick_setting(features: np.ndarray, labels: Sequence[str], *, folds: int = 3, seed: int = 0,
                 priors: Sequence[SentimentHead | None] = (None,)
                 ) -> tuple[float, SentimentHead | None]:
    """Return the (C of ``C_GRID``, prior of ``priors``) pair with the best stratified
    cross-validated macro-F1 (ties go to the earlier prior, then the smaller C)."""
    x = np.asarray(features, dtype=np.float64)
    y = check_labels(x, labels)
    splits = _folds(y, folds, seed)
    best_c, best_prior, best = C_GRID[0], priors[0], -1.0
    for prior in priors:
        for c in C_GRID:
            predicted = np.empty(len(y), dtype=object)
            for train, test in splits:
                predicted[test] = _predict(_fit(x[train], y[train], c, prior), x[test])
            score = _macro_f1(y, predicted.astype(str))
            if score > best + 1e-9:
                best_c, best_prior, best = c, prior, score
    return best_c, best_prior


def pick_c(features: np.ndarray, labels: Sequence[str], *, folds: int = 3,
           seed: int = 0, prior: SentimentHead | None = None) -> float:
    """Return the C of ``C_GRID`` with the best stratified cross-validated macro-F1."""
    return pick_setting(features, labels, folds=folds, seed=seed, priors=(prior,))[0]


def train_head(features: np.ndarray, labels: Sequence[str], *, c: float | None = None,
               seed: int = 0, note: dict[str, Any] | None = None,
               prior: SentimentHead | None = None, prior_by_cv: bool = False) -> SentimentHead:
    """Fit a logistic-regression head on head_features rows; c=None picks C by stratified CV;
    a ``prior`` head of the same shape (the shipped head) is what the penalty pulls towards
    (with ``prior_by_cv`` and c=None, the CV also decides between the prior and none)."""
    x = np.asarray(features, dtype=np.float64)
    y = check_labels(x, labels)
    if prior is not None and not prior_fits(prior, LABELS, x.shape[1]):
        raise TrainingDataError(f"the prior head {prior.version!r} does not fit "
                                f"{x.shape[1]} features")
    if c is None:
        offered = (prior, None) if prior_by_cv and prior is not None else (prior,)
        chosen, prior = pick_setting(x, y.tolist(), seed=seed, priors=offered)
    else:
        chosen = float(c)
    if chosen <= 0:
        raise TrainingDataError(f"C must be positive, got {chosen}")
    head = _fit(x, y, chosen, prior)
    meta: dict[str, Any] = {"encoder": MODEL_NAME, "features": "MiniLM + VADER neg/neu/pos/"
                            "compound", "C": chosen, "class_counts": dict(Counter(y.tolist())),
                            "prior": prior.version if prior is not None else None,
                            "trainer": "search.sentiment_training.train_head"}
    meta.update(note or {})
    return SentimentHead(head.classes, head.coef, head.intercept, head.mean, head.scale, meta)


def cross_validate(features: np.ndarray, labels: Sequence[str], *, folds: int = 5, seed: int = 0,
                   baselines: Mapping[str, Sequence[str]] | None = None,
                   c: float | None = None,
                   prior: SentimentHead | None = None) -> CrossValidation:
    """Return macro-F1, accuracy, per-class report and confusion matrix (and the same for each
    baseline's predictions on the same folds).

    Each row is predicted once by a head trained without it; with ``c=None`` the C is picked
    inside each training fold (nested), so the score is not tuned on the rows it grades.
    """
    x = np.asarray(features, dtype=np.float64)
    y = check_labels(x, labels)
    given = {name: np.asarray([str(v) for v in preds]) for name, preds in (baselines or {}).items()}
    for name, preds in given.items():
        if len(preds) != len(y):
            raise TrainingDataError(f"baseline {name!r} has {len(preds)} predictions for "
                                    f"{len(y)} labels")
    splits = _folds(y, folds, seed)
    predicted = np.empty(len(y), dtype=object)
    for train, test in splits:
        chosen = c if c is not None else pick_c(x[train], y[train].tolist(), seed=seed,
                                                prior=prior)
        predicted[test] = _predict(_fit(x[train], y[train], chosen, prior), x[test])
    model = score_predictions(y, predicted.astype(str), splits)
    return CrossValidation(len(splits), len(y), model,
                           {name: score_predictions(y, preds, splits)
                            for name, preds in given.items()})


def score_predictions(truth: Sequence[str] | np.ndarray, predicted: Sequence[str] | np.ndarray,
                      splits: Sequence[tuple[np.ndarray, np.ndarray]] = ()) -> Scores:
    """Score predictions against true labels (per-fold macro-F1 too when ``splits`` are given)."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    y = np.asarray([str(v) for v in truth])
    p = np.asarray([str(v) for v in predicted])
    labels: list[str] = list(LABELS)
    precision, recall, f1, support = precision_recall_fscore_support(
        y, p, labels=labels, zero_division=0)
    report = {label: {"precision": float(precision[i]), "recall": float(recall[i]),
                      "f1": float(f1[i]), "support": float(support[i])}
              for i, label in enumerate(labels)}
    confusion = confusion_matrix(y, p, labels=labels).astype(int).tolist()
    folds = [_macro_f1(y[test], p[test]) for _train, test in splits]
    return Scores(_macro_f1(y, p), float(np.mean(y == p)) if len(y) else 0.0, report,
                  confusion, folds)


def _macro_f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    """Macro-F1 over the classes present in the truth (absent classes would score a flat 0)."""
    from sklearn.metrics import f1_score

    present = [label for label in LABELS if label in set(truth.tolist())]
    if not present:
        return 0.0
    return float(f1_score(truth, predicted, labels=present, average="macro", zero_division=0))
