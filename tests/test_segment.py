"""Tests for keypoints.segment: sentence splitting, offsets, brackets, bullets, paragraphs."""

from __future__ import annotations

import re
import sys

import pytest

from keypoints.stages.segment import MAX_SENTENCE_CHARS, split_sentences

_WHITESPACE = re.compile(r"\s")


def non_space(text: str) -> str:
    return _WHITESPACE.sub("", text)


def assert_offsets(body: str, sentences) -> None:
    """`body[start:end]` is the sentence as written; `text` drops wrapped newlines only."""
    for s in sentences:
        assert 0 <= s.start < s.end <= len(body)
        assert body[s.start : s.end].replace("\n", "") == s.text
    starts = [s.start for s in sentences]
    assert starts == sorted(starts)
    for before, after in zip(sentences, sentences[1:], strict=False):
        assert before.end <= after.start, "sentences must not overlap"


def assert_split_into(first: str, second: str) -> None:
    """`first + second` splits into exactly these two sentences, at their offsets."""
    body = first + second
    sentences = split_sentences(body)
    assert [s.text for s in sentences] == [first, second]
    assert_offsets(body, sentences)


def assert_covers(body: str, sentences) -> None:
    """No character is lost: the sentences hold every non-space character, in order."""
    assert non_space("".join(s.text for s in sentences)) == non_space(body)


BODIES = [
    "東西電機は新型蓄電池を発表した。価格は98万円とする。",
    "市は新しい制度を始めた。\n対象は市内の全世帯となる。\n\n申請は来月から受け付ける。",
    "社長は「値下げはしない。品質で勝負する」と述べた。その後、工場を視察した。",
    "同社（本社・大阪市。1950年創業）は発表した。詳細は未定だ。",
    "・一つ目の項目\n・二つ目の項目\n\n本文の文章である。",
    "本当に実現するのか？担当者は「必ず実現する！」と話した。",
    "　字下げした段落です。続く文です。\n　次の段落の文です。",
]


# --- offsets ---------------------------------------------------------------------------


@pytest.mark.parametrize("body", BODIES)
def test_offsets_match_text_without_wrapped_lines(body):
    sentences = split_sentences(body)
    assert sentences
    for s in sentences:
        assert body[s.start : s.end] == s.text
    assert_offsets(body, sentences)
    assert_covers(body, sentences)


def test_wrapped_line_is_joined_into_one_sentence():
    body = "同社は新工場の建設を進めており、\n2027年の稼働を目指している。次の文だ。"
    sentences = split_sentences(body)
    assert [s.text for s in sentences] == [
        "同社は新工場の建設を進めており、2027年の稼働を目指している。",
        "次の文だ。",
    ]
    first = sentences[0]
    assert "\n" in body[first.start : first.end]
    assert_offsets(body, sentences)
    assert_covers(body, sentences)


@pytest.mark.parametrize("ending", ["、", "て", "で", "が", "を", "に", "は", "の", "と"])
def test_line_ending_in_a_particle_or_comma_is_wrapped(ending):
    body = f"市の担当者{ending}\n住民への説明を続けている。"
    sentences = split_sentences(body)
    assert len(sentences) == 1
    assert sentences[0].text == body.replace("\n", "")
    assert_offsets(body, sentences)


def test_line_ending_in_a_full_stop_is_not_joined():
    body = "一行目の文である。\n二行目の文である。"
    sentences = split_sentences(body)
    assert [s.text for s in sentences] == ["一行目の文である。", "二行目の文である。"]
    assert_offsets(body, sentences)


def test_bullet_line_is_not_joined_to_a_wrapped_line():
    body = "主な変更点は次の通りで、\n・料金の改定\n・窓口の統合"
    sentences = split_sentences(body)
    assert [s.text for s in sentences] == [
        "主な変更点は次の通りで、",
        "・料金の改定",
        "・窓口の統合",
    ]
    assert_offsets(body, sentences)


# --- brackets --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "quoted",
    [
        "社長は「値下げはしない。品質で勝負する。」と述べた。",
        "社長は「値下げはしない。品質で勝負する」と述べた。",
        "担当者は『準備は整った。あとは待つだけだ』と話した。",
    ],
)
def test_quote_containing_full_stop_stays_one_sentence(quoted):
    assert_split_into(quoted, "会見は30分で終わった。")


@pytest.mark.parametrize(
    "parenthesised",
    [
        "東西電機（本社・大阪市。1950年創業）は新製品を発表した。",
        "東西電機(本社・大阪市。1950年創業)は新製品を発表した。",
        "調査は【速報値。確定値は6月】として公表された。",
    ],
)
def test_parentheses_containing_full_stop_stay_one_sentence(parenthesised):
    assert_split_into(parenthesised, "発売は来月だ。")


def test_nested_quote_with_double_brackets_stays_one_sentence():
    body = "記者は「社長は『挑戦を続ける』と語った。」と書いた。次の文だ。"
    sentences = split_sentences(body)
    assert [s.text for s in sentences] == [
        "記者は「社長は『挑戦を続ける』と語った。」と書いた。",
        "次の文だ。",
    ]


@pytest.mark.parametrize(
    "continued",
    [
        "人気グループ桜組。の新曲が首位になった。",  # a name ending in 。
        "今年こそ優勝したいです。と監督は語った。",  # speech quoted without brackets
        "本当に驚いた！と話す来場者もいた。",
    ],
)
def test_piece_starting_with_a_particle_continues_the_sentence(continued):
    assert_split_into(continued, "発売は来月だ。")


@pytest.mark.parametrize("second", ["のぞみで帰った。", "はじめに概要を話す。", "が、雨だった。"])
def test_kana_word_or_spoken_conjunction_still_starts_a_sentence(second):
    assert_split_into("会見は終わった。", second)


def test_question_and_exclamation_marks_end_sentences():
    body = "本当に実現するのか？担当者は実現すると答えた！会見は終わった。"
    sentences = split_sentences(body)
    assert [s.text for s in sentences] == [
        "本当に実現するのか？",
        "担当者は実現すると答えた！",
        "会見は終わった。",
    ]


# --- bullets ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "・料金を改定する",
        "● 窓口を統合する",
        "① 申請を簡素化する",
        "1. 期限を延ばす",
        "2）対象を広げる",
    ],
)
def test_bullet_lines_are_flagged(line):
    body = f"主な変更点。\n{line}\n以上が概要だ。"
    sentences = split_sentences(body)
    flagged = [s for s in sentences if s.is_bullet]
    assert [s.text for s in flagged] == [line]
    assert not sentences[0].is_bullet and not sentences[-1].is_bullet


@pytest.mark.parametrize("sentence", ["3.5%の賃上げで労使が合意した。", "-5度まで冷え込んだ。"])
def test_sentence_starting_with_a_signed_or_decimal_number_is_not_a_bullet(sentence):
    (only,) = split_sentences(sentence)
    assert not only.is_bullet


# --- no punctuation, long runs ---------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "句点のない文章です",
        "見出しだけの行\n本文のような行が続く\n最後の行",
        "東西電機 新型蓄電池 量産へ",
    ],
)
def test_text_without_full_stop_is_covered(body):
    sentences = split_sentences(body)
    assert len(sentences) >= 1
    assert_offsets(body, sentences)
    assert_covers(body, sentences)


@pytest.mark.parametrize(
    "body",
    [
        "あ" * 1000,  # no soft break at all: hard cuts
        "これは読点で区切られた長い文章であり、" * 60,
        "区切り 単語 " * 200,
        "あ" * 390 + "、" + "い" * 500 + "。" + "う" * 30,
        "長い行で、\n" * 120 + "終わり。",  # wrapped lines make one long logical line
    ],
)
def test_long_unpunctuated_text_is_cut_without_loss(body):
    sentences = split_sentences(body)
    assert len(sentences) > 1
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert_offsets(body, sentences)
    assert_covers(body, sentences)


def test_long_text_prefers_soft_breaks():
    clause = "これは読点で区切られた長い文章であり、"
    sentences = split_sentences(clause * 60)
    # every cut but the last falls right after a 、
    assert all(s.text.endswith("、") for s in sentences[:-1])


# --- paragraphs and ids ----------------------------------------------------------------


def test_paragraph_numbers_increase_across_blank_lines():
    body = "第一段落の文。二つ目の文。\n同じ段落の次の行。\n\n第二段落の文。\n\n\n第三段落の文。"
    sentences = split_sentences(body)
    by_text = {s.text: s.paragraph for s in sentences}
    assert (
        by_text["第一段落の文。"] == by_text["二つ目の文。"] == by_text["同じ段落の次の行。"] == 0
    )
    assert 0 < by_text["第二段落の文。"] < by_text["第三段落の文。"]
    paragraphs = [s.paragraph for s in sentences]
    assert paragraphs == sorted(paragraphs)


def test_whitespace_only_line_is_a_paragraph_break():
    body = "第一段落の文。\n\u3000\n第二段落の文。"
    first, second = split_sentences(body)
    assert second.paragraph > first.paragraph


@pytest.mark.parametrize("body", BODIES)
def test_ids_are_consecutive_from_zero(body):
    sentences = split_sentences(body)
    assert [s.id for s in sentences] == list(range(len(sentences)))


@pytest.mark.parametrize("body", ["", "\n", "   ", "\n\n\u3000\n"])
def test_empty_or_blank_body_gives_no_sentences(body):
    assert split_sentences(body) == []


def test_sentence_text_has_no_outer_spaces():
    body = "　字下げした段落です。  続く文です。\n\t次の行です。"
    sentences = split_sentences(body)
    assert [s.text for s in sentences] == ["字下げした段落です。", "続く文です。", "次の行です。"]
    assert_offsets(body, sentences)


# Every blank Python's str.isspace knows, not only the ASCII ones and the ideographic space.
def test_whitespace_is_every_unicode_blank():
    from keypoints.text.chars import WHITESPACE

    blanks = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert [b for b in blanks if b not in WHITESPACE] == []


UNICODE_BLANKS = ["\u2003", "\u2002", "\u00a0", "\u202f", "\u205f", "\x85", "\u2028", "\x1c", "\r"]


@pytest.mark.parametrize("blank", UNICODE_BLANKS)
def test_span_excludes_any_unicode_blank_around_a_sentence(blank):
    body = f"{blank}市は新制度を公表した。{blank}来年から始める。{blank}\n{blank}担当者が説明した。{blank}"
    sentences = split_sentences(body)
    assert [s.text for s in sentences] == [
        "市は新制度を公表した。",
        "来年から始める。",
        "担当者が説明した。",
    ]
    for s in sentences:
        assert body[s.start : s.end] == s.text
    assert_offsets(body, sentences)


@pytest.mark.parametrize("blank", ["", " ", "\t", "\u3000", "\u2003", "\r"])
def test_input_span_of_a_plain_text_sentence_is_its_text(blank):
    """`input[start:end]` is the sentence as written: no blank or newline at either end;
    a sentence wrapped over lines holds the line break (and the blanks around it) inside."""
    from keypoints.stages.ingest import ingest

    text = (
        f"見出しの行\n\n{blank}市は新制度を公表した。{blank}\n{blank}来年から始める。{blank}\n"
        f"対象は市内の全世帯で、{blank}\n{blank}申請は来月から受け付ける。{blank}\n"
    )
    article = ingest(text, format="text")
    sentences = split_sentences(article.body)
    assert len(sentences) == 3
    for s in sentences:
        written = text[article.to_input_offset(s.start) : article.to_input_offset(s.end)]
        assert written == written.strip() and written[-1] == "。"
        assert re.sub(r"\s*\n\s*", "", written) == s.text
    assert "\n" not in "".join(
        text[article.to_input_offset(s.start) : article.to_input_offset(s.end)]
        for s in sentences[:2]
    )


@pytest.mark.parametrize(
    "body",
    [
        "∯。∯本文です。次の文。",  # ja-sentence-segmenter's sentinel, which it deletes
        "あ∯。∯。∯い。",
        "・\u2063\n本文です。",  # the segmenter's own stand-ins in the input
        "本文\u2062です。\u2063次の文。",
    ],
)
def test_input_holding_the_splitters_marks_loses_nothing(body):
    sentences = split_sentences(body)
    assert_offsets(body, sentences)
    assert_covers(body, sentences)


def test_no_sentence_is_joined_across_a_break():
    body = "市は新しい制度を、\n来年から始める。"
    assert [s.text for s in split_sentences(body)] == ["市は新しい制度を、来年から始める。"]
    sentences = split_sentences(body, breaks={body.index("\n")})
    assert [s.text for s in sentences] == ["市は新しい制度を、", "来年から始める。"]
    assert_offsets(body, sentences)
