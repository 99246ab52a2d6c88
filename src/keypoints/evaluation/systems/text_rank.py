"""TextRank (Mihalcea and Tarau 2004) via sumy, on SudachiPy content words."""

from __future__ import annotations

from typing import Any

from keypoints.evaluation.systems.sumy_base import SumyBaseline


class TextRankBaseline(SumyBaseline):
    """TextRank (Mihalcea and Tarau 2004) via sumy, on SudachiPy content words."""

    name = "textrank"

    def _make_summarizer(self) -> Any:
        from sumy.summarizers.text_rank import TextRankSummarizer

        summarizer = TextRankSummarizer(lambda w: w)
        summarizer.stop_words = ()
        return summarizer
