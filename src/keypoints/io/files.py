"""Reading one article: a file or standard input as bytes (at most `--max-bytes`), its
format, and its text.

>>> sniff_format("<!doctype html><html>…")
'html'
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from keypoints.errors import InputNotFoundError, InputTooLargeError
from keypoints.io.charsets import AUTO, Decoded, decode_bytes
from keypoints.text.chars import WHITESPACE

# The most bytes an article may have (`--max-bytes`): a file, standard input or a JSONL line.
DEFAULT_MAX_BYTES = 20_000_000

# Input formats by file extension; anything else is sniffed from the content.
EXTENSION_FORMATS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "json",
}
# Sniffing only (never used to extract text): an HTML document or a tag.
_HTML_START = re.compile(r"\s*<(?:!doctype|html)\b", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?>")
_MD_HEADING = re.compile(r"\s*#{1,6}\s+\S")


def sniff_format(text: str) -> str:
    """json, html, markdown or text, by how `text` begins."""
    head = text.lstrip(WHITESPACE)
    if head.startswith("{"):
        return "json"
    if _HTML_START.match(head) or len(_HTML_TAG.findall(head[:8192])) >= 5:
        return "html"
    return "markdown" if _MD_HEADING.match(head) else "text"


def read_input(
    path_or_dash: str, *, stdin_bytes: bytes | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[bytes, str]:
    """Read a file (or stdin for '-'), at most `max_bytes`, and guess its format from
    the extension or the content (read as UTF-8: `read_article` sniffs the decoded text)."""
    data = read_bytes(path_or_dash, stdin_bytes=stdin_bytes, max_bytes=max_bytes)
    fmt = extension_format(path_or_dash)
    return data, fmt or sniff_format(data[:8192].decode("utf-8", errors="ignore"))


def read_article(
    path_or_dash: str,
    *,
    encoding: str = AUTO,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin_bytes: bytes | None = None,
) -> tuple[Decoded, str]:
    """The text of a file (or stdin for '-') and its format: by the extension, else
    sniffed from the text (so that a UTF-16 HTML page is known as HTML)."""
    data = read_bytes(path_or_dash, stdin_bytes=stdin_bytes, max_bytes=max_bytes)
    decoded = decode_bytes(data, source_name(path_or_dash), encoding)
    fmt = extension_format(path_or_dash)
    return decoded, fmt or sniff_format(decoded.text[:8192])


def extension_format(path_or_dash: str) -> str | None:
    """The format its extension gives a file ('-' and unknown extensions: None)."""
    return None if path_or_dash == "-" else EXTENSION_FORMATS.get(Path(path_or_dash).suffix.lower())


def source_name(path_or_dash: str) -> str:
    """How messages name an input: its path, or 'standard input' for '-'."""
    return "standard input" if path_or_dash == "-" else path_or_dash


def read_bytes(
    path_or_dash: str, *, stdin_bytes: bytes | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> bytes:
    """The bytes of a file (or stdin for '-'), reading at most `max_bytes` + 1 of them:
    more is an `InputTooLargeError` (so /dev/zero ends), never a growing buffer."""
    if path_or_dash == "-":
        data = stdin_bytes if stdin_bytes is not None else sys.stdin.buffer.read(max_bytes + 1)
        return check_size(data, "standard input", max_bytes)
    path = Path(path_or_dash)
    if path.is_dir():
        raise InputNotFoundError(f"{path_or_dash}: is a directory, not a file")
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputNotFoundError(f"{path_or_dash}: no such file") from None
    except OSError as exc:
        raise InputNotFoundError(f"{path_or_dash}: cannot read ({exc.strerror})") from None
    return check_size(data, path_or_dash, max_bytes)


def check_size(data: bytes, source: str, max_bytes: int) -> bytes:
    """`data`, unless it is over `max_bytes`."""
    if len(data) > max_bytes:
        raise InputTooLargeError(f"{source}: {over_the_limit(max_bytes)}")
    return data


def over_the_limit(max_bytes: int) -> str:
    """Why an input over `max_bytes` is refused.

    >>> over_the_limit(20_000_000)
    'over the --max-bytes limit of 20,000,000 bytes'
    """
    return f"over the --max-bytes limit of {max_bytes:,} bytes"


def decode(data: bytes, source: str, encoding: str = AUTO) -> str:
    """The text of `data`: UTF-8 (a leading BOM is removed), else the Japanese encoding
    detected (see `keypoints.io.charsets`), or `encoding` when one is given; binary
    data and an encoding that cannot be told are refused."""
    return decode_bytes(data, source, encoding).text
