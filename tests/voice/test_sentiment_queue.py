"""The labelling queue: uncertain, spread across groups, diverse, deterministic."""

from __future__ import annotations

import numpy as np
import pytest

from search.sentiment_queue import (
    cross_groups,
    disagreement,
    pick_for_labelling,
    theme_groups,
    typical_points,
    typicality,
    uncertainty,
)


def test_uncertainty_orders_confident_below_torn() -> None:
    u = uncertainty(np.array([[1.0, 0.0, 0.0], [0.6, 0.3, 0.1], [0.34, 0.33, 0.33]]))
    assert u[0] == pytest.approx(0.0)
    assert u[0] < u[1] < u[2] <= 1.0


def test_picks_the_most_uncertain_first() -> None:
    probs = np.array([[0.9, 0.05, 0.05], [0.4, 0.35, 0.25], [0.98, 0.01, 0.01]])
    vectors = np.eye(3, dtype=np.float32)
    assert pick_for_labelling(probs, vectors, 1) == [1]
    assert pick_for_labelling(probs, vectors, 3) == [1, 0, 2]


def test_near_duplicates_are_asked_once() -> None:
    probs = np.array([[0.34, 0.33, 0.33], [0.34, 0.33, 0.33], [0.5, 0.3, 0.2]])
    vectors = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    assert pick_for_labelling(probs, vectors, 2) == [0, 2]


def test_groups_are_all_visited() -> None:
    rng = np.random.default_rng(1)
    probs = rng.dirichlet([1, 1, 1], size=60)
    probs[:50] = [0.34, 0.33, 0.33]  # group 0 is far more uncertain
    groups = [0] * 50 + [1] * 5 + [2] * 5
    vectors = rng.normal(size=(60, 8)).astype(np.float32)
    picks = pick_for_labelling(probs, vectors, 6, groups=groups)
    assert {groups[i] for i in picks} == {0, 1, 2}
    assert sum(groups[i] == 0 for i in picks) >= 2


def test_exclude_and_limits() -> None:
    probs = np.full((5, 3), 1 / 3)
    vectors = np.eye(5, dtype=np.float32)
    picks = pick_for_labelling(probs, vectors, 10, exclude={0, 2, 99})
    assert sorted(picks) == [1, 3, 4]
    assert pick_for_labelling(probs, vectors, 0) == []
    assert pick_for_labelling(np.zeros((0, 3)), np.zeros((0, 4)), 5) == []


def test_deterministic_and_validates_shapes() -> None:
    rng = np.random.default_rng(2)
    probs = rng.dirichlet([1, 1, 1], size=200)
    vectors = rng.normal(size=(200, 16)).astype(np.float32)
    groups = list(rng.integers(0, 5, 200))
    a = pick_for_labelling(probs, vectors, 25, groups=groups)
    assert a == pick_for_labelling(probs, vectors, 25, groups=groups)
    assert len(set(a)) == 25
    with pytest.raises(ValueError):
        pick_for_labelling(probs, vectors[:10], 5)


def test_class_balance_asks_about_rare_predicted_classes() -> None:
    rng = np.random.default_rng(3)
    common = np.tile([0.45, 0.30, 0.25], (90, 1))  # predicted negative, all quite uncertain
    rare = np.tile([0.05, 0.05, 0.90], (10, 1))  # predicted positive, confident
    probs = np.vstack([common, rare])
    vectors = rng.normal(size=(100, 8)).astype(np.float32)
    balanced = pick_for_labelling(probs, vectors, 10)
    assert sum(i >= 90 for i in balanced) == 5  # turns over the two predicted classes
    plain = pick_for_labelling(probs, vectors, 10, balance=False)
    assert all(i < 90 for i in plain)  # pure uncertainty never asks about the rare class


def test_class_balance_falls_back_when_a_class_runs_out() -> None:
    probs = np.vstack([np.tile([0.5, 0.3, 0.2], (8, 1)), [[0.1, 0.1, 0.8]]])
    vectors = np.eye(9, dtype=np.float32)
    picks = pick_for_labelling(probs, vectors, 6)
    assert len(picks) == len(set(picks)) == 6
    assert 8 in picks[:2]


def test_density_prefers_typical_posts_over_outliers() -> None:
    rng = np.random.default_rng(4)
    centre = rng.normal(size=16)
    crowd = centre + 0.1 * rng.normal(size=(30, 16))
    outlier = rng.normal(size=(1, 16))
    vectors = np.vstack([outlier, crowd]).astype(np.float32)
    probs = np.tile([0.4, 0.35, 0.25], (31, 1))
    probs[0] = [0.34, 0.33, 0.33]  # the outlier is the most uncertain
    assert pick_for_labelling(probs, vectors, 1)[0] == 0
    assert pick_for_labelling(probs, vectors, 1, density=1.0)[0] != 0
    t = typicality(vectors / np.linalg.norm(vectors, axis=1, keepdims=True), neighbours=5,
                   chunk=7)
    assert t[0] < t[1:].min() and t.max() <= 1.0


def _blobs(sizes: tuple[int, ...] = (40, 30, 20, 10), dim: int = 16
           ) -> tuple[np.ndarray, np.ndarray]:
    """Tight clusters in orthogonal directions; the first member of each sits at its centre."""
    rng = np.random.default_rng(4)
    rows, blob = [], []
    for b, size in enumerate(sizes):
        centre = np.zeros(dim)
        centre[b] = 1.0
        noise = rng.normal(scale=0.05, size=(size, dim))
        noise[0] = 0.0
        rows.append(centre + noise)
        blob += [b] * size
    order = rng.permutation(sum(sizes))
    return np.vstack(rows)[order], np.asarray(blob)[order]


def test_typical_points_cover_every_cluster_largest_first() -> None:
    vectors, blob = _blobs()
    picks = typical_points(vectors, 4)
    assert [int(blob[i]) for i in picks] == [0, 1, 2, 3]
    for i in picks:  # the most typical member: the one at the centre
        assert np.count_nonzero(np.abs(vectors[i]) > 1e-9) == 1
    assert picks == typical_points(vectors, 4)


def test_typical_points_skip_clusters_already_labelled() -> None:
    vectors, blob = _blobs()
    labelled = {int(np.flatnonzero(blob == 0)[3]), int(np.flatnonzero(blob == 2)[1])}
    picks = typical_points(vectors, 2, covered=labelled)
    assert sorted(int(blob[i]) for i in picks) == [1, 3]
    assert not labelled & set(picks)
    assert typical_points(vectors, 0) == [] and typical_points(np.zeros((0, 4)), 3) == []


def test_typical_points_of_duplicated_posts_are_distinct_and_quiet() -> None:
    vectors = np.repeat(np.eye(4, 8), 5, axis=0)  # four posts, each reposted five times
    picks = typical_points(vectors, 10)
    assert len(picks) == 4
    assert len({tuple(vectors[i]) for i in picks}) == 4


def test_labelled_rows_count_as_earlier_picks_of_their_group() -> None:
    probs = np.tile([0.4, 0.35, 0.25], (12, 1))
    probs[:6] = [0.34, 0.33, 0.33]  # group 0 is more uncertain
    groups = [0] * 6 + [1] * 6
    vectors = np.eye(12, dtype=np.float32)
    assert groups[pick_for_labelling(probs, vectors, 1, groups=groups)[0]] == 0
    # group 0 already holds two labelled posts: the next questions go to group 1 first
    picks = pick_for_labelling(probs, vectors, 2, groups=groups, labelled={0, 1})
    assert [groups[i] for i in picks] == [1, 1]
    assert not {0, 1} & set(picks)
    # without groups the labelled rows are only never picked
    assert set(pick_for_labelling(probs, vectors, 4, labelled={0, 1})) == {2, 3, 4, 5}


def test_theme_groups_follow_the_clusters() -> None:
    vectors, blob = _blobs()
    themes = theme_groups(vectors, 4)
    assert len(themes) == len(blob)
    pairs = set(zip(themes, blob.tolist(), strict=True))
    assert len(pairs) == 4  # one theme per blob, one blob per theme
    assert themes == theme_groups(vectors, 4)
    assert len(set(theme_groups(np.repeat(np.eye(2, 8), 5, axis=0), 10))) == 2  # reposts
    assert theme_groups(vectors, 1) == [0] * len(vectors)
    assert theme_groups(np.zeros((0, 4)), 3) == []


def test_cross_groups_numbers_each_combination() -> None:
    assert cross_groups([5, 5, 6, 6], [1, 2, 1, 1]) == [0, 1, 2, 2]
    assert cross_groups([3, 3, 4]) == [0, 0, 1]
    with pytest.raises(ValueError):
        cross_groups([1, 2], [1])
    with pytest.raises(ValueError):
        cross_groups()


def test_disagreement_is_high_where_members_split_not_where_all_are_unsure() -> None:
    unsure = np.array([[0.34, 0.33, 0.33], [0.9, 0.05, 0.05], [0.34, 0.33, 0.33]])
    split = np.array([[0.34, 0.33, 0.33], [0.9, 0.05, 0.05], [0.05, 0.05, 0.9]])
    d = disagreement([unsure, split])
    assert d[0] == pytest.approx(0.0) and d[1] == pytest.approx(0.0)
    assert 0.0 < d[2] <= 1.0
    two_ways = disagreement([np.eye(3), np.eye(3)[[1, 2, 0]]])  # certain, and never agreeing
    assert two_ways == pytest.approx([np.log(2) / np.log(3)] * 3)
    with pytest.raises(ValueError):
        disagreement([unsure])


def test_a_committee_replaces_uncertainty_as_the_gain() -> None:
    probs = np.array([[0.34, 0.33, 0.33], [0.6, 0.3, 0.1], [0.9, 0.05, 0.05]])
    vectors = np.eye(3, dtype=np.float32)
    members = [np.array([[0.34, 0.33, 0.33], [0.9, 0.05, 0.05], [0.9, 0.05, 0.05]]),
               np.array([[0.34, 0.33, 0.33], [0.1, 0.1, 0.8], [0.9, 0.05, 0.05]])]
    assert pick_for_labelling(probs, vectors, 1, balance=False) == [0]
    assert pick_for_labelling(probs, vectors, 1, balance=False, committee=members) == [1]


def test_diversity_modes() -> None:
    probs = np.array([[0.34, 0.33, 0.33], [0.35, 0.33, 0.32], [0.4, 0.35, 0.25],
                      [0.5, 0.3, 0.2]])
    vectors = np.array([[1.0, 0.0, 0.0], [1.0, 0.01, 0.0], [0.7, 0.7, 0.0], [0.0, 0.0, 1.0]],
                       dtype=np.float32)
    # soft: a pick pushes away everything similar to it, even posts that are not copies
    assert pick_for_labelling(probs, vectors, 3, balance=False) == [0, 3, 2]
    # duplicates: only near-copies (cosine ≥ DUPLICATE) are held back
    assert pick_for_labelling(probs, vectors, 3, balance=False, diversity="duplicates") == [0, 2, 3]
    # off: pure uncertainty order
    assert pick_for_labelling(probs, vectors, 3, balance=False, diversity="off") == [0, 1, 2]
