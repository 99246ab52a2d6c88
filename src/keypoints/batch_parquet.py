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

from keypoints.batch import OutputError
from keypoints.errors import KeypointsError

ROWS_PER_GROUP = 10_000


class ParquetUnavailableError(KeypointsError):
    exit_code = 69  # EX_UNAVAILABLE, as for a missing Dask


def _schema():
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


def _row_groups(source: Path, size: int) -> Iterator[list[dict]]:
    rows: list[dict] = []
    with open(source, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            points = record.get("points") or []
            rows.append(
                {
                    "id": str(record["id"]),
                    "title": record.get("title"),
                    "model": record.get("model"),
                    "version": record.get("version"),
                    "points": [p["text"] for p in points],
                    "points_json": json.dumps(points, ensure_ascii=False),
                    "options_json": json.dumps(record["options"]) if "options" in record else None,
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
