"""Training the learned compressor: which phrases an editor drops from a sentence.

1. Pairs: each human point is aligned with the body sentence it was written from,
   automatically: the sentence holding most of the point's words (ROUGE-1 recall on
   SudachiPy tokens), when it holds at least half of them and is longer than the
   point (something was left out).
2. Phrases: the sentence is parsed by GiNZA as the compressor parses it (after rule 1),
   and each candidate phrase (`stages.compress.learned.candidates`) is labelled
   dropped when less than half of its content words are in the point.
3. Model: a DictVectorizer and a logistic regression (or gradient boosting), chosen by
   grouped cross-validation over articles on the log-loss of the drop probability;
   `keypoints train-compression` saves it under models/ with its card.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline

from keypoints.errors import KeypointsError
from keypoints.evaluation.gold import GoldRecord
from keypoints.evaluation.metrics import rouge_n, sudachi_tokens
from keypoints.resources import code_digest, provenance
from keypoints.stages.compress.compressor import Compressor
from keypoints.stages.compress.learned import (
    CompressionModel,
    PhraseFeatures,
    candidates,
    phrase_features,
)
from keypoints.stages.compress.parse import Draft, parse_info
from keypoints.stages.ingest import ingest
from keypoints.stages.segment import split_sentences
from keypoints.text.ginza import ginza_nlp
from keypoints.text.sudachi import tokenize
from keypoints.training.selection import simplest_unless_beaten

SEED = 0
# Part of the phrase cache key: bump when the classes pickled in it change. (The source
# the phrases come from is in the key too, `code_digest`.)
PHRASES_VERSION = "2"  # 2: no candidate inside a quote
_PHRASE_CODE = (
    "stages/ingest",
    "stages/segment.py",
    "stages/compress",
    "text",
    "training/compression.py",
)
# A more complex classifier must lower the held-out log-loss by this much to be chosen:
# the logistic one decodes several times faster.
MIN_GAIN = 0.005
# A point is aligned with a sentence that holds at least this share of its words.
MIN_RECALL = 0.5
# A phrase is kept by the editor when at least this share of its content words is in
# the point.
KEPT_SHARE = 0.5


@dataclass(frozen=True)
class Pair:
    """A body sentence and the human point written from it."""

    id: str  # the article's
    sentence: str
    point: str
    source: str = ""


@dataclass
class PhraseData:
    """One row per candidate phrase: features, whether the editor dropped it, its article."""

    rows: list[PhraseFeatures] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)

    def of(self, ids: set[str]) -> PhraseData:
        keep = [n for n, g in enumerate(self.groups) if g in ids]
        return PhraseData(
            [self.rows[n] for n in keep],
            [self.dropped[n] for n in keep],
            [self.groups[n] for n in keep],
        )


def aligned_pairs(records: Sequence[GoldRecord], min_recall: float = MIN_RECALL) -> list[Pair]:
    """Each human point with the sentence it was written from, where one is clear."""
    pairs = []
    for record in records:
        try:
            article = ingest(record.text, title=record.title, format="text", id=record.id)
        except KeypointsError:
            continue
        sentences = [s.text for s in split_sentences(article.body, article.dropped_breaks)]
        tokens = [sudachi_tokens(s) for s in sentences]
        for point in record.references:
            wanted = sudachi_tokens(point)
            if not wanted or not sentences:
                continue
            recalls = [rouge_n(t, wanted, 1).recall for t in tokens]
            best = int(np.argmax(recalls))
            if recalls[best] >= min_recall and len(sentences[best]) > len(point):
                pairs.append(Pair(record.id, sentences[best], point, record.source))
    return pairs


def _content_words(text: str) -> list[str]:
    return [t.normalized for t in tokenize(text) if t.is_content]


def phrase_data(pairs: Sequence[Pair], nlp: Any = None) -> PhraseData:
    """The candidate phrases of every pair's sentence, labelled by its point."""
    nlp = nlp if nlp is not None else ginza_nlp()
    texts = [Compressor.strip_connectives(p.sentence)[0] for p in pairs]
    skip = [name for name in ("ner",) if name in nlp.pipe_names]
    data = PhraseData()
    for pair, doc in zip(pairs, nlp.pipe(texts, batch_size=64, disable=skip), strict=True):
        if not len(doc):
            continue
        parse = parse_info(doc)
        draft = Draft(tuple(t.text_with_ws for t in parse.tokens))
        in_point = Counter(_content_words(pair.point))
        for candidate in candidates(parse, draft):
            text = "".join(parse.tokens[i].text for i in candidate.indices)
            words = _content_words(text)
            kept = (
                sum(1 for w in words if in_point[w]) / len(words)
                if words
                else float(text.strip("、，, ") in pair.point)
            )
            data.rows.append(phrase_features(parse, draft, candidate))
            data.dropped.append(int(kept < KEPT_SHARE))
            data.groups.append(pair.id)
    return data


def cached_phrase_data(records: Sequence[GoldRecord], cache_dir: Path | None) -> PhraseData:
    """`phrase_data` of the records' `aligned_pairs`, memoised on disk (GiNZA parses them)."""
    if cache_dir is None:
        return phrase_data(aligned_pairs(records))
    digest = hashlib.sha256(
        "\n".join(f"{r.id}\t{r.text}\t{r.references}" for r in records).encode()
        + PHRASES_VERSION.encode()
        + code_digest(*_PHRASE_CODE)
    ).hexdigest()[:16]
    path = cache_dir / f"phrases-{digest}.joblib"
    if path.is_file():
        cached: PhraseData = joblib.load(path)
        return cached
    data = phrase_data(aligned_pairs(records))
    cache_dir.mkdir(parents=True, exist_ok=True)
    joblib.dump(data, path, compress=3)
    return data


def candidate_classifiers() -> dict[str, tuple[Any, dict[str, Any]]]:
    """Name -> (unfitted pipeline, hyperparameters to record). Fixed seeds."""
    logistic = {"C": 1.0, "max_iter": 2000}
    boosting = {"max_iter": 200, "learning_rate": 0.05, "max_leaf_nodes": 15,
                "min_samples_leaf": 20, "random_state": SEED}  # fmt: skip
    return {
        "logistic": (make_pipeline(DictVectorizer(), LogisticRegression(**logistic)), logistic),
        "gradient_boosting": (
            make_pipeline(DictVectorizer(sparse=False), HistGradientBoostingClassifier(**boosting)),
            boosting,
        ),
    }


def fit(pipeline: Any, data: PhraseData, prune: float = 1.0) -> CompressionModel:
    fitted = clone(pipeline).fit(data.rows, data.dropped)
    return CompressionModel(fitted, prune)


def cross_validate(
    data: PhraseData,
    folds: int = 5,
    candidates: dict[str, tuple[Any, dict[str, Any]]] | None = None,
) -> dict[str, dict[str, float]]:
    """Grouped by article: the log-loss and ROC AUC of each candidate on held-out phrases."""
    candidates = candidates or candidate_classifiers()
    y = np.array(data.dropped)
    splits = list(GroupKFold(n_splits=folds).split(data.rows, y, groups=data.groups))
    scores = {}
    for name, (pipeline, _) in candidates.items():
        p = np.zeros(len(y))
        for train, test in splits:
            fitted = clone(pipeline).fit([data.rows[i] for i in train], y[train])
            p[test] = fitted.predict_proba([data.rows[i] for i in test])[:, 1]
        scores[name] = {"log_loss": float(log_loss(y, p)), "roc_auc": float(roc_auc_score(y, p))}
    return scores


def train(
    records: Sequence[GoldRecord],
    *,
    folds: int = 5,
    sources: Sequence[str] = (),
    prune: float = 1.0,
    progress: Callable[[str], None] | None = None,
) -> tuple[CompressionModel, dict[str, dict[str, float]]]:
    """Align, label, choose the classifier by cross-validated log-loss, refit on all."""
    pairs = aligned_pairs(records)
    if progress:
        progress(f"{len(pairs)} sentence–point pairs")
    data = phrase_data(pairs)
    if progress:
        progress(f"{len(data.rows)} phrases, {np.mean(data.dropped):.0%} dropped by the editors")
    classifiers = candidate_classifiers()
    scores = cross_validate(data, folds, classifiers)
    best = simplest_unless_beaten(
        list(classifiers), lambda name: -scores[name]["log_loss"], MIN_GAIN
    )
    pipeline, hyperparameters = classifiers[best]
    model = fit(pipeline, data, prune)
    model.card = {
        **provenance(),
        "classifier": best,
        "hyperparameters": hyperparameters,
        "training_data": list(sources),
        "pairs": len(pairs),
        "phrases": len(data.rows),
        "dropped_share": float(np.mean(data.dropped)),
        "label": f"a phrase is dropped when under {KEPT_SHARE:.0%} of its content words "
        "(SudachiPy normalized) are in the point; pairs aligned by ROUGE-1 recall "
        f">= {MIN_RECALL}",
        "prune": prune,
        "cross_validation": {"folds": folds, "grouped_by": "article", "scores": scores},
        "seed": SEED,
    }
    return model, scores
