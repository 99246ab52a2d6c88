"""Stage 2: split the cleaned body into sentences with character offsets.

ja-sentence-segmenter does the splitting (on 。！？, never inside 「」 or ());
this module adds what it lacks: offsets into the body, full-width brackets,
lines wrapped mid-sentence, paragraph numbers and bullet flags.
"""

from __future__ import annotations

import functools
import re

from ja_sentence_segmenter.split.simple_splitter import split_punctuation

from keypoints.types import Sentence

# Bullet markers that start a list line in Japanese articles.
BULLET_RE = re.compile(r"^\s*(?:[・•●○■□◆◇▼▶►\-*＊]|[①-⑳]|\d{1,2}[.)．）])\s*")
_SPACES = " \t\u3000"
# A line ending like this was wrapped by the writer, not ended: join it to the next.
_WRAPPED_LINE_RE = re.compile(r"[、，,てでがをにはのと]$")
# The library protects 「」 and (); map the other brackets onto those in a
# same-length shadow copy so offsets stay valid.
_SHADOW = str.maketrans({"（": "(", "）": ")", "『": "「", "』": "」", "【": "(", "】": ")"})
_WRAP_MARK = "\u2063"  # invisible separator standing in for a joined newline

_split_punctuation = functools.partial(split_punctuation, punctuations=r"。!?！？")
# A "sentence" longer than this (text without 。) is cut after 、 or a space,
# so later stages never see one unbounded run.
MAX_SENTENCE_CHARS = 400
_SOFT_BREAK_RE = re.compile(r"(?<=[、，,\s])")


def _bounded(piece: str) -> list[str]:
    """`piece`, cut into runs of at most MAX_SENTENCE_CHARS at soft breaks."""
    if len(piece) <= MAX_SENTENCE_CHARS:
        return [piece]
    runs: list[str] = []
    current = ""
    for part in _SOFT_BREAK_RE.split(piece):
        while len(part) > MAX_SENTENCE_CHARS:  # no soft break at all: hard cut
            runs.append(current + part[: MAX_SENTENCE_CHARS - len(current)])
            part = part[MAX_SENTENCE_CHARS - len(current) :]
            current = ""
        if len(current) + len(part) > MAX_SENTENCE_CHARS:
            runs.append(current)
            current = ""
        current += part
    if current:
        runs.append(current)
    return runs


def _logical_lines(body: str) -> list[tuple[int, int]]:
    """(start, end) of each line, with wrapped lines merged into one."""
    lines: list[tuple[int, int]] = []
    offset = 0
    for raw in body.split("\n"):
        start, end = offset, offset + len(raw)
        offset = end + 1
        stripped = raw.strip(_SPACES)
        if not stripped:
            lines.append((start, start))  # paragraph break marker
            continue
        previous = lines[-1] if lines else None
        if (
            previous
            and previous[1] > previous[0]
            and _WRAPPED_LINE_RE.search(body[previous[0] : previous[1]].rstrip(_SPACES))
            and not BULLET_RE.match(stripped)
        ):
            lines[-1] = (previous[0], end)
        else:
            lines.append((start, end))
    return [line for line in lines if line[1] > line[0]]


def split_sentences(body: str) -> list[Sentence]:
    """Sentences of `body`; `body[start:end]` is the sentence as written.

    `text` is the same string with the newlines of wrapped lines removed.
    """
    shadow = body.translate(_SHADOW).replace("\n", _WRAP_MARK)
    sentences: list[Sentence] = []
    for line_start, line_end in _logical_lines(body):
        cursor = line_start
        pieces = _split_punctuation(shadow[line_start:line_end])
        for piece in (run for p in pieces for run in _bounded(p)):
            piece = piece.strip(_SPACES + _WRAP_MARK)
            if not piece:
                continue
            start = shadow.find(piece, cursor, line_end)
            if start < 0:
                continue
            end = start + len(piece)
            cursor = end
            text = body[start:end].replace("\n", "")
            sentences.append(
                Sentence(
                    id=len(sentences),
                    text=text,
                    start=start,
                    end=end,
                    paragraph=body.count("\n\n", 0, start),
                    is_bullet=bool(BULLET_RE.match(text)),
                )
            )
    return sentences
