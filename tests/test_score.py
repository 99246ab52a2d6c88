"""Tests for keypoints.score: feature ranges, individual features, the linear scorer."""

from __future__ import annotations

import math

import pytest

from keypoints.idf import IdfTable, default_idf
from keypoints.stages.analyze import analyze
from keypoints.stages.features import FEATURES, sentence_features, tfidf_vectors
from keypoints.stages.salience import DEFAULT_WEIGHTS, LinearScorer
from keypoints.stages.segment import split_sentences
from keypoints.structures import Sentence

TITLE = "東西電機、新型蓄電池を量産へ"
NEWS = "東西電機は2026年4月1日、新型蓄電池の量産を始めると発表した。"
ARTICLE = "\n".join(
    [
        NEWS,
        "会見する社長。(写真/筆者撮影)",
        "投資額は約120億円で、2028年度に売上高300億円を目指す。",
        "なぜ今、蓄電池なのか？",
        "新工場の概要",
        "同社の蓄電池事業はどこへ向かうのか。",
        "社長は「価格競争には加わらない」と話した。",
        "はい。",
        "。",
    ]
)


def sentences_of(lines: list[str]) -> list[Sentence]:
    """One Sentence per line, kept whole (no segmentation), offsets into the joined text."""
    sentences, offset = [], 0
    for i, line in enumerate(lines):
        sentences.append(Sentence(i, line, offset, offset + len(line)))
        offset += len(line) + 1
    return sentences


def features_for(lines: list[str], title: str | None = TITLE, idf: IdfTable | None = None):
    analyzed = analyze(sentences_of(lines), article_text="\n".join(lines), parse=())
    table = sentence_features(analyzed, idf or default_idf(), title)
    return analyzed, table


def row_of(lines: list[str], text: str, **kwargs) -> dict[str, float]:
    analyzed, table = features_for(lines, **kwargs)
    return next(r for a, r in zip(analyzed, table.rows, strict=True) if a.sentence.text == text)


def scored_by_text(lines: list[str], scorer: LinearScorer | None = None, **kwargs):
    analyzed, table = features_for(lines, **kwargs)
    scored = (scorer or LinearScorer()).score(analyzed, table)
    return {s.analyzed.sentence.text: s for s in scored}


# --- ranges ----------------------------------------------------------------------------


@pytest.mark.parametrize("title", [TITLE, None, "", "無関係な見出し"])
def test_every_feature_is_in_unit_interval(title):
    analyzed = analyze(split_sentences(ARTICLE), article_text=ARTICLE, parse=())
    table = sentence_features(analyzed, default_idf(), title)
    assert len(table.rows) == len(analyzed)
    for row in table.rows:
        assert set(row) == set(FEATURES)
        for name, value in row.items():
            assert math.isfinite(value) and 0.0 <= value <= 1.0, (name, value)


def test_features_in_range_with_a_tiny_idf_table():
    idf = IdfTable({"発表": 1.2, "蓄電池": 3.0, "社長": 1.5}, 10)
    _, table = features_for(ARTICLE.split("\n"), idf=idf)
    for row in table.rows:
        assert all(0.0 <= v <= 1.0 for v in row.values())


def test_single_sentence_article():
    _, table = features_for([NEWS])
    (row,) = table.rows
    assert row["position"] == 1.0
    assert row["centrality"] == pytest.approx(1.0)
    assert all(0.0 <= v <= 1.0 for v in row.values())


def test_position_decreases_through_the_article():
    _, table = features_for(ARTICLE.split("\n"))
    positions = [r["position"] for r in table.rows]
    assert positions[0] == 1.0
    assert all(a > b for a, b in zip(positions, positions[1:], strict=False))


def test_tfidf_vectors_are_l2_normalised():
    lemmas = [["蓄電池", "発表"], ["蓄電池", "蓄電池", "価格"], []]
    vectors, vocabulary = tfidf_vectors(lemmas, IdfTable({"発表": 1.0, "価格": 2.0}, 5))
    norms = [math.sqrt(vectors[i].multiply(vectors[i]).sum()) for i in range(3)]
    assert norms[0] == pytest.approx(1.0) and norms[1] == pytest.approx(1.0)
    assert norms[2] == 0.0
    assert set(vocabulary) == {"蓄電池", "発表", "価格"}


def test_tfidf_vectors_equal_scikit_learns_normalisation_bit_for_bit():
    """tfidf_vectors builds its CSR rows by hand for speed; they must be exactly
    what the COO matrix through sklearn's `normalize` gave, or points could move."""
    from scipy import sparse
    from sklearn.preprocessing import normalize

    words = ["蓄電池", "発表", "価格", "工場", "量産", "投資", "社長", "売上高", "目標", "新型"]
    lemmas = [
        [words[(i * 7 + j * j) % len(words)] for j in range(3 + i % 9)] for i in range(12)
    ] + [[]]
    idf = IdfTable({w: 1.0 + k / 3 for k, w in enumerate(words[:6])}, 40)
    vectors, vocabulary = tfidf_vectors(lemmas, idf)

    rows, cols, values = [], [], []
    for row, sentence in enumerate(lemmas):
        for lemma in dict.fromkeys(sentence):
            rows.append(row)
            cols.append(vocabulary[lemma])
            values.append(sentence.count(lemma) * idf[lemma])
    expected = normalize(sparse.csr_matrix((values, (rows, cols)), shape=vectors.shape))
    assert (vectors != expected).nnz == 0
    assert vectors.indices.tolist() == expected.indices.tolist()


# --- individual features ---------------------------------------------------------------

CAPTION = "会見する社長。(写真/筆者撮影)"


def test_caption_line_is_flagged_and_scores_below_news():
    lines = [NEWS, CAPTION, "投資額は約120億円で、2028年度に売上高300億円を目指す。"]
    scored = scored_by_text(lines)
    assert scored[CAPTION].features["caption"] == 1.0
    assert scored[NEWS].features["caption"] == 0.0
    assert scored[CAPTION].score < scored[NEWS].score
    assert scored[CAPTION].score < scored[lines[2]].score


@pytest.mark.parametrize(
    "caption", ["写真はイメージ", "新工場の完成予想図（提供：東西電機）", "図1：出荷台数の推移"]
)
def test_other_caption_forms_are_flagged(caption):
    assert row_of([NEWS, caption], caption)["caption"] == 1.0


def test_caption_text_is_flagged_after_segmentation():
    text = NEWS + "\n記者会見で新型蓄電池を手に説明する東西電機の山田社長。(写真/筆者撮影)"
    analyzed = analyze(split_sentences(text), article_text=text, parse=())
    table = sentence_features(analyzed, default_idf(), TITLE)
    rows = {a.sentence.text: r for a, r in zip(analyzed, table.rows, strict=True)}
    caption_rows = [r for t, r in rows.items() if "山田社長" in t]
    assert caption_rows and all(r["caption"] == 1.0 for r in caption_rows)


@pytest.mark.parametrize(
    "question",
    [
        "なぜ今、蓄電池なのか？",
        "同社の蓄電池事業はどこへ向かうのか。",
        "値上げは避けられるでしょうか。",
    ],
)
def test_question_is_flagged(question):
    lines = [NEWS, question]
    assert row_of(lines, question)["question"] == 1.0
    assert row_of(lines, NEWS)["question"] == 0.0


@pytest.mark.parametrize("heading", ["新工場の概要", "【今後の見通し】", "第2章 市場の動向"])
def test_heading_is_a_fragment(heading):
    lines = [NEWS, heading]
    assert row_of(lines, heading)["fragment"] == 1.0
    assert row_of(lines, NEWS)["fragment"] == 0.0


def test_short_line_is_a_fragment_and_sentence_with_predicate_is_not():
    lines = [NEWS, "はい。", "新工場は滋賀県に建設され、来年に稼働する予定だ"]
    assert row_of(lines, "はい。")["fragment"] == 1.0
    assert row_of(lines, lines[2])["fragment"] == 0.0  # no 。, but ends in a predicate


def test_mostly_quoted_sentence_is_flagged():
    quoted = "「価格競争には加わらず、品質で選ばれる製品にしたい」と述べた。"
    lines = [NEWS, quoted]
    assert row_of(lines, quoted)["quote"] == 1.0
    assert row_of(lines, NEWS)["quote"] == 0.0


def test_title_overlap_is_higher_for_shared_words():
    shared = "新型蓄電池の量産は滋賀県の工場で始まる。"
    unrelated = "市内の図書館は来月から開館時間を延ばす。"
    lines = [shared, unrelated]
    assert row_of(lines, shared)["title_overlap"] > row_of(lines, unrelated)["title_overlap"]
    assert row_of(lines, unrelated)["title_overlap"] == 0.0


def test_title_overlap_is_zero_without_a_title():
    _, table = features_for([NEWS, "新型蓄電池の量産は滋賀県の工場で始まる。"], title=None)
    assert all(r["title_overlap"] == 0.0 for r in table.rows)


def test_entity_density_is_higher_with_org_date_and_number():
    dense = "厚生労働省は2026年4月1日、120億円の補助金を配ると発表した。"
    plain = "住民の間では様々な意見が出ており、議論が続いている。"
    lines = [plain, dense]
    assert row_of(lines, dense)["entity_density"] > row_of(lines, plain)["entity_density"]
    assert row_of(lines, plain)["entity_density"] == 0.0


def test_central_sentence_beats_an_off_topic_one():
    lines = [
        "東西電機は新型蓄電池の量産を始める。",
        "新型蓄電池の価格は98万円で、東西電機が販売する。",
        "東西電機の蓄電池は充電時間が短い。",
        "市内の図書館は来月から開館時間を延ばす。",
    ]
    analyzed, table = features_for(lines, title=None)
    rows = {a.sentence.text: r for a, r in zip(analyzed, table.rows, strict=True)}
    assert rows[lines[0]]["centrality"] > rows[lines[3]]["centrality"]
    assert max(r["centrality"] for r in rows.values()) == pytest.approx(1.0)


# --- LinearScorer ----------------------------------------------------------------------


def test_score_is_the_sum_of_contributions():
    scored = scored_by_text(ARTICLE.split("\n"))
    for item in scored.values():
        assert item.score == pytest.approx(sum(item.contributions.values()))
        for name, value in item.features.items():
            assert item.contributions[name] == pytest.approx(DEFAULT_WEIGHTS.get(name, 0.0) * value)


def test_penalties_have_negative_default_weights():
    for name in ("question", "quote", "caption", "fragment"):
        assert DEFAULT_WEIGHTS[name] < 0
    for name in ("centrality", "position", "title_overlap", "tfidf", "entity_density"):
        assert DEFAULT_WEIGHTS[name] > 0


@pytest.mark.parametrize("feature", FEATURES)
@pytest.mark.parametrize("delta", [0.5, -0.5])
def test_changing_a_weight_moves_the_score_by_weight_times_feature(feature, delta):
    lines = ARTICLE.split("\n")
    base = scored_by_text(lines)
    weights = dict(DEFAULT_WEIGHTS)
    weights[feature] = weights.get(feature, 0.0) + delta
    changed = scored_by_text(lines, scorer=LinearScorer(weights=weights))
    for text, item in base.items():
        value = item.features[feature]
        new = changed[text].score
        assert new == pytest.approx(item.score + delta * value)
        if value > 0:
            assert (new > item.score) if delta > 0 else (new < item.score)
        else:
            assert new == pytest.approx(item.score)


def test_missing_weight_counts_as_zero():
    lines = [NEWS, CAPTION]
    weights = {k: v for k, v in DEFAULT_WEIGHTS.items() if k != "caption"}
    without = scored_by_text(lines, scorer=LinearScorer(weights=weights))
    assert without[CAPTION].contributions["caption"] == 0.0
    assert without[CAPTION].score > scored_by_text(lines)[CAPTION].score
