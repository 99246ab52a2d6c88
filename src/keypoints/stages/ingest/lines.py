"""An input as lines: plain text keeps each line's offset in the input; Markdown
(markdown-it-py) and HTML (trafilatura) become blocks of lines, lists as ・ lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from keypoints.text.chars import WHITESPACE


@dataclass
class Line:
    text: str  # stripped line
    start: int  # offset of `text` in the input, -1 when not a verbatim slice
    para: int  # paragraph number; lines of different paragraphs are joined by "\n\n"
    heading: int = 0  # Markdown/HTML heading level, 0 for other lines


def text_to_lines(text: str) -> list[Line]:
    """Non-blank lines with their input offsets; blank lines start a new paragraph."""
    lines: list[Line] = []
    pos, para, blank = 0, 0, False
    for raw in text.split("\n"):
        stripped = raw.strip(WHITESPACE)
        if stripped:
            if blank and lines:
                para += 1
            lines.append(Line(stripped, pos + len(raw) - len(raw.lstrip(WHITESPACE)), para))
            blank = False
        else:
            blank = True
        pos += len(raw) + 1
    return lines


def _blocks_to_lines(blocks: list[tuple[list[str], int]]) -> list[Line]:
    """(lines, heading level) blocks from Markdown/HTML; each block is a paragraph."""
    out: list[Line] = []
    for para, (texts, level) in enumerate(blocks):
        out.extend(Line(t, -1, para, level) for t in (s.strip(WHITESPACE) for s in texts) if t)
    return out


def markdown_to_lines(text: str) -> list[Line]:
    """Headings and paragraphs become lines, list items "・" lines; code and images go."""
    from markdown_it import MarkdownIt

    blocks: list[tuple[list[str], int]] = []
    depth, level, item = 0, 0, False
    for tok in MarkdownIt("commonmark").parse(text):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            blocks += [([], 0)] if depth == 0 else []
            depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif tok.type == "list_item_open":
            item = True
        elif tok.type == "heading_open":
            level = int(tok.tag[1:])
        elif tok.type == "inline":
            text = "".join(
                c.content
                if c.type in ("text", "code_inline")
                else "\n"
                if c.type in ("softbreak", "hardbreak")
                else ""
                for c in tok.children or []
            )
            parts = [p for p in text.split("\n") if p.strip(WHITESPACE)]  # images, raw HTML dropped
            if item and parts:
                parts[0], item = "・" + parts[0].strip(WHITESPACE), False
            if depth:
                blocks[-1][0].extend(parts)
            else:
                blocks.append((parts, level))
            level = 0
    return _blocks_to_lines(blocks)


def html_to_lines(html: str) -> tuple[list[Line], str | None]:
    """Main text via trafilatura (no nav, footer or comments); lists become "・" lines.

    The title is trafilatura's metadata title (og:title, then <title>, then <h1>).
    """
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_recall=True,
        with_metadata=True,
    )
    blocks: list[tuple[list[str], int]] = []
    if doc is None or isinstance(doc, dict):  # dict: only when asked for (as_dict)
        return [], None
    for element in doc.body if doc.body is not None else []:
        _html_block(element, blocks)
    return _blocks_to_lines(blocks), doc.title or None


def _html_block(element: Any, blocks: list[tuple[list[str], int]]) -> None:
    """Append one element of trafilatura's XML body (head, p, list, table, quote...)."""
    tag = element.tag
    if tag == "list":
        blocks.append(
            (["・" + _xml_text(item).strip(WHITESPACE) for item in element.iter("item")], 0)
        )
    elif tag == "table":
        blocks.append(
            ([" ".join(_xml_text(c).strip() for c in row) for row in element.iter("row")], 0)
        )
    elif tag in ("quote", "div") and any(child.tag in ("p", "list", "head") for child in element):
        for child in element:
            _html_block(child, blocks)
    elif tag not in ("graphic", "code"):
        rend = re.fullmatch(r"h([1-6])", element.get("rend") or "")
        level = (int(rend.group(1)) if rend else 2) if tag == "head" else 0
        blocks.append((_xml_text(element).split("\n"), level))


def _xml_text(element: Any) -> str:
    """Text of an element with <lb/> as newlines, leaving out nested lists."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag not in ("list", "graphic"):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts)
