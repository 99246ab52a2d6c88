"""Word lists and patterns that more than one stage uses: list markers, photo credits,
organisation suffixes.

    >>> bool(BULLET_RE.match("・新制度を導入"))
    True
    >>> bool(BULLET_RE.match("3.5%増えた"))  # a number, not a list marker
    False
"""

from __future__ import annotations

import re

# Characters that open a list line (ingest reads a ポイント box by them, segment flags
# bullet sentences, compress strips them from a point); a dash only when no number
# follows it (-5度 is a number). Not →: a line opening with it states a consequence.
BULLET_MARKS = "•・*＊●○◎■□◆◇▼▽▶►✓✔"
BULLET_DASHES = "-‐－"
# A list marker at the start of a line: a mark, a dash, a circled number or a number
# with . ) 、, and not the '3.' of 3.5% nor the '-' of -5度.
BULLET_RE = re.compile(
    rf"^[ \t\u3000]*(?:[{re.escape(BULLET_MARKS)}]|[{re.escape(BULLET_DASHES)}](?![0-9０-９])|[①-⑳]"
    r"|[(（]?[0-9０-９]{1,2}[.．)）、](?![0-9０-９.．]))[ \t\u3000]*(?=\S)"
)

# Words of a photo or source credit: (写真/筆者撮影), （出典：厚労省）, (画像提供: …).
CREDIT_WORDS = ("写真", "画像", "出典", "提供", "撮影", "資料", "図", "イラスト", "Photo")
CREDIT_WORDS_RE = "|".join(CREDIT_WORDS)
CREDIT_SEPARATORS = "/／:：|｜・"

# Nouns whose modifying clause is their content (〜する方針, 〜となる見込み, 〜したもの):
# without it they say nothing, so the clause is never dropped.
FORMAL_NOUNS = frozenset(
    "見通し 方針 予定 見込み 考え 計画 可能性 必要 こと もの 方向 ため よう 模様 意向 姿勢 考え方 "
    "恐れ おそれ 事態 状況 結果 理由 目的 見方 方 方々 人 人々 者 皆様 ところ".split()
)

# An organisation name ends in one of these nouns (学会, 省, 株式会社 ...).
ORG_SUFFIXES = (
    "学会", "協会", "医師会", "委員会", "審議会", "議会", "省", "庁", "府", "政府", "大学",
    "研究所", "研究機構", "機構", "機関", "財団", "連盟", "連合", "組合", "銀行", "公社",
    "株式会社", "ホールディングス", "グループ", "センター", "病院", "法人", "都庁", "県庁",
    "市役所", "新聞社", "社",
)  # fmt: skip
