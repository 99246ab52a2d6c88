"""MMR, the choose stage's picker: the top N sentences without redundancy.

Maximal Marginal Relevance (Carbonell & Goldstein, 1998): repeatedly take the
candidate with the best  λ·salience − (1−λ)·max similarity to those already
taken + coverage·(share of the candidates' organisations, dates and terms it
adds). The coverage term makes the points carry the names a reader looks for:
of two sentences about as salient, the one with a date or an organisation no point
has yet wins (株式会社A, 3月1日, EV: each counts once, however often it recurs).
Chosen sentences are returned in document order, as a ポイント box
reads top to bottom like the article. (Not `select.py`: that name would shadow the
standard library's `select` wherever this folder is on `sys.path`.)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from keypoints.structures import ScoredSentence
from keypoints.text.entities import key_entities

# The news defaults (Settings.mmr_lambda, Settings.entity_coverage). News dev set,
# cross-validated (benchmarks/quality.py): at λ 0.7, coverage 0 / 0.4 / 0.6 gave entity
# recall 67.0 / 68.8 / 69.3 and ROUGE-2 29.88 / 29.84 / 29.74; with coverage 0.4, λ 0.8 /
# 0.9 / 1.0 gave ROUGE-2 29.86 / 30.14 / 30.15 (the hard redundancy cut below does
# most of the work of the similarity penalty).
DEFAULT_LAMBDA = 0.9
DEFAULT_COVERAGE = 0.4
# Two sentences this similar (TF-IDF cosine) say the same thing: never take both.
REDUNDANT_SIMILARITY = 0.75
# Two sentences of one section count as this similar at least (MMR penalty only;
# below REDUNDANT_SIMILARITY, so a second point from a section stays possible).
SAME_SECTION_OVERLAP = 0.5


def mmr_select(
    candidates: Sequence[ScoredSentence],
    vectors: sparse.csr_matrix,
    n: int,
    *,
    lambda_: float = DEFAULT_LAMBDA,
    coverage: float = DEFAULT_COVERAGE,
    already_chosen: Sequence[ScoredSentence] = (),
    sections: Sequence[int] = (),
    section_overlap: float = SAME_SECTION_OVERLAP,
) -> list[ScoredSentence]:
    """Up to `n` candidates, in document order.

    `vectors` holds one L2-normalised row per sentence id of the article, so
    `candidates` may be any subset of its sentences. `already_chosen` are
    points taken earlier: new ones must not repeat them either, and the
    entities they carry count as covered. `sections`
    (one number per sentence id) counts two sentences of one section as at least
    `section_overlap` similar, so points spread over the article's topics.
    `coverage` 0 is plain MMR.
    """
    if n <= 0 or not candidates:
        return []
    scores = np.array([c.score for c in candidates])
    spread = scores.max() - scores.min()
    relevance = (scores - scores.min()) / spread if spread > 0 else np.ones_like(scores)
    ids = [c.analyzed.sentence.id for c in candidates]
    earlier = [c.analyzed.sentence.id for c in already_chosen]
    dense = dense_rows(vectors, ids + earlier)
    rows = dense[: len(ids)]
    similarity = rows @ rows.T
    # Each candidate's highest similarity to anything chosen so far.
    overlap = np.zeros(len(candidates))
    if earlier:
        overlap = (rows @ dense[len(ids) :].T).max(axis=1)
    if sections:
        section = np.array([sections[i] for i in ids])
        similarity = np.maximum(
            similarity, section_overlap * (section[:, None] == section[None, :])
        )
        for j in earlier:
            overlap = np.maximum(overlap, section_overlap * (section == sections[j]))

    # The entity sets only when they count (speech-like articles run at coverage 0).
    entities = [key_entities(c.analyzed.entities) if coverage else frozenset() for c in candidates]
    covered: set[str] = set()
    if coverage:
        covered = covered.union(*(key_entities(c.analyzed.entities) for c in already_chosen))
    distinct = max(len(covered.union(*entities)), 1)

    chosen: list[int] = []
    remaining = list(range(len(candidates)))
    while remaining and len(chosen) < n:
        marginal = lambda_ * relevance[remaining] - (1 - lambda_) * overlap[remaining]
        if coverage:
            added = np.array([len(entities[i] - covered) for i in remaining])
            marginal = marginal + coverage * added / distinct
        best = remaining.pop(int(np.argmax(marginal)))
        if overlap[best] >= REDUNDANT_SIMILARITY:
            continue
        chosen.append(best)
        covered |= entities[best]
        overlap = np.maximum(overlap, similarity[best])
    return sorted((candidates[i] for i in chosen), key=lambda c: c.analyzed.sentence.id)


def distinct_pool(
    ranked: Sequence[ScoredSentence], vectors: sparse.csr_matrix, size: int
) -> list[ScoredSentence]:
    """The first `size` of `ranked` (best first) with near-duplicates skipped.

    Long or repetitive articles can hold the same sentence many times; without
    this, the best `size` candidates could all say one thing. Similarities are
    computed a block of candidates at a time (one sparse product, not one per
    candidate): the pool is usually filled from the first block.
    """
    pool: list[int] = []  # positions in `ranked`
    block = max(2 * size, 16)
    for start in range(0, len(ranked), block):
        if len(pool) >= size:
            break
        positions = pool + list(range(start, min(start + block, len(ranked))))
        rows = dense_rows(vectors, [ranked[i].analyzed.sentence.id for i in positions])
        similarity = rows @ rows.T
        kept = list(range(len(pool)))  # rows of the pool so far
        for row in range(len(pool), len(positions)):
            if len(kept) >= size:
                break
            if kept and similarity[row, kept].max() >= REDUNDANT_SIMILARITY:
                continue
            kept.append(row)
        pool = [positions[row] for row in kept]
    return [ranked[i] for i in pool]


def repeats(vectors: sparse.csr_matrix, sid: int, others: Sequence[int]) -> bool:
    """Whether sentence `sid` says what one of `others` says (MMR's redundancy test)."""
    if not others:
        return False
    rows = dense_rows(vectors, [sid, *others])
    return bool((rows[1:] @ rows[0]).max() >= REDUNDANT_SIMILARITY)


def dense_rows(vectors: sparse.csr_matrix, ids: Sequence[int]) -> np.ndarray:
    """The rows `ids` of `vectors` as a dense array on the columns they use. A few
    dozen sentence rows multiply faster dense than through scipy's sparse product,
    and gathering them from the CSR arrays skips scipy's indexing overhead.
    `vectors` must hold no duplicate entries, as `score.tfidf_vectors` builds it."""
    rows = np.asarray(ids, dtype=np.intp)
    starts, lengths = vectors.indptr[rows], vectors.indptr[rows + 1] - vectors.indptr[rows]
    # Positions in `vectors.data` of every stored value of those rows, row by row.
    offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    take = np.arange(lengths.sum()) + offsets
    used, columns = np.unique(vectors.indices[take], return_inverse=True)
    dense = np.zeros((len(rows), len(used)))
    dense[np.repeat(np.arange(len(rows)), lengths), columns] = vectors.data[take]
    return dense
