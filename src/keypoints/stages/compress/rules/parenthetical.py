"""Rule 3, parenthetical: a （）/() whose content already appeared, or a note, goes.

'細胞外小胞（EV）の…EV（細胞外小胞）の…' drops the second, whose content already
appeared; （写真）, （出典：…）, （注1） go too.
"""

from __future__ import annotations

import re

from keypoints.stages.compress.parse import Draft, Parse
from keypoints.stages.compress.rules.base import RepeatedDrop
from keypoints.text.chars import PAREN_OPENING, WHITESPACE, closing_index

# A bracketed note, not content: （写真）, （写真1、写真2）, （写真／青葉日報）, （出典：…）,
# （注1）, （※）. Not lexicon.CREDIT_WORDS: （図書館）, （画像処理） are content, and a note
# opening with 写真 or 出典 is one whatever follows (写真左, 写真＝上, 出典元).
_NOTE_RE = re.compile(r"(?:写真|出典|注(?:[0-9０-９]|[：:]|$)|※)")


def is_repeat_or_note(content: str, earlier: str) -> bool:
    """Rule 3's test: the bracket's `content` already appeared in `earlier`, or is a note."""
    # A Latin repeat must be a whole word: (EV) after ISEV is not a repeat.
    repeated = (
        len(content) >= 2
        and not content.isdigit()
        and re.search(rf"(?<![A-Za-z]){re.escape(content)}(?![A-Za-z])", earlier) is not None
    )
    return repeated or bool(_NOTE_RE.match(content))


def parentheses(text: str) -> list[tuple[str, str]]:
    """(content, text before it) of each closed bracket in `text`."""
    return [
        (text[n + 1 : close].strip(WHITESPACE), text[:n])
        for n, char in enumerate(text)
        if char in PAREN_OPENING and (close := closing_index(text, n)) is not None
    ]


def drop_parenthetical(parse: Parse, draft: Draft) -> Draft:
    """Rule 3: a （）/() note or repeat: '細胞外小胞（EV）の…EV（細胞外小胞）の…' drops the
    second, whose content already appeared; （写真）, （出典：…）, （注1） go too."""
    kept = [t for t in parse.tokens if t.i not in draft.dropped]
    texts = [t.text for t in kept]
    for n, opener in enumerate(texts):
        if opener not in PAREN_OPENING or (close := closing_index(texts, n)) is None:
            continue
        content = "".join(t.text_with_ws for t in kept[n + 1 : close]).strip(WHITESPACE)
        if is_repeat_or_note(content, "".join(texts[:n])):
            return draft.without(t.i for t in kept[n : close + 1])
    return draft


class Parenthetical(RepeatedDrop):
    name = "parenthetical"

    def drop_one(self, parse: Parse, draft: Draft) -> Draft:
        return drop_parenthetical(parse, draft)
