"""`keypoints train`: fit the salience model on human-written points.

1. Examples and labels: `keypoints.training.examples`.
2. Model selection: each candidate estimator is scored by grouped K-fold
   cross-validation over articles (no article in both train and test), on what
   matters downstream: ROUGE-2 F1 of the points the pipeline then writes
   (compressed by the shipped compressor), averaged over each gold set's
   articles and then over the sets. The simplest candidate wins unless
   another beats it by more than MIN_GAIN.
3. The best candidate is refitted on all articles and saved with its card.

`keypoints.training.registers` then joins a plain-register (news) model to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import BaggingRegressor, HistGradientBoostingRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from keypoints.evaluation.metrics import rouge_scores
from keypoints.pipeline import Summarizer
from keypoints.resources import provenance
from keypoints.settings import Settings
from keypoints.stages.choose import Choose
from keypoints.stages.compress.learned import CompressionModel
from keypoints.stages.features import FEATURES
from keypoints.stages.salience import LinearScorer, Salience, SalienceModel, Scorer
from keypoints.structures import Result
from keypoints.training.examples import SEED, Example

# Whether each data set weighs the same in the fit (news is 192 articles beside 1,374
# others): it measured no better on news (R-2 27.9 against 28.1, cross-validated).
BALANCED = False
# The estimator the cross-validated evaluation uses when none is named.
DEFAULT_ESTIMATOR = "ridge"


def candidate_estimators() -> dict[str, tuple[Any, dict[str, Any]]]:
    """Name -> (unfitted estimator, hyperparameters to record). Fixed seeds."""
    ridge = {"alpha": 3.0}
    boosting = {
        "max_iter": 300,
        "learning_rate": 0.05,
        "max_leaf_nodes": 15,
        "min_samples_leaf": 40,
        "l2_regularization": 1.0,
        # Every iteration, on every sentence: with early stopping (on by default past
        # 10,000 rows) a random tenth of the sentences was held out to validate, yet
        # the fit never stopped before max_iter.
        "early_stopping": False,
        "random_state": SEED,
    }
    # The mean of a few boosted models, each fitted on a random 80% of the sentences:
    # one boosted model moves poliinfo2020 by up to 2 ROUGE-2 points when 20 of the
    # 800 headline articles are left out (10.7-12.7, cross-validated), five of them
    # by about half that (models/README.md, Validation).
    bagging = {"n_estimators": 5, "max_samples": 0.8, "random_state": SEED}
    bagged = BaggingRegressor(HistGradientBoostingRegressor(**boosting), **bagging)
    return {
        "ridge": (make_pipeline(StandardScaler(), Ridge(**ridge)), ridge),
        "gradient_boosting": (HistGradientBoostingRegressor(**boosting), boosting),
        "bagged_boosting": (bagged, {**bagging, "estimator": boosting}),
    }


def fit(
    estimator: Any, examples: Sequence[Example], features: Sequence[str], balanced: bool = BALANCED
) -> SalienceModel:
    """`estimator` fitted on the examples' sentences; `balanced`: each data set (news,
    each PoliInfo set, the headline articles) weighs the same in the fit, however many
    sentences it has."""
    model = SalienceModel(estimator, tuple(features))
    x = model.matrix([row for e in examples for row in e.rows])
    y = np.concatenate([e.labels for e in examples])
    if balanced:
        sets = [dataset_of(e) for e in examples for _ in e.rows]
        sizes = Counter(sets)
        weights = np.array([len(sets) / (len(sizes) * sizes[s]) for s in sets])
        _fit_weighted(estimator, x, y, weights)
    else:
        estimator.fit(x, y)
    model.feature_means = tuple(float(v) for v in x.mean(axis=0))
    return model


def dataset_of(example: Example) -> str:
    """The data set an example comes from: ldcc (news), poliinfo14, ..., headlines."""
    return "headlines" if example.pseudo else example.source.split("/")[0]


def _fit_weighted(estimator: Any, x: np.ndarray, y: np.ndarray, weights: np.ndarray) -> None:
    """Fit with sample weights, through a Pipeline's last step when it is one."""
    if hasattr(estimator, "steps"):
        estimator.fit(x, y, **{f"{estimator.steps[-1][0]}__sample_weight": weights})
    else:
        estimator.fit(x, y, sample_weight=weights)


# Model selection scores the points as the pipeline writes them, compressed by the
# shipped compression model. Without compression it is 20 times faster but ranks
# the candidates otherwise: ridge 18.96 / boosting 18.75 uncompressed, while the
# compressed points of poliinfo14 scored 17.9 / 18.9 (benchmarks/quality.py).
SELECTION_SETTINGS = Settings()
# A more complex candidate must beat the first (simplest) one by this much
# ROUGE-2 F1 to be chosen; smaller gaps are noise between folds.
MIN_GAIN = 0.002


def downstream_scores(model: Any, examples: Sequence[Example]) -> dict[str, float]:
    """Mean ROUGE F1 of the points the pipeline chooses with `model` on `examples`."""
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    for example in examples:
        points = choose_points(model, example, SELECTION_SETTINGS)
        scores = rouge_scores(points, example.references)
        for key in totals:
            totals[key] += scores[key].fmeasure
    return {key: value / max(len(examples), 1) for key, value in totals.items()}


def choose_points(
    scorer: Scorer,
    example: Example,
    settings: Settings | None = None,
    n: int | None = None,
    compression_model: CompressionModel | None = None,
    learned: bool = True,
) -> list[str]:
    """The point texts of `chosen_result`."""
    result = chosen_result(scorer, example, settings, n, compression_model, learned)
    return [p.text for p in result.points]


def chosen_result(
    scorer: Scorer,
    example: Example,
    settings: Settings | None = None,
    n: int | None = None,
    compression_model: CompressionModel | None = None,
    learned: bool = True,
) -> Result:
    """The Result the pipeline would write for `example` with `scorer`: the example's
    state goes on from its features with `scorer` as the salience stage (and
    `compression_model` in the choose stage's compressor: None is the shipped one,
    `learned=False` the rules alone).

    `n` defaults to the number of human points (at most 10), as in `keypoints eval`.
    """
    wanted = n if n is not None else min(max(len(example.references), 1), 10)
    chosen = (settings or Settings()).replace(n_points=wanted)
    summarizer = (
        Summarizer(chosen)
        .with_stage(Salience(scorer))
        .with_stage(Choose(chosen, compression_model, learned=learned))
    )
    (state,) = summarizer.run([example.state.rewound("features")])
    if state.error is not None:
        raise state.error
    assert state.result is not None
    return state.result


def simplest_unless_beaten(names: Sequence[str], score: Callable[[str], float], gain: float) -> str:
    """The first (simplest) of `names`, unless a later one scores higher by more than
    `gain`: smaller gaps are noise between folds (higher `score` is better)."""
    best = names[0]
    for name in names[1:]:
        if score(name) > score(best) + gain:
            best = name
    return best


def fold_ids(examples: Sequence[Example], folds: int) -> list[int]:
    """Fold number of each example: grouped by article, deterministic."""
    splitter = GroupKFold(n_splits=folds)
    assignment = [0] * len(examples)
    ids = [e.id for e in examples]
    for fold, (_, test) in enumerate(splitter.split(ids, groups=ids)):
        for i in test:
            assignment[i] = fold
    return assignment


def cross_validate(
    examples: Sequence[Example],
    folds: int = 5,
    features: Sequence[str] = FEATURES,
    candidates: dict[str, tuple[Any, dict[str, Any]]] | None = None,
    scored_on: Callable[[Example], bool] = lambda example: not example.pseudo,
) -> dict[str, dict[str, float]]:
    """Downstream ROUGE of every candidate on held-out articles, macro-averaged over sets.

    Models train on every example; scores count only those `scored_on` (by
    default the human-written references, not headline pseudo-references).
    Each gold set (`Example.source`) counts equally: the mean over its held-out
    articles, then the mean over sets, so a model that only suits the largest
    set does not win.
    """
    candidates = candidates or candidate_estimators()
    assignment = fold_ids(examples, folds)
    judged = [e for e in examples if scored_on(e)]
    results: dict[str, dict[str, float]] = {}
    for name, (estimator, _) in candidates.items():
        per_article: dict[str, dict[str, float]] = {}
        for fold in range(folds):
            train = [e for e, f in zip(examples, assignment, strict=True) if f != fold]
            test = [
                e for e, f in zip(examples, assignment, strict=True) if f == fold and scored_on(e)
            ]
            model = fit(clone(estimator), train, features)
            per_article.update({e.id: downstream_scores(model, [e]) for e in test})
        results[name] = _macro_average(judged, per_article)
    baseline = LinearScorer()
    results["default_weights"] = _macro_average(
        judged, {e.id: downstream_scores(baseline, [e]) for e in judged}
    )
    return results


def _macro_average(
    examples: Sequence[Example], per_article: dict[str, dict[str, float]]
) -> dict[str, float]:
    """Mean over sets of the mean over each set's articles."""
    by_source: dict[str, list[dict[str, float]]] = {}
    for example in examples:
        by_source.setdefault(example.source, []).append(per_article[example.id])
    if not by_source:
        return {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    return {
        key: float(np.mean([np.mean([s[key] for s in scores]) for scores in by_source.values()]))
        for key in ("rouge1", "rouge2", "rougeL")
    }


def train(
    examples: Sequence[Example],
    *,
    folds: int = 5,
    sources: Sequence[str] = (),
    scored_on: Callable[[Example], bool] = lambda example: not example.pseudo,
    scored_on_text: str = "the human-written references",
) -> tuple[SalienceModel, dict[str, dict[str, float]]]:
    """Select the best candidate by cross-validation, judged on the examples
    `scored_on` (described by `scored_on_text`), and refit it on everything."""
    candidates = candidate_estimators()
    scores = cross_validate(examples, folds, FEATURES, candidates, scored_on)
    best = simplest_unless_beaten(list(candidates), lambda name: scores[name]["rouge2"], MIN_GAIN)
    estimator, hyperparameters = candidates[best]
    model = fit(clone(estimator), examples, FEATURES)
    model.card = {
        **provenance(),
        "estimator": best,
        "hyperparameters": hyperparameters,
        "label": "max over human points of ROUGE-1 F1 + ROUGE-2 F1 (SudachiPy tokens) "
        "of the sentence as a point (plain_point)",
        "features": list(FEATURES),
        "training_data": list(sources),
        "articles": len(examples),
        "headline_articles": sum(e.pseudo for e in examples),
        "sentences": int(sum(len(e.labels) for e in examples)),
        "cross_validation": {
            "folds": folds,
            "grouped_by": "article",
            "metric": "ROUGE F1 of the points, compressed, "
            "mean over gold sets of the mean over their articles",
            "scored_on": scored_on_text,
            "gold_sets": sorted({e.source for e in examples if scored_on(e)}),
            "scores": scores,
        },
        "seed": SEED,
    }
    return model, scores
