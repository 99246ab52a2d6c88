"""keypoints cross-validated: an evaluation system (`keypoints.evaluation.systems`) that is
honest on the articles the model learns from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sklearn.base import clone

from keypoints.evaluation.gold import GoldRecord
from keypoints.evaluation.systems.keypoints import KeypointsSystem
from keypoints.settings import Settings
from keypoints.stages.features import FEATURES
from keypoints.stages.salience import SalienceModel
from keypoints.training.examples import Example
from keypoints.training.selection import (
    DEFAULT_ESTIMATOR,
    candidate_estimators,
    choose_points,
    fit,
    fold_ids,
)


class CrossValidatedKeypoints(KeypointsSystem):
    """Each training article is summarized by the model of the fold that did not see
    it; any other article by the shipped model. The examples' states are reused from
    their features on (`choose_points`), so only salience, choosing and compression
    run again."""

    name = "keypoints"

    def __init__(
        self,
        examples: Sequence[Example],
        folds: int = 5,
        features: Sequence[str] = FEATURES,
        settings: Settings | None = None,
        estimator: Any = None,
    ) -> None:
        super().__init__(settings)
        self.examples = {e.id: e for e in examples}
        if estimator is None:
            estimator = candidate_estimators()[DEFAULT_ESTIMATOR][0]
        assignment = fold_ids(examples, folds)
        self.models: dict[str, SalienceModel] = {}
        for fold in range(folds):
            train_set = [e for e, f in zip(examples, assignment, strict=True) if f != fold]
            model = fit(clone(estimator), train_set, features)
            model.name = f"cv-fold-{fold}"
            for example, f in zip(examples, assignment, strict=True):
                if f == fold:
                    self.models[example.id] = model

    def summarize(self, record: GoldRecord, n: int) -> list[str]:
        example = self.examples.get(record.id)
        if example is None:
            return super().summarize(record, n)
        return choose_points(
            self.models[record.id], example, self.settings.replace(n_points=n), n=n
        )
