"""Rule 6: tidy what the other rules leave, and cut a point that is still too long.

>>> cleanup("新制度を 導入した、、。")
'新制度を導入した。'
>>> cleanup("「ＡＢＣ Ｐａｙ」を 始めた")
'「ＡＢＣ Ｐａｙ」を始めた。'
>>> truncate("長い文、" * 10, 20)
'長い文、長い文、長い文、長い文…'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from keypoints.stages.compress.guards import check_point
from keypoints.stages.compress.polite import (
    close_noun_ending,
    drop_finding_frame,
    drop_hedges,
    drop_notice_frame,
    polite_to_plain,
)
from keypoints.text.chars import CLOSING, JAPANESE_RE, WHITESPACE

# Half-width spaces between Japanese characters are line-wrap leftovers; a
# full-width space (見出し　副題) separates on purpose and stays.
_NON_ASCII_GAP_RE = re.compile(r"(?<=[^\x00-\x7f])[ \t]+(?=[^\x00-\x7f])")


def _is_word_char(char: str) -> bool:
    """A letter or digit of no Japanese script: Ｐ, ２, é, Ω; not あ, ア, ｱ or 新."""
    return char.isalnum() and not JAPANESE_RE.match(char)


def _close_gap(match: re.Match[str]) -> str:
    """ "" for a gap between non-ASCII characters, but the gap itself between two
    words of full-width (or other non-Japanese) letters and digits: ＡＢＣ Ｐａｙ."""
    before, after = match.string[match.start() - 1], match.string[match.end()]
    return match.group() if _is_word_char(before) and _is_word_char(after) else ""


def close_japanese_gaps(text: str) -> str:
    """`text` without the half-width spaces between Japanese characters; Latin words,
    full-width ones too, keep theirs.

    >>> close_japanese_gaps("新 制度の「ＡＢＣ Ｐａｙ」と Ｐａｙ 決済")
    '新制度の「ＡＢＣ Ｐａｙ」とＰａｙ決済'
    """
    return _NON_ASCII_GAP_RE.sub(_close_gap, text)


def cleanup(text: str) -> str:
    """Tidy what the other rules leave: 、、 → 、, 、。 → 。, spaces, a final 。.

    Only a point that ends in a predicate gets a 。 added: one ending in a closing
    bracket (〜」, 〜）), ？！ or a noun (a heading, a URL) is left as it is, and
    the guards report it.
    """
    text = text.strip(WHITESPACE)
    text = close_japanese_gaps(text)
    text = re.sub(r"\s*([、，。])\s*", r"\1", text)
    text = re.sub(r"[、，]{2,}", "、", text)
    text = re.sub(r"[、，]+。", "。", text)
    text = re.sub(r"。{2,}", "。", text)
    text = re.sub(r"[（(]\s*[）)]", "", text)
    text = text.lstrip("、，")
    if (
        text
        and text[-1] not in "。" + CLOSING + "？！?!"
        and "no_final_predicate" not in check_point(text)
    ):
        text += "。"
    return text


# Rules 5 and 6, in order: how a point ends (the compressor keeps each one that breaks
# no guard; `finish` applies them all).
ENDING_RULES: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("finding", drop_finding_frame),
    ("notice", drop_notice_frame),
    ("hedge", drop_hedges),
    ("polite_to_plain", polite_to_plain),
    ("noun_ending", close_noun_ending),
    ("cleanup", cleanup),
)


@functools.lru_cache(maxsize=1024)
def finish(text: str) -> str:
    """Rules 5 and 6 without guards: what the point's length will be in the end.
    Cached: `needs_parse` and `within_reach` both ask for it for each pick."""
    for _, rule in ENDING_RULES:
        text = rule(text)
    return text


def truncate(text: str, max_chars: int) -> str:
    """`text` cut to at most `max_chars`, at the last clause break, marked with …."""
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    if len(text) <= max_chars:
        return text
    head = text[: max_chars - 1]
    cut = max(head.rfind("、"), head.rfind("，"))
    if cut >= max_chars // 2:
        head = head[:cut]
    return head + "…"
