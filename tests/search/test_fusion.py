"""Tests of the fusion functions, including properties that must hold for any input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.fusion import (
    drop_faint_vector_hits,
    fuse,
    linear_fusion,
    min_max,
    reciprocal_rank_fusion,
)

rankings = st.lists(
    st.tuples(st.integers(0, 50), st.floats(-1e6, 1e6, allow_nan=False)), max_size=30
).map(lambda items: list({k: s for k, s in items}.items()))


def test_rrf_rewards_agreement() -> None:
    fused = reciprocal_rank_fusion([[("a", 9.0), ("b", 5.0)], [("b", 0.9), ("c", 0.8)]])
    assert fused[0][0] == "b"
    assert {k for k, _ in fused} == {"a", "b", "c"}


def test_linear_fusion_uses_normalised_scores() -> None:
    fused = linear_fusion([[("a", 100.0), ("b", 0.0)], [("b", 1.0), ("a", 0.0)]], [0.7, 0.3])
    assert fused[0] == ("a", pytest.approx(0.7))
    assert dict(fused)["b"] == pytest.approx(0.3)


def test_faint_hits_only_the_vector_leg_found_are_left_out() -> None:
    fused = [("kw-faint", 0.9), ("near", 0.5), ("far", 0.4), ("unscored", 0.3), ("edge", 0.2)]
    vector = {"kw-faint": 0.05, "near": 0.6, "far": 0.19, "edge": 0.2}
    kept = drop_faint_vector_hits(fused, {"kw-faint"}, vector, 0.2)
    # a keyword hit stays however far its vector; order and scores are untouched
    assert kept == [("kw-faint", 0.9), ("near", 0.5), ("unscored", 0.3), ("edge", 0.2)]
    assert drop_faint_vector_hits(fused, set(), vector, 0.0) == fused


def test_min_max_constant_list() -> None:
    assert min_max([("a", 3.0), ("b", 3.0)]) == {"a": 1.0, "b": 1.0}
    assert min_max([]) == {}


def test_fuse_rejects_unknown_method_and_bad_weights() -> None:
    with pytest.raises(ValueError):
        fuse([], [], "magic")
    with pytest.raises(ValueError):
        linear_fusion([[("a", 1.0)]], [0.5, 0.5])


@given(rankings, rankings)
def test_rrf_keeps_every_key_and_is_sorted(a: list, b: list) -> None:
    fused = reciprocal_rank_fusion([a, b])
    assert {k for k, _ in fused} == {k for k, _ in a} | {k for k, _ in b}
    scores = [s for _, s in fused]
    assert scores == sorted(scores, reverse=True)


@given(rankings, rankings, st.floats(0, 1))
def test_linear_scores_are_bounded(a: list, b: list, w: float) -> None:
    for _key, score in linear_fusion([a, b], [1 - w, w]):
        assert -1e-9 <= score <= 1 + 1e-9


@given(rankings)
def test_single_leg_methods_pass_through(a: list) -> None:
    assert fuse(a, [], "keyword") == a
    assert fuse([], a, "vector") == a
