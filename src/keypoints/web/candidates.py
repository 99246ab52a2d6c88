"""The next-best points of an article: sentences the box did not take, compressed as the
choose stage would, for a journalist to swap in.

A candidate is a proper sentence (no caption, no fragment) that does not repeat a
point taken (MMR's redundancy test), compressed to at most `max_chars` and passing
every grammar guard; best salience first.
"""

from __future__ import annotations

from keypoints.settings import MIN_POINT_CHARS
from keypoints.stages.base import ArticleState
from keypoints.stages.compress import Compressor
from keypoints.stages.mmr import repeats
from keypoints.structures import ScoredSentence
from keypoints.web.schema import CandidateRecord

CANDIDATES = 5
# Sentences compressed to find them: a few more than wanted, as some do not fit.
POOL = 8


def next_candidates(
    state: ArticleState, compressor: Compressor, max_chars: int, wanted: int = CANDIDATES
) -> list[CandidateRecord]:
    """Up to `wanted` candidates of an article run through the render stage."""
    assert state.table is not None and state.article is not None
    taken = [c.analyzed.sentence.id for c in state.chosen]
    picks: list[ScoredSentence] = []
    for item in sorted(state.scored, key=lambda s: -s.score):
        sid = item.analyzed.sentence.id
        if sid in taken or item.features["caption"] or item.features["fragment"]:
            continue
        if repeats(state.table.vectors, sid, taken + [p.analyzed.sentence.id for p in picks]):
            continue
        picks.append(item)
        if len(picks) == POOL:
            break
    article = state.article
    found = []
    for item, compression in zip(
        picks, compressor.many([p.analyzed.sentence.text for p in picks]), strict=True
    ):
        if MIN_POINT_CHARS <= len(compression.text) <= max_chars and not compression.violations:
            sentence = item.analyzed.sentence
            span = list(article.input_span(sentence))
            found.append(
                CandidateRecord(
                    text=compression.text,
                    sentence_ids=[sentence.id],
                    spans=[span],
                    score=round(item.score, 4),
                )
            )
    return found[:wanted]
