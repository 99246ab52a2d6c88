"""The plain-register salience model, joined to the general one by a `RegisterRouter`.

The general model (`training.selection`) learns from every gold set. The plain one
learns only from the gold articles written in plain prose (news), and from labels
of the sentence as its point will read after compression: an editor's point is a
compressed sentence, and a long lead sentence that compresses into the point
should not lose to a short side remark that merely starts close to it. Measured on
the news dev set (benchmarks/quality.py, 5 folds, each with its own compressor):
ROUGE-2 29.62 against 28.83 for the general model alone, the PoliInfo sets unchanged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import clone

from keypoints.evaluation.metrics import sudachi_tokens
from keypoints.settings import Settings
from keypoints.stages.compress import Compressor
from keypoints.stages.compress.learned import CompressionModel
from keypoints.stages.features import FEATURES
from keypoints.stages.register import POLITE_REGISTER, RegisterRouter
from keypoints.stages.salience import SalienceModel
from keypoints.training.examples import Example, point_overlap
from keypoints.training.selection import candidate_estimators, dataset_of, fit, train

# Fewer plain-register articles than this (for instance, with the news left out in an
# ablation) and the general model serves every register.
MIN_PLAIN_ARTICLES = 50
# The plain model: ridge measured 29.5 on news, gradient boosting 28.5 (the few
# hundred articles suit the simpler model).
PLAIN_ESTIMATOR = "ridge"
# A compressed sentence that still breaks a guard or the length is worth this share
# of its overlap: it would not be chosen as it is.
UNFIT_POINT_WEIGHT = 0.5


def plain_register(example: Example) -> bool:
    """A human-referenced article in plain prose (news), not a polite speech."""
    return (
        not example.pseudo
        and bool(example.rows)
        and example.rows[0]["doc_polite"] < POLITE_REGISTER
    )


def compressed_point_labels(example: Example, compressor: Compressor) -> np.ndarray:
    """How well each sentence, compressed into its point, stands for one human point:
    the best ROUGE-1 F1 + ROUGE-2 F1 over the references (as `sentence_labels`), of
    the compressed text; `UNFIT_POINT_WEIGHT` of it when the point is still unfit."""
    references = [sudachi_tokens(r) for r in example.references]
    labels = []
    for compression in compressor.many(example.sentences):
        overlap = point_overlap(compression.text, references)
        fit_as_point = not compression.violations and len(compression.text) <= compressor.max_chars
        labels.append(overlap if fit_as_point else UNFIT_POINT_WEIGHT * overlap)
    return np.array(labels)


def fit_plain(
    examples: Sequence[Example],
    compression_model: CompressionModel | None,
    settings: Settings | None = None,
    features: Sequence[str] = FEATURES,
) -> SalienceModel | None:
    """The plain-register model on `features`, fitted on the plain-register examples
    relabelled by a compressor with `compression_model` (None: the drop rules alone);
    None when there are fewer than `MIN_PLAIN_ARTICLES` of them."""
    plain = [e for e in examples if plain_register(e)]
    if len(plain) < MIN_PLAIN_ARTICLES:
        return None
    settings = settings or Settings()
    compressor = Compressor(settings.max_chars, reach=settings.parse_reach, model=compression_model)
    relabelled = [
        dataclasses.replace(e, labels=compressed_point_labels(e, compressor)) for e in plain
    ]
    estimator = clone(candidate_estimators()[PLAIN_ESTIMATOR][0])
    return fit(estimator, relabelled, features)


def routed(general: SalienceModel, plain: SalienceModel | None) -> SalienceModel:
    """One model: `plain` for plain-register articles, `general` for the others
    (`general` itself when there is no plain model)."""
    if plain is None:
        return general
    if plain.features != general.features:
        raise ValueError("the two models must read the same features")
    router = RegisterRouter(
        column=general.features.index("doc_polite"),
        plain=plain.estimator,
        polite=general.estimator,
    ).fit(None)
    return SalienceModel(
        router, general.features, general.name, dict(general.card), general.feature_means
    )


def fit_routed(
    general: SalienceModel,
    examples: Sequence[Example],
    compression_model: CompressionModel | None,
    settings: Settings | None = None,
) -> SalienceModel:
    """`general` joined to a plain-register model fitted on `examples` with the same
    features; `general` alone when those do not tell the registers apart (an ablation
    without `doc_polite`)."""
    if "doc_polite" not in general.features:
        return general
    return routed(general, fit_plain(examples, compression_model, settings, general.features))


def plain_card(
    examples: Sequence[Example], compression_model: CompressionModel | None
) -> dict[str, Any]:
    """What the model card says of the plain-register model."""
    plain = [e for e in examples if plain_register(e)]
    _, hyperparameters = candidate_estimators()[PLAIN_ESTIMATOR]
    return {
        "estimator": PLAIN_ESTIMATOR,
        "hyperparameters": hyperparameters,
        "routing": f"doc_polite < {POLITE_REGISTER}: plain-register model; else the general one",
        "label": "max over human points of ROUGE-1 F1 + ROUGE-2 F1 (SudachiPy tokens) of the "
        f"sentence compressed into its point; × {UNFIT_POINT_WEIGHT} when the point still "
        "breaks a guard or the length",
        "compressor": compression_model.name if compression_model else "drop rules only",
        "articles": len(plain),
        "sentences": int(sum(len(e.labels) for e in plain)),
        "gold_sets": sorted({dataset_of(e) for e in plain}),
    }


def train_by_register(
    examples: Sequence[Example],
    *,
    folds: int = 5,
    sources: Sequence[str] = (),
    compression_model: CompressionModel | None = None,
    settings: Settings | None = None,
) -> tuple[SalienceModel, dict[str, dict[str, float]]]:
    """`selection.train`'s general model, joined to a plain-register model labelled by
    a compressor with `compression_model` (the shipped one is what `keypoints train`
    passes); its card says what each part is.

    With a plain model, the general one serves only the polite-register articles, so
    its candidates are judged on those.
    """
    plain = fit_plain(examples, compression_model, settings)
    if plain is None:
        general, scores = train(examples, folds=folds, sources=sources)
        return general, scores
    general, scores = train(
        examples,
        folds=folds,
        sources=sources,
        scored_on=lambda e: not e.pseudo and not plain_register(e),
        scored_on_text=f"the human-written references of articles with doc_polite >= "
        f"{POLITE_REGISTER} (the plain-register model serves the others)",
    )
    model = routed(general, plain)
    if model is not general:
        model.card["by_register"] = plain_card(examples, compression_model)
    return model, scores
