"""The learned salience model: a scikit-learn estimator over the score stage's features.

`keypoints train` fits it on human-written points and saves it with joblib under
`models/salience-<version>.joblib` together with its model card data (features,
hyperparameters, training data, cross-validation scores, library versions).
Loading checks the scikit-learn version, because a pickled estimator is only
reliable under the version that wrote it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn

from keypoints.errors import ModelError
from keypoints.resources import models_dir
from keypoints.score import FeatureTable
from keypoints.types import AnalyzedSentence, ScoredSentence

MODEL_GLOB = "salience-*.joblib"


@dataclass
class SalienceModel:
    """A fitted estimator and what is needed to use and describe it."""

    estimator: Any  # a fitted scikit-learn regressor or pipeline with predict()
    features: tuple[str, ...]
    name: str = "salience"
    card: dict[str, Any] = field(default_factory=dict)
    # Mean of each feature in the training data: the "absent" value for explanations.
    feature_means: tuple[float, ...] = ()

    def matrix(self, rows: Sequence[dict[str, float]]) -> np.ndarray:
        return np.array([[row[name] for name in self.features] for row in rows], dtype=float)

    def predict(self, rows: Sequence[dict[str, float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        return self.estimator.predict(self.matrix(rows))

    def contributions(self, row: dict[str, float]) -> dict[str, float]:
        """How much each feature moves this sentence's salience.

        Model-agnostic occlusion: the prediction minus the prediction with that
        feature set to its training mean (exact for a linear model).
        """
        x = self.matrix([row])
        base = float(self.estimator.predict(x)[0])
        probes = np.repeat(x, len(self.features), axis=0)
        for i, mean in enumerate(self.feature_means or [0.0] * len(self.features)):
            probes[i, i] = mean
        moved = self.estimator.predict(probes)
        return {name: base - float(moved[i]) for i, name in enumerate(self.features)}

    def score(
        self, analyzed: Sequence[AnalyzedSentence], table: FeatureTable
    ) -> list[ScoredSentence]:
        return self.score_many([(analyzed, table)])[0]

    def score_many(
        self, articles: Sequence[tuple[Sequence[AnalyzedSentence], FeatureTable]]
    ) -> list[list[ScoredSentence]]:
        """`score` on several articles with one prediction for all their sentences."""
        rows = [row for _, table in articles for row in table.rows]
        predictions = iter(self.predict(rows))
        return [
            [
                ScoredSentence(item, float(next(predictions)), row, {})
                for item, row in zip(analyzed, table.rows, strict=True)
            ]
            for analyzed, table in articles
        ]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "estimator": self.estimator,
            "features": list(self.features),
            "feature_means": list(self.feature_means),
            "card": {**self.card, "sklearn_version": sklearn.__version__},
        }
        joblib.dump(payload, path, compress=3)


def load_model(path: Path) -> SalienceModel:
    """A saved model; a clear ModelError when it is missing, broken or from another scikit-learn."""
    if not path.is_file():
        raise ModelError(f"salience model not found: {path}")
    try:
        payload = joblib.load(path)
    except Exception as error:  # unpickling can fail in many ways; all mean "unusable"
        raise ModelError(f"cannot load salience model {path}: {error}") from error
    card = payload.get("card", {})
    trained_with = card.get("sklearn_version", "unknown")
    if _minor(trained_with) != _minor(sklearn.__version__):
        raise ModelError(
            f"{path.name} was trained with scikit-learn {trained_with}, but {sklearn.__version__} "
            f"is installed: install scikit-learn=={trained_with} (pip install "
            f"'scikit-learn=={trained_with}') or retrain with `keypoints train`"
        )
    return SalienceModel(
        estimator=payload["estimator"],
        features=tuple(payload["features"]),
        name=path.stem,
        card=card,
        feature_means=tuple(payload.get("feature_means", ())),
    )


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def default_model_path() -> Path | None:
    """The newest shipped model file, or None when models/ has none."""
    found = sorted(models_dir().glob(MODEL_GLOB))
    return found[-1] if found else None


@functools.cache
def load_default_model() -> SalienceModel | None:
    path = default_model_path()
    return load_model(path) if path else None
