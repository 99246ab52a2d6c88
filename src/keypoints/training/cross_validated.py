"""keypoints cross-validated: an evaluation system (`keypoints.evaluation.systems`) that is
honest on the articles the model learns from."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sklearn.base import clone

from keypoints.evaluation.gold import GoldRecord
from keypoints.evaluation.systems.keypoints import KeypointsSystem
from keypoints.pipeline import Summarizer
from keypoints.settings import Settings
from keypoints.stages.choose import Choose
from keypoints.stages.compress.learned import CompressionModel, default_compression_model
from keypoints.stages.features import FEATURES
from keypoints.stages.salience import Salience, SalienceModel
from keypoints.training.compression import PhraseData, candidate_classifiers
from keypoints.training.compression import fit as fit_compression
from keypoints.training.examples import Example
from keypoints.training.registers import fit_routed
from keypoints.training.selection import (
    DEFAULT_ESTIMATOR,
    candidate_estimators,
    choose_points,
    fit,
    fold_ids,
)


class CrossValidatedKeypoints(KeypointsSystem):
    """Each training article is summarized by the model of the fold that did not see
    it; any other article by models fitted on all the examples (as the shipped ones are). The examples' states are reused from
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
        phrases: PhraseData | None = None,
        compressor: Any = None,
        learned: bool = True,
        prune: float = 1.0,
        by_register: bool = True,
    ) -> None:
        """`phrases`: the labelled phrases of the aligned pairs (`training.compression`),
        from which each fold fits its own compression model with the `compressor`
        pipeline (default: the logistic one); without them the shipped model
        compresses. `learned=False`: the drop rules alone. `prune`: see
        `CompressionModel.prune`. `by_register`: each fold joins a plain-register
        model to its general one (`training.registers`), labelled by the fold's own
        compressor, as `keypoints train` does."""
        super().__init__(settings)
        self.examples = {e.id: e for e in examples}
        self.learned = learned
        if estimator is None:
            estimator = candidate_estimators()[DEFAULT_ESTIMATOR][0]
        if compressor is None:
            compressor = candidate_classifiers()["logistic"][0]
        assignment = fold_ids(examples, folds)
        self.models: dict[str, SalienceModel] = {}
        self.compression_models: dict[str, CompressionModel | None] = {}
        for fold in range(folds):
            train_set = [e for e, f in zip(examples, assignment, strict=True) if f != fold]
            compression = None
            if phrases is not None and learned:
                seen = {e.id for e in train_set}
                compression = fit_compression(compressor, phrases.of(seen), prune)
            model = fit(clone(estimator), train_set, features)
            if by_register:
                model = fit_routed(model, train_set, self._labeller(compression), self.settings)
            model.name = f"cv-fold-{fold}"
            for example, f in zip(examples, assignment, strict=True):
                if f == fold:
                    self.models[example.id] = model
                    self.compression_models[example.id] = compression
        self.by_register = by_register
        self._fit_all = (estimator, list(examples), features, phrases, compressor, prune)

    def _labeller(self, compression: CompressionModel | None) -> CompressionModel | None:
        """The compression model the choose stage will use beside `compression`, which
        labels the plain-register model's sentences: the fold's own, else the
        shipped one, or none (the drop rules alone)."""
        if not self.learned:
            return None
        return compression if compression is not None else default_compression_model()

    @functools.cached_property
    def _unseen(self) -> tuple[SalienceModel, CompressionModel | None]:
        """For an article none of the examples is, models fitted on them all (fitted at
        the first such article: the ablations never have one)."""
        estimator, examples, features, phrases, compressor, prune = self._fit_all
        compression = None
        if phrases is not None and self.learned:
            compression = fit_compression(compressor, phrases, prune)
        model = fit(clone(estimator), examples, features)
        if self.by_register:
            model = fit_routed(model, examples, self._labeller(compression), self.settings)
        return model, compression

    def summarizer(self, n: int) -> Summarizer:
        if n not in self._summarizers:
            settings = self.settings.replace(n_points=n)
            self._summarizers[n] = (
                Summarizer(settings)
                .with_stage(Salience(self._unseen[0]))
                .with_stage(Choose(settings, self._unseen[1], learned=self.learned))
            )
        return self._summarizers[n]

    def summarize(self, record: GoldRecord, n: int) -> list[str]:
        example = self.examples.get(record.id)
        if example is None:
            return super().summarize(record, n)
        return choose_points(
            self.models[record.id],
            example,
            self.settings.replace(n_points=n),
            n=n,
            compression_model=self.compression_models[record.id],
            learned=self.learned,
        )
