"""The one JSONL reader: plain or gzip'd (by its magic bytes, not its name), one
`JsonLine` per non-blank line, each with its line number and, when it cannot be
used, the reason. Batch, gold, idf, training and ingest all read through it, so a
broken line reads the same everywhere.

    >>> import io
    >>> [(line.number, line.value, line.problem) for line in read_jsonl(io.BytesIO(b'{"id": 1}\\n\\n[2]\\n{x'))]
    [(1, {'id': 1}, None), (3, [2], None), (4, None, 'invalid JSON (Expecting property name enclosed in double quotes at column 2)')]
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from keypoints.errors import InputNotFoundError
from keypoints.io.files import DEFAULT_MAX_BYTES, over_the_limit

GZIP_MAGIC = b"\x1f\x8b"
# How much of an over-long line is read at a time while it is skipped.
_SKIP_CHUNK = 1 << 16


@dataclass(frozen=True)
class JsonLine:
    """One non-blank line: its 1-based number, and its JSON value or why there is none
    (`undecodable`: the bytes themselves are broken, not the JSON; `too_large`: the line
    is over the byte limit and was skipped unread; `damaged`: the compressed input is
    corrupt or cut off here, the last line read from it)."""

    number: int
    value: Any = None
    problem: str | None = None
    undecodable: bool = False
    damaged: bool = False  # a gzip stream broke off here: nothing after it could be read
    too_large: bool = False


def json_type_name(value: Any) -> str:
    """The JSON name of a Python value's type, for messages: an object, an array ..."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
             int: "a number", float: "a number", type(None): "null"}  # fmt: skip
    return names.get(type(value), type(value).__name__)


def parse_json(text: str) -> tuple[Any, str | None]:
    """(value, None) for valid JSON text, else (None, the reason)."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON ({exc.msg} at column {exc.colno})"


def parse_line(raw: bytes, number: int) -> JsonLine:
    """One line of bytes as a JsonLine (UTF-8, a BOM allowed)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return JsonLine(number, problem="not UTF-8 text", undecodable=True)
    value, problem = parse_json(text)
    return JsonLine(number, value, problem)


def object_problem(line: JsonLine) -> str | None:
    """Why `line` is not a usable JSON object, or None."""
    if line.problem is not None:
        return line.problem
    if not isinstance(line.value, dict):
        return f"not a JSON object but {json_type_name(line.value)}"
    return None


def open_binary(source: str | Path) -> IO[bytes]:
    """A file opened for reading bytes; a clear error when it cannot be."""
    path = Path(source)
    if path.is_dir():
        raise InputNotFoundError(f"{source}: is a directory, not a file")
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputNotFoundError(f"{source}: no such file or directory") from None
    except OSError as exc:
        raise InputNotFoundError(f"{source}: cannot read ({exc.strerror})") from None


def maybe_gunzip(handle: IO[bytes]) -> IO[bytes]:
    """The handle itself, or a gzip reader over it when it starts with the gzip magic."""
    buffered: Any = handle if hasattr(handle, "peek") else io.BufferedReader(cast(Any, handle))
    if buffered.peek(2)[:2] == GZIP_MAGIC:
        return cast(IO[bytes], gzip.GzipFile(fileobj=buffered))
    return cast(IO[bytes], buffered)


def read_jsonl(
    source: str | Path | IO[bytes], max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[JsonLine]:
    """Every non-blank line of a JSONL file, a binary handle or "-" (standard input).

    A line over `max_bytes` is a JsonLine whose problem says so (it is skipped without
    being held in memory). A gzip stream that is corrupt or cut off ends the input with
    one last JsonLine, `damaged`, whose problem says where; every line before the damage
    is read.
    """
    if not isinstance(source, (str, Path)):
        yield from _lines(maybe_gunzip(source), max_bytes)
    elif str(source) == "-":
        yield from _lines(maybe_gunzip(sys.stdin.buffer), max_bytes)  # stdin stays open
    else:
        with open_binary(source) as handle:
            yield from _lines(maybe_gunzip(handle), max_bytes)


def raw_lines(handle: IO[bytes], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[bytes | None]:
    """Every line of `handle` as bytes, or None for a line over `max_bytes` (not counting
    its line break), which is read and dropped a piece at a time: never more than about
    `max_bytes` in memory.

        >>> import io
        >>> list(raw_lines(io.BytesIO(b"12\\n12345\\n123"), max_bytes=3))
        [b'12\\n', None, b'123']
    """
    while raw := handle.readline(max_bytes + 1):
        if len(raw) <= max_bytes or raw.endswith(b"\n"):
            yield raw
            continue
        while (rest := handle.readline(_SKIP_CHUNK)) and not rest.endswith(b"\n"):
            pass
        yield None


def _lines(handle: IO[bytes], max_bytes: int) -> Iterator[JsonLine]:
    number = 0
    offset = 0  # uncompressed bytes read
    try:
        for number, raw in enumerate(raw_lines(handle, max_bytes), start=1):
            if raw is None:
                yield JsonLine(number, problem=f"line {over_the_limit(max_bytes)}", too_large=True)
                continue
            offset += len(raw)
            if raw.strip():
                yield parse_line(raw, number)
    except (EOFError, OSError, gzip.BadGzipFile, zlib.error) as exc:
        # A truncated archive raises EOFError, a corrupt deflate stream zlib.error.
        kind = "cut off" if isinstance(exc, EOFError) else "corrupt"
        near = _compressed_position(handle)
        yield JsonLine(
            number + 1,
            problem=f"damaged gzip input ({kind}): it breaks off after line {number}, at byte "
            f"{offset:,} of the uncompressed text{near} ({exc or type(exc).__name__}); "
            "nothing after it could be read",
            undecodable=True,
            damaged=True,
        )


def _compressed_position(handle: IO[bytes]) -> str:
    """', near byte N of the file' for a gzip reader, as far as it had read; else ''."""
    inner = getattr(handle, "fileobj", None)
    try:
        return f", near byte {inner.tell():,} of the file" if inner is not None else ""
    except (OSError, ValueError):
        return ""
