"""Stage 6: trim a chosen sentence into ポイント style.

Minimal for now: strip list markers, leading connectives and framing phrases
(一方で、 そうした中で、 今回、 また、 ...) and surrounding spaces. A point
never loses its predicate here, so the meaning is the source sentence's.
"""

from __future__ import annotations

import re

from keypoints.segment import BULLET_RE

# Openers that tie a sentence to the previous one; a ポイント line stands alone.
LEADING_CONNECTIVES = (
    "一方で", "一方", "同日", "そうした中で", "そうした中", "こうした中で", "こうした中", "その中で",
    "今回", "また", "さらに", "なお", "ただし", "しかし", "しかしながら", "そのため", "このため",
    "これにより", "その上で", "そこで", "まず", "次に", "加えて", "これに対し", "同時に",
    "ところが", "とはいえ", "つまり", "実際", "特に", "現在",
)  # fmt: skip
_CONNECTIVE_RE = re.compile(
    "^(?:" + "|".join(sorted(map(re.escape, LEADING_CONNECTIVES), key=len, reverse=True)) + ")[、，,]\\s*"
)
# "・課題→..." style bullet labels: keep what follows the arrow. Only on bullet
# lines, and never a label with digits (80億円→95億円 is a change, not a label).
_LABEL_ARROW_RE = re.compile(r"^[^。、→0-9０-９]{1,15}→\s*")
_SPACES = " \t\u3000\n"


def compress(text: str) -> str:
    """`text` without list markers, leading connectives and outer spaces."""
    text = text.strip(_SPACES)
    if BULLET_RE.match(text):
        text = BULLET_RE.sub("", text, count=1)
        text = _LABEL_ARROW_RE.sub("", text, count=1)
    previous = None
    while previous != text:
        previous = text
        text = _CONNECTIVE_RE.sub("", text, count=1).strip(_SPACES)
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
