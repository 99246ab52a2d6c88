"""Reading one article: a file or standard input as bytes, its format, and its text.

>>> sniff_format("<!doctype html><html>…")
'html'
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from keypoints.errors import InputNotFoundError, UndecodableInputError
from keypoints.text.chars import WHITESPACE

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


def read_input(path_or_dash: str, *, stdin_bytes: bytes | None = None) -> tuple[bytes, str]:
    """Read a file (or stdin for '-') and guess its format from extension or content."""
    if path_or_dash == "-":
        data = stdin_bytes if stdin_bytes is not None else sys.stdin.buffer.read()
        return data, sniff_format(data[:8192].decode("utf-8", errors="ignore"))
    path = Path(path_or_dash)
    if path.is_dir():
        raise InputNotFoundError(f"{path_or_dash}: is a directory, not a file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputNotFoundError(f"{path_or_dash}: no such file") from None
    except OSError as exc:
        raise InputNotFoundError(f"{path_or_dash}: cannot read ({exc.strerror})") from None
    fmt = EXTENSION_FORMATS.get(path.suffix.lower())
    return data, fmt or sniff_format(data[:8192].decode("utf-8", errors="ignore"))


def decode(data: bytes, source: str) -> str:
    """Strict UTF-8 (a leading BOM is accepted and removed); binary data is refused."""
    if b"\x00" in data:
        raise UndecodableInputError(f"{source}: not UTF-8 text (binary file?)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UndecodableInputError(f"{source}: not UTF-8 text (binary file?)") from None
