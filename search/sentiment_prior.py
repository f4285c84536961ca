"""Logistic regression that starts from what the product already knows: a prior head.

With few labels a company head trained from scratch has to learn 388 coefficients from a
hundred posts. The shipped head already separates negative from positive text reasonably well,
so here the L2 penalty pulls the coefficients towards the shipped head's instead of towards
zero: ``C · Σ wᵢ · log-loss(xᵢ, yᵢ) + ½ ‖W − W_prior‖²`` (class-balanced weights ``wᵢ``, free
intercepts, the same C convention as scikit-learn). Few labels leave the head near the prior;
many labels outweigh it. With a zero prior and three classes this is the objective of
scikit-learn's class-balanced multinomial ``LogisticRegression``.

The features are standardised with the company's own mean and scale, as before; the prior is
re-expressed in that standardisation first (exactly the same logits on every input).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from search.sentiment import SentimentHead

MAX_ITER = 3000
TOLERANCE = 1e-5
ABSENT_INTERCEPT = -30.0


def restandardise(prior: SentimentHead, mean: np.ndarray,
                  scale: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the prior's coefficients and intercepts over features standardised by
    ``(x − mean) / scale`` instead of its own standardisation (identical logits)."""
    w = np.asarray(prior.coef, dtype=np.float64) * (scale / prior.scale)
    shift = (mean - np.asarray(prior.mean, dtype=np.float64)) / prior.scale
    b = np.asarray(prior.intercept, dtype=np.float64) + np.asarray(prior.coef, np.float64) @ shift
    return w, b


def prior_fits(prior: SentimentHead | None, classes: Sequence[str], width: int) -> bool:
    """Tell whether ``prior`` can serve as the prior of a head over these classes and features."""
    return (prior is not None and tuple(prior.classes) == tuple(classes)
            and prior.coef.shape == (len(classes), width))


def _balanced_weights(y: np.ndarray, k: int) -> np.ndarray:
    counts = np.bincount(y, minlength=k).astype(np.float64)
    present = counts > 0
    per_class = np.zeros(k)
    per_class[present] = len(y) / (present.sum() * counts[present])
    return per_class[y]


def fit_towards(z: np.ndarray, y: np.ndarray, c: float, w0: np.ndarray,
                b0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fit a class-balanced multinomial logistic regression on standardised rows ``z`` with class
    indexes ``y`` (one per row of ``w0``), its L2 penalty centred on ``w0``; return (W, b)."""
    from scipy.optimize import minimize
    from threadpoolctl import threadpool_limits

    n, d = z.shape
    k = w0.shape[0]
    weights = _balanced_weights(y, k)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), y] = 1.0
    scale = 1.0 / n  # keeps the objective O(1) for the optimiser; the minimum is unchanged

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[: k * d].reshape(k, d)
        b = theta[k * d :]
        logits = z @ w.T + b
        logits -= logits.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(logits).sum(axis=1, keepdims=True))
        log_p = logits - log_norm
        loss = -float(np.sum(weights * (onehot * log_p).sum(axis=1)))
        residual = (np.exp(log_p) - onehot) * weights[:, None]
        diff = w - w0
        value = scale * (c * loss + 0.5 * float(np.sum(diff * diff)))
        grad_w = scale * (c * (residual.T @ z) + diff)
        grad_b = scale * c * residual.sum(axis=0)
        return value, np.concatenate([grad_w.ravel(), grad_b])

    start = np.concatenate([w0.ravel(), b0]).astype(np.float64)
    with threadpool_limits(limits=1):  # one core: polite on a shared machine
        found = minimize(objective, start, jac=True, method="L-BFGS-B",
                         options={"maxiter": MAX_ITER, "gtol": TOLERANCE, "maxls": 50})
    theta = np.asarray(found.x)
    return theta[: k * d].reshape(k, d), theta[k * d :]


def fit_head(x: np.ndarray, labels: Sequence[str], c: float, classes: Sequence[str],
             prior: SentimentHead | None) -> SentimentHead:
    """Fit a head over all ``classes`` on rows ``x``; the penalty pulls towards ``prior`` (or
    towards zero without one). A class with no label gets a very low intercept."""
    x = np.asarray(x, dtype=np.float64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    k, width = len(classes), x.shape[1]
    if prior_fits(prior, classes, width):
        assert prior is not None
        w0, b0 = restandardise(prior, mean, scale)
    else:
        w0, b0 = np.zeros((k, width)), np.zeros(k)
    index = {name: i for i, name in enumerate(classes)}
    y = np.asarray([index[str(label)] for label in labels], dtype=np.int64)
    present = np.flatnonzero(np.bincount(y, minlength=k) > 0)
    remap = np.full(k, -1, dtype=np.int64)
    remap[present] = np.arange(len(present))
    w, b = fit_towards((x - mean) / scale, remap[y], c, w0[present], b0[present])
    coef = np.zeros((k, width))
    intercept = np.full(k, ABSENT_INTERCEPT)
    coef[present], intercept[present] = w, b
    return SentimentHead(tuple(classes), coef.astype(np.float32), intercept.astype(np.float32),
                         mean.astype(np.float32), scale.astype(np.float32), {})
