"""`Summarizer`: the stages in order, run over a chunk of articles at a time.

ingest → segment → analyze → features → salience → choose (MMR ⇄ compress) → render

Every stage takes the `ArticleState`s of all the articles at once, so one chunk
costs one prediction of the salience model and one GiNZA batch per choose
round; `summarize(a)` is `summarize_many([a])[0]`. `run(..., until="features")`
stops after a named stage, and `with_stage` swaps one stage for another: that is
how training and the cross-validated evaluation reuse the pipeline.

    >>> summarizer = Summarizer(Settings(n_points=2))
    >>> [state.done for state in summarizer.run(["見出し\\n\\n厚労省は新制度を発表した。"], until="segment")]
    ['segment']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from keypoints.idf import IdfTable, default_idf
from keypoints.settings import Settings
from keypoints.stages.analyze import Analyze
from keypoints.stages.base import STAGE_NAMES, ArticleInput, ArticleState, Stage
from keypoints.stages.choose import Choose
from keypoints.stages.features import Features
from keypoints.stages.ingest import Ingest
from keypoints.stages.render import Render
from keypoints.stages.salience import Salience, Scorer
from keypoints.stages.segment import Segment
from keypoints.structures import Article, Result

Item = Article | ArticleInput | ArticleState | str


def default_stages(
    settings: Settings, scorer: Scorer | None = None, idf: IdfTable | None = None
) -> list[Stage]:
    """The pipeline's stages for `settings`; `scorer` None is the shipped salience model."""
    return [
        Ingest(),
        Segment(),
        Analyze(settings.terms),
        Features(idf if idf is not None else default_idf(), settings.parse_top),
        Salience(scorer),
        Choose(settings),
        Render(settings.max_chars),
    ]


class Summarizer:
    """The ポイント of articles: the stages of `default_stages`, for one `Settings`."""

    def __init__(
        self,
        settings: Settings | None = None,
        scorer: Scorer | None = None,
        idf: IdfTable | None = None,
        *,
        stages: Sequence[Stage] | None = None,
    ) -> None:
        self.settings = settings if settings is not None else Settings()
        self.stages = (
            list(stages) if stages is not None else default_stages(self.settings, scorer, idf)
        )
        names = tuple(stage.name for stage in self.stages)
        if names != STAGE_NAMES:
            raise ValueError(f"the stages must be {', '.join(STAGE_NAMES)}, not {', '.join(names)}")

    def stage(self, name: str) -> Stage:
        return self.stages[STAGE_NAMES.index(name)]

    @property
    def scorer(self) -> Scorer:
        """The salience model (or weights) that scores the sentences."""
        salience = self.stage("salience")
        assert isinstance(salience, Salience)
        return salience.scorer

    def with_stage(self, stage: Stage) -> Summarizer:
        """The same pipeline with `stage` in place of the stage of the same name."""
        stages = [stage if s.name == stage.name else s for s in self.stages]
        return Summarizer(self.settings, stages=stages)

    def run(self, items: Iterable[Item], *, until: str = "render") -> list[ArticleState]:
        """The state of each item after the stages up to `until`.

        An item is a raw text, an `ArticleInput`, an ingested `Article` or a state; a
        state goes on from the stage after its `done`. An article whose stage failed
        keeps the exception in `state.error`, and the others go on.
        """
        states = [ArticleState.of(item) for item in items]
        last = STAGE_NAMES.index(until)
        for position, stage in enumerate(self.stages[: last + 1]):
            pending = [
                s
                for s in states
                if s.error is None and (STAGE_NAMES.index(s.done) if s.done else -1) < position
            ]
            if pending:
                stage(pending)
            for state in pending:
                if state.error is None:
                    state.done = stage.name
        return states

    def summarize_many(self, items: Iterable[Item]) -> list[Result | Exception]:
        """The Result of each item, or the exception its article raised, in order."""
        return [s.error if s.error is not None else _result(s) for s in self.run(items)]

    def summarize(self, item: Item, doc: Any = None) -> Result:
        """The points of one article; `doc`, a GiNZA parse of the input, saves a GiNZA run."""
        state = ArticleState.of(item)
        if doc is not None:
            state = dataclasses.replace(state, doc=doc)
        (result,) = self.summarize_many([state])
        if isinstance(result, Exception):
            raise result
        return result

    def summarize_text(
        self,
        text: str,
        *,
        title: str | None = None,
        format: str = "auto",
        id: str | None = None,
        doc: Any = None,
    ) -> Result:
        """The points of a raw article (plain text, Markdown, HTML or a JSON record)."""
        return self.summarize(ArticleInput(text, title, format, id), doc=doc)

    def explain(self, result: Result) -> Result:
        """Fill in each point's feature contributions (costly for a learned model)."""
        for point in result.points:
            if not point.contributions and hasattr(self.scorer, "contributions"):
                point.contributions = self.scorer.contributions(point.features)
        return result


def _result(state: ArticleState) -> Result:
    assert state.result is not None
    return state.result
