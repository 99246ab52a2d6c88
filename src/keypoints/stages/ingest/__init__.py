"""Stage 1, ingest: an article (text, Markdown, HTML or a JSON record) becomes a clean `Article`.

    >>> ingest("新制度の概要\\n\\n厚労省は新制度を公表した。").title
    '新制度の概要'

Plain text and JSON keep exact offsets: the body is built from verbatim slices of
the input and `Article.offset_map` maps every kept line back. Markdown and HTML
are converted to lines first, so their offsets refer to the extracted body.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from keypoints.errors import EmptyInputError, InvalidRecordError, NoJapaneseError
from keypoints.io.files import read_article, sniff_format
from keypoints.io.jsonl import json_type_name, parse_json
from keypoints.stages.base import ArticleStage, ArticleState
from keypoints.stages.ingest.boilerplate import drop_boilerplate
from keypoints.stages.ingest.lines import Line, html_to_lines, markdown_to_lines, text_to_lines
from keypoints.structures import Article, OffsetSpan
from keypoints.text.chars import JAPANESE_RE, WHITESPACE
from keypoints.text.lexicon import BULLET_RE

FORMATS = ("text", "markdown", "html", "json")

# The heading of an existing ポイント box ("## ポイント", "【この記事のポイント】", "3つのポイント").
_POINT_HEADING = re.compile(
    r"^[#\s■◆●▼【\[]*(?:この記事の|本記事の|記事の|今回の)?"
    r"(?:[0-9０-９一二三四五]つの)?(?:ポイント|要点)[】\]\s:：]*$"
)
# 「…」 quotes, removed before looking for a sentence-final 。 in a headline.
_QUOTE = re.compile(r"「[^「」]*」")


def ingest_file(path: str) -> Article:
    """The article of a file ('-': standard input), in UTF-8 or the encoding detected."""
    decoded, fmt = read_article(path)
    return ingest(decoded.text, format=fmt)


def ingest(
    text: str,
    *,
    format: str = "auto",
    title: str | None = None,
    id: str | None = None,
    skip_rules: Collection[str] = (),
) -> Article:
    """Clean one article: split off the title, the ポイント box and boilerplate
    (`skip_rules`: boilerplate rules not to apply, see `boilerplate.NEWS_RULES`)."""
    fmt = sniff_format(text) if format == "auto" else format
    if fmt not in FORMATS:
        raise ValueError(f"unknown input format {format!r}; expected auto or one of {FORMATS}")
    if not text.strip(WHITESPACE):
        raise EmptyInputError("input is empty")
    source = text
    if fmt == "json":
        source, record_title, record_id = _parse_record(text)
        title, id = (
            title if title is not None else record_title,
            id if id is not None else record_id,
        )
    if not JAPANESE_RE.search(source):
        raise NoJapaneseError("input contains no Japanese text")
    if fmt == "html":
        lines, html_title = html_to_lines(source)
        title = title if title is not None else html_title
    else:
        lines = markdown_to_lines(source) if fmt == "markdown" else text_to_lines(source)
    dropped: list[tuple[str, str]] = []
    # Where each line stood before the drops, by its input offset (plain text and JSON).
    order = {line.start: n for n, line in enumerate(lines) if line.start >= 0}
    lines, points = _extract_point_box(lines, dropped)
    lines = drop_boilerplate(lines, dropped, skip_rules)
    title, lines = _split_title(lines, title, dropped)
    body, spans, breaks = _assemble(lines, order, verbatim=fmt in ("text", "json"))
    if not body:
        raise EmptyInputError("no article text left after removing title and boilerplate")
    if not JAPANESE_RE.search(body):
        raise NoJapaneseError("article body contains no Japanese text")
    return Article(
        body=body,
        title=title,
        id=id,
        input_format=fmt,
        existing_points=points,
        dropped_lines=dropped,
        offset_map=spans,
        dropped_breaks=breaks,
    )


def _parse_record(text: str) -> tuple[str, str | None, str | None]:
    """A JSON object {"id", "title", "text"}; `text` is required and read as plain text."""
    record, problem = parse_json(text)
    if problem is not None:
        raise InvalidRecordError(f"{problem} in the JSON record")
    if not isinstance(record, dict):
        raise InvalidRecordError(
            f"a JSON record must be an object with a 'text' field, not {json_type_name(record)}"
        )
    body, title, rid = record.get("text"), record.get("title"), record.get("id")
    if not isinstance(body, str):
        raise InvalidRecordError("JSON record has no string 'text' field")
    if title is not None and not isinstance(title, str):
        raise InvalidRecordError("JSON record field 'title' must be a string")
    if not body.strip(WHITESPACE):
        raise EmptyInputError("JSON record 'text' is empty")
    return body, title or None, None if rid is None else str(rid)


def _extract_point_box(
    lines: list[Line], dropped: list[tuple[str, str]]
) -> tuple[list[Line], list[str]]:
    """Find a ポイント heading followed by bullets; return the rest and the bullet texts."""
    for i, line in enumerate(lines):
        if not _POINT_HEADING.match(line.text):
            continue
        end = i + 1
        while end < len(lines) and BULLET_RE.match(lines[end].text):
            end += 1
        if end > i + 1:
            dropped.extend((box.text, "existing_points") for box in lines[i:end])
            points = [BULLET_RE.sub("", box.text).strip(WHITESPACE) for box in lines[i + 1 : end]]
            return lines[:i] + lines[end:], points
    return lines, []


def _headline_like(lines: list[Line], i: int) -> bool:
    """Not a heading or bullet, no 。 outside quotes, short or followed by a paragraph break."""
    text = lines[i].text
    if lines[i].heading or "。" in _QUOTE.sub("", text) or BULLET_RE.match(text) or len(text) > 150:
        return False
    return len(text) <= 80 or i + 1 >= len(lines) or lines[i + 1].para != lines[i].para


def _split_title(
    lines: list[Line], title: str | None, dropped: list[tuple[str, str]]
) -> tuple[str | None, list[Line]]:
    """Take the headline as title (after a site banner) and drop body lines repeating it."""
    if lines and lines[0].heading == 1:  # Markdown/HTML: the first <h1> is the title line
        dropped.append((lines[0].text, "title"))
        title, lines = title or lines[0].text, lines[1:]
    elif title is None and len(lines) >= 2 and _headline_like(lines, 0):
        # A short first line followed by a longer headline is a site banner.
        banner = (
            len(lines) >= 3
            and len(lines[0].text) <= 40
            and lines[1].para != lines[0].para
            and _headline_like(lines, 1)
            and len(lines[1].text) > len(lines[0].text)
        )
        if banner:
            dropped.append((lines[0].text, "banner"))
            lines = lines[1:]
        title = lines[0].text
    if not title:
        return title, lines
    wanted = "".join(title.split())
    repeats = {i for i, line in enumerate(lines) if "".join(line.text.split()) == wanted}
    dropped.extend((lines[i].text, "title") for i in sorted(repeats))
    return title, [line for i, line in enumerate(lines) if i not in repeats]


def _assemble(
    lines: list[Line], order: dict[int, int], *, verbatim: bool
) -> tuple[str, list[OffsetSpan], frozenset[int]]:
    """Join kept lines ("\\n" inside, "\\n\\n" between paragraphs), recording offsets and,
    for verbatim input, the breaks where lines were dropped (`order`: the position of
    the line at each input offset before the drops)."""
    body, spans, breaks = "", [], set()
    for n, line in enumerate(lines):
        if n:
            if verbatim and order[line.start] != order[lines[n - 1].start] + 1:
                breaks.add(len(body))
            body += "\n" if line.para == lines[n - 1].para else "\n\n"
        if verbatim:
            spans.append(OffsetSpan(len(body), line.start, len(line.text)))
        body += line.text
    return body, spans, frozenset(breaks)


class Ingest(ArticleStage):
    """Stage 1: the raw input of each article becomes a clean `Article` (see `ingest`)."""

    name = "ingest"

    def __init__(self, skip_rules: Collection[str] = ()) -> None:
        self.skip_rules = frozenset(skip_rules)

    def process(self, state: ArticleState) -> None:
        given = state.input
        if given is None:
            raise ValueError("an article state needs an input or an ingested article")
        state.article = ingest(
            given.text,
            format=given.format,
            title=given.title,
            id=given.id,
            skip_rules=self.skip_rules,
        )
