"""A salience predictor per register: plain news prose, or polite speech.

What an editor picks from a news article (the lead fact, the key number, what comes
next) is not what a minute-taker picks from an assembly speech, and one model fitted
on both learns neither well. `RegisterRouter` sends each sentence to the model of its
article's register, told by the `doc_polite` feature (the share of sentences with
polite endings, です・ます): an article with at least `POLITE_REGISTER` of them is
speech-like and goes to the general model, any other to the plain-register one.

    >>> import numpy as np
    >>> from sklearn.dummy import DummyRegressor
    >>> plain = DummyRegressor(constant=1.0).fit([[0.0]], [1.0])
    >>> polite = DummyRegressor(constant=2.0).fit([[0.0]], [2.0])
    >>> router = RegisterRouter(column=0, plain=plain, polite=polite)
    >>> router.predict(np.array([[0.0], [0.2], [0.9]])).tolist()  # doc_polite 0, 0.2, 0.9
    [1.0, 1.0, 2.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin

from keypoints.stages.salience import row_stable_predict

# An article with at least this share of polite endings is speech-like. On the gold
# sets: 8% of the news articles (columns written in です・ます) and 99% of the
# assembly speeches.
POLITE_REGISTER = 0.5


class RegisterRouter(RegressorMixin, BaseEstimator):
    """Predicts with `plain` the rows whose `column` is under `threshold`, with
    `polite` the others.

    Both estimators come fitted, each by its own trainer on its own labels
    (`keypoints.training.registers`), so `fit` is not how a router is made: like
    scikit-learn's prefit ensembles, it only checks them.
    """

    def __init__(
        self, column: int, plain: Any, polite: Any, threshold: float = POLITE_REGISTER
    ) -> None:
        self.column = column
        self.plain = plain
        self.polite = polite
        self.threshold = threshold

    def fit(self, x: Any, y: Any = None) -> RegisterRouter:
        for estimator in (self.plain, self.polite):
            if not hasattr(estimator, "predict"):
                raise TypeError(f"{estimator!r} is not a fitted regressor")
        return self

    def polite_rows(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(x)[:, self.column] >= self.threshold

    def predict(self, x: Any) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        out = np.zeros(len(x))
        polite = self.polite_rows(x)
        for mask, estimator in ((polite, self.polite), (~polite, self.plain)):
            if mask.any():
                out[mask] = row_stable_predict(estimator, x[mask])
        return out
