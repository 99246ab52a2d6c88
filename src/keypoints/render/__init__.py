"""Writing a `Result` out: ・ bullets, a Markdown ポイント box, or JSON (`render.schema`).

>>> from keypoints.structures import Point, Result
>>> result = Result("見出し", [Point("厚労省は新制度を発表した。", [0], [(0, 13)], 1.0, [], "")], [], "m", "0")
>>> print(render(result, "text"))
・厚労省は新制度を発表した。
"""

from __future__ import annotations

import json

from keypoints.render.schema import point_to_dict, result_to_dict
from keypoints.structures import Result

FORMATS = ("text", "markdown", "json")

__all__ = [
    "FORMATS",
    "point_to_dict",
    "render",
    "render_json",
    "render_markdown",
    "render_text",
    "result_to_dict",
]


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
