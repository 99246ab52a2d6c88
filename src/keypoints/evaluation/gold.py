"""Load gold records and system predictions from JSONL, validating every line.

A bad line never stops a run and is never dropped silently: it becomes a
`Problem` with a line number and a reason, and the `LoadReport` counts it, so
the score table can say "526 loaded, 2 skipped" instead of quietly shrinking.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from keypoints.io.jsonl import json_type_name, object_problem, read_jsonl


@dataclass
class GoldRecord:
    """One article with its human reference points (never empty)."""

    id: str
    title: str | None
    text: str
    references: list[str]
    # The set it comes from: the record's `source` field, else the file's name.
    # Model selection averages over sets, so the biggest one does not decide alone.
    source: str = ""


@dataclass
class Problem:
    """A line (or an id, for `pair_up`) that could not be used, and why."""

    file: str
    line: int  # 1-based; 0 when the problem is not tied to a line (pair_up)
    id: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file} line {self.line}" if self.line else self.file
        who = f" [{self.id}]" if self.id is not None and self.id not in self.reason else ""
        return f"{where}{who}: {self.reason}" if where else f"{self.id}: {self.reason}"


@dataclass
class LoadReport:
    """What a load did: `lines` counts non-blank lines, so lines == loaded + len(problems)."""

    file: str
    lines: int = 0
    loaded: int = 0
    problems: list[Problem] = field(default_factory=list)


class _Skip(Exception):
    """A line to skip; the message is the problem's reason."""


def load_gold(path: Path) -> tuple[list[GoldRecord], LoadReport]:
    """Gold records of a JSONL file (`id, title, text, points, summary`); bad lines reported."""
    records: list[GoldRecord] = []
    report = LoadReport(file=str(path))
    for obj, line, record_id in _objects(path, report):
        try:
            text = obj.get("text")
            if text is None:
                raise _Skip("missing text")
            if not isinstance(text, str):
                raise _Skip(f"text must be a string, not {json_type_name(text)}")
            if not text.strip():
                raise _Skip("empty text")
            title = obj.get("title")
            if title is not None and not isinstance(title, str):
                raise _Skip(f"title must be a string or null, not {json_type_name(title)}")
            references = _references(obj)
        except _Skip as skip:
            report.problems.append(Problem(report.file, line, record_id, str(skip)))
            continue
        source = obj.get("source") if isinstance(obj.get("source"), str) else None
        records.append(
            GoldRecord(
                record_id,
                (title or "").strip() or None,
                text,
                references,
                source or Path(path).stem,
            )
        )
        report.loaded += 1
    return records, report


def load_predictions(path: Path) -> tuple[dict[str, list[str]], LoadReport]:
    """Point texts by id from JSONL `{"id", "points": [{"text": ...}, ...]}` (or list[str])."""
    predictions: dict[str, list[str]] = {}
    report = LoadReport(file=str(path))
    for obj, line, record_id in _objects(path, report):
        try:
            if "points" not in obj:
                raise _Skip("missing points")
            points = obj["points"]
            if not isinstance(points, list):
                raise _Skip(f"points must be a list, not {json_type_name(points)}")
            texts = [_point_text(item, i) for i, item in enumerate(points)]
        except _Skip as skip:
            report.problems.append(Problem(report.file, line, record_id, str(skip)))
            continue
        predictions[record_id] = texts
        report.loaded += 1
    return predictions, report


def load_samples(points_file: Path) -> list[GoldRecord]:
    """The bundled sample set (`corpora/samples/points.jsonl`) as gold records.

    Each line names an article file beside `points_file` and gives its hand-written
    points; the article's first line is its headline, so `title` stays None.
    """
    folder = points_file.parent
    records = []
    for line in read_jsonl(points_file):
        if line.problem is not None:
            raise ValueError(f"{points_file} line {line.number}: {line.problem}")
        row = line.value
        text = (folder / row["file"]).read_text(encoding="utf-8")
        records.append(GoldRecord(row["file"], None, text, list(row["points"])))
    return records


def pair_up(
    gold: list[GoldRecord], predictions: dict[str, list[str]]
) -> tuple[list[tuple[GoldRecord, list[str]]], list[Problem]]:
    """Gold records with their predictions, in gold order; ids on one side only are problems."""
    pairs: list[tuple[GoldRecord, list[str]]] = []
    problems: list[Problem] = []
    gold_ids = set()
    for record in gold:
        gold_ids.add(record.id)
        if record.id in predictions:
            pairs.append((record, predictions[record.id]))
        else:
            problems.append(Problem("", 0, record.id, "missing prediction"))
    for record_id in predictions:
        if record_id not in gold_ids:
            problems.append(Problem("", 0, record_id, "no gold record"))
    return pairs, problems


def _objects(path: Path, report: LoadReport) -> Iterator[tuple[dict[str, Any], int, str]]:
    """(object, line number, id) of every valid-looking line; the rest become problems.

    Checks what gold and prediction files share: JSON, an object, a non-empty id
    seen only once (the second occurrence is the problem). Blank lines are ignored;
    the file may be gzip'd (known by its magic bytes).
    """
    first_seen: dict[str, int] = {}
    for line in read_jsonl(path):
        report.lines += 1

        def problem(reason: str, record_id: str | None = None, number: int = line.number) -> None:
            report.problems.append(Problem(report.file, number, record_id, reason))

        reason = object_problem(line)
        if reason is not None:
            problem(reason)
            continue
        obj = line.value
        raw_id = obj.get("id")
        if raw_id is None:
            problem("missing id")
            continue
        if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
            problem(f"id must be a string, not {json_type_name(raw_id)}")
            continue
        record_id = str(raw_id).strip()
        if not record_id:
            problem("empty id")
            continue
        if record_id in first_seen:
            problem(
                f"duplicate id {record_id!r} (first on line {first_seen[record_id]})", record_id
            )
            continue
        first_seen[record_id] = line.number
        yield obj, line.number, record_id


def _references(obj: dict[str, Any]) -> list[str]:
    """`points` when present and non-empty, else [summary]; a _Skip when neither gives text."""
    points = obj.get("points")
    references: list[str] = []
    if isinstance(points, str):
        references = _points_from_string(points)
    elif isinstance(points, list):
        references = [_point_text(item, i) for i, item in enumerate(points)]
    elif points is not None:
        raise _Skip(f"points must be a list of strings, not {json_type_name(points)}")
    references = [r.strip() for r in references if r.strip()]
    if references:
        return references
    summary = obj.get("summary")
    if summary is not None and not isinstance(summary, str):
        raise _Skip(f"summary must be a string, not {json_type_name(summary)}")
    if summary and summary.strip():
        return [summary.strip()]
    raise _Skip("empty references (no points and no summary)")


def _points_from_string(value: str) -> list[str]:
    """A string holding a JSON or Python list repr becomes that list; any other string, one point."""
    stripped = value.strip()
    if stripped.startswith("[") and stripped.endswith("]"):
        for parse in (json.loads, ast.literal_eval):
            try:
                parsed = parse(stripped)
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                continue
            if isinstance(parsed, list) and all(isinstance(p, str) for p in parsed):
                return parsed
    return [value]


def _point_text(item: Any, index: int) -> str:
    """A point given as a string or as an object with a string `text`."""
    if isinstance(item, str):
        return item
    if isinstance(item, dict) and isinstance(item.get("text"), str):
        return item["text"]
    raise _Skip(
        f"points[{index}] must be a string or an object with a text, not {json_type_name(item)}"
    )
