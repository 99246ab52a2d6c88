"""Hostile input, generated: ingest → segment → summarize on random Japanese-heavy text.

Hypothesis writes articles of hiragana, katakana, common kanji, full-width and ASCII
letters and digits, every bracket kind, bullets (・ ■ - 1.), 。、！？, blanks of all
kinds, newlines and lines of hundreds of characters without 。. Whatever it writes:

- the only exception is a `KeypointsError` (empty input, no Japanese...);
- every sentence and every point span lies inside the input (plain text: offsets
  into the input), with no blank at either end, and is the sentence as written;
- the sentences hold every non-blank character of the body, in order;
- the points come in document order, each at most `max_chars` long.

The segment run is fast and has many examples; the summarize run loads the pipeline
(and GiNZA when a point needs a parse), so it has fewer and is marked slow.
"""

from __future__ import annotations

import functools
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from keypoints.errors import KeypointsError
from keypoints.pipeline import Summarizer
from keypoints.settings import Settings
from keypoints.stages.ingest import ingest
from keypoints.stages.segment import split_sentences
from keypoints.text.chars import WHITESPACE

HIRAGANA = "".join(chr(c) for c in range(ord("ぁ"), ord("ゖ") + 1))
KATAKANA = "".join(chr(c) for c in range(ord("ァ"), ord("ヺ") + 1)) + "ー"
KANJI = "日本政府市県国会社長新制度発表年月円人時間大手企業業界経済東京都大阪病院医療"
FULL_WIDTH = "ＡＢＣＰａｙｚ０１２９"
ASCII = "ABCPayz0129"
BRACKETS = "「」『』（）【】()"
PUNCTUATION = "。、！？!?・ー〜…："
BLANKS = " \u3000\t\u2003"
# What the splitter or the segmenter use themselves: ja-sentence-segmenter's sentinel
# and the segmenter's two same-length stand-ins.
HAZARDS = "∯\u2062\u2063\ufeff\r"
LETTERS = HIRAGANA + KATAKANA + KANJI + FULL_WIDTH + ASCII

_char = st.one_of(
    st.sampled_from(LETTERS),
    st.sampled_from(BRACKETS + PUNCTUATION),
    st.sampled_from(BLANKS),
    st.sampled_from(HAZARDS),
)
_words = st.text(st.sampled_from(LETTERS), min_size=1, max_size=12)
# Sentences that make points, so that the summarize run gets past the guards and into
# compression; the fuzzer cuts them up, wraps and brackets them, and mixes them with noise.
SENTENCES = [
    "市は新しい子育て支援制度を来年四月から始めると発表した。",
    "政府は、物価高への対策として、低所得の世帯に一律三万円を給付する方針を固めた。",
    "同社の社長は記者会見で「値下げはしない。品質で勝負する」と述べた。",
    "新型の蓄電池（容量は従来の二倍）は、来年から東京都内の工場で量産される予定です。",
    "厚生労働省によると、今年の出生数は過去最少となる見通しだという。",
    "大手通信各社は、新しい決済サービス「ＡＢＣ Ｐａｙ」を全国で始めることを明らかにした。",
    "調査では、回答した企業の六割が人手不足を感じていることが分かった。",
    "【速報】大阪府の病院で医療機器の不具合が見つかり、およそ百人の手術が延期された。",
    "しかし、専門家は『効果は限定的だ』と指摘しており、制度の見直しを求める声も出ている。",
    "価格は９８万円で、2025年7月に発売する。",
]
_sentence = st.sampled_from(SENTENCES)
_cut = st.tuples(_sentence, st.integers(0, 60), st.integers(0, 60)).map(
    lambda t: t[0][min(t[1], t[2]) : max(t[1], t[2])]
)
_piece = st.one_of(
    _words,
    _char,
    _char,
    _sentence,
    _sentence,
    _cut,
    st.sampled_from(["。", "、", "「", "」", "（", "）", "\n"]),
)
_line_text = st.lists(_piece, max_size=25).map("".join)
# A run of hundreds of characters without 。！？: what the segmenter must cut.
_long_line = st.text(st.sampled_from(LETTERS + "、 「」（）"), min_size=380, max_size=900)
_bullet = st.sampled_from(["", "", "", "・", "■", "- ", "1. ", "（１）", "【ポイント】"])
_line = st.one_of(
    st.tuples(_bullet, _line_text).map("".join),
    st.tuples(_bullet, _line_text).map("".join),
    _long_line,
)
_break = st.sampled_from(["\n", "\n", "\n\n", "\r\n", "\n \n", "\n\u3000\n"])


@st.composite
def articles(draw: st.DrawFn) -> str:
    """A plain-text article: lines of Japanese-heavy text and their breaks."""
    lines = draw(st.lists(_line, min_size=1, max_size=8))
    breaks = draw(st.lists(_break, min_size=len(lines), max_size=len(lines)))
    return "".join(line + brk for line, brk in zip(lines, breaks, strict=True))


def non_blank(text: str) -> str:
    return "".join(char for char in text if char not in WHITESPACE)


def check_input_span(text: str, start: int, end: int, source: str) -> None:
    """[start, end) lies in `text` and is `source` as written: no blank at either end,
    a wrapped sentence's line break (with the blanks around it) only inside."""
    assert 0 <= start <= end <= len(text), (start, end, len(text))
    span = text[start:end]
    assert span == span.strip(WHITESPACE), repr(span)
    assert re.sub(f"[{WHITESPACE}]*\n[{WHITESPACE}]*", "", span) == source, (span, source)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles())
@example("見出し\n\n∯。∯本文です。次の文。")  # the splitter's sentinel
@example("見出し\n\n・\u2063\n本文です。")  # the segmenter's own stand-in for a newline
@example(  # a dropped line (the title, repeated) inside a wrapped sentence
    "新制度の概要について\n\n市は新制度を発表した。\n\n市は新しい制度を、\n新制度の概要について\n来年から始める。"
)
def test_ingest_and_segment_keep_every_character_at_its_offset(text: str) -> None:
    try:
        article = ingest(text, format="text")
    except KeypointsError:
        return
    body = article.body
    sentences = split_sentences(body, article.dropped_breaks)
    assert [s.id for s in sentences] == list(range(len(sentences)))
    for before, after in zip(sentences, sentences[1:], strict=False):
        assert before.end <= after.start
    for s in sentences:
        assert 0 <= s.start < s.end <= len(body)
        assert body[s.start : s.end].replace("\n", "") == s.text
        check_input_span(
            text, article.to_input_offset(s.start), article.to_input_offset(s.end), s.text
        )
    assert non_blank("".join(s.text for s in sentences)) == non_blank(body)


@functools.cache
def summarizer(max_chars: int) -> Summarizer:
    return Summarizer(Settings(max_chars=max_chars))


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles(), st.sampled_from([15, 40, 70]))
def test_summarize_gives_traceable_points_in_order(text: str, max_chars: int) -> None:
    try:
        result = summarizer(max_chars).summarize_text(text, format="text")
    except KeypointsError:
        return
    assert result.offsets == "input"
    ids = [point.sentence_ids[0] for point in result.points]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    for point in result.points:
        assert 1 <= len(point.text) <= max_chars, point.text
        for start, end in point.spans:
            check_input_span(text, start, end, point.source_text)
