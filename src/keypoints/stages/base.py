"""What flows through the pipeline (`ArticleState`) and what a stage is (`Stage`).

Every stage is batch-first: it takes the states of a chunk of articles at once, so
that a stage whose cost is per call (the salience model predicts once per chunk;
GiNZA parses the picks of a whole chunk in one `nlp.pipe`) pays it once. A stage
fills in its part of each state; an article whose stage raised keeps the
exception in `state.error`, and the later stages leave it alone.

To add a stage: subclass `Stage` (or `ArticleStage` for work done one article at a
time), give it a `name`, and put it in `keypoints.pipeline.default_stages` (see
docs/architecture.md).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from keypoints.structures import (
    AnalyzedSentence,
    Article,
    FeatureTable,
    Result,
    ScoredSentence,
    Sentence,
)

T = TypeVar("T")

# The stages in pipeline order, by name: `Summarizer.run(until=...)` takes one.
STAGE_NAMES = ("ingest", "segment", "analyze", "features", "salience", "choose", "render")


@dataclass
class ArticleInput:
    """An article as given: raw text (plain, Markdown, HTML or a JSON record) and what
    is known of it.

        >>> ArticleInput("見出し\\n本文です。", format="text").format
        'text'
    """

    text: str
    title: str | None = None
    format: str = "auto"
    id: str | None = None


@dataclass
class ArticleState:
    """One article on its way through the stages; each stage fills in its fields.

    `done` names the last stage run on it ("" before ingest); `rewound` gives a copy
    to run again from a stage on (training reruns salience with each fold's model).
    """

    input: ArticleInput | None = None
    article: Article | None = None  # ingest
    # A GiNZA parse of the input (the spaCy component): its entities are reused.
    doc: Any = None
    sentences: list[Sentence] = field(default_factory=list)  # segment
    analyzed: list[AnalyzedSentence] = field(default_factory=list)  # analyze
    table: FeatureTable | None = None  # features
    scored: list[ScoredSentence] = field(default_factory=list)  # salience
    model: str = ""  # salience: the name of the model that scored the sentences
    chosen: list[ScoredSentence] = field(default_factory=list)  # choose, in document order
    texts: dict[int, str] = field(default_factory=dict)  # choose: point text by sentence id
    warnings: dict[int, list[str]] = field(default_factory=dict)  # choose: of fallback points
    result: Result | None = None  # render
    error: Exception | None = None
    done: str = ""

    @classmethod
    def of(cls, item: Article | ArticleInput | ArticleState | str) -> ArticleState:
        """The state of a raw text, an `ArticleInput`, an ingested `Article` or a state."""
        if isinstance(item, ArticleState):
            return item
        if isinstance(item, Article):
            return cls(article=item, done="ingest")
        if isinstance(item, str):
            item = ArticleInput(item)
        return cls(input=item)

    def rewound(self, to: str) -> ArticleState:
        """A copy as it was right after stage `to`: what later stages made is cleared."""
        keep = STAGE_NAMES.index(to)
        cleared: dict[str, Any] = {"done": to, "error": None}
        for name, fields in _FIELDS_OF_STAGE.items():
            if STAGE_NAMES.index(name) > keep:
                cleared.update({f: _empty(f) for f in fields})
        return dataclasses.replace(self, **cleared)


# What each stage fills in (`rewound` puts back a new state's value).
_FIELDS_OF_STAGE = {
    "ingest": ("article",),
    "segment": ("sentences",),
    "analyze": ("analyzed",),
    "features": ("table",),
    "salience": ("scored", "model"),
    "choose": ("chosen", "texts", "warnings"),
    "render": ("result",),
}


def _empty(name: str) -> Any:
    """The value field `name` of a new ArticleState has (its default)."""
    f = next(f for f in dataclasses.fields(ArticleState) if f.name == name)
    return f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default


class Stage:
    """A pipeline stage: `name`, and a call on the states of a chunk of articles.

    The pipeline passes only the states this stage has not run on and that have no
    error; the stage fills in its fields or sets `state.error`.
    """

    name: ClassVar[str]

    def __call__(self, states: Sequence[ArticleState]) -> None:
        raise NotImplementedError


class ArticleStage(Stage):
    """A stage that works one article at a time: one article's exception is its own."""

    def __call__(self, states: Sequence[ArticleState]) -> None:
        for state in states:
            try:
                self.process(state)
            except Exception as exc:  # noqa: BLE001 - one bad article must not stop the rest
                state.error = exc

    def process(self, state: ArticleState) -> None:
        raise NotImplementedError


def or_error(function: Callable[..., T], *args: Any) -> T | Exception:
    """`function(*args)`, or the exception it raised: reported for its article only."""
    try:
        return function(*args)
    except Exception as exc:  # noqa: BLE001 - one bad article must not stop the rest
        return exc
