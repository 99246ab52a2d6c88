"""A summarize request from its HTTP body: JSON (`SummarizeRequest`), or a multipart
form with an uploaded `file` (.txt, .md, .html or .json) and the settings as fields.

An upload of another kind is `UnsupportedUpload` (415); bad settings, bad JSON or a
record without text is `ValueError` (422); bytes that are not text in
UTF-8 or a Japanese encoding that can be told are `UndecodableInputError` (400).
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.requests import Request

from keypoints.io.files import decode
from keypoints.web.schema import SummarizeRequest

# Upload suffix → how to read it (`json`: a record with "text" and maybe "title").
UPLOAD_FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
}


class UnsupportedUpload(Exception):
    """Neither JSON nor a multipart form, or a file of a kind the page does not read."""


async def read_request(request: Request) -> SummarizeRequest:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        return _validated(await request.body(), json_text=True)
    if kind == "multipart/form-data":
        return await _from_form(request)
    raise UnsupportedUpload(
        f"unsupported content type {kind or '(none)'!r}: send application/json or a "
        "multipart/form-data upload"
    )


async def _from_form(request: Request) -> SummarizeRequest:
    form = await request.form()
    fields: dict[str, Any] = {
        key: value for key, value in form.items() if isinstance(value, str) and value != ""
    }
    if "terms" in fields:
        fields["terms"] = [t.strip() for t in fields["terms"].splitlines() if t.strip()]
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        suffix = PurePath(upload.filename).suffix.lower()
        if suffix not in UPLOAD_FORMATS:
            raise UnsupportedUpload(
                f"cannot read a {suffix or 'suffix-less'} file: upload "
                + ", ".join(sorted(set(UPLOAD_FORMATS) - {".text", ".markdown", ".htm"}))
            )
        text = _decoded(await upload.read(), upload.filename)
        if UPLOAD_FORMATS[suffix] == "json":
            fields.update(_record(text))
        else:
            fields["text"], fields["format"] = text, UPLOAD_FORMATS[suffix]
    return _validated(fields)


def _record(text: str) -> dict[str, Any]:
    """The text and title of an uploaded JSON record."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"the .json file is not JSON: {error}") from None
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise ValueError('the .json file must be an object with a "text" string')
    fields = {"text": record["text"]}
    if isinstance(record.get("title"), str):
        fields["title"] = record["title"]
    return fields


def _decoded(data: bytes, name: str) -> str:
    """UTF-8, else the Japanese encoding detected, as the command line reads files
    (`keypoints.io.files.decode`); a binary or an encoding that cannot be told is
    `UndecodableInputError` (400)."""
    return decode(data, name)


def _validated(data: Any, *, json_text: bool = False) -> SummarizeRequest:
    try:
        if json_text:
            return SummarizeRequest.model_validate_json(data)
        return SummarizeRequest.model_validate(data)
    except ValidationError as error:
        raise ValueError(plain_errors(error.errors())) from None


def plain_errors(errors: Any) -> str:
    """Pydantic's errors as one line: 'points: Input should be less than or equal to 20'."""
    parts = []
    for item in errors:
        where = ".".join(str(p) for p in item.get("loc", ()) if p != "body")
        parts.append(f"{where}: {item.get('msg', 'invalid')}" if where else item.get("msg", ""))
    return "; ".join(parts) or "invalid request"
