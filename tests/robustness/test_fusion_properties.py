"""Fusion invariants for any input: duplicates, permutations, empty legs and non-finite scores."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.fusion import fuse, linear_fusion, min_max, reciprocal_rank_fusion

ANY_SCORE = st.floats(allow_nan=True, allow_infinity=True)
# rankings may repeat a key and carry NaN or infinite scores
RAW = st.lists(st.tuples(st.integers(0, 30), ANY_SCORE), max_size=25)
WEIGHT = st.floats(0, 1)


def keys(ranking: list[tuple[int, float]]) -> set[int]:
    return {k for k, _ in ranking}


@given(RAW, RAW, st.sampled_from(["rrf", "linear"]), WEIGHT)
def test_fused_list_is_a_sorted_set_of_the_input_keys(a: list, b: list, method: str,
                                                      w: float) -> None:
    fused = fuse(a, b, method, vector_weight=w)
    out = [k for k, _ in fused]
    assert len(out) == len(set(out))
    assert set(out) == keys(a) | keys(b)
    scores = [s for _, s in fused]
    assert all(math.isfinite(s) for s in scores)
    assert scores == sorted(scores, reverse=True)


@given(RAW, RAW, st.integers(1, 200))
def test_rrf_scores_are_bounded_by_the_best_rank(a: list, b: list, k: int) -> None:
    for _key, score in reciprocal_rank_fusion([a, b], k=k):
        assert 0 < score <= 2 / (k + 1) + 1e-12


@given(RAW, RAW, WEIGHT)
def test_linear_scores_stay_in_the_unit_interval(a: list, b: list, w: float) -> None:
    for _key, score in linear_fusion([a, b], [1 - w, w]):
        assert -1e-9 <= score <= 1 + 1e-9


@given(RAW, RAW, WEIGHT)
def test_swapping_the_legs_changes_no_score(a: list, b: list, w: float) -> None:
    assert dict(reciprocal_rank_fusion([a, b])) == pytest.approx(
        dict(reciprocal_rank_fusion([b, a])))
    assert dict(linear_fusion([a, b], [1 - w, w])) == pytest.approx(
        dict(linear_fusion([b, a], [w, 1 - w])))


@given(RAW, st.randoms(use_true_random=False))
def test_linear_fusion_ignores_the_order_of_distinct_keys(a: list, rnd: object) -> None:
    distinct = list(dict(a).items())
    shuffled = distinct[:]
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert dict(linear_fusion([distinct], [1.0])) == pytest.approx(
        dict(linear_fusion([shuffled], [1.0])))


@given(RAW)
def test_a_repeated_key_counts_once_at_its_first_position(a: list) -> None:
    doubled = a + a
    assert dict(reciprocal_rank_fusion([doubled])) == dict(reciprocal_rank_fusion([a]))
    assert min_max(doubled) == min_max(a)


@given(RAW)
def test_min_max_maps_everything_into_the_unit_interval(a: list) -> None:
    scaled = min_max(a)
    assert set(scaled) == keys(a)
    assert all(0.0 <= v <= 1.0 for v in scaled.values())


def test_non_finite_scores_rank_at_the_ends() -> None:
    ranking = [("nan", math.nan), ("hi", math.inf), ("a", 2.0), ("b", 1.0), ("lo", -math.inf)]
    assert min_max(ranking) == {"nan": 0.0, "hi": 1.0, "a": 1.0, "b": 0.0, "lo": 0.0}
    fused = linear_fusion([ranking], [1.0])
    assert fused[0][0] == "hi" and dict(fused)["nan"] == 0.0


def test_nan_does_not_poison_the_finite_scores() -> None:
    assert min_max([("x", math.nan), ("a", 1.0), ("b", 3.0)]) == {"x": 0.0, "a": 0.0, "b": 1.0}


@given(st.lists(RAW, max_size=4))
def test_empty_and_many_legs(legs: list) -> None:
    fused = reciprocal_rank_fusion(legs)
    assert {k for k, _ in fused} == set().union(*(keys(leg) for leg in legs)) if legs else True
    assert fuse([], [], "rrf") == [] and fuse([], [], "linear") == []
