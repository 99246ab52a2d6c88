"""The project's own pipeline as a system of `keypoints eval`."""

from __future__ import annotations

from keypoints.evaluation.gold import GoldRecord
from keypoints.evaluation.systems.base import System
from keypoints.pipeline import Summarizer
from keypoints.settings import Settings
from keypoints.stages.base import ArticleInput


class KeypointsSystem(System):
    """keypoints with `Settings(n_points=n)` (other settings kept). An article it
    rejects raises its KeypointsError, which the runner reports."""

    name = "keypoints"

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._summarizers: dict[int, Summarizer] = {}

    def summarizer(self, n: int) -> Summarizer:
        if n not in self._summarizers:
            self._summarizers[n] = Summarizer(self.settings.replace(n_points=n))
        return self._summarizers[n]

    def summarize(self, record: GoldRecord, n: int) -> list[str]:
        if n <= 0:
            return []
        article = ArticleInput(record.text, record.title, "text", record.id)
        return [p.text for p in self.summarizer(n).summarize(article).points]
