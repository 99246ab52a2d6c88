"""The first n sentences: the classic strong baseline for news."""

from __future__ import annotations

from keypoints.evaluation.gold import GoldRecord
from keypoints.evaluation.systems.base import System, body_sentences


class LeadBaseline(System):
    name = "lead"

    def summarize(self, record: GoldRecord, n: int) -> list[str]:
        return body_sentences(record)[: max(n, 0)]
