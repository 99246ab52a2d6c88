"""Stage 1, ingest: an article (text, Markdown, HTML or a JSON record) becomes a clean `Article`.

    >>> ingest("新制度の概要\n\n厚労省は新制度を公表した。").title
    '新制度の概要'

Plain text and JSON keep exact offsets: the body is built from verbatim slices of
the input and `Article.offset_map` maps every kept line back. Markdown and HTML
are converted to lines first, so their offsets refer to the extracted body.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from keypoints.errors import EmptyInputError, InvalidRecordError, NoJapaneseError
from keypoints.io.files import decode, read_input, sniff_format
from keypoints.io.jsonl import json_type_name, parse_json
from keypoints.stages.base import ArticleStage, ArticleState
from keypoints.structures import Article, OffsetSpan
from keypoints.text.chars import HIRAGANA_RE, JAPANESE_RE, WHITESPACE
from keypoints.text.lexicon import BULLET_RE, CREDIT_SEPARATORS, CREDIT_WORDS_RE

FORMATS = ("text", "markdown", "html", "json")
# The heading of an existing ポイント box ("## ポイント", "【この記事のポイント】", "3つのポイント").
_POINT_HEADING = re.compile(
    r"^[#\s■◆●▼【\[]*(?:この記事の|本記事の|記事の|今回の)?"
    r"(?:[0-9０-９一二三四五]つの)?(?:ポイント|要点)[】\]\s:：]*$"
)
# A line that is nothing but a URL (reference lists, "source:" footers).
_URL_LINE = re.compile(r"^<?(?:https?://|www\.)\S+>?$")
_URL = re.compile(r"https?://\S+")
# Photo captions (short lines) end with a credit: (写真/…), （出典：…）, （〇〇提供）, or
# say 写真はイメージ. A hiragana-free 〇〇 keeps "（無料コードを提供）" in the body.
_CAPTION = re.compile(
    rf"[(（]\s*(?:{CREDIT_WORDS_RE})\s*[{re.escape(CREDIT_SEPARATORS)}]"
    r"[^()（）]{0,40}[)）]\s*$|[(（][^()（）ぁ-ん]{1,30}提供[)）]\s*$"
    r"|(?:写真|画像)はイメージ|イメージ(?:写真|画像)[)）]?\s*$",
    re.IGNORECASE,
)
# A caption credit on a line of its own; the line above it is then the caption text.
_CAPTION_ONLY = re.compile(r"^[(（][^()（）]{1,40}[)）]$")
# Dates as written in page meta lines (2025.8.31, 2025年8月31日(日) 10:00, 2025/08/31).
_DATE = re.compile(
    r"\d{4}\s*[年./\-]\s*\d{1,2}\s*[月./\-]\s*\d{1,2}\s*日?"
    r"(?:\s*[(（][月火水木金土日][)）])?(?:\s*\d{1,2}:\d{2})?"
)
# Words that surround a date in meta lines ("カレンダー… フォルダー 国内", "… 公開").
_META_WORDS = re.compile(
    r"カレンダー|フォルダー|最終更新日?|(?:公開|更新|投稿|配信|掲載|作成)日?(?:時)?"
    r"|posted|updated|[:：|｜/／・\s]",
    re.IGNORECASE,
)
# A site banner: a short line presenting the site ("〇〇NEWS …ニュースをお届けするサイト").
_BANNER = re.compile(
    r"^(?![・•\-*])[^。]{0,60}(?:をお届け[^。]{0,20}|(?:情報|ニュース|専門|ポータル|総合|公式)"
    r"(?:Web|ウェブ)?サイト)$"
)
# A paragraph about the site itself ("当サイトの目標は…"), not "以前本サイトでも紹介した".
_DISCLAIMER = re.compile(
    r"(?:当|(?<!日)本)(?:サイト|メディア)(?:は|では|が|の(?:目標|目的|情報|内容|掲載))"
    r"|をお届けするサイトです"
)
# Share buttons and SNS links, possibly several on one line.
_SHARE = re.compile(
    r"^(?=.*\w)(?:(?:(?:Facebook|X|LINE|はてブ|Twitter)で)?シェア(?:する)?|ツイート|ポスト"
    r"|LINEで送る|LINE|Facebook|Twitter|X|はてブ|はてなブックマーク|Pocket|B!|Tweet"
    r"|Share|いいね！?|リンクをコピー|コピー|[\s|｜/・,、])+$",
    re.IGNORECASE,
)
# Contact blocks: "お問い合わせ：…", "下記よりお気軽に…", e-mail addresses, phone numbers.
_CONTACT = re.compile(
    r"^[■【\[]?(?:お問い?合わ?せ|問い?合わ?せ|連絡|ご?相談)(?:先|窓口)?(?:[】\]\s:：]|$)"
    r"|^(?:下記|以下|こちら)(?:より|から|まで)?お気軽に|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
_PHONE = re.compile(
    r"(?:TEL|電話)\s*[:：]?\s*0\d|(?<!\d)0\d{1,4}-\d{1,4}-\d{3,4}(?!\d)", re.IGNORECASE
)
# The heading of a reference list; everything after it that looks like a reference goes.
_REF_HEADING = re.compile(
    r"^[#\s■◆●▼【\[]*(?:参考文献|参考資料|参考|関連記事|関連リンク|出典|引用元)"
    r"[】\]\s:：]*$"
)
# An author box heading; the paragraph after it is the bio.
_AUTHOR_HEADING = re.compile(
    r"^(?:Author|About the author|著者|筆者|執筆者|ライター|(?:この)?記事を書いた人"
    r"|(?:著者)?プロフィール)(?:\s*[:：]\s*\S{0,20})?$",
    re.IGNORECASE,
)
# A bio: a role in a short first phrase ("〇〇NEWS編集長。") plus a career verb later.
_BIO = re.compile(
    r"^(?=[^。]{0,40}(?:編集長|記者|ジャーナリスト|ライター|編集者)[。/／、・\s])"
    r"(?=.*(?:卒業|経て|設立|入社|退社))"
)
# 「…」 quotes, removed before looking for a sentence-final 。 in a headline.
_QUOTE = re.compile(r"「[^「」]*」")


@dataclass
class _Line:
    text: str  # stripped line
    start: int  # offset of `text` in the input, -1 when not a verbatim slice
    para: int  # paragraph number; lines of different paragraphs are joined by "\n\n"
    heading: int = 0  # Markdown/HTML heading level, 0 for other lines


def ingest_file(path: str) -> Article:
    data, fmt = read_input(path)
    return ingest(decode(data, "<stdin>" if path == "-" else path), format=fmt)


def ingest(
    text: str, *, format: str = "auto", title: str | None = None, id: str | None = None
) -> Article:
    """Clean one article: split off the title, the ポイント box and boilerplate."""
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
        lines, html_title = _html_to_lines(source)
        title = title if title is not None else html_title
    else:
        lines = _markdown_to_lines(source) if fmt == "markdown" else _text_to_lines(source)
    dropped: list[tuple[str, str]] = []
    lines, points = _extract_point_box(lines, dropped)
    lines = _drop_boilerplate(lines, dropped)
    title, lines = _split_title(lines, title, dropped)
    body, spans = _assemble(lines, verbatim=fmt in ("text", "json"))
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


def _text_to_lines(text: str) -> list[_Line]:
    """Non-blank lines with their input offsets; blank lines start a new paragraph."""
    lines: list[_Line] = []
    pos, para, blank = 0, 0, False
    for raw in text.split("\n"):
        stripped = raw.strip(WHITESPACE)
        if stripped:
            if blank and lines:
                para += 1
            lines.append(_Line(stripped, pos + len(raw) - len(raw.lstrip(WHITESPACE)), para))
            blank = False
        else:
            blank = True
        pos += len(raw) + 1
    return lines


def _blocks_to_lines(blocks: list[tuple[list[str], int]]) -> list[_Line]:
    """(lines, heading level) blocks from Markdown/HTML; each block is a paragraph."""
    out: list[_Line] = []
    for para, (texts, level) in enumerate(blocks):
        out.extend(_Line(t, -1, para, level) for t in (s.strip(WHITESPACE) for s in texts) if t)
    return out


def _markdown_to_lines(text: str) -> list[_Line]:
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


def _html_to_lines(html: str) -> tuple[list[_Line], str | None]:
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


def _extract_point_box(
    lines: list[_Line], dropped: list[tuple[str, str]]
) -> tuple[list[_Line], list[str]]:
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


def _is_meta_line(text: str) -> bool:
    """A date with only meta words and a short category left ("… フォルダー 国内")."""
    if not _DATE.search(text) or "。" in text:
        return False
    rest = _META_WORDS.sub("", _DATE.sub("", text))
    return len(rest) <= 15 and not HIRAGANA_RE.search(rest) and not re.search(r"\d", rest)


# Single-line boilerplate tests, first match wins; *_heading reasons open a section.
_LINE_RULES: list[tuple[str, Callable[[str], object]]] = [
    ("url", _URL_LINE.match),
    ("caption", lambda text: len(text) <= 120 and _CAPTION.search(text)),
    ("meta", _is_meta_line),
    ("banner", _BANNER.match),
    ("site_disclaimer", _DISCLAIMER.search),
    ("share", lambda text: len(text) <= 40 and _SHARE.match(text)),
    ("contact", lambda text: _CONTACT.search(text) or (len(text) <= 60 and _PHONE.search(text))),
    ("references_heading", _REF_HEADING.match),
    ("author_heading", _AUTHOR_HEADING.match),
    ("author_bio", _BIO.match),
]


def _reference_like(lines: list[_Line], i: int) -> bool:
    """Inside a reference list: a URL, a title followed by a URL, or an item without 。."""
    text = lines[i].text
    before_url = i + 1 < len(lines) and _URL_LINE.match(lines[i + 1].text) is not None
    return bool(_URL.search(text) or before_url or BULLET_RE.match(text) or not text.endswith("。"))


def _repeat_is_noise(text: str) -> bool:
    """A repeated fragment or paragraph is a page artefact; short sentences ("見解を求めます。")
    recur legitimately in speeches and Q&A."""
    return not text.endswith("。") or len(text) >= 40


def _drop_boilerplate(lines: list[_Line], dropped: list[tuple[str, str]]) -> list[_Line]:
    """Drop boilerplate lines, reference lists, author boxes and repeats; record why."""
    kept: list[_Line] = []
    seen: set[str] = set()
    in_refs, bio_para = False, -1
    for i, line in enumerate(lines):
        reason = next((name for name, test in _LINE_RULES if test(line.text)), None)
        if reason is None and in_refs and _reference_like(lines, i):
            reason = "references"
        if reason is None and line.para == bio_para:
            reason = "author_bio"
        if reason is None and line.text in seen and _repeat_is_noise(line.text):
            reason = "duplicate"
        in_refs = reason is not None and (in_refs or reason == "references_heading")
        if reason == "author_heading" and i + 1 < len(lines):
            bio_para = lines[i + 1].para
        if reason is None:
            seen.add(line.text)
            kept.append(line)
            continue
        caption_text_above = kept and kept[-1].para == line.para and len(kept[-1].text) <= 80
        if reason == "caption" and _CAPTION_ONLY.match(line.text) and caption_text_above:
            dropped.append((kept.pop().text, "caption"))
        dropped.append((line.text, reason.removesuffix("_heading")))
    return kept


def _headline_like(lines: list[_Line], i: int) -> bool:
    """Not a heading or bullet, no 。 outside quotes, short or followed by a paragraph break."""
    text = lines[i].text
    if lines[i].heading or "。" in _QUOTE.sub("", text) or BULLET_RE.match(text) or len(text) > 150:
        return False
    return len(text) <= 80 or i + 1 >= len(lines) or lines[i + 1].para != lines[i].para


def _split_title(
    lines: list[_Line], title: str | None, dropped: list[tuple[str, str]]
) -> tuple[str | None, list[_Line]]:
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


def _assemble(lines: list[_Line], *, verbatim: bool) -> tuple[str, list[OffsetSpan]]:
    """Join kept lines ("\\n" inside, "\\n\\n" between paragraphs), recording offsets."""
    body, spans = "", []
    for n, line in enumerate(lines):
        if n:
            body += "\n" if line.para == lines[n - 1].para else "\n\n"
        if verbatim:
            spans.append(OffsetSpan(len(body), line.start, len(line.text)))
        body += line.text
    return body, spans


class Ingest(ArticleStage):
    """Stage 1: the raw input of each article becomes a clean `Article` (see `ingest`)."""

    name = "ingest"

    def process(self, state: ArticleState) -> None:
        given = state.input
        if given is None:
            raise ValueError("an article state needs an input or an ingested article")
        state.article = ingest(given.text, format=given.format, title=given.title, id=given.id)
