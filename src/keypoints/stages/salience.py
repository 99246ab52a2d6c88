"""Stage 5, salience: a score per sentence from its features.

A scorer maps an article's `FeatureTable` to `ScoredSentence`s. Two kinds:
- `SalienceModel`, the learned one: a scikit-learn estimator that `keypoints
  train` fits on human-written points and saves with joblib under
  `models/salience-<version>.joblib`, with its model card data (features,
  hyperparameters, training data, cross-validation scores, library versions).
  Loading checks the scikit-learn version, because a pickled estimator is only
  reliable under the version that wrote it.
- `LinearScorer`, the documented default weights, when no model is shipped.

The stage predicts once per chunk of articles: a call of the model costs about as
much for one article as for sixteen.

    >>> LinearScorer().contributions({"position": 1.0, "question": 1.0})
    {'position': 0.2, 'question': -0.5}
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from keypoints.errors import ModelError
from keypoints.resources import check_sklearn_version, newest_model, sklearn_version
from keypoints.stages.base import ArticleState, Stage, or_error
from keypoints.structures import AnalyzedSentence, FeatureTable, ScoredSentence

MODEL_PREFIX, MODEL_SUFFIX = "salience-", ".joblib"

# Default weights: positive features add salience, penalties subtract it.
# Chosen by hand for news (lead and centrality matter most) until a learned
# model replaces them; every feature is in [0, 1].
DEFAULT_WEIGHTS: dict[str, float] = {
    "centrality": 0.30,
    "position": 0.20,
    "title_overlap": 0.20,
    "tfidf": 0.10,
    "entity_density": 0.20,
    "question": -0.50,
    "quote": -0.30,
    "caption": -1.00,
    "fragment": -0.60,
}


class Scorer(Protocol):
    """Turns a feature table into salience; `name` is reported as the model."""

    name: str

    def score(
        self, analyzed: Sequence[AnalyzedSentence], table: FeatureTable
    ) -> list[ScoredSentence]: ...


@dataclass
class LinearScorer:
    """Salience = sum of weight × feature, with the weights above by default."""

    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    name: str = "linear-default"

    def contributions(self, features: dict[str, float]) -> dict[str, float]:
        return {name: self.weights.get(name, 0.0) * value for name, value in features.items()}

    def score(
        self, analyzed: Sequence[AnalyzedSentence], table: FeatureTable
    ) -> list[ScoredSentence]:
        scored = []
        for item, row in zip(analyzed, table.rows, strict=True):
            parts = self.contributions(row)
            scored.append(ScoredSentence(item, sum(parts.values()), row, parts))
        return scored


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
        return row_stable_predict(self.estimator, self.matrix(rows))

    def contributions(self, row: dict[str, float]) -> dict[str, float]:
        """How much each feature moves this sentence's salience.

        Model-agnostic occlusion: the prediction minus the prediction with that
        feature set to its training mean (exact for a linear model).
        """
        x = self.matrix([row])
        base = float(row_stable_predict(self.estimator, x)[0])
        probes = np.repeat(x, len(self.features), axis=0)
        for i, mean in enumerate(self.feature_means or [0.0] * len(self.features)):
            probes[i, i] = mean
        moved = row_stable_predict(self.estimator, probes)
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
            "card": {**self.card, "sklearn_version": sklearn_version()},
        }
        import joblib  # with scikit-learn, a second of imports: only to save or load a model

        joblib.dump(payload, path, compress=3)


def row_stable_predict(estimator: Any, x: np.ndarray) -> np.ndarray:
    """`estimator.predict(x)`, each row's value independent of the other rows.

    A linear model predicts by a matrix product, whose rounding (within 1e-16)
    depends on how many rows there are; a batch of articles must score a sentence
    exactly as that article alone would, or a tie could break the other way. So a
    linear model (alone or at the end of a Pipeline) is evaluated row by row as a
    sum of products; any other estimator predicts as usual.
    """
    final = estimator[-1] if hasattr(estimator, "steps") else estimator
    if not (hasattr(final, "coef_") and hasattr(final, "intercept_")):
        return np.asarray(estimator.predict(x), dtype=float)
    if final is not estimator:
        x = estimator[:-1].transform(x)
    return np.asarray((x * final.coef_).sum(axis=1) + final.intercept_, dtype=float)


def load_model(path: Path) -> SalienceModel:
    """A saved model; a clear ModelError when it is missing, broken or from another scikit-learn."""
    if not path.is_file():
        raise ModelError(f"salience model not found: {path}")
    try:
        import joblib

        payload = joblib.load(path)
    except Exception as error:  # unpickling can fail in many ways; all mean "unusable"
        raise ModelError(f"cannot load salience model {path}: {error}") from error
    card = payload.get("card", {})
    check_sklearn_version(path, card)
    return SalienceModel(
        estimator=payload["estimator"],
        features=tuple(payload["features"]),
        name=path.stem,
        card=card,
        feature_means=tuple(payload.get("feature_means", ())),
    )


def default_model_path() -> Path | None:
    """The shipped model of the highest version, or None when models/ has none."""
    return newest_model(MODEL_PREFIX, MODEL_SUFFIX)


@functools.cache
def load_default_model() -> SalienceModel | None:
    path = default_model_path()
    return load_model(path) if path else None


def score_many(
    scorer: Scorer, articles: Sequence[tuple[Sequence[AnalyzedSentence], FeatureTable]]
) -> list[list[ScoredSentence]]:
    """`scorer.score` on several articles: in one call when the scorer has
    `score_many` (the learned model: its fixed cost per call is most of the time)."""
    if hasattr(scorer, "score_many"):
        return scorer.score_many(articles)
    return [scorer.score(analyzed, table) for analyzed, table in articles]


def default_scorer() -> Scorer:
    """The shipped salience model (models/salience-*.joblib), else the default weights."""
    model = load_default_model()
    return model if model is not None else LinearScorer()


class Salience(Stage):
    """Stage 5: every sentence's salience, from one prediction for the whole chunk.

    Should that prediction fail, each article is scored alone, so that only the
    article at fault fails.
    """

    name = "salience"

    def __init__(self, scorer: Scorer | None = None) -> None:
        self.scorer = scorer if scorer is not None else default_scorer()

    def __call__(self, states: Sequence[ArticleState]) -> None:
        pairs = [(state.analyzed, state.table) for state in states]
        try:
            saliences: Sequence[list[ScoredSentence] | Exception] = score_many(self.scorer, pairs)  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - find the article at fault
            saliences = [or_error(self.scorer.score, *pair) for pair in pairs]
        for state, scored in zip(states, saliences, strict=True):
            if isinstance(scored, Exception):
                state.error = scored
            else:
                state.scored, state.model = scored, self.scorer.name
