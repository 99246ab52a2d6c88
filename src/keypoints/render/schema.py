"""The one JSON schema of a result: what `summarize --format json`, each `batch` line,
the Parquet table and the web API write, as pydantic models.

A batch line is the same points as `summarize --format json`, with the id, the
model and the options that made them (`BatchLine`); its fields are a subset of
`ResultRecord`'s, plus `options`.

    >>> from keypoints.structures import Point
    >>> PointRecord.of(Point("厚労省は新制度を発表した。", [0], [(0, 13)], 0.81234, [], "")).score
    0.8123
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

from keypoints.structures import Point, Result


class EntityRecord(BaseModel):
    text: str = Field(description="The entity as written in the source sentence.")
    label: str = Field(description="ORG, DATE, QUANTITY, TERM, PERSON, PLACE or MISC.")


class PointRecord(BaseModel):
    """One point: its text and the sentence it came from."""

    text: str = Field(description="The point, at most max_chars characters.")
    sentence_ids: list[int] = Field(description="Ids of the source sentences, in body order.")
    spans: list[Annotated[list[int], Field(min_length=2, max_length=2)]] = Field(
        description="[start, end) of each source sentence: in the input text when "
        "`offsets` is 'input', in the extracted body when it is 'body'."
    )
    score: float = Field(description="Salience of the source sentence, rounded to 4 places.")
    entities: list[EntityRecord]
    warnings: list[str] | None = Field(
        default=None,
        description="How a fallback made the point, for a reviewer to check "
        "(from_first_clause, quote_shortened, from_main_clause); absent for a point made the usual way.",
    )
    # With --explain only:
    source: str | None = Field(default=None, description="The source sentence (--explain).")
    features: dict[str, float] | None = Field(
        default=None, description="Feature values (--explain)."
    )
    contributions: dict[str, float] | None = Field(
        default=None, description="What each feature added to the score (--explain)."
    )

    @classmethod
    def of(cls, point: Point, *, explain: bool = False) -> PointRecord:
        fields: dict[str, Any] = {
            "text": point.text,
            "sentence_ids": point.sentence_ids,
            "spans": point.spans,
            "score": round(point.score, 4),
            "entities": [EntityRecord(text=e.text, label=e.label) for e in point.entities],
        }
        if point.warnings:
            fields["warnings"] = list(point.warnings)
        if explain:
            fields["source"] = point.source_text
            fields["features"] = {k: round(v, 4) for k, v in point.features.items()}
            fields["contributions"] = {k: round(v, 4) for k, v in point.contributions.items()}
        return cls(**fields)


class ResultRecord(BaseModel):
    """The ポイント box of one article (`summarize --format json`)."""

    id: str | None = Field(default=None, description="The article's id, when it has one.")
    title: str | None = Field(description="The headline.")
    points: list[PointRecord]
    existing_points: list[str] = Field(description="A ポイント box already in the source.")
    offsets: str = Field(description="'input' or 'body': what the spans index.")
    model: str = Field(description="The salience model that scored the sentences.")
    version: str = Field(description="The keypoints version.")

    @classmethod
    def of(cls, result: Result, *, explain: bool = False) -> ResultRecord:
        fields: dict[str, Any] = {} if result.id is None else {"id": result.id}
        return cls(
            **fields,
            title=result.title,
            points=[PointRecord.of(p, explain=explain) for p in result.points],
            existing_points=result.existing_points,
            offsets=result.offsets,
            model=result.model,
            version=result.version,
        )


class BatchLine(BaseModel):
    """One line of `keypoints batch` output."""

    id: str
    title: str | None
    points: list[PointRecord]
    model: str
    version: str
    options: dict[str, Any] | None = Field(
        default=None, description="The options that made the points (--resume checks them)."
    )

    @classmethod
    def of(cls, id: str, result: Result, options: dict[str, Any]) -> BatchLine:
        return cls(
            id=id,
            title=result.title,
            points=[PointRecord.of(p) for p in result.points],
            model=result.model,
            version=result.version,
            options=options,
        )


def point_to_dict(point: Point, *, explain: bool = False) -> dict[str, Any]:
    return PointRecord.of(point, explain=explain).model_dump(exclude_unset=True)


def result_to_dict(result: Result, *, explain: bool = False) -> dict[str, Any]:
    return ResultRecord.of(result, explain=explain).model_dump(exclude_unset=True)


def batch_line_to_dict(id: str, result: Result, options: dict[str, Any]) -> dict[str, Any]:
    return BatchLine.of(id, result, options).model_dump(exclude_unset=True)
