"""Stage 7: the ポイント box as plain bullets, Markdown or JSON."""

from __future__ import annotations

import json
from typing import Any

from keypoints.types import Point, Result

FORMATS = ("text", "markdown", "json")


def point_to_dict(point: Point, *, explain: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "text": point.text,
        "sentence_ids": point.sentence_ids,
        "spans": [list(span) for span in point.spans],
        "score": round(point.score, 4),
        "entities": [{"text": e.text, "label": e.label} for e in point.entities],
    }
    if explain:
        data["source"] = point.source_text
        data["features"] = {k: round(v, 4) for k, v in point.features.items()}
        data["contributions"] = {k: round(v, 4) for k, v in point.contributions.items()}
    return data


def result_to_dict(result: Result, *, explain: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if result.id is not None:
        data["id"] = result.id
    data.update(
        {
            "title": result.title,
            "points": [point_to_dict(p, explain=explain) for p in result.points],
            "existing_points": result.existing_points,
            "offsets": result.offsets,
            "model": result.model,
            "version": result.version,
        }
    )
    return data


def render_text(result: Result) -> str:
    return "\n".join(f"・{p.text}" for p in result.points)


def render_markdown(result: Result) -> str:
    lines = [f"## {result.title}", ""] if result.title else []
    lines.append("**ポイント**")
    lines.append("")
    lines.extend(f"- {p.text}" for p in result.points)
    return "\n".join(lines)


def render_json(result: Result, *, explain: bool = False, indent: int | None = 2) -> str:
    return json.dumps(result_to_dict(result, explain=explain), ensure_ascii=False, indent=indent)


def render(result: Result, format: str = "text", *, explain: bool = False) -> str:
    if format == "text":
        return render_text(result)
    if format == "markdown":
        return render_markdown(result)
    if format == "json":
        return render_json(result, explain=explain)
    raise ValueError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
