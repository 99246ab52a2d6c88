"""`keypoints train`: fit the salience model on human-written points.

1. Examples: every gold article goes through the pipeline up to the score stage
   (the same cascade as at run time), giving one feature row per sentence.
2. Labels: how much of the human points a sentence covers, as the best ROUGE-2
   recall against any single human point plus ROUGE-1 recall against all of them
   (SudachiPy tokens). Soft labels keep every sentence informative.
3. Model selection: each candidate estimator is scored by grouped K-fold
   cross-validation over articles (no article in both train and test), on what
   matters downstream: ROUGE-2 F1 of the points the pipeline then chooses.
4. The best candidate is refitted on all articles and saved with its card.
"""

from __future__ import annotations

import dataclasses
import hashlib
import platform
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from keypoints import __version__
from keypoints.errors import KeypointsError
from keypoints.evaluation.gold import GoldRecord
from keypoints.evaluation.metrics import rouge_n, rouge_scores, sudachi_tokens
from keypoints.ingest import ingest
from keypoints.pipeline import ScoredArticle, Settings, Summarizer, default_idf
from keypoints.salience import SalienceModel
from keypoints.score import FEATURES, LinearScorer, sentence_features

SEED = 0


@dataclass
class Example:
    """One gold article, scored up to the select stage, with sentence labels."""

    id: str
    scored: ScoredArticle
    references: list[str]
    labels: np.ndarray

    @property
    def rows(self) -> list[dict[str, float]]:
        return self.scored.table.rows


def sentence_labels(sentences: Sequence[str], references: Sequence[str]) -> np.ndarray:
    """Coverage of the human points by each sentence, in [0, 2]."""
    reference_tokens = [sudachi_tokens(r) for r in references]
    everything = [t for tokens in reference_tokens for t in tokens]
    labels = []
    for sentence in sentences:
        tokens = sudachi_tokens(sentence)
        best_point = max((rouge_n(tokens, ref, 2).recall for ref in reference_tokens), default=0.0)
        labels.append(best_point + rouge_n(tokens, everything, 1).recall)
    return np.array(labels)


def make_examples(
    records: Sequence[GoldRecord],
    summarizer: Summarizer,
    progress: Callable[[int], None] | None = None,
) -> list[Example]:
    """Examples of every record that ingests; the others are skipped."""
    examples = []
    for record in records:
        try:
            article = ingest(record.text, title=record.title, format="text", id=record.id)
        except KeypointsError:
            continue
        scored = summarizer.score_article(article)
        if scored.sentences:
            texts = [s.analyzed.sentence.text for s in scored.sentences]
            labels = sentence_labels(texts, record.references)
            examples.append(Example(record.id, scored, list(record.references), labels))
        if progress:
            progress(1)
    return examples


def cached_examples(
    records: Sequence[GoldRecord], cache_dir: Path | None, **kwargs: Any
) -> list[Example]:
    """`make_examples`, memoised on disk by the records' content and the code version."""
    if cache_dir is None:
        return make_examples(records, Summarizer(scorer=LinearScorer()), **kwargs)
    digest = hashlib.sha256(
        "\n".join(f"{r.id}\t{r.text}\t{r.references}" for r in records).encode()
        + __version__.encode()
    ).hexdigest()[:16]
    path = cache_dir / f"examples-{digest}.joblib"
    if path.is_file():
        # The analysis (GiNZA) is the slow part; features are recomputed, so a
        # cache stays valid when features change.
        return [refresh_features(e) for e in joblib.load(path)]
    examples = make_examples(records, Summarizer(scorer=LinearScorer()), **kwargs)
    cache_dir.mkdir(parents=True, exist_ok=True)
    joblib.dump(examples, path, compress=3)
    return examples


def refresh_features(example: Example) -> Example:
    """`example` with its feature table recomputed by the current score stage."""
    article = example.scored.article
    analyzed = [s.analyzed for s in example.scored.sentences]
    table = sentence_features(analyzed, default_idf(), article.title)
    scored = ScoredArticle(article, table, LinearScorer().score(analyzed, table))
    return dataclasses.replace(example, scored=scored)


def candidate_estimators() -> dict[str, tuple[Any, dict[str, Any]]]:
    """Name -> (unfitted estimator, hyperparameters to record). Fixed seeds."""
    ridge = {"alpha": 3.0}
    boosting = {
        "max_iter": 300,
        "learning_rate": 0.05,
        "max_leaf_nodes": 15,
        "min_samples_leaf": 40,
        "l2_regularization": 1.0,
        "random_state": SEED,
    }
    return {
        "ridge": (make_pipeline(StandardScaler(), Ridge(**ridge)), ridge),
        "gradient_boosting": (HistGradientBoostingRegressor(**boosting), boosting),
    }


def fit(estimator: Any, examples: Sequence[Example], features: Sequence[str]) -> SalienceModel:
    model = SalienceModel(estimator, tuple(features))
    x = model.matrix([row for e in examples for row in e.rows])
    y = np.concatenate([e.labels for e in examples])
    estimator.fit(x, y)
    model.feature_means = tuple(float(v) for v in x.mean(axis=0))
    return model


def downstream_scores(model: Any, examples: Sequence[Example]) -> dict[str, float]:
    """Mean ROUGE F1 of the points the pipeline chooses with `model` on `examples`."""
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    for example in examples:
        points = choose_points(model, example)
        scores = rouge_scores(points, example.references)
        for key in totals:
            totals[key] += scores[key].fmeasure
    return {key: value / max(len(examples), 1) for key, value in totals.items()}


def choose_points(
    scorer: Any, example: Example, settings: Settings | None = None
) -> list[str]:
    """The point texts the pipeline would write for `example` with `scorer`."""
    settings = dataclasses.replace(
        settings or Settings(), n_points=min(max(len(example.references), 1), 10)
    )
    summarizer = Summarizer(settings=settings, scorer=scorer)
    analyzed = [s.analyzed for s in example.scored.sentences]
    rescored = ScoredArticle(
        example.scored.article,
        example.scored.table,
        scorer.score(analyzed, example.scored.table),
    )
    return [p.text for p in summarizer.points_of(rescored).points]


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
) -> dict[str, dict[str, float]]:
    """Downstream ROUGE of every candidate, averaged over held-out articles."""
    from sklearn.base import clone

    candidates = candidates or candidate_estimators()
    assignment = fold_ids(examples, folds)
    results: dict[str, dict[str, float]] = {}
    for name, (estimator, _) in candidates.items():
        totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
        for fold in range(folds):
            train = [e for e, f in zip(examples, assignment, strict=True) if f != fold]
            test = [e for e, f in zip(examples, assignment, strict=True) if f == fold]
            model = fit(clone(estimator), train, features)
            scores = downstream_scores(model, test)
            for key in totals:
                totals[key] += scores[key] * len(test)
        results[name] = {key: value / len(examples) for key, value in totals.items()}
    baseline = downstream_scores(LinearScorer(), examples)
    results["default_weights"] = baseline
    return results


def train(
    examples: Sequence[Example],
    *,
    folds: int = 5,
    sources: Sequence[str] = (),
) -> tuple[SalienceModel, dict[str, dict[str, float]]]:
    """Select the best candidate by cross-validation and refit it on everything."""
    from sklearn.base import clone

    candidates = candidate_estimators()
    scores = cross_validate(examples, folds, FEATURES, candidates)
    best = max(candidates, key=lambda name: scores[name]["rouge2"])
    estimator, hyperparameters = candidates[best]
    model = fit(clone(estimator), examples, FEATURES)
    model.card = {
        "keypoints_version": __version__,
        "trained_on": date.today().isoformat(),
        "python": platform.python_version(),
        "estimator": best,
        "hyperparameters": hyperparameters,
        "label": "max over human points of ROUGE-2 recall + ROUGE-1 recall against all points",
        "features": list(FEATURES),
        "training_data": list(sources),
        "articles": len(examples),
        "sentences": int(sum(len(e.labels) for e in examples)),
        "cross_validation": {"folds": folds, "grouped_by": "article", "scores": scores},
        "seed": SEED,
    }
    return model, scores
