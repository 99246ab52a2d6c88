"""The summarizer behind the web page: models loaded once, one GiNZA thread, a bounded
queue.

GiNZA (spaCy) is not made to be shared by threads, so every article runs on the
one thread of `SummaryService`'s executor; the event loop stays free, so the health
check answers while a long article is parsed. At most `queue` requests wait beside
the one running; one more gets `BusyError` (HTTP 503). More throughput comes from
more processes (`keypoints serve --workers N`), each with its own models.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from keypoints.errors import KeypointsError
from keypoints.idf import IdfTable, default_idf
from keypoints.pipeline import Summarizer
from keypoints.render.schema import ResultRecord
from keypoints.settings import Settings
from keypoints.stages.base import ArticleInput, ArticleState
from keypoints.stages.choose import Choose
from keypoints.stages.compress.learned import CompressionModel, default_compression_model
from keypoints.stages.salience import Salience, default_scorer
from keypoints.web.candidates import next_candidates
from keypoints.web.schema import (
    DocumentRecord,
    HealthResponse,
    SentenceRecord,
    SummarizeRequest,
    SummarizeResponse,
)

T = TypeVar("T")
# A short article summarized at start-up, so that GiNZA and every model are loaded
# (and warm) before the first request.
_WARM_UP = (
    "港町市は12日、路面電車を新港地区まで延伸する計画を正式に決めたと発表した。"
    "延伸区間は約2.4キロで、停留所を6か所設ける。"
    "市は2030年度の開業を目指し、来年度に工事を始める。"
)


class BusyError(Exception):
    """Every place in the queue is taken (HTTP 503)."""


@dataclass(frozen=True)
class ServiceConfig:
    """`queue`: requests that may wait beside the one running."""

    queue: int = 16


class SummaryService:
    """Summarizes requests on one thread, the models loaded once by `load`."""

    def __init__(self, config: ServiceConfig | None = None) -> None:
        self.config = config or ServiceConfig()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="keypoints-ginza")
        self._pending = 0  # running + waiting; touched on the event loop only
        self._scorer: Any = None
        self._compression: CompressionModel | None = None
        self._idf: IdfTable | None = None
        self.loaded = False

    async def load(self) -> None:
        """Load the models and GiNZA on the summarizer thread, and warm them up."""
        await self._run(self._load)

    def _load(self) -> None:
        self._scorer = default_scorer()
        self._compression = default_compression_model()
        self._idf = default_idf()
        self._summarizer(Settings()).summarize_text(_WARM_UP, format="text")
        self.loaded = True

    def health(self) -> HealthResponse:
        from keypoints.version import __version__

        return HealthResponse(
            status="ok" if self.loaded else "loading",
            models_loaded=self.loaded,
            version=__version__,
            salience_model=getattr(self._scorer, "name", None),
            compression_model=self._compression.name if self._compression else None,
            idf_table=(self._idf.source or None) if self._idf else None,
        )

    async def summarize(
        self, request: SummarizeRequest, explain: bool = False
    ) -> SummarizeResponse:
        """The points, the next candidates and the document of one request; raises
        `BusyError` when the queue is full and `KeypointsError` for bad input."""
        if self._pending > self.config.queue:
            raise BusyError(f"busy: {self._pending} articles are being summarized or waiting")
        return await self._run(functools.partial(self._summarize, request, explain))

    async def _run(self, job: Callable[[], T]) -> T:
        self._pending += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, job)
        finally:
            self._pending -= 1

    def _summarize(self, request: SummarizeRequest, explain: bool) -> SummarizeResponse:
        settings = Settings(
            n_points=request.points, max_chars=request.max_chars, terms=tuple(request.terms)
        )
        summarizer = self._summarizer(settings)
        item = ArticleInput(request.text, request.title or None, request.format)
        (state,) = summarizer.run([item])
        if state.error is not None:
            raise state.error
        assert state.result is not None
        if explain:
            summarizer.explain(state.result)
        choose = summarizer.stage("choose")
        assert isinstance(choose, Choose)
        return SummarizeResponse(
            result=ResultRecord.of(state.result, explain=explain),
            candidates=next_candidates(state, choose.compressor, settings.max_chars),
            document=_document(state, request.text),
        )

    @functools.lru_cache(maxsize=32)  # noqa: B019 - one service per process, kept for its life
    def _summarizer(self, settings: Settings) -> Summarizer:
        return (
            Summarizer(settings)
            .with_stage(Salience(self._scorer))
            .with_stage(Choose(settings, self._compression))
        )

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def _document(state: ArticleState, text: str) -> DocumentRecord:
    """The text the spans index, with every sentence's span in it."""
    article = state.article
    assert article is not None
    shown = text if article.offsets_refer_to == "input" else article.body
    sentences = []
    for a in state.analyzed:
        start, end = article.input_span(a.sentence)
        sentences.append(SentenceRecord(id=a.sentence.id, start=start, end=end))
    return DocumentRecord(text=shown, sentences=sentences)


__all__ = ["BusyError", "KeypointsError", "ServiceConfig", "SummaryService"]
