"""Run systems over gold records and score every article, then summarise per system."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from keypoints.errors import KeypointsError
from keypoints.evaluation.bootstrap import Interval, confidence_interval, paired_test
from keypoints.evaluation.gold import GoldRecord, Problem
from keypoints.evaluation.metrics import align_points, entity_recall, point_lengths, rouge_scores
from keypoints.evaluation.systems.base import System, body_sentences

# ROUGE variants reported, in table order: Sudachi tokens, then characters.
ROUGE_KEYS = ("rouge1", "rouge2", "rougeL", "rouge1_char", "rouge2_char", "rougeL_char")
# Metrics with a confidence interval and a paired test against the reference system.
HEADLINE_METRICS = (
    *(f"{key}_f" for key in ROUGE_KEYS),
    "align_mean",
    "align_matched_share",
    "entity_recall",
    "all_points",
)
ALIGN_THRESHOLD = 0.3


@dataclass
class ArticleScores:
    """One system's points for one article and their scores."""

    id: str
    system: str
    points: list[str]
    metrics: dict[str, float]


@dataclass
class SystemSummary:
    system: str
    metrics: dict[str, Interval]
    # Two-sided paired bootstrap p-value against the reference system, per metric.
    p_values: dict[str, float] = field(default_factory=dict)
    mean_chars_per_point: float = 0.0
    mean_points: float = 0.0
    seconds: float = 0.0


@dataclass
class DatasetResult:
    dataset: str
    n_articles: int
    reference_system: str
    systems: list[SystemSummary]
    articles: list[ArticleScores]
    references: dict[str, list[str]]
    problems: list[Problem]


def score_article(
    points: Sequence[str], references: Sequence[str], owed: int | None = None
) -> dict[str, float]:
    """Every metric of one prediction against its human points (NaN when undefined).

    `owed`: how many points the article could be given (`points_owed`); `all_points`
    is 1 when the prediction has them all (NaN when unknown).
    """
    metrics: dict[str, float] = {}
    for key, prf in rouge_scores(list(points), list(references)).items():
        metrics[f"{key}_f"] = prf.fmeasure
        metrics[f"{key}_p"] = prf.precision
        metrics[f"{key}_r"] = prf.recall
    alignment = align_points(list(points), list(references), threshold=ALIGN_THRESHOLD)
    metrics["align_mean"] = alignment.mean_matched
    metrics["align_matched"] = float(alignment.matched)
    metrics["align_matched_share"] = alignment.matched / max(alignment.n_reference, 1)
    recall = entity_recall(list(points), list(references))
    metrics["entity_recall"] = math.nan if recall is None else recall
    lengths = point_lengths(list(points))
    metrics["chars_per_point"] = float(np.mean(lengths)) if lengths else 0.0
    metrics["points"] = float(len(points))
    metrics["all_points"] = math.nan if owed is None else float(len(points) >= owed)
    return metrics


def points_wanted(record: GoldRecord, n: int | None) -> int:
    """`n`, or as many points as the human wrote (between 1 and 10)."""
    return n if n is not None else min(max(len(record.references), 1), 10)


def points_owed(record: GoldRecord, n: int | None) -> int:
    """The points an article can be asked for: `points_wanted`, or as many as it has body
    sentences of Japanese prose, when it has fewer (none when it cannot be read)."""
    try:
        available = len(body_sentences(record))
    except KeypointsError:
        available = 0
    return min(points_wanted(record, n), available)


def evaluate_dataset(
    name: str,
    records: Sequence[GoldRecord],
    systems: Sequence[System],
    *,
    n: int | None = None,
    predictions: dict[str, dict[str, list[str]]] | None = None,
    problems: Sequence[Problem] = (),
    seed: int = 0,
    n_resamples: int = 1000,
    progress: Callable[[str, int], None] | None = None,
) -> DatasetResult:
    """Score each system (run in-process) and each prediction set on `records`.

    `predictions` maps a system name to {id: points}, for output of
    `keypoints batch`; those ids must already be paired with the gold records.
    """
    outputs: dict[str, dict[str, list[str]]] = dict(predictions or {})
    seconds: dict[str, float] = {}
    rejected: dict[str, tuple[str, list[str]]] = {}  # id → (reason, systems that rejected it)
    for system in systems:
        start = time.perf_counter()
        outputs[system.name] = {}
        for record in records:
            try:
                points = system.summarize(record, points_wanted(record, n))
            except KeypointsError as exc:
                points = []  # scored as no points, as a reader would get none
                rejected.setdefault(record.id, (f"{type(exc).__name__}: {exc}", []))[1].append(
                    system.name
                )
            outputs[system.name][record.id] = points
            if progress:
                progress(system.name, 1)
        seconds[system.name] = time.perf_counter() - start
    problems = [
        *problems,
        *(
            Problem(name, 0, rid, f"scored as no points: {', '.join(by)} rejected it ({reason})")
            for rid, (reason, by) in rejected.items()
        ),
    ]

    owed = {record.id: points_owed(record, n) for record in records}
    articles = [
        ArticleScores(
            record.id, name_, points, score_article(points, record.references, owed[record.id])
        )
        for name_, by_id in outputs.items()
        for record in records
        for points in [by_id.get(record.id, [])]
    ]
    names = list(outputs)
    reference = "keypoints" if "keypoints" in names else names[0]
    summaries = [
        _summarise(system, articles, reference, seed, n_resamples, seconds.get(system, 0.0))
        for system in names
    ]
    return DatasetResult(
        dataset=name,
        n_articles=len(records),
        reference_system=reference,
        systems=summaries,
        articles=articles,
        references={r.id: list(r.references) for r in records},
        problems=list(problems),
    )


def _column(articles: Sequence[ArticleScores], system: str, metric: str) -> np.ndarray:
    return np.array([a.metrics[metric] for a in articles if a.system == system], dtype=float)


def _summarise(
    system: str,
    articles: Sequence[ArticleScores],
    reference: str,
    seed: int,
    n_resamples: int,
    seconds: float,
) -> SystemSummary:
    summary = SystemSummary(system=system, metrics={}, seconds=seconds)
    for metric in HEADLINE_METRICS:
        values = _column(articles, system, metric)
        ours = _column(articles, reference, metric)
        defined = ~np.isnan(values) & ~np.isnan(ours)  # entity recall is undefined for some
        summary.metrics[metric] = confidence_interval(
            values[defined], n_resamples=n_resamples, seed=seed
        )
        if system != reference:
            summary.p_values[metric] = paired_test(
                values[defined], ours[defined], n_resamples=n_resamples, seed=seed
            )
    summary.mean_chars_per_point = float(np.mean(_column(articles, system, "chars_per_point")))
    summary.mean_points = float(np.mean(_column(articles, system, "points")))
    return summary
