"""What the HTTP API takes and gives, as pydantic models: the result itself is the JSON
schema of `summarize --format json` (`keypoints.render.schema.ResultRecord`).

    >>> SummarizeRequest(text="厚労省は新制度を発表した。").points
    3
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from keypoints.render.schema import ResultRecord
from keypoints.settings import DEFAULTS, MIN_POINT_CHARS

# The page offers 1-10 points; the API allows what the CLI allows.
MAX_POINTS = 20
MAX_TERMS = 200


class SummarizeRequest(BaseModel):
    """One article to summarize, and the settings of its ポイント box."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The article: plain text, Markdown or HTML source.")
    title: str | None = Field(default=None, description="The headline, if not in the text.")
    format: Literal["auto", "text", "markdown", "html"] = Field(
        default="auto", description="How to read `text` (auto: by its look)."
    )
    points: int = Field(default=DEFAULTS.n_points, ge=1, le=MAX_POINTS)
    max_chars: int = Field(default=DEFAULTS.max_chars, ge=MIN_POINT_CHARS, le=500)
    terms: list[str] = Field(
        default_factory=list,
        max_length=MAX_TERMS,
        description="Domain terms to treat as entities (EV, CQA, ...).",
    )


class CandidateRecord(BaseModel):
    """A next-best point: a sentence the box did not take, as its point would read."""

    text: str
    sentence_ids: list[int]
    spans: list[list[int]]
    score: float


class SentenceRecord(BaseModel):
    """One sentence of the article, where it is in `DocumentRecord.text`."""

    id: int
    start: int
    end: int


class DocumentRecord(BaseModel):
    """The text the spans index (the input, or the extracted body of HTML and Markdown)
    and its sentences, for the page to show the sources."""

    text: str
    sentences: list[SentenceRecord]


class SummarizeResponse(BaseModel):
    result: ResultRecord = Field(description="As `keypoints summarize --format json` writes.")
    candidates: list[CandidateRecord] = Field(
        description="The next best points, best first (at most five)."
    )
    document: DocumentRecord


class HealthResponse(BaseModel):
    status: Literal["ok", "loading"]
    models_loaded: bool
    version: str
    salience_model: str | None
    compression_model: str | None
    # None when no IDF table was found and words are weighed uniformly.
    idf_table: str | None = None


class ErrorResponse(BaseModel):
    detail: str = Field(description="What was wrong, in plain words.")
