"""Training examples: gold articles run through the pipeline up to the features, with a
label per sentence.

1. Every gold article goes through the pipeline up to the features stage
   (`Summarizer.run(until="features")`, the same cascade as at run time), giving
   one feature row per sentence. Optionally, news articles with their headline as
   a one-point pseudo-reference (`headline_records`): without news the model
   cannot learn that a news article's key facts come first.
2. Labels: how well a sentence could stand for one human point, the best
   ROUGE-1 F1 + ROUGE-2 F1 against any single point (SudachiPy tokens), of the
   sentence as a point reads (plain form, no connective: `plain_point`), not as it
   was spoken. Soft labels keep every sentence informative.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np

from keypoints.errors import KeypointsError
from keypoints.evaluation.gold import GoldRecord
from keypoints.evaluation.metrics import rouge_n, sudachi_tokens
from keypoints.io.jsonl import object_problem, read_jsonl
from keypoints.pipeline import Summarizer
from keypoints.resources import code_digest
from keypoints.stages.base import ArticleInput, ArticleState
from keypoints.stages.compress import plain_point
from keypoints.stages.ingest import Ingest
from keypoints.stages.salience import LinearScorer

SEED = 0
# Part of the feature cache key: bump when the classes pickled in a cached analysis
# change. (The source of the stages it comes from is in the key too, `code_digest`;
# features and labels are always recomputed from it.)
ANALYSIS_VERSION = "4"  # 2: parse_top 0 by default; 3: Token a NamedTuple; 4: ArticleState
# The code a cached analysis comes from: ingest, segment, analyze and the text helpers.
_ANALYSIS_CODE = ("stages/ingest", "stages/segment.py", "stages/analyze.py", "text")


@dataclass
class Example:
    """One gold article, run up to the features stage, with sentence labels."""

    id: str
    state: ArticleState  # done == "features"
    references: list[str]
    labels: np.ndarray
    # True when the reference is a headline, not human-written points.
    pseudo: bool = False
    # The gold set it comes from (GoldRecord.source).
    source: str = ""

    @property
    def rows(self) -> list[dict[str, float]]:
        assert self.state.table is not None
        return self.state.table.rows

    @property
    def sentences(self) -> list[str]:
        return [a.sentence.text for a in self.state.analyzed]


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
    return np.array([point_overlap(plain_point(s), reference_tokens) for s in sentences])


def point_overlap(point: str, reference_tokens: Sequence[Sequence[str]]) -> float:
    """The best, over the references (as SudachiPy tokens), of ROUGE-1 F1 + ROUGE-2 F1
    of `point`: how well it stands for one human point, in [0, 2]."""
    tokens = sudachi_tokens(point)
    return max(
        (
            rouge_n(tokens, ref, 1).fmeasure + rouge_n(tokens, ref, 2).fmeasure
            for ref in reference_tokens
        ),
        default=0.0,
    )


def feature_summarizer(skip_rules: Collection[str] = ()) -> Summarizer:
    """The pipeline the examples are made with: the default weights stand in for the
    model being trained (the features stage's cascade ranks with them). `skip_rules`:
    boilerplate rules ingest does not apply (an ablation)."""
    return Summarizer(scorer=LinearScorer()).with_stage(Ingest(skip_rules))


def make_examples(
    records: Sequence[GoldRecord],
    summarizer: Summarizer,
    progress: Callable[[int], None] | None = None,
) -> list[Example]:
    """Examples of every record that ingests; the others (bad input) are skipped."""
    inputs = [ArticleInput(r.text, r.title, "text", r.id) for r in records]
    examples = []
    for record, state in zip(records, summarizer.run(inputs, until="features"), strict=True):
        if isinstance(state.error, KeypointsError):
            pass  # not an article: nothing to learn from
        elif state.error is not None:
            raise state.error
        elif state.analyzed:
            labels = sentence_labels([a.sentence.text for a in state.analyzed], record.references)
            examples.append(
                Example(record.id, state, list(record.references), labels, source=record.source)
            )
        if progress:
            progress(1)
    return examples


def cached_examples(
    records: Sequence[GoldRecord],
    cache_dir: Path | None,
    skip_rules: Collection[str] = (),
    **kwargs: Any,
) -> list[Example]:
    """`make_examples`, memoised on disk by the records' content and the code version."""
    if cache_dir is None:
        return make_examples(records, feature_summarizer(skip_rules), **kwargs)
    digest = hashlib.sha256(
        "\n".join(f"{r.id}\t{r.text}\t{r.references}" for r in records).encode()
        + ANALYSIS_VERSION.encode()
        + code_digest(*_ANALYSIS_CODE)
        + ",".join(sorted(skip_rules)).encode()
    ).hexdigest()[:16]
    path = cache_dir / f"examples-{digest}.joblib"
    if path.is_file():
        # The analysis (GiNZA) is the slow part; features, labels and sources
        # are recomputed, so a cache stays valid when they change.
        sources = {r.id: r.source for r in records}
        return [
            dataclasses.replace(e, source=sources.get(e.id, ""))
            for e in refresh_features(joblib.load(path))
        ]
    examples = make_examples(records, feature_summarizer(skip_rules), **kwargs)
    cache_dir.mkdir(parents=True, exist_ok=True)
    joblib.dump(examples, path, compress=3)
    return examples


def refresh_features(examples: Sequence[Example]) -> list[Example]:
    """`examples` with features and labels recomputed by the current code: the
    features stage runs again on their analysis."""
    states = feature_summarizer().run(
        [e.state.rewound("analyze") for e in examples], until="features"
    )
    for state in states:
        if state.error is not None:
            raise state.error
    return [
        dataclasses.replace(e, state=state, labels=sentence_labels(e.sentences, e.references))
        for e, state in zip(examples, states, strict=True)
    ]


def headline_examples(
    records: Sequence[GoldRecord], cache_dir: Path | None, **kwargs: Any
) -> list[Example]:
    """Examples of `headline_records`, marked as pseudo-references."""
    return [
        dataclasses.replace(e, pseudo=True) for e in cached_examples(records, cache_dir, **kwargs)
    ]


def headline_records(
    path: Path, articles: int, seed: int = SEED, exclude: Collection[str] = ()
) -> list[GoldRecord]:
    """News articles whose headline is their one-point pseudo-reference.

    The headline is hidden from the features (title=None), or the title
    features would simply learn to find it. Sampled with a fixed seed; lines that
    are not JSON objects are left out, and so are the ids in `exclude` (the gold
    articles: one id, one example).
    """
    rows = [line.value for line in read_jsonl(path) if object_problem(line) is None]
    random.Random(seed).shuffle(rows)
    rows = [r for r in rows if str(r.get("id")) not in exclude]
    return [
        GoldRecord(str(r["id"]), None, r["text"], [r["title"]])
        for r in rows[:articles]
        if r.get("title") and r.get("text")
    ]
