"""Training and cross-validating a company head (pure numpy/scikit-learn, synthetic features)."""

from __future__ import annotations

import numpy as np
import pytest

from search.sentiment import LABELS, SentimentHead
from search.sentiment_training import (
    TrainingDataError,
    cross_validate,
    score_predictions,
    train_head,
)


def _data(n: int = 240, dim: int = 12, seed: int = 0) -> tuple[np.ndarray, list[str]]:
    """Three separable-ish clusters, one per label, plus noise."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(3, dim)) * 3
    y = [LABELS[i % 3] for i in range(n)]
    x = np.stack([centres[i % 3] + rng.normal(size=dim) for i in range(n)])
    return x.astype(np.float32), y


def test_train_head_learns_and_round_trips(tmp_path) -> None:
    x, y = _data()
    head = train_head(x, y, note={"version": "company-1"})
    assert head.classes == LABELS
    predicted = np.asarray(LABELS)[head.probabilities(x).argmax(axis=1)]
    assert np.mean(predicted == np.asarray(y)) > 0.9
    assert head.meta["version"] == "company-1"
    assert head.meta["C"] > 0
    head.save(tmp_path / "h.npz")
    again = SentimentHead.load(tmp_path / "h.npz")
    assert np.allclose(again.probabilities(x), head.probabilities(x), atol=1e-5)


def test_train_head_is_deterministic() -> None:
    x, y = _data()
    a, b = train_head(x, y, seed=3), train_head(x, y, seed=3)
    assert np.array_equal(a.coef, b.coef)


def test_two_classes_still_give_a_three_class_head() -> None:
    x, y = _data()
    keep = [i for i, label in enumerate(y) if label != "neutral"]
    head = train_head(x[keep], [y[i] for i in keep], c=1.0)
    probs = head.probabilities(x[keep])
    assert probs.shape == (len(keep), 3)
    assert probs[:, LABELS.index("neutral")].max() < 1e-6
    predicted = np.asarray(LABELS)[probs.argmax(axis=1)]
    assert np.mean(predicted == np.asarray([y[i] for i in keep])) > 0.9


@pytest.mark.parametrize(("labels", "message"), [
    (["positive"] * 10 + ["negative"] * 0, "only 10 labels"),
    (["positive"] * 40, "at least two classes"),
    (["positive"] * 39 + ["meh"], "unknown labels"),
    (["positive"] * 39 + ["negative"], "fewer than 2"),
])
def test_bad_labels_raise_clear_errors(labels: list[str], message: str) -> None:
    x = np.zeros((len(labels), 4), dtype=np.float32)
    with pytest.raises(TrainingDataError, match=message):
        train_head(x, labels)


def test_shape_mismatch_is_an_error() -> None:
    with pytest.raises(TrainingDataError, match="feature rows"):
        train_head(np.zeros((30, 4)), ["positive", "negative"] * 10)


def test_cross_validate_scores_model_and_baselines_on_same_folds() -> None:
    x, y = _data()
    perfect = list(y)
    constant = ["neutral"] * len(y)
    cv = cross_validate(x, y, folds=4, baselines={"oracle": perfect, "constant": constant})
    assert cv.folds == 4 and cv.count == len(y)
    assert cv.model.macro_f1 > 0.9
    assert cv.baselines["oracle"].macro_f1 == pytest.approx(1.0)
    assert cv.baselines["constant"].accuracy == pytest.approx(1 / 3, abs=0.01)
    assert len(cv.model.fold_macro_f1) == 4 == len(cv.baselines["constant"].fold_macro_f1)
    assert sum(map(sum, cv.model.confusion)) == len(y)
    assert set(cv.model.report) == set(LABELS)
    assert cv.to_dict()["model"]["confusion"]["labels"] == list(LABELS)


def test_cross_validate_rejects_short_baseline() -> None:
    x, y = _data()
    with pytest.raises(TrainingDataError, match="baseline"):
        cross_validate(x, y, baselines={"short": ["neutral"]})


def test_score_predictions_confusion_rows_are_truth() -> None:
    s = score_predictions(["negative", "negative", "positive"], ["negative", "positive",
                                                                  "positive"])
    assert s.confusion[0] == [1, 0, 1]
    assert s.confusion[2] == [0, 0, 1]
    assert s.accuracy == pytest.approx(2 / 3)
