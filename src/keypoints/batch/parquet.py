"""`keypoints batch --parquet`: the JSONL output as a Parquet table, through pyarrow.

The JSONL file stays the crash-safe record of the run (appended and fsync'ed
chunk by chunk, what --resume reads); Parquet cannot be appended to, so the table
is written from it once the run ends, a row group at a time (memory stays flat
however long the archive), to a temporary file renamed into place.

Columns: id, title, model, version, points (the point texts, for queries),
points_json (each point as in `summarize --format json`: sources, spans,
entities, score) and options_json (the options that made the points).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from keypoints.errors import OutputError, ParquetUnavailableError
from keypoints.io.jsonl import object_problem, read_jsonl
from keypoints.render.schema import BatchLine

ROWS_PER_GROUP = 10_000


def _schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            ("id", pa.string()),
            ("title", pa.string()),
            ("model", pa.string()),
            ("version", pa.string()),
            ("points", pa.list_(pa.string())),
            ("points_json", pa.string()),
            ("options_json", pa.string()),  # null for output written before lines had options
        ]
    )


def _row_groups(source: Path, size: int) -> Iterator[list[dict[str, Any]]]:
    """The rows of the batch output `source`, `size` at a time; each line is read as the
    schema's `BatchLine` (output written before lines had options has none)."""
    rows: list[dict[str, Any]] = []
    for line in read_jsonl(source):
        problem = object_problem(line)
        if problem is not None:
            raise OutputError(f"{source} line {line.number}: {problem}")
        try:
            record = BatchLine.model_validate({"options": None, **line.value})
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(map(str, first["loc"]))
            raise OutputError(
                f"{source} line {line.number} is not a keypoints batch line ({where}: {first['msg']})"
            ) from None
        points = [p.model_dump(exclude_unset=True) for p in record.points]
        rows.append(
            {
                "id": record.id,
                "title": record.title,
                "model": record.model,
                "version": record.version,
                "points": [p.text for p in record.points],
                "points_json": json.dumps(points, ensure_ascii=False),
                "options_json": None if record.options is None else json.dumps(record.options),
            }
        )
        if len(rows) == size:
            yield rows
            rows = []
    if rows:
        yield rows


def jsonl_to_parquet(source: Path, target: Path, rows_per_group: int = ROWS_PER_GROUP) -> int:
    """Write the batch output `source` (JSONL) to `target` (Parquet); returns the rows."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ParquetUnavailableError(
            "--parquet needs pyarrow: pip install 'keypoints[batch]'"
        ) from exc
    schema = _schema()
    partial = target.with_name(target.name + ".partial")
    rows = 0
    try:
        with pq.ParquetWriter(partial, schema, compression="zstd") as writer:
            for group in _row_groups(source, rows_per_group):
                writer.write_table(pa.Table.from_pylist(group, schema=schema))
                rows += len(group)
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise OutputError(
            f"{target}: cannot write the Parquet file ({exc.strerror or exc})"
        ) from exc
    return rows
