"""Tests for the conjugation table (keypoints.text.conjugate): a lemma, its conjugation
type and a form in, the plain form out. Needs neither GiNZA nor SudachiPy.
"""

from __future__ import annotations

import pytest

from keypoints.text.conjugate import conjugate


@pytest.mark.parametrize(
    ("lemma", "conj_type", "form", "expected"),
    [
        ("書く", "五段-カ行", "past", "書いた"),
        ("行く", "五段-カ行", "past", "行った"),
        ("泳ぐ", "五段-ガ行", "past", "泳いだ"),
        ("話す", "五段-サ行", "past", "話した"),
        ("待つ", "五段-タ行", "past", "待った"),
        ("死ぬ", "五段-ナ行", "past", "死んだ"),
        ("遊ぶ", "五段-バ行", "past", "遊んだ"),
        ("読む", "五段-マ行", "past", "読んだ"),
        ("取る", "五段-ラ行", "past", "取った"),
        ("言う", "五段-ワア行", "past", "言った"),
        ("食べる", "下一段-バ行", "past", "食べた"),
        ("する", "サ行変格", "past", "した"),
        ("来る", "カ行変格", "past", "来た"),
        ("くる", "カ行変格", "negative", "こない"),
        ("書く", "五段-カ行", "negative", "書かない"),
        ("言う", "五段-ワア行", "negative", "言わない"),
        ("ある", "五段-ラ行", "negative", "ない"),
        ("書く", "五段-カ行", "negative_past", "書かなかった"),
        ("感ずる", "サ行変格", "plain", "感じる"),
        ("れる", "助動詞-レル", "past", "れた"),
    ],
)
def test_conjugate(lemma, conj_type, form, expected):
    assert conjugate(lemma, conj_type, form) == expected


def test_conjugate_unknown_type_is_none():
    assert conjugate("だ", "助動詞-ダ", "past") is None
    with pytest.raises(ValueError):
        conjugate("書く", "五段-カ行", "polite")
