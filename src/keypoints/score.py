"""Stage 4: salience of each sentence from interpretable features.

`sentence_features` turns analysed sentences into a feature table (one dict
per sentence, every value in [0, 1]); a scorer maps the table to salience.
`LinearScorer` combines the features with the documented default weights below.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize

from keypoints.analyze import DENSITY_LABELS, tokenize
from keypoints.idf import IdfTable
from keypoints.types import AnalyzedSentence, ScoredSentence

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
FEATURES = tuple(DEFAULT_WEIGHTS)

_QUESTION_MARK_RE = re.compile(r"[?？]$")
_CAPTION_RE = re.compile(r"[(（](?:写真|出典|提供|画像|図)[/／:：]|写真はイメージ|^(?:写真|図|表)\d*[:：]")
# A sentence ends in a predicate: a verb, adjective or auxiliary, then 。 or a quote.
_PREDICATE_POS = {"動詞", "形容詞", "助動詞", "形状詞"}
_FINAL_PUNCT = {"補助記号"}


@dataclass
class FeatureTable:
    """Features per sentence and the TF-IDF vectors the select stage reuses."""

    rows: list[dict[str, float]]
    vectors: sparse.csr_matrix  # L2-normalised TF-IDF, one row per sentence
    vocabulary: dict[str, int] = field(default_factory=dict)


def tfidf_vectors(
    lemma_lists: Sequence[Sequence[str]], idf: IdfTable
) -> tuple[sparse.csr_matrix, dict[str, int]]:
    """L2-normalised TF-IDF rows, weighted by the background IDF table."""
    vocabulary: dict[str, int] = {}
    rows, cols, values = [], [], []
    for row, lemmas in enumerate(lemma_lists):
        for lemma, count in Counter(lemmas).items():
            col = vocabulary.setdefault(lemma, len(vocabulary))
            rows.append(row)
            cols.append(col)
            values.append(count * idf[lemma])
    matrix = sparse.csr_matrix(
        (values, (rows, cols)), shape=(len(lemma_lists), max(len(vocabulary), 1))
    )
    return normalize(matrix), vocabulary


def _is_fragment(item: AnalyzedSentence) -> bool:
    """Too short, or no predicate at the end: a heading, label or cut-off line."""
    words = [t for t in item.tokens if t.pos[0] not in _FINAL_PUNCT and t.pos[0] != "空白"]
    if len(item.sentence.text) < 12 or not words:
        return True
    tail = words[-1]
    if tail.pos[0] == "助詞" and tail.pos[1] == "終助詞" and len(words) > 1:
        tail = words[-2]
    return tail.pos[0] not in _PREDICATE_POS and not item.sentence.text.endswith("。")


def _is_question(item: AnalyzedSentence) -> bool:
    """Ends in ？, or in the particle か (明らか。 is not a question: か is part of a word)."""
    if _QUESTION_MARK_RE.search(item.sentence.text):
        return True
    words = [t for t in item.tokens if t.pos[0] not in _FINAL_PUNCT and t.pos[0] != "空白"]
    return bool(words) and words[-1].surface == "か" and words[-1].pos[0] == "助詞"


def _quote_share(text: str) -> float:
    """Share of characters inside 「」 quotes."""
    inside, depth = 0, 0
    for char in text:
        if char == "「":
            depth += 1
        elif char == "」":
            depth = max(depth - 1, 0)
        elif depth:
            inside += 1
    return inside / max(len(text), 1)


def _scaled(values: np.ndarray) -> np.ndarray:
    top = values.max() if len(values) else 0.0
    return values / top if top > 0 else values


def sentence_features(
    analyzed: Sequence[AnalyzedSentence], idf: IdfTable, title: str | None = None
) -> FeatureTable:
    """The feature table for one article's sentences."""
    lemmas = [a.content_lemmas for a in analyzed]
    vectors, vocabulary = tfidf_vectors(lemmas, idf)
    n = len(analyzed)
    centroid = normalize(sparse.csr_matrix(vectors.sum(axis=0)))
    centrality = _scaled(np.asarray((vectors @ centroid.T).todense()).ravel())
    title_lemmas = {t.normalized for t in tokenize(title) if t.is_content} if title else set()
    mean_tfidf = _scaled(
        np.array([np.mean([idf[w] for w in ws]) if ws else 0.0 for ws in lemmas])
    )
    density = _scaled(
        np.array(
            [
                len({e.text for e in a.entities if e.label in DENSITY_LABELS})
                / max(len(a.content_lemmas), 4) ** 0.5
                for a in analyzed
            ]
        )
    )
    rows = []
    for i, item in enumerate(analyzed):
        text = item.sentence.text
        shared = title_lemmas & set(lemmas[i])
        rows.append(
            {
                "centrality": float(centrality[i]),
                "position": 1.0 - i / n,
                "title_overlap": len(shared) / len(title_lemmas) if title_lemmas else 0.0,
                "tfidf": float(mean_tfidf[i]),
                "entity_density": float(density[i]),
                "question": float(_is_question(item)),
                "quote": float(_quote_share(text) > 0.5),
                "caption": float(bool(_CAPTION_RE.search(text))),
                "fragment": float(_is_fragment(item)),
            }
        )
    return FeatureTable(rows, vectors, vocabulary)


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
