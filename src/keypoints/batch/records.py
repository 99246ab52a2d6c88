"""The records of a batch input: a JSONL file (plain or gzip'd), a directory of
article files, or standard input; each a `Record`, or the reason it cannot be one.

No record is read past `max_bytes`: an article file or a JSONL line over it is a
record with an `InputTooLargeError`. Article files are UTF-8 or the encoding detected
(`keypoints.io.charsets`), or the `encoding` given; JSONL is UTF-8.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from keypoints.batch.job import DEFAULT_FIELDS, Fields
from keypoints.errors import InputNotFoundError, InputTooLargeError, KeypointsError
from keypoints.io.charsets import AUTO, decode_bytes
from keypoints.io.files import DEFAULT_MAX_BYTES, check_size
from keypoints.io.jsonl import (
    GZIP_MAGIC,
    JsonLine,
    json_type_name,
    object_problem,
    raw_lines,
    read_jsonl,
)

# Article files read from a directory input, by extension.
DIRECTORY_FORMATS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}


@dataclass(frozen=True)
class Record:
    """One input article, or the reason it cannot be one (`error`: name, reason)."""

    line: int  # 1-based line of a JSONL input; position in the sorted listing of a directory
    id: str | None
    title: str | None = None
    text: str | None = None
    format: str = "text"
    error: tuple[str, str] | None = None
    detected: str | None = (
        None  # an article file's encoding, when it was detected: 'EUC-JP (euc-jp)'
    )


def count_records(source: str, max_bytes: int = DEFAULT_MAX_BYTES) -> int | None:
    """Records in a plain JSONL file or directory, for the progress bar; None if unknown
    (stdin, gzip, a FIFO or a device: counting would mean reading it twice)."""
    path = Path(source)
    if source == "-":
        return None
    try:
        if path.is_dir():
            return sum(1 for _ in _directory_files(path))
        if not path.is_file():
            return None
        with open(path, "rb") as handle:
            if handle.read(2) == GZIP_MAGIC:
                return None
            handle.seek(0)
            return sum(1 for raw in raw_lines(handle, max_bytes) if raw is None or raw.strip())
    except OSError:  # unreadable: read_records reports it
        return None


def read_records(
    source: str,
    fields: Fields = DEFAULT_FIELDS,
    *,
    encoding: str = AUTO,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Record]:
    """Records of a JSONL file (plain or gzip, by its magic bytes), a directory or "-"
    (`encoding`: of the article files of a directory)."""
    if source != "-" and Path(source).is_dir():
        yield from _directory_records(Path(source), encoding, max_bytes)
        return
    for line in read_jsonl(source, max_bytes):
        yield record_of(line, fields)


def check_input(source: str) -> None:
    """Fail before any work (and before touching the output) when INPUT is missing."""
    if source != "-" and not Path(source).exists():
        raise InputNotFoundError(f"{source}: no such file or directory")


def record_of(line: JsonLine, fields: Fields = DEFAULT_FIELDS) -> Record:
    """A JSONL line as a Record; what is wrong with it (if anything) goes in `error`.

    Emptiness and "no Japanese" are left to the pipeline's ingest in the worker, so
    that the reasons are the same words `keypoints summarize` uses.
    """
    problem = object_problem(line)
    if problem is not None:
        name = (
            "DamagedInputError"
            if line.damaged
            else InputTooLargeError.__name__
            if line.too_large
            else "UndecodableInputError"
            if line.undecodable
            else "InvalidRecordError"
        )
        return Record(line.number, None, error=(name, problem))
    data = line.value
    raw_id, title, text = data.get(fields.id), data.get(fields.title), data.get(fields.text)
    rid, id_problem = record_id(raw_id, fields.id)
    if rid is None:
        return Record(line.number, None, error=("InvalidRecordError", id_problem))
    if not isinstance(text, str):
        return Record(
            line.number,
            rid,
            error=("InvalidRecordError", f"record has no string '{fields.text}' field"),
        )
    if title is not None and not isinstance(title, str):
        return Record(
            line.number,
            rid,
            error=("InvalidRecordError", f"record field '{fields.title}' must be a string"),
        )
    return Record(line.number, rid, title or None, text, "text")


def record_id(value: Any, name: str = "id") -> tuple[str | None, str]:
    """The id of a record, by one rule: a string as it is, an integer as its decimal
    string (so 42 and "42" are the same id, and a repeat), anything else an error.

    >>> record_id(42), record_id("a-1"), record_id(True)[0], record_id(1.0)[1]
    (('42', ''), ('a-1', ''), None, "'id' must be a string or an integer, not a number (1.0)")
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, f"record has no '{name}'"
    if isinstance(value, str):
        return value, ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value), ""
    shown = json.dumps(value, ensure_ascii=False)
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    return None, f"'{name}' must be a string or an integer, not {json_type_name(value)} ({shown})"


def _directory_files(root: Path) -> Iterator[Path]:
    """Article files under `root`, sorted by relative path so ids and order are stable."""
    files = (p for p in root.rglob("*") if p.suffix.lower() in DIRECTORY_FORMATS and p.is_file())
    return iter(sorted(files, key=lambda p: p.relative_to(root).as_posix()))


def _directory_records(root: Path, encoding: str, max_bytes: int) -> Iterator[Record]:
    """One record per article file; the id is its path relative to `root`."""
    for position, path in enumerate(_directory_files(root), start=1):
        rid = path.relative_to(root).as_posix()
        fmt = DIRECTORY_FORMATS[path.suffix.lower()]
        try:
            with open(path, "rb") as handle:
                data = check_size(handle.read(max_bytes + 1), rid, max_bytes)
            decoded = decode_bytes(data, rid, encoding)
        except KeypointsError as exc:
            yield Record(position, rid, error=(type(exc).__name__, str(exc)))
        except OSError as exc:
            yield Record(
                position, rid, error=("InputNotFoundError", f"cannot read ({exc.strerror})")
            )
        else:
            label = decoded.label if decoded.detected else None
            yield Record(position, rid, None, decoded.text, fmt, detected=label)
