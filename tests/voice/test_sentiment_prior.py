"""The company head regularised towards a prior head (synthetic features, no MiniLM)."""

from __future__ import annotations

import numpy as np
import pytest

from search.sentiment import LABELS, SentimentHead
from search.sentiment_prior import fit_head, prior_fits, restandardise
from search.sentiment_training import TrainingDataError, train_head

DIM = 30


def _task(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Class centres of a three-class task and a noise level that makes it hard."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(3, DIM)), rng.normal(size=DIM) * 3 + 1


def _sample(centres: np.ndarray, offset: np.ndarray, n: int,
            seed: int) -> tuple[np.ndarray, list[str]]:
    rng = np.random.default_rng(seed)
    y = rng.choice(3, size=n, p=[0.6, 0.25, 0.15])
    x = centres[y] * 0.6 + rng.normal(size=(n, DIM)) + offset
    return x, [LABELS[i] for i in y]


def _accuracy(head: SentimentHead, x: np.ndarray, y: list[str]) -> float:
    predicted = np.asarray(LABELS)[head.probabilities(x).argmax(axis=1)]
    return float(np.mean(predicted == np.asarray(y)))


def test_a_zero_prior_is_scikit_learns_balanced_logistic_regression() -> None:
    from sklearn.linear_model import LogisticRegression

    centres, offset = _task()
    x, y = _sample(centres, offset, 500, seed=1)
    head = fit_head(x, y, 0.1, LABELS, None)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    reference = LogisticRegression(C=0.1, class_weight="balanced", max_iter=5000,
                                   tol=1e-8).fit((x - mean) / scale, y)
    assert list(reference.classes_) == list(LABELS)
    assert np.abs(reference.coef_ - head.coef).max() < 0.01
    expected = reference.predict_proba((x - mean) / scale)
    assert np.abs(expected - head.probabilities(x)).max() < 0.01


def test_restandardised_prior_gives_the_same_logits() -> None:
    rng = np.random.default_rng(2)
    prior = SentimentHead(LABELS, rng.normal(size=(3, DIM)).astype(np.float32),
                          rng.normal(size=3).astype(np.float32),
                          rng.normal(size=DIM).astype(np.float32),
                          rng.uniform(0.5, 2, size=DIM).astype(np.float32), {})
    x = rng.normal(size=(50, DIM)) * 2 + 1
    mean, scale = x.mean(axis=0), x.std(axis=0)
    w, b = restandardise(prior, mean, scale)
    moved = SentimentHead(LABELS, w, b, mean, scale, {})
    assert np.allclose(moved.probabilities(x), prior.probabilities(x), atol=1e-5)


def test_a_strong_prior_keeps_the_head_at_the_prior_and_a_weak_one_lets_labels_win() -> None:
    centres, offset = _task()
    x_big, y_big = _sample(centres, offset, 4000, seed=3)
    prior = train_head(x_big, y_big, c=0.1)
    x, y = _sample(centres, offset, 60, seed=4)
    wrong = [LABELS[(LABELS.index(label) + 1) % 3] for label in y]
    near = train_head(x, wrong, c=1e-6, prior=prior)
    in_prior_units = near.coef * prior.scale / near.scale  # (x − m) / s · w: same logits
    assert np.abs(in_prior_units - prior.coef).max() < 0.01 * np.abs(prior.coef).max()
    assert near.meta["C"] == 1e-6 and near.meta["prior"] == prior.version
    free = train_head(x, wrong, c=100.0, prior=prior)
    assert _accuracy(free, x, wrong) > 0.95  # the labels, even wrong ones, outweigh the prior


def test_a_good_prior_helps_a_small_label_set() -> None:
    centres, offset = _task()
    x_big, y_big = _sample(centres, offset, 4000, seed=6)
    prior = train_head(x_big, y_big, c=0.1)
    held_x, held_y = _sample(centres, offset, 2000, seed=7)
    gains = []
    for seed in range(3):
        x, y = _sample(centres, offset, 40, seed=10 + seed)
        with_prior = train_head(x, y, prior=prior)
        without = train_head(x, y)
        gains.append(_accuracy(with_prior, held_x, held_y) - _accuracy(without, held_x, held_y))
        assert with_prior.meta["prior"] == prior.version and without.meta["prior"] is None
    assert min(gains) > 0.01


def test_a_class_without_labels_stays_out_even_with_a_prior() -> None:
    centres, offset = _task()
    x_big, y_big = _sample(centres, offset, 3000, seed=8)
    prior = train_head(x_big, y_big, c=0.1)
    x, y = _sample(centres, offset, 300, seed=9)
    keep = [i for i, label in enumerate(y) if label != "neutral"]
    head = train_head(x[keep], [y[i] for i in keep], prior=prior)
    assert head.probabilities(x)[:, LABELS.index("neutral")].max() < 1e-6


def test_a_prior_of_another_shape_is_refused() -> None:
    centres, offset = _task()
    x, y = _sample(centres, offset, 200, seed=11)
    other = SentimentHead(LABELS, np.zeros((3, DIM + 1), np.float32), np.zeros(3, np.float32),
                          np.zeros(DIM + 1, np.float32), np.ones(DIM + 1, np.float32), {})
    assert not prior_fits(other, LABELS, DIM)
    assert not prior_fits(None, LABELS, DIM)
    with pytest.raises(TrainingDataError, match="does not fit"):
        train_head(x, y, prior=other)


def test_the_cross_validation_takes_a_good_prior_and_drops_a_misleading_one() -> None:
    from search.sentiment_training import pick_setting

    centres, offset = _task()
    x_big, y_big = _sample(centres, offset, 4000, seed=12)
    good = train_head(x_big, y_big, c=0.1)
    rotated = [LABELS[(LABELS.index(label) + 1) % 3] for label in y_big]
    misleading = train_head(x_big, rotated, c=0.1)
    x, y = _sample(centres, offset, 60, seed=13)
    assert pick_setting(x, y, priors=(good, None))[1] is good
    assert pick_setting(x, y, priors=(misleading, None))[1] is None
    chosen = train_head(x, y, prior=misleading, prior_by_cv=True)
    assert chosen.meta["prior"] is None
    assert train_head(x, y, prior=good, prior_by_cv=True).meta["prior"] == good.version
