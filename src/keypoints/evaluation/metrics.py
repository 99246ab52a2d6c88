"""ROUGE, point alignment, entity recall and lengths for comparing points with gold ones.

ROUGE follows Google's `rouge-score` package exactly (`rouge_scorer._score_ngrams`,
`_score_lcs`; `rougeL`, not `rougeLsum`), so numbers are comparable with published
ones; the tests check agreement to 1e-9. Only the tokenizer differs: rouge-score's
default one drops every non-ASCII character and is useless for Japanese, so we
offer two Japanese ones:

- `sudachi_tokens`: SudachiPy split mode A normalized forms (the same analyser the
  pipeline uses), so 行った/行きます and ２０２５/2025 meet;
- `char_tokens`: characters, the tokenizer-free view common in Japanese
  summarization papers.

Both drop whitespace and punctuation, which otherwise inflate every score.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from keypoints.structures import Entity
from keypoints.text.entities import (
    KEY_LABELS,
    entity_key,
    find_defined_terms,
    ginza_entities,
    merge_entities,
    rule_entities,
)
from keypoints.text.ginza import ginza_nlp
from keypoints.text.sudachi import tokenize

# Sudachi POS (first level) that never carry content.
_DROPPED_POS = frozenset({"補助記号", "空白"})


def _is_filler_char(char: str) -> bool:
    """Whitespace, punctuation (P*: 。、「」・… too), separators (Z*) or control/format (C*).

    Symbols (S*: ℃, ＋, ¥, ○) are kept: they can carry meaning and are rare.
    """
    return char.isspace() or unicodedata.category(char)[0] in "PZC"


@functools.lru_cache(maxsize=65_536)
def _sudachi_tokens_cached(text: str) -> tuple[str, ...]:
    # Alignment scores every predicted point against every reference point, so
    # the same strings are tokenized again and again.
    return tuple(
        token.normalized
        for token in tokenize(text)
        if token.pos[0] not in _DROPPED_POS
        and token.normalized
        and not all(_is_filler_char(c) for c in token.normalized)
    )


def sudachi_tokens(text: str) -> list[str]:
    """SudachiPy split-mode-A normalized forms without punctuation, symbols or whitespace.

    Dropped: tokens tagged 補助記号 (。、「」・…, and symbols such as ＋ ※ → ～) or 空白,
    and tokens whose normalized form is empty or only whitespace/punctuation
    (Unicode P*, Z*, C*; e.g. % which Sudachi tags as a noun). Symbols Sudachi tags
    as words (℃ → 度) stay.
    """
    return list(_sudachi_tokens_cached(text))


def char_tokens(text: str) -> list[str]:
    """Characters of the NFKC-normalized text, without whitespace and punctuation.

    NFKC first, so full-width digits and Latin letters (２０２５, ＥＶ) match
    half-width ones, as they do for Sudachi tokens. Dropped: whitespace and Unicode
    categories P* (。、「」・… and ASCII punctuation), Z* and C*. Kept: letters,
    digits, kana, kanji, the prolonged sound mark ー and symbols (S*).
    """
    return [c for c in unicodedata.normalize("NFKC", text) if not _is_filler_char(c)]


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 of one comparison."""

    precision: float
    recall: float
    fmeasure: float


def _fmeasure(precision: float, recall: float) -> float:
    # Same expression as rouge_score.scoring.fmeasure, for bit-identical results.
    if precision + recall > 0:
        return 2 * precision * recall / (precision + recall)
    return 0.0


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def rouge_n(pred: Sequence[str], ref: Sequence[str], n: int) -> PRF:
    """ROUGE-N of token lists: clipped n-gram overlap over predicted / reference n-grams."""
    if n <= 0:
        raise ValueError(f"ROUGE-N needs n >= 1, got {n}")
    pred_ngrams = _ngrams(pred, n)
    ref_ngrams = _ngrams(ref, n)
    overlap = sum((pred_ngrams & ref_ngrams).values())
    # max(..., 1) as in rouge-score: no n-grams means 0, not a division error.
    precision = overlap / max(sum(pred_ngrams.values()), 1)
    recall = overlap / max(sum(ref_ngrams.values()), 1)
    return PRF(precision, recall, _fmeasure(precision, recall))


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence of two token lists.

    Bit-parallel (Allison-Dix/Hyyrö): one Python big-int operation per token of
    `a` instead of a DP row, so character-level ROUGE-L of whole point lists stays
    fast. Gives exactly the DP's value (checked in the tests).
    """
    if not a or not b:
        return 0
    # Bit j of masks[x] is set where b[j] == x.
    masks: dict[str, int] = {}
    for j, token in enumerate(b):
        masks[token] = masks.get(token, 0) | (1 << j)
    full = (1 << len(b)) - 1
    row = full
    for token in a:
        matches = row & masks.get(token, 0)
        row = ((row + matches) | (row - matches)) & full
    # Each zero bit in the row is one element of the LCS.
    return len(b) - row.bit_count()


def rouge_l(pred: Sequence[str], ref: Sequence[str]) -> PRF:
    """ROUGE-L (rouge-score's `rougeL`): LCS over predicted / reference length."""
    if not pred or not ref:
        return PRF(0.0, 0.0, 0.0)
    lcs = lcs_length(ref, pred)
    precision = lcs / len(pred)
    recall = lcs / len(ref)
    return PRF(precision, recall, _fmeasure(precision, recall))


def rouge_scores(pred_points: list[str], ref_points: list[str]) -> dict[str, PRF]:
    """ROUGE-1/2/L on Sudachi tokens and on characters (`*_char`) of the joined points."""
    pred_text = "\n".join(pred_points)
    ref_text = "\n".join(ref_points)
    scores: dict[str, PRF] = {}
    for suffix, tokenizer in (("", sudachi_tokens), ("_char", char_tokens)):
        pred = tokenizer(pred_text)
        ref = tokenizer(ref_text)
        scores[f"rouge1{suffix}"] = rouge_n(pred, ref, 1)
        scores[f"rouge2{suffix}"] = rouge_n(pred, ref, 2)
        scores[f"rougeL{suffix}"] = rouge_l(pred, ref)
    return scores


@dataclass
class Alignment:
    """One-to-one pairing of predicted and reference points.

    `pairs` holds (predicted index, reference index, ROUGE-L F1) for every pair the
    assignment made, sorted by reference index, including those below the threshold.
    """

    pairs: list[tuple[int, int, float]]
    mean_matched: float
    matched: int
    n_reference: int
    n_predicted: int


def align_points(
    pred_points: Sequence[str], ref_points: Sequence[str], threshold: float = 0.3
) -> Alignment:
    """Pair points one-to-one maximising total ROUGE-L F1 (Sudachi tokens).

    Joined-text ROUGE rewards a prediction that says one reference point three
    times; the one-to-one assignment (Hungarian, not greedy, which can be fooled)
    asks whether each reference point is covered by its own predicted point.
    `mean_matched` averages the assigned scores over the reference points (those
    left without a partner count 0); `matched` counts reference points whose
    partner scores at least `threshold`.
    """
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    n_pred, n_ref = len(pred_points), len(ref_points)
    if n_pred == 0 or n_ref == 0:
        return Alignment([], 0.0, 0, n_ref, n_pred)
    pred_tokens = [sudachi_tokens(p) for p in pred_points]
    ref_tokens = [sudachi_tokens(r) for r in ref_points]
    scores = np.array([[rouge_l(p, r).fmeasure for r in ref_tokens] for p in pred_tokens])
    rows, cols = linear_sum_assignment(scores, maximize=True)
    pairs = sorted(
        ((int(i), int(j), float(scores[i, j])) for i, j in zip(rows, cols, strict=True)),
        key=lambda pair: pair[1],
    )
    total = sum(score for _, _, score in pairs)
    matched = sum(1 for _, _, score in pairs if score >= threshold)
    return Alignment(pairs, total / n_ref, matched, n_ref, n_pred)


def reference_entities(ref_points: Sequence[str], *, use_ginza: bool = False) -> set[str]:
    """Distinct normalized ORG/DATE/TERM entity strings of the reference points.

    Rule entities of the project (dates, organisation names by suffix, acronyms,
    terms defined in the references such as 細胞外小胞（EV）), plus GiNZA's when
    `use_ginza` (slower: it loads the spaCy pipeline).
    """
    terms = find_defined_terms("\n".join(ref_points))
    per_point: list[list[Entity]] = [
        rule_entities(point, tokenize(point), terms) for point in ref_points
    ]
    if use_ginza:
        docs = ginza_nlp().pipe(ref_points)
        for found, doc in zip(per_point, docs, strict=True):
            found.extend(ginza_entities(doc))
    entities: set[str] = set()
    for found in per_point:
        for entity in merge_entities(found):
            if entity.label in KEY_LABELS:  # the facts a reader must not lose
                normalized = entity_key(entity.text)
                if normalized:
                    entities.add(normalized)
    return entities


def entity_recall(
    pred_points: Sequence[str], ref_points: Sequence[str], *, use_ginza: bool = False
) -> float | None:
    """Share of the references' ORG/DATE/TERM entities found verbatim in the predicted points.

    ROUGE barely moves when a date or an organisation name is lost, yet those are
    what a reader needs. An entity counts as found when its normalized string
    (NFKC, whitespace removed) occurs inside one normalized predicted point.
    None when the references hold no such entity (the record has no say).
    """
    wanted = reference_entities(ref_points, use_ginza=use_ginza)
    if not wanted:
        return None
    predicted = [entity_key(p) for p in pred_points]
    found = sum(1 for entity in wanted if any(entity in p for p in predicted))
    return found / len(wanted)


def point_lengths(points: Sequence[str]) -> list[int]:
    """Length of each point in characters, surrounding whitespace excluded."""
    return [len(point.strip()) for point in points]
