"""The Japanese character tables every stage shares: blanks, brackets, commas, enders.

One bracket table serves all the walkers: segment masks 。 inside brackets,
the guards check that a point's brackets pair up, and the drop rules find
parentheticals and the commas outside brackets.

    >>> is_balanced("「新制度（案）」を公表した。")
    True
    >>> depths("「a」b")
    [1, 1, 0, 0]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import regex

# Stripped from both ends of lines, sentences and points: every blank of str.isspace
# (ASCII blanks and newlines, the ideographic space, NBSP, the em and thin spaces, NEL,
# the line and paragraph separators, the file/group/record/unit separators) and a stray BOM.
WHITESPACE = (
    " \t\r\n\f\v\u3000\xa0\ufeff"
    "\x1c\x1d\x1e\x1f\x85\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f"
)

# Every bracket pair, closing → opening.
BRACKET_PAIRS = {
    "」": "「", "』": "『", "）": "（", ")": "(", "】": "【", "〕": "〔", "］": "［", "]": "[",
    "｝": "｛", "}": "{", "〉": "〈", "》": "《",
}  # fmt: skip
OPENING = "".join(BRACKET_PAIRS.values())
CLOSING = "".join(BRACKET_PAIRS)
# Round brackets: what a parenthetical (an explanation, an acronym, a note) sits in.
# Brackets of quoted words: speech, titles, names (“” too, as some writers use them).
# What is inside is the speaker's: a point never rewrites it.
QUOTE_OPENING, QUOTE_CLOSING = "「『“", "」』”"
PAREN_OPENING = "（("
PAREN_CLOSING = "）)"

COMMAS = frozenset("、，,")
SENTENCE_ENDERS = "。!?！？"
DIGIT_RE = re.compile(r"[0-9０-９]")
# Any hiragana, katakana or kanji: what makes a text Japanese.
JAPANESE_RE = regex.compile(r"[\p{Hiragana}\p{Katakana}\p{Han}]")
HIRAGANA_RE = regex.compile(r"\p{Hiragana}")
# Latin letters and digits in a run, joined by - _ . + / or one space at most: in Japanese
# text a product name or a code (ARROWS Kiss F-03E, SH-02E, iPhone4S, Google play), one
# name however a tokenizer splits it.
LATIN_NAME_RE = regex.compile(r"[\p{Latin}\p{Nd}]+(?:[-－‐_.+/ ][\p{Latin}\p{Nd}]+)*")


def depths(pieces: Iterable[str], opening: str = OPENING, closing: str = CLOSING) -> list[int]:
    """The bracket depth after each piece (a character or a token), never below zero.

    The depth inside a piece that holds no bracket is the depth after it.
    """
    result = []
    depth = 0
    for piece in pieces:
        for char in piece:
            if char in opening:
                depth += 1
            elif char in closing:
                depth = max(depth - 1, 0)
        result.append(depth)
    return result


# Pairs a point must keep whole, “” and 〝〟 too: a drop that leaves 記念日“星の日” as
# 日” has cut a name. (Not in BRACKET_PAIRS: a stray “ must not stop sentence splitting.)
_BALANCED_PAIRS = {**BRACKET_PAIRS, "”": "“", "〟": "〝"}
_BALANCED_OPENING = "".join(_BALANCED_PAIRS.values())


def is_balanced(text: str) -> bool:
    """Whether every bracket of `text` is closed by its own kind, in order.

    >>> is_balanced("記念日“星の日”に行われた"), is_balanced("日”に行われた")
    (True, False)
    """
    stack: list[str] = []
    for char in text:
        if char in _BALANCED_OPENING:
            stack.append(char)
        elif char in _BALANCED_PAIRS:
            if not stack or stack.pop() != _BALANCED_PAIRS[char]:
                return False
    return not stack


def closing_index(pieces: Sequence[str], start: int) -> int | None:
    """Index of the piece that closes the round bracket opened at `start`, nesting counted."""
    for index, depth in enumerate(depths(pieces[start:], PAREN_OPENING, PAREN_CLOSING)):
        if depth == 0:
            return start + index
    return None
