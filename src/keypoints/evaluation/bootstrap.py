"""Seeded bootstrap: confidence intervals of a mean and the paired bootstrap test.

A gold set of a few hundred articles gives noisy means; intervals and paired
p-values say whether a difference between systems is more than luck. Everything
is seeded so that a report can be reproduced number for number.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass
class Interval:
    """A mean with the low and high ends of its confidence interval."""

    mean: float
    low: float
    high: float


def _rng_kwargs(seed: int) -> dict:
    # scipy >= 1.15 takes `rng` (and deprecates `random_state` for bootstrap).
    from scipy.stats import bootstrap

    if "rng" in inspect.signature(bootstrap).parameters:
        return {"rng": np.random.default_rng(seed)}
    return {"random_state": np.random.default_rng(seed)}


def confidence_interval(
    values: Sequence[float],
    *,
    n_resamples: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> Interval:
    """Percentile bootstrap interval of the mean (scipy.stats.bootstrap, seeded).

    Percentile rather than BCa: BCa warns and returns NaN on the skewed, tied
    scores (many zeros) that per-article metrics produce. With fewer than two
    values or a constant sample there is nothing to resample: low = high = mean.
    No values at all gives NaN everywhere (e.g. entity recall when no record
    has reference entities).
    """
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        return Interval(math.nan, math.nan, math.nan)
    mean = float(data.mean())
    if data.size < 2 or np.all(data == data[0]):
        return Interval(mean, mean, mean)
    from scipy.stats import bootstrap

    result = bootstrap(
        (data,),
        np.mean,
        n_resamples=n_resamples,
        confidence_level=level,
        method="percentile",
        vectorized=True,
        **_rng_kwargs(seed),
    )
    low = float(result.confidence_interval.low)
    high = float(result.confidence_interval.high)
    return Interval(mean, low, high)


def paired_test(
    a: Sequence[float], b: Sequence[float], *, n_resamples: int = 1000, seed: int = 0
) -> float:
    """Two-sided p-value that mean(a − b) ≠ 0, by the shifted paired bootstrap.

    Pairs are kept (both systems scored on the same articles), so the test looks
    at the per-article differences d = a − b. To simulate the null hypothesis the
    differences are centred (d − mean(d)) and resampled with replacement; the
    p-value is the share of resampled means at least as far from 0 as the
    observed one, |mean*| ≥ |mean(d)|, with the usual add-one correction,
    (count + 1) / (n_resamples + 1), so that it is never exactly 0.
    Identical inputs, or fewer than two pairs, give 1.0 (no evidence).
    """
    x = np.asarray(a, dtype=float)
    y = np.asarray(b, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(
            f"paired_test needs two 1-D arrays of equal length, got {x.shape} and {y.shape}"
        )
    d = x - y
    if d.size < 2 or not np.any(d):
        return 1.0
    observed = abs(float(d.mean()))
    centred = d - d.mean()
    rng = np.random.default_rng(seed)
    count = 0
    # Chunks keep memory bounded for large gold sets (n_resamples × n indices).
    chunk = max(1, 2_000_000 // d.size)
    for start in range(0, n_resamples, chunk):
        size = min(chunk, n_resamples - start)
        indices = rng.integers(0, d.size, size=(size, d.size))
        means = centred[indices].mean(axis=1)
        # A tiny tolerance so that float noise in the centring cannot flip ties.
        count += int(np.count_nonzero(np.abs(means) >= observed - 1e-12))
    return (count + 1) / (n_resamples + 1)
