"""LexRank (Erkan and Radev 2004) via sumy, on SudachiPy content words."""

from __future__ import annotations

from typing import Any

from keypoints.evaluation.systems.sumy_base import SumyBaseline


class LexRankBaseline(SumyBaseline):
    """LexRank (Erkan and Radev 2004) via sumy, on SudachiPy content words."""

    name = "lexrank"

    def _make_summarizer(self) -> Any:
        from sumy.summarizers.lex_rank import LexRankSummarizer

        summarizer = LexRankSummarizer(lambda w: w)
        summarizer.stop_words = ()
        return summarizer
