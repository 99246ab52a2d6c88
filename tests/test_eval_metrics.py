"""Tests for keypoints.evaluation.metrics: tokenizers, ROUGE (vs rouge-score), alignment, entities."""

from __future__ import annotations

import itertools
import random

import pytest

from keypoints.evaluation.metrics import (
    PRF,
    Alignment,
    align_points,
    char_tokens,
    entity_recall,
    lcs_length,
    point_lengths,
    rouge_l,
    rouge_n,
    rouge_scores,
    sudachi_tokens,
)

# (predicted points, reference points): identical, disjoint, partly overlapping,
# reordered, repeated words, one token, empty prediction, full-width forms ...
PAIRS: list[tuple[list[str], list[str]]] = [
    (["日本再生医療学会が新しい指針を公表した。"], ["日本再生医療学会が新しい指針を公表した。"]),
    (
        ["政府は来年度予算案を閣議決定した。", "総額は過去最大となった。"],
        ["政府は来年度予算案を閣議決定した。", "総額は過去最大となった。"],
    ),
    (["猫が庭で昼寝をしている。"], ["株価は大幅に下落した。"]),
    (["東京で初雪を観測した。"], ["大阪で桜が開花した。"]),
    (
        ["細胞外小胞（EV）の品質管理が課題だ。", "学会は指針案をまとめた。"],
        ["学会はEVの品質管理に関する指針を公表した。", "企業の参入が相次ぐ。"],
    ),
    (
        ["新工場は2026年4月1日に稼働する。"],
        ["新工場の稼働は2026年4月の予定だ。", "投資額は120億円。"],
    ),
    (["売上高は前年度比5%増の約300億円。"], ["売上高は約300億円で、前年度から5%増えた。"]),
    (
        ["総額は過去最大となった。", "政府は来年度予算案を閣議決定した。"],
        ["政府は来年度予算案を閣議決定した。", "総額は過去最大となった。"],
    ),
    (["研究、研究、研究の日々が続く。"], ["研究の日々。"]),
    (["データ データ データ"], ["データ"]),
    (["データ"], ["データ データ データ"]),
    (["東京"], ["東京"]),
    (["東京"], ["大阪"]),
    (["東京"], ["東京と大阪を結ぶ新幹線が開業した。"]),
    ([], ["政府は来年度予算案を閣議決定した。"]),
    ([""], ["政府は来年度予算案を閣議決定した。"]),
    (["。、「」"], ["政府は予算案を決めた。"]),
    (["ＡＩの活用が進む。"], ["AIの活用が進んでいる。"]),
    (["２０２５年に開始する。"], ["2025年に始まる。"]),
    (
        ["厚生労働省は、医薬品の供給不足に対応するため、増産を要請した。"],
        ["厚労省が医薬品の増産を製薬各社に要請。", "供給不足の解消を急ぐ。"],
    ),
    (
        [
            "トヨタ自動車は新型EVを発表した。",
            "価格は500万円からで、来年から販売する。",
            "航続距離は600キロ。",
        ],
        ["トヨタが新型の電気自動車を発表。", "販売は来年から。"],
    ),
    (
        ["気温が上がり、熱中症の搬送者が増えた。"],
        ["熱中症で搬送される人が増加している。", "気象庁は高温注意情報を出した。"],
    ),
    (["行った", "行きます"], ["行く"]),
    (
        ["大学の研究チームが新しい材料を開発した。", "従来より軽く、強度は2倍。"],
        ["新材料は従来の2倍の強度を持つ。", "大学の研究チームが開発した。"],
    ),
    (["「ポイント」・まとめ…以上"], ["ポイントのまとめは以上です"]),
    (["ABC ABC ABC DEF"], ["ABC DEF ABC"]),
    (["金利の引き上げを決めた。"], ["日銀は金融政策決定会合で金利の引き上げを決めた。"]),
    (["日銀は金融政策決定会合で金利の引き上げを決めた。"], ["金利の引き上げを決めた。"]),
    (
        ["円安が進んだ。", "円安が進んだ。", "円安が進んだ。"],
        ["円安が進んだ。", "輸入物価が上昇した。"],
    ),
    (["選手は決勝で自己ベストを更新し、優勝した。"], ["決勝で優勝。", "自己ベストも更新した。"]),
    (["The model was trained on 10,000 articles."], ["10,000 articles were used for training."]),
    (
        ["新制度は4月に始まる。\n対象は全国の中小企業。"],
        ["新制度は4月開始。", "全国の中小企業が対象となる。"],
    ),
    (["ー"], ["ー"]),
    (["  "], ["  "]),
    (["再生医療"], ["再生医療", "再生医療", "再生医療"]),
]


def test_enough_pairs():
    assert len(PAIRS) >= 30


# --- tokenizers ------------------------------------------------------------------------


def test_sudachi_tokens_drop_punctuation_and_spaces():
    tokens = sudachi_tokens("「新しい指針」を、公表した。 全角　空白\n改行・中点…")
    for dropped in ["。", "、", "「", "」", " ", "\u3000", "\n", "・", "…", ".", ""]:
        assert dropped not in tokens
    assert "指針" in tokens and "公表" in tokens


def test_sudachi_tokens_are_normalized_forms():
    assert sudachi_tokens("２０２５年") == sudachi_tokens("2025年")
    assert sudachi_tokens("附属病院") == sudachi_tokens("付属病院")


def test_sudachi_tokens_empty():
    assert sudachi_tokens("") == []
    assert sudachi_tokens("。、「」　 ") == []


def test_sudachi_tokens_returns_a_fresh_list():
    first = sudachi_tokens("東京と大阪")
    first.append("x")
    assert sudachi_tokens("東京と大阪") == ["東京", "と", "大阪"]


def test_char_tokens_drop_punctuation_and_whitespace():
    assert char_tokens("「新・指針」、公表。 全角　空白\n…!?") == list("新指針公表全角空白")


def test_char_tokens_keep_letters_digits_kana_kanji():
    assert char_tokens("EV2025年のカナとかな") == list("EV2025年のカナとかな")
    # NFKC: full-width letters and digits match their half-width forms.
    assert char_tokens("ＥＶ２０２５") == list("EV2025")


# --- ROUGE properties --------------------------------------------------------------------


@pytest.mark.parametrize("tokenize", [sudachi_tokens, char_tokens])
def test_identical_texts_score_one(tokenize):
    tokens = tokenize("政府は来年度予算案を閣議決定した。")
    for score in (rouge_n(tokens, tokens, 1), rouge_n(tokens, tokens, 2), rouge_l(tokens, tokens)):
        assert score == PRF(1.0, 1.0, 1.0)


@pytest.mark.parametrize("tokenize", [sudachi_tokens, char_tokens])
def test_disjoint_texts_score_zero(tokenize):
    pred, ref = tokenize("猫犬"), tokenize("株価下落")
    for score in (rouge_n(pred, ref, 1), rouge_n(pred, ref, 2), rouge_l(pred, ref)):
        assert score == PRF(0.0, 0.0, 0.0)


@pytest.mark.parametrize(("pred_points", "ref_points"), PAIRS)
def test_swapping_prediction_and_reference_swaps_precision_and_recall(pred_points, ref_points):
    forward = rouge_scores(pred_points, ref_points)
    backward = rouge_scores(ref_points, pred_points)
    for key, score in forward.items():
        assert score.precision == backward[key].recall
        assert score.recall == backward[key].precision
        assert score.fmeasure == pytest.approx(backward[key].fmeasure, abs=1e-12)


def test_rouge_scores_keys():
    scores = rouge_scores(["東京"], ["東京"])
    assert set(scores) == {
        "rouge1",
        "rouge2",
        "rougeL",
        "rouge1_char",
        "rouge2_char",
        "rougeL_char",
    }


def test_empty_prediction_scores_zero():
    assert all(s == PRF(0.0, 0.0, 0.0) for s in rouge_scores([], ["東京で初雪"]).values())


def test_repeated_words_are_clipped():
    score = rouge_n(["a", "a", "a"], ["a"], 1)
    assert (score.precision, score.recall) == (pytest.approx(1 / 3), 1.0)


def test_rouge_n_rejects_n_zero():
    with pytest.raises(ValueError):
        rouge_n(["a"], ["a"], 0)


def _lcs_dp(a, b):
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def test_bit_parallel_lcs_equals_dynamic_programming():
    rng = random.Random(7)
    for _ in range(2000):
        a = [rng.choice("abcd") for _ in range(rng.randint(0, 40))]
        b = [rng.choice("abcde") for _ in range(rng.randint(0, 40))]
        assert lcs_length(a, b) == _lcs_dp(a, b)


# --- agreement with Google's rouge-score ------------------------------------------------


class _Tokenizer:
    """rouge-score's tokenizer protocol around one of our tokenizers."""

    def __init__(self, function):
        self.function = function

    def tokenize(self, text):
        return self.function(text)


@pytest.fixture(scope="module")
def rouge_scorer():
    # A test-only dependency: the other tests in this file run without it.
    return pytest.importorskip("rouge_score.rouge_scorer")


@pytest.mark.parametrize(("suffix", "tokenize"), [("", sudachi_tokens), ("_char", char_tokens)])
def test_agrees_with_rouge_score(rouge_scorer, suffix, tokenize):
    scorer = rouge_scorer.RougeScorer(
        ["rouge1", "rouge2", "rougeL"], tokenizer=_Tokenizer(tokenize)
    )
    for pred_points, ref_points in PAIRS:
        ours = rouge_scores(pred_points, ref_points)
        # rouge-score takes (target, prediction).
        theirs = scorer.score("\n".join(ref_points), "\n".join(pred_points))
        for key in ("rouge1", "rouge2", "rougeL"):
            mine, reference = ours[key + suffix], theirs[key]
            context = (key + suffix, pred_points, ref_points)
            assert mine.precision == pytest.approx(reference.precision, abs=1e-9), context
            assert mine.recall == pytest.approx(reference.recall, abs=1e-9), context
            assert mine.fmeasure == pytest.approx(reference.fmeasure, abs=1e-9), context


def test_test_set_exercises_partial_scores():
    # The agreement test is only meaningful if the pairs are not all 0 or 1.
    values = {round(rouge_scores(p, r)["rougeL"].fmeasure, 6) for p, r in PAIRS}
    assert len(values - {0.0, 1.0}) >= 10


# --- alignment -----------------------------------------------------------------------------

# pred 0 half-covers both ref 0 and ref 1, pred 1 only ref 0, pred 2 = ref 2 exactly.
# Greedy (best pair first) takes (2,2), (0,0), then (1,1) which scores 0;
# the optimum gives ref 0 to pred 1 and ref 1 to pred 0.
GREEDY_TRAP_PRED = [
    "東京、大阪、京都、札幌、仙台、横浜",
    "東京、大阪、神戸、福岡",
    "広島、奈良、金沢",
]
GREEDY_TRAP_REF = ["東京、大阪、京都", "札幌、仙台、横浜、那覇", "広島、奈良、金沢"]


def _greedy(matrix):
    cells = sorted(
        ((score, i, j) for i, row in enumerate(matrix) for j, score in enumerate(row)), reverse=True
    )
    used_i, used_j, total = set(), set(), 0.0
    for score, i, j in cells:
        if i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            total += score
    return total


def test_alignment_is_the_one_to_one_optimum_not_greedy():
    matrix = [
        [rouge_l(sudachi_tokens(p), sudachi_tokens(r)).fmeasure for r in GREEDY_TRAP_REF]
        for p in GREEDY_TRAP_PRED
    ]
    alignment = align_points(GREEDY_TRAP_PRED, GREEDY_TRAP_REF)
    assert [(i, j) for i, j, _ in alignment.pairs] == [(1, 0), (0, 1), (2, 2)]
    best = max(
        sum(matrix[i][j] for i, j in enumerate(perm)) for perm in itertools.permutations(range(3))
    )
    total = sum(score for _, _, score in alignment.pairs)
    assert total == pytest.approx(best)
    assert _greedy(matrix) < best - 0.1
    assert alignment.mean_matched == pytest.approx(best / 3)
    assert (alignment.n_predicted, alignment.n_reference) == (3, 3)


def test_alignment_threshold_and_unmatched_references():
    alignment = align_points(["東京、大阪、京都"], ["東京、大阪、京都", "猫が鳴く"], threshold=0.3)
    assert alignment.pairs == [(0, 0, 1.0)]
    assert alignment.matched == 1
    # The second reference point has no partner and counts as 0.
    assert alignment.mean_matched == pytest.approx(0.5)
    low = align_points(["東京、猫、犬、鳥、魚"], ["東京、大阪、京都、札幌、仙台"], threshold=0.3)
    assert low.matched == 0 and len(low.pairs) == 1


@pytest.mark.parametrize(("pred", "ref"), [([], []), ([], ["東京"]), (["東京"], [])])
def test_alignment_of_empty_inputs(pred, ref):
    assert align_points(pred, ref) == Alignment([], 0.0, 0, len(ref), len(pred))


# --- entity recall ---------------------------------------------------------------------------


def test_entity_recall_half_of_the_reference_entities():
    refs = ["日本再生医療学会が指針を公表した。", "新制度は2025年度に始まる。"]
    assert entity_recall(["日本再生医療学会は指針を出した。"], refs) == 0.5
    assert entity_recall(["2025年度から新制度。", "日本再生医療学会の指針。"], refs) == 1.0
    assert entity_recall([], refs) == 0.0


def test_entity_recall_with_a_full_date():
    refs = ["日本再生医療学会が指針を公表した。", "改正法は2025年7月20日に施行される。"]
    assert entity_recall(["日本再生医療学会は指針を出した。"], refs) == 0.5


def test_entity_recall_normalizes_width_and_spaces():
    refs = ["ＰＭＤＡと厚生労働省が協議する。"]
    assert entity_recall(["PMDA と 厚生 労働省の協議"], refs) == 1.0


def test_entity_recall_uses_terms_defined_in_the_references():
    refs = ["細胞外小胞（EV）の品質が課題。"]
    assert entity_recall(["EVの品質が課題。"], refs) == 0.5  # EV found, 細胞外小胞 not


def test_entity_recall_none_without_reference_entities():
    assert entity_recall(["天気が良い。"], ["今日は天気が良い。"]) is None
    assert entity_recall(["天気が良い。"], []) is None


@pytest.mark.slow
def test_entity_recall_with_ginza():
    refs = ["日本再生医療学会が指針を公表した。", "新制度は2025年度に始まる。"]
    recall = entity_recall(["日本再生医療学会は指針を出した。"], refs, use_ginza=True)
    assert recall is not None and 0.0 < recall < 1.0


# --- lengths -----------------------------------------------------------------------------------


def test_point_lengths_in_characters():
    assert point_lengths(["東京で初雪。", "  ABC \n", ""]) == [6, 3, 0]
