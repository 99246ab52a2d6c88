"""Boilerplate lines: what a page holds beside the article, found line by line.

Banners, photo captions and credits, page meta lines (dates, folders), site
disclaimers, share buttons, contact blocks, reference and related-article lists,
author boxes, repeats. Each rule is general: it names what the line is, not the
layout of one site.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from keypoints.stages.ingest.lines import Line
from keypoints.text.chars import HIRAGANA_RE
from keypoints.text.lexicon import BULLET_RE, CREDIT_SEPARATORS, CREDIT_WORDS_RE

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


def _reference_like(lines: list[Line], i: int) -> bool:
    """Inside a reference list: a URL, a title followed by a URL, or an item without 。."""
    text = lines[i].text
    before_url = i + 1 < len(lines) and _URL_LINE.match(lines[i + 1].text) is not None
    return bool(_URL.search(text) or before_url or BULLET_RE.match(text) or not text.endswith("。"))


def _repeat_is_noise(text: str) -> bool:
    """A repeated fragment or paragraph is a page artefact; short sentences ("見解を求めます。")
    recur legitimately in speeches and Q&A."""
    return not text.endswith("。") or len(text) >= 40


def drop_boilerplate(lines: list[Line], dropped: list[tuple[str, str]]) -> list[Line]:
    """Drop boilerplate lines, reference lists, author boxes and repeats; record why."""
    kept: list[Line] = []
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
