"""What a system of `keypoints eval` is, and the sentences every system chooses from.

Every system sees the same sentences (`body_sentences`: the project's own ingest
and segmenter), so differences in scores come from choosing, not from cutting
the text differently. Each is a small class with a `name` and
`summarize(record, n) -> list[str]`, in the style of sumy's summarizers; an
article a system cannot read raises a `KeypointsError`, which the runner reports
(and scores as no points).
"""

from __future__ import annotations

import functools

from keypoints.evaluation.gold import GoldRecord
from keypoints.stages.ingest import ingest
from keypoints.stages.segment import split_sentences
from keypoints.text.chars import JAPANESE_RE
from keypoints.text.sudachi import tokenize


class System:
    """A summarizer under evaluation: `n` points (sentences) for a gold record."""

    name: str = ""

    def summarize(self, record: GoldRecord, n: int) -> list[str]:
        raise NotImplementedError


def body_sentences(record: GoldRecord) -> list[str]:
    """The body sentences every system chooses from; a KeypointsError when the
    article cannot be ingested (no Japanese, empty)."""
    return list(_body_sentences(record.text, record.title))


@functools.lru_cache(maxsize=256)
def _body_sentences(text: str, title: str | None) -> tuple[str, ...]:
    # Cached: six systems ask for the same article's sentences in a row.
    article = ingest(text, title=title, format="text")
    return tuple(
        s.text
        for s in split_sentences(article.body, article.dropped_breaks)
        if JAPANESE_RE.search(s.text)
    )


@functools.lru_cache(maxsize=65536)
def content_words(text: str) -> tuple[str, ...]:
    """SudachiPy normalized content words: the vocabulary of LexRank and TextRank."""
    return tuple(t.normalized for t in tokenize(text) if t.is_content)
