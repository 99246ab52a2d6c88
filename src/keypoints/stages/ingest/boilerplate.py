"""Boilerplate lines: what a page holds beside the article, found line by line.

Banners, photo captions and credits, page meta lines (dates, folders), site
disclaimers, share buttons, contact blocks, reference and related-article lists,
author boxes, repeats. Each rule is general: it names what the line is, not the
layout of one site.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

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
# The heading of a reference or related-content list; everything after it that looks
# like a reference (a link, a title, a bullet) goes.
_REF_HEADING = re.compile(
    r"^[#\s■◆●▼□◇【\[<＜]*(?:参考文献|参考資料|参考サイト|参考|出典|引用元|ソース"
    r"|関連(?:記事|リンク|情報|サイト|ニュース|動画|書籍|商品|コンテンツ|トピックス?)"
    r"|(?:あわせて|合わせて)読みたい|おすすめ(?:記事|情報)?|こちらもおすすめ|人気記事)"
    r"[】\]\s:：>＞]*$"
)
# A link to more of the same: "■〇〇の記事をもっと見る", "…続きを読む", "詳しくはこちら".
_MORE_LINK = re.compile(
    r"^[■◆●▼□◇【\[]?[^。]{0,40}もっと(?:見る|みる|読む)[】\]]?$|^[…\s]*続きを読む"
    r"|^(?:詳しく|詳細|続き)は(?:こちら|コチラ)[。！!]?$"
)
# A credit line: who wrote, shot, edited or provided it ("記事執筆：…", "（文：…）",
# "【取材・文＝…】", "（情報提供元：…）").
_CREDIT_LINE = re.compile(
    r"^[（(【\[]?(?:記事執筆|執筆|取材・文|文・構成|取材・構成|構成・文|文|取材|撮影|写真|画像"
    r"|イラスト|編集|制作編集|記事提供|情報提供元?|データ提供|提供|協力|翻訳|監修)\s*[:：＝=]"
)
_COPYRIGHT = re.compile(r"copyright|\([cC]\)|（[cC]）|©|all rights? reserved", re.IGNORECASE)
# Where the article says its facts come from, as a line of its own: "時事通信より",
# "本ニュースは「…」の報道を情報源としている。", "（読売新聞、2011年4月8日）".
_SOURCE_SENTENCE = re.compile(
    r"^(?:本|この|以上の)(?:ニュース|記事)は.{0,80}(?:情報源と|もとに|基に|元に|によるもの)"
)
_DATED_MEDIA = re.compile(
    r"^[（(【\[]?[^。]{1,30}(?:新聞|通信|日報|新報|タイムズ|ニュース|NEWS|放送|テレビ|ジャーナル)"
    r"[^。]{0,15}[、,，]\s*[0-9０-９]{4}年[0-9０-９]{1,2}月[0-9０-９]{1,2}日[^。]{0,10}[）)】\]]?。?$"
)
_FROM_SOURCE = re.compile(r"^[（(【\[]?[^。]{1,40}より[）)】\]]?$")
# Shop and affiliate lines under a product box.
_COMMERCE = re.compile(r"^(?:販売元|発売元|出版社)\s*[:：]|^クチコミを見る$|^Amazon\.co\.jp")
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
    ("more_link", lambda text: len(text) <= 60 and _MORE_LINK.search(text)),
    ("credit", lambda text: len(text) <= 80 and _CREDIT_LINE.match(text)),
    ("copyright", lambda text: len(text) <= 120 and "。" not in text and _COPYRIGHT.search(text)),
    ("source", lambda text: _SOURCE_SENTENCE.match(text) or _DATED_MEDIA.match(text)),
    ("commerce", lambda text: len(text) <= 60 and _COMMERCE.search(text)),
    ("author_heading", _AUTHOR_HEADING.match),
    ("author_bio", _BIO.match),
]


# The rules for news pages (credits, sources, links to more, shops), which the quality
# benchmark's ablation turns off.
NEWS_RULES = frozenset({"more_link", "credit", "copyright", "source", "commerce"})


def _reference_like(lines: list[Line], i: int) -> bool:
    """Inside a reference list: a URL, a title followed by a URL, or an item without 。."""
    text = lines[i].text
    before_url = i + 1 < len(lines) and _URL_LINE.match(lines[i + 1].text) is not None
    return bool(_URL.search(text) or before_url or BULLET_RE.match(text) or not text.endswith("。"))


def _alone(lines: list[Line], i: int) -> bool:
    """Whether line `i` is a paragraph of its own (no line before or after it in it)."""
    before = i > 0 and lines[i - 1].para == lines[i].para
    after = i + 1 < len(lines) and lines[i + 1].para == lines[i].para
    return not (before or after)


def _repeat_is_noise(text: str) -> bool:
    """A repeated fragment or paragraph is a page artefact; short sentences ("見解を求めます。")
    recur legitimately in speeches and Q&A."""
    return not text.endswith("。") or len(text) >= 40


def drop_boilerplate(
    lines: list[Line], dropped: list[tuple[str, str]], skip: Collection[str] = ()
) -> list[Line]:
    """Drop boilerplate lines, reference lists, author boxes and repeats; record why.
    `skip` names line rules not to apply (the ablation of `NEWS_RULES`)."""
    rules = [(name, test) for name, test in _LINE_RULES if name not in skip]
    kept: list[Line] = []
    seen: set[str] = set()
    in_refs, bio_para = False, -1
    for i, line in enumerate(lines):
        reason = next((name for name, test in rules if test(line.text)), None)
        if (
            reason is None
            and "source" not in skip
            and _FROM_SOURCE.match(line.text)
            and _alone(lines, i)
        ):
            reason = "source"  # "〇〇より" alone: a credit, not a wrapped sentence
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
