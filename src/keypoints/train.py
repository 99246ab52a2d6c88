"""`keypoints train`: fit the salience model on human-written points.

1. Examples: every gold article goes through the pipeline up to the score stage
   (the same cascade as at run time), giving one feature row per sentence.
   Optionally, news articles with their headline as a one-point pseudo-reference
   (`--headlines`): the human-written sets are speeches, and without news the
   model cannot learn that a news article's key facts come first.
2. Labels: how well a sentence could stand for one human point, the best
   ROUGE-1 F1 + ROUGE-2 F1 against any single point (SudachiPy tokens), of
   the sentence as a point reads (plain form, no connective: `plain_point`),
   not as it was spoken. Soft labels keep every sentence informative.
3. Model selection: each candidate estimator is scored by grouped K-fold
   cross-validation over articles (no article in both train and test), on what
   matters downstream: ROUGE-2 F1 of the points the pipeline then chooses
   (without GiNZA compression, for speed), averaged over each gold set's
   articles and then over the sets. The simplest candidate wins unless
   another beats it by more than MIN_GAIN.
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
from keypoints.compress import plain_point
from keypoints.errors import KeypointsError
from keypoints.evaluation.gold import GoldRecord
from keypoints.evaluation.metrics import rouge_n, rouge_scores, sudachi_tokens
from keypoints.ingest import ingest
from keypoints.pipeline import ScoredArticle, Settings, Summarizer, default_idf
from keypoints.salience import SalienceModel
from keypoints.score import FEATURES, LinearScorer, sentence_features

SEED = 0
# Part of the feature cache key: bump when segment/analyze/the GiNZA cascade
# change what a cached analysis would hold. (Features and labels are always
# recomputed from it.)
ANALYSIS_VERSION = "3"  # 2: parse_top 0 (no GiNZA entity pass) by default; 3: Token a NamedTuple
# The estimator the cross-validated evaluation uses when none is named.
DEFAULT_ESTIMATOR = "ridge"


@dataclass
class Example:
    """One gold article, scored up to the select stage, with sentence labels."""

    id: str
    scored: ScoredArticle
    references: list[str]
    labels: np.ndarray
    # True when the reference is a headline, not human-written points.
    pseudo: bool = False
    # The gold set it comes from (GoldRecord.source).
    source: str = ""

    @property
    def rows(self) -> list[dict[str, float]]:
        return self.scored.table.rows


def sentence_labels(sentences: Sequence[str], references: Sequence[str]) -> np.ndarray:
    """How well each sentence could stand for one human point, in [0, 2].

    The best, over the human points, of ROUGE-1 F1 + ROUGE-2 F1 (SudachiPy
    tokens). F1 rather than recall, so a long sentence that merely contains a
    point's words does not outrank one that says the point. Each sentence is
    scored as its point will read (`plain_point`: 実施いたしまして → 実施して,
    進めてまいります → 進めていく), so politeness the compress stage removes
    anyway does not count against it.
    """
    reference_tokens = [sudachi_tokens(r) for r in references]
    labels = []
    for sentence in sentences:
        tokens = sudachi_tokens(plain_point(sentence))
        labels.append(
            max(
                (
                    rouge_n(tokens, ref, 1).fmeasure + rouge_n(tokens, ref, 2).fmeasure
                    for ref in reference_tokens
                ),
                default=0.0,
            )
        )
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
            examples.append(
                Example(record.id, scored, list(record.references), labels, source=record.source)
            )
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
        + ANALYSIS_VERSION.encode()
    ).hexdigest()[:16]
    path = cache_dir / f"examples-{digest}.joblib"
    if path.is_file():
        # The analysis (GiNZA) is the slow part; features, labels and sources
        # are recomputed, so a cache stays valid when they change.
        sources = {r.id: r.source for r in records}
        return [
            dataclasses.replace(refresh_features(e), source=sources.get(e.id, ""))
            for e in joblib.load(path)
        ]
    examples = make_examples(records, Summarizer(scorer=LinearScorer()), **kwargs)
    cache_dir.mkdir(parents=True, exist_ok=True)
    joblib.dump(examples, path, compress=3)
    return examples


def refresh_features(example: Example) -> Example:
    """`example` with features and labels recomputed by the current code."""
    article = example.scored.article
    analyzed = [s.analyzed for s in example.scored.sentences]
    table = sentence_features(analyzed, default_idf(), article.title)
    scored = ScoredArticle(article, table, LinearScorer().score(analyzed, table))
    labels = sentence_labels([a.sentence.text for a in analyzed], example.references)
    return dataclasses.replace(example, scored=scored, labels=labels)


def headline_examples(
    records: Sequence[GoldRecord], cache_dir: Path | None, **kwargs: Any
) -> list[Example]:
    """Examples of `headline_records`, marked as pseudo-references."""
    return [
        dataclasses.replace(e, pseudo=True) for e in cached_examples(records, cache_dir, **kwargs)
    ]


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


# Model selection scores the chosen sentences without GiNZA compression: the
# ranking of candidates is what differs between models, and it is 20 times faster.
SELECTION_SETTINGS = Settings(compression=False)
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
    scorer: Any, example: Example, settings: Settings | None = None, n: int | None = None
) -> list[str]:
    """The point texts the pipeline would write for `example` with `scorer`.

    `n` defaults to the number of human points (at most 10), as in `keypoints eval`.
    """
    wanted = n if n is not None else min(max(len(example.references), 1), 10)
    settings = dataclasses.replace(settings or Settings(), n_points=wanted)
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
    scored_on: Callable[[Example], bool] = lambda example: not example.pseudo,
) -> dict[str, dict[str, float]]:
    """Downstream ROUGE of every candidate on held-out articles, macro-averaged over sets.

    Models train on every example; scores count only those `scored_on` (by
    default the human-written references, not headline pseudo-references).
    Each gold set (`Example.source`) counts equally: the mean over its held-out
    articles, then the mean over sets, so a model that only suits the largest
    set does not win.
    """
    from sklearn.base import clone

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


def headline_records(path: Path, articles: int, seed: int = SEED) -> list[GoldRecord]:
    """News articles whose headline is their one-point pseudo-reference.

    The headline is hidden from the features (title=None), or the title
    features would simply learn to find it. Sampled with a fixed seed.
    """
    import json
    import random

    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    random.Random(seed).shuffle(rows)
    return [
        GoldRecord(str(r["id"]), None, r["text"], [r["title"]])
        for r in rows[:articles]
        if r.get("title") and r.get("text")
    ]


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
    names = list(candidates)
    best = names[0]
    for name in names[1:]:
        if scores[name]["rouge2"] > scores[best]["rouge2"] + MIN_GAIN:
            best = name
    estimator, hyperparameters = candidates[best]
    model = fit(clone(estimator), examples, FEATURES)
    model.card = {
        "keypoints_version": __version__,
        "trained_on": date.today().isoformat(),
        "python": platform.python_version(),
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
            "metric": "ROUGE F1 of the chosen points, compression off, "
            "mean over gold sets of the mean over their articles",
            "gold_sets": sorted({e.source for e in examples if not e.pseudo}),
            "scores": scores,
        },
        "seed": SEED,
    }
    return model, scores


class CrossValidatedKeypoints:
    """The keypoints system for honest evaluation on the training data.

    Each training article is summarized by the model of the fold that did not
    see it; any other article by `fallback` (the shipped model). Analysis is
    reused from the examples, so only choosing and compression run again.
    """

    name = "keypoints"

    def __init__(
        self,
        examples: Sequence[Example],
        folds: int = 5,
        features: Sequence[str] = FEATURES,
        settings: Settings | None = None,
        estimator: Any = None,
    ) -> None:
        from sklearn.base import clone

        self.settings = settings or Settings()
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
        self._fallback: Summarizer | None = None

    def summarize(self, record: GoldRecord, n: int) -> list[str]:
        settings = dataclasses.replace(self.settings, n_points=n)
        example = self.examples.get(record.id)
        if example is not None:
            return choose_points(self.models[record.id], example, settings, n=n)
        if self._fallback is None:
            self._fallback = Summarizer(self.settings)
        self._fallback.settings = settings
        try:
            article = ingest(record.text, title=record.title, format="text", id=record.id)
        except KeypointsError:
            return []
        return [p.text for p in self._fallback.summarize(article).points]
