"""Tests for keypoints.evaluation.bootstrap: seeded intervals and the paired test."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from keypoints.evaluation.bootstrap import Interval, confidence_interval, paired_test


def _sample(scale: float, n: int = 80, seed: int = 1) -> np.ndarray:
    return 0.5 + scale * np.random.default_rng(seed).standard_normal(n)


def test_same_seed_same_interval():
    values = _sample(0.1)
    assert confidence_interval(values, seed=3) == confidence_interval(values, seed=3)


def test_interval_contains_the_mean():
    values = _sample(0.1)
    interval = confidence_interval(values)
    assert interval.mean == pytest.approx(float(np.mean(values)))
    assert interval.low < interval.mean < interval.high


def test_noisier_sample_gives_a_wider_interval():
    calm = confidence_interval(_sample(0.05))
    noisy = confidence_interval(_sample(0.3))
    assert noisy.high - noisy.low > calm.high - calm.low


def test_higher_level_gives_a_wider_interval():
    values = _sample(0.1)
    narrow = confidence_interval(values, level=0.8)
    wide = confidence_interval(values, level=0.99)
    assert wide.high - wide.low > narrow.high - narrow.low


@pytest.mark.parametrize("values", [[0.4] * 10, [0.7], [0.0, 0.0]])
def test_constant_or_tiny_sample_without_warnings(values):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        interval = confidence_interval(values)
    assert interval == Interval(values[0], values[0], values[0])


def test_empty_sample_is_nan():
    interval = confidence_interval([])
    assert math.isnan(interval.mean) and math.isnan(interval.low) and math.isnan(interval.high)


def test_paired_test_detects_a_clearly_better_system():
    rng = np.random.default_rng(0)
    base = rng.uniform(0.2, 0.6, size=60)
    better = base + 0.05 + rng.normal(0, 0.02, size=60)
    assert paired_test(better, base) < 0.05
    assert paired_test(base, better) < 0.05


def test_paired_test_on_identical_arrays_is_one():
    values = _sample(0.1)
    assert paired_test(values, values) == 1.0
    assert paired_test(values, values.copy(), seed=9) == 1.0


def test_paired_test_no_difference_is_not_significant():
    rng = np.random.default_rng(5)
    a = rng.uniform(0, 1, size=50)
    b = a + rng.normal(0, 0.1, size=50)
    b += np.mean(a) - np.mean(b)  # same mean, different articles
    assert paired_test(a, b) > 0.5


def test_paired_test_is_reproducible():
    rng = np.random.default_rng(2)
    a, b = rng.uniform(size=40), rng.uniform(size=40)
    assert paired_test(a, b, seed=4) == paired_test(a, b, seed=4)
    assert 0.0 < paired_test(a, b) <= 1.0


def test_paired_test_needs_equal_lengths():
    with pytest.raises(ValueError):
        paired_test([0.1, 0.2], [0.1])
