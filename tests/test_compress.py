"""Tests for keypoints.compress: stripping openers and markers, truncation."""

from __future__ import annotations

import pytest

from keypoints.stages.compress import LEADING_CONNECTIVES, compress, truncate
from keypoints.stages.compress.clauses import SENTENCE_CONJUNCTIONS

CORE = "価格は1台あたり98万円に抑えた。"


def assert_suffix(original: str, compressed: str) -> None:
    """compress only removes a prefix: the ending (the predicate) is never touched."""
    assert original.strip(" \t\u3000\n").endswith(compressed)


@pytest.mark.parametrize("opener", ["一方で、", "そうした中で、", "今回、", "また、"])
def test_strips_a_leading_connective(opener):
    assert compress(opener + CORE) == CORE


@pytest.mark.parametrize("connective", LEADING_CONNECTIVES)
@pytest.mark.parametrize("comma", ["、", "，", ","])
def test_strips_every_listed_connective(connective, comma):
    assert compress(f"{connective}{comma}{CORE}") == CORE


@pytest.mark.parametrize("conjunction", SENTENCE_CONJUNCTIONS)
def test_strips_a_sentence_conjunction_without_its_comma(conjunction):
    assert compress(conjunction + CORE) == CORE
    assert compress(f"{conjunction}、今回、{CORE}") == CORE


@pytest.mark.parametrize(
    "chain",
    [
        "一方で、そうした中で、",
        "そうした中で、今回、",
        "また、一方で、今回、",
        "一方で、 そうした中で、　今回、また、",
    ],
)
def test_strips_chains_of_connectives(chain):
    assert compress(chain + CORE) == CORE


@pytest.mark.parametrize(
    ("marked", "expected"),
    [
        ("・" + CORE, CORE),
        ("● " + CORE, CORE),
        ("① " + CORE, CORE),
        ("1. " + CORE, CORE),
        ("2）" + CORE, CORE),
        ("・また、" + CORE, CORE),
        ("・課題→" + CORE, CORE),
        ("・今後の課題→ " + CORE, CORE),
        ("• 結論→一方で、" + CORE, CORE),
        # Outside a bullet, an arrow is part of the sentence and stays.
        ("課題→" + CORE, "課題→" + CORE),
    ],
)
def test_strips_bullets_and_label_arrows(marked, expected):
    assert compress(marked) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "今回の調査で、出荷台数は3割増えた。",
        "今回は見送る。",
        "また聞きの情報だった。",
        "一方通行の道路が増えた。",
        "現在地から駅までは遠い。",
        "特に問題はないという。",
        "ただ一人の出場者が棄権した。",
        "だから言ったのにという声が上がった。",
        CORE,
    ],
)
def test_words_merely_starting_with_a_connective_are_kept(sentence):
    assert compress(sentence) == sentence


def test_strips_outer_spaces_only():
    assert compress("\u3000 " + CORE + " \n") == CORE


@pytest.mark.parametrize(
    "sentence",
    [
        "一方で、同社は「価格は下げない。」と述べた。",
        "・また、新工場は2027年に稼働する",
        "そうした中で、市場は拡大が続いているのか？",
        "今回、東西電機は滋賀県に工場を建てる計画だ。",
        "課題→人材の確保",
        "",
        "また、",
    ],
)
def test_never_changes_the_ending(sentence):
    compressed = compress(sentence)
    assert_suffix(sentence, compressed)
    if sentence.endswith(("。", "？", "計画だ。")):
        assert compressed[-1] == sentence[-1]


def test_compress_is_idempotent():
    for sentence in ["一方で、そうした中で、" + CORE, "・課題→" + CORE, CORE]:
        once = compress(sentence)
        assert compress(once) == once


def test_arrow_between_values_is_not_a_label():
    sentence = "営業利益は80億円→95億円に増えた。"
    assert compress(sentence) == sentence


@pytest.mark.parametrize("sentence", ["3.5%の賃上げで労使が合意した。", "-5度まで冷え込んだ。"])
def test_leading_number_is_not_taken_for_a_bullet(sentence):
    assert compress(sentence) == sentence


# --- truncate --------------------------------------------------------------------------

LONG = "東西電機は2026年4月1日、家庭用の新型蓄電池の量産を滋賀県の新工場で始めると発表した。"


@pytest.mark.parametrize("max_chars", [1, 2, 10, 15, 20, 30, 40, len(LONG) - 1])
def test_truncate_cuts_to_max_chars_and_marks_the_cut(max_chars):
    result = truncate(LONG, max_chars)
    assert len(result) <= max_chars
    assert result.endswith("…")
    assert LONG.startswith(result[:-1])


@pytest.mark.parametrize("max_chars", [len(LONG), len(LONG) + 1, 200])
def test_truncate_leaves_short_text_alone(max_chars):
    assert truncate(LONG, max_chars) == LONG


def test_truncate_prefers_a_clause_break():
    # the 、 after 4月1日 (offset 14) lies in the second half of a 26-char budget
    assert LONG.index("、") == 14
    result = truncate(LONG, 26)
    assert result == LONG[: LONG.index("、")] + "…"


def test_truncate_does_not_cut_at_an_early_clause_break():
    text = "同社は、" + "あ" * 50
    result = truncate(text, 20)
    assert len(result) == 20 and result.endswith("…")
    assert "、" in result  # the 、 at offset 3 is too early to cut at


def test_truncate_empty_text():
    assert truncate("", 15) == ""
