"""Stage 2, segment: split the cleaned body into sentences with character offsets.

ja-sentence-segmenter does the splitting on 。！？; this module adds what it
lacks: offsets into the body, protection of every bracket kind (「」『』（）【】,
nested too), no sentence that starts with a particle (桜組。の新曲 is one), lines
wrapped mid-sentence, paragraph numbers and bullet flags.

    >>> [s.text for s in split_sentences("「雨だ。」と言った。晴れた。")]
    ['「雨だ。」と言った。', '晴れた。']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection

from ja_sentence_segmenter.split.simple_splitter import split_punctuation

from keypoints.stages.base import ArticleStage, ArticleState
from keypoints.structures import Sentence
from keypoints.text.chars import SENTENCE_ENDERS, WHITESPACE, depths
from keypoints.text.lexicon import BULLET_RE

# A line ending like this was wrapped by the writer, not ended: join it to the next.
_WRAPPED_LINE_RE = re.compile(r"[、，,てでがをにはのと]$")
# Same-length stand-ins, so the shadow copy keeps every offset of the body.
_MASKED_ENDER = "\u2062"  # invisible times: an ender inside brackets
_WRAP_MARK = "\u2063"  # invisible separator: a joined newline
# In the shadow copy, the newlines become _WRAP_MARK; the stand-ins themselves and
# ja-sentence-segmenter's sentinel ∯ (which it deletes around an ender: "あ∯。∯い。"
# comes back "あ。い。") become a character that means nothing to either, so that an
# input holding them is split like any other and no sentence is lost.
_NEUTRAL = "\u2064"  # invisible plus
_SHADOW = str.maketrans(
    {"\n": _WRAP_MARK, _WRAP_MARK: _NEUTRAL, _MASKED_ENDER: _NEUTRAL, "∯": _NEUTRAL}
)
# A piece that is only a bracketed note, e.g. (写真/筆者撮影) after 。, belongs to
# the sentence before it.
_TRAILING_NOTE_RE = re.compile(r"^[(（][^()（）]*[)）]$")
# No sentence starts with a particle: after 。 in a name (桜組。の新曲) or after speech
# quoted without brackets (…勝ちたいです。と話した), the piece goes on the sentence
# before. The particle must be followed by no kana, comma or space, so that a word
# written in kana (のぞみ, はじめに) or a spoken が、 still starts a sentence.
_PARTICLE_START_RE = re.compile(r"^[のがをにへとは][^ぁ-ゖ、，,\s]")

_split_punctuation = functools.partial(split_punctuation, punctuations=SENTENCE_ENDERS)
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


def _mask_bracketed_enders(line: str) -> str:
    """`line` with 。！？ inside brackets (at any depth) masked, so they do not split."""
    # An ender is no bracket: the depth after it is the depth it stands at.
    return "".join(
        _MASKED_ENDER if depth and char in SENTENCE_ENDERS else char
        for char, depth in zip(line, depths(line), strict=True)
    )


def _logical_lines(body: str, breaks: Collection[int] = ()) -> list[tuple[int, int, int]]:
    """(start, end, paragraph) of each line, wrapped lines merged into one, but never
    across the newline at a body offset of `breaks`.

    A blank line (or one of spaces only) starts a new paragraph.
    """
    lines: list[tuple[int, int, int]] = []
    paragraph, blank_before = 0, False
    offset = 0
    for raw in body.split("\n"):
        start, end = offset, offset + len(raw)
        offset = end + 1
        stripped = raw.strip(WHITESPACE)
        if not stripped:
            blank_before = True
            continue
        if blank_before and lines:
            paragraph += 1
        previous = lines[-1] if lines and not blank_before else None
        blank_before = False
        if (
            previous
            and previous[1] not in breaks
            and _WRAPPED_LINE_RE.search(body[previous[0] : previous[1]].rstrip(WHITESPACE))
            and not BULLET_RE.match(stripped)
        ):
            lines[-1] = (previous[0], end, paragraph)
        else:
            lines.append((start, end, paragraph))
    return lines


def _pieces(shadow: str, line_start: int, line_end: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence in one logical line of the shadow text."""
    spans: list[tuple[int, int]] = []
    cursor = line_start
    line = _mask_bracketed_enders(shadow[line_start:line_end])
    for piece in (run for p in _split_punctuation(line) for run in _bounded(p)):
        piece = piece.strip(WHITESPACE + _WRAP_MARK)
        if not piece:
            continue
        start = line.find(piece, cursor - line_start)
        if start < 0:
            continue
        start += line_start
        end = start + len(piece)
        cursor = end
        continues = _TRAILING_NOTE_RE.match(piece) or _PARTICLE_START_RE.match(piece)
        if spans and continues and spans[-1][1] <= start:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def split_sentences(body: str, breaks: Collection[int] = ()) -> list[Sentence]:
    """Sentences of `body`; `body[start:end]` is the sentence as written.

    `text` is the same string with the newlines of wrapped lines removed. No sentence
    goes over the newline at an offset of `breaks` (`Article.dropped_breaks`).

        >>> [s.text for s in split_sentences("市は制度を、\\n来年始める。")]
        ['市は制度を、来年始める。']
        >>> [s.text for s in split_sentences("市は制度を、\\n来年始める。", breaks={6})]
        ['市は制度を、', '来年始める。']
    """
    shadow = body.translate(_SHADOW)
    sentences: list[Sentence] = []
    for line_start, line_end, paragraph in _logical_lines(body, breaks):
        for start, end in _pieces(shadow, line_start, line_end):
            text = body[start:end].replace("\n", "")
            sentences.append(
                Sentence(
                    id=len(sentences),
                    text=text,
                    start=start,
                    end=end,
                    paragraph=paragraph,
                    is_bullet=bool(BULLET_RE.match(text)),
                )
            )
    return sentences


class Segment(ArticleStage):
    """Stage 2: the body of each article becomes its sentences (see `split_sentences`)."""

    name = "segment"

    def process(self, state: ArticleState) -> None:
        assert state.article is not None
        state.sentences = split_sentences(state.article.body, state.article.dropped_breaks)
