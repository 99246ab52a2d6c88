"""Stage 5: choose the top N sentences without redundancy (MMR).

Maximal Marginal Relevance (Carbonell & Goldstein, 1998): repeatedly take the
candidate with the best  λ·salience − (1−λ)·max similarity to those already
taken. Chosen sentences are returned in document order, as a ポイント box
reads top to bottom like the article.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from keypoints.types import ScoredSentence

DEFAULT_LAMBDA = 0.7
# Two sentences this similar (TF-IDF cosine) say the same thing: never take both.
REDUNDANT_SIMILARITY = 0.75


def mmr_select(
    candidates: Sequence[ScoredSentence],
    vectors: sparse.csr_matrix,
    n: int,
    *,
    lambda_: float = DEFAULT_LAMBDA,
) -> list[ScoredSentence]:
    """Up to `n` candidates, in document order.

    `vectors` holds one L2-normalised row per sentence id of the article, so
    `candidates` may be any subset of its sentences.
    """
    if n <= 0 or not candidates:
        return []
    scores = np.array([c.score for c in candidates])
    spread = scores.max() - scores.min()
    relevance = (scores - scores.min()) / spread if spread > 0 else np.ones_like(scores)
    rows = vectors[[c.analyzed.sentence.id for c in candidates]]
    similarity = np.asarray((rows @ rows.T).todense())

    chosen: list[int] = []
    remaining = list(range(len(candidates)))
    while remaining and len(chosen) < n:
        def marginal(i: int) -> float:
            overlap = max((similarity[i, j] for j in chosen), default=0.0)
            return lambda_ * relevance[i] - (1 - lambda_) * overlap

        best = max(remaining, key=marginal)
        remaining.remove(best)
        if any(similarity[best, j] >= REDUNDANT_SIMILARITY for j in chosen):
            continue
        chosen.append(best)
    return sorted((candidates[i] for i in chosen), key=lambda c: c.analyzed.sentence.id)
