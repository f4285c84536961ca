"""Spike detection on synthetic series."""

from __future__ import annotations

import numpy as np
import pytest

from search.spikes import (
    detect_spikes,
    driving_posts,
    explain,
    negative_share_spikes,
    volume_spikes,
)


def test_a_real_volume_spike_is_flagged() -> None:
    counts = [20, 22, 19, 21, 18, 20, 23, 21, 80, 22, 20]
    spikes = volume_spikes(counts, window=7)
    assert [s.index for s in spikes] == [8]
    assert spikes[0].metric == "volume"
    assert spikes[0].baseline == pytest.approx(sum(counts[1:8]) / 7)
    assert spikes[0].z > 4


@pytest.mark.parametrize("seed", range(20))
def test_flat_poisson_noise_is_not_flagged(seed: int) -> None:
    counts = np.random.default_rng(seed).poisson(30, size=90).tolist()
    negatives = np.random.default_rng(seed + 100).binomial(counts, 0.3).tolist()
    assert detect_spikes(counts, negatives, window=7) == []


def test_a_constant_series_with_one_bump_needs_more_than_noise() -> None:
    # zero variance in the window: the Poisson floor (sqrt of the mean) keeps +3 from counting
    assert volume_spikes([10] * 10 + [13]) == []
    assert [s.index for s in volume_spikes([10] * 10 + [30])] == [10]


def test_small_counts_and_short_history_are_ignored() -> None:
    assert volume_spikes([0, 0, 0, 0, 4], min_count=5) == []
    assert volume_spikes([1, 50], min_history=3) == []


def test_negative_share_spike() -> None:
    counts = [40] * 10
    negatives = [10, 12, 9, 11, 10, 10, 12, 30, 11, 10]
    spikes = negative_share_spikes(counts, negatives)
    assert [s.index for s in spikes] == [7]
    assert spikes[0].value == pytest.approx(0.75)
    assert spikes[0].baseline == pytest.approx(74 / 280)


def test_negative_share_needs_equal_lengths() -> None:
    with pytest.raises(ValueError):
        negative_share_spikes([1, 2], [1])


def test_spike_is_explained_by_its_overrepresented_phrases() -> None:
    baseline = ["flight was fine", "nice crew today", "seat was ok", "good snacks"] * 5
    spike = ["app crashed at checkin", "the app crashed again", "checkin app crashed",
             "crew was nice", "app crashed and I missed checkin"]
    phrases = explain(spike, baseline)
    assert phrases[0] in ("app crashed", "app", "crashed")
    assert "crew" not in phrases
    drivers = driving_posts(spike, phrases, weights=[0, 0, 0, 0, 9])
    assert 3 not in drivers and drivers[0] == 4
