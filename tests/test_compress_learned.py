"""The learned compressor: its candidates, its decoding, its model file and its training."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import LONG_SENTENCE, SAMPLES
from keypoints.evaluation.gold import GoldRecord, load_samples
from keypoints.settings import MIN_POINT_CHARS
from keypoints.stages.compress import Compressor, check_point
from keypoints.stages.compress.learned import (
    CompressionModel,
    LearnedDrop,
    candidates,
    default_compression_model,
    load_compression_model,
    phrase_features,
)
from keypoints.stages.compress.parse import Draft, parse_info
from keypoints.stages.compress.rules.long_parenthetical import bracket_spans
from keypoints.training.compression import (
    aligned_pairs,
    candidate_classifiers,
    fit,
    phrase_data,
    train,
)

pytestmark = pytest.mark.slow  # GiNZA parses

LONG = LONG_SENTENCE


@pytest.fixture(scope="module")
def nlp():
    from keypoints.text.ginza import ginza_nlp

    return ginza_nlp()


@pytest.fixture(scope="module")
def model() -> CompressionModel:
    shipped = default_compression_model()
    assert shipped is not None, "models/compression-*.joblib is shipped"
    return shipped


def parsed(nlp, text: str):
    parse = parse_info(nlp(text))
    return parse, Draft(tuple(t.text_with_ws for t in parse.tokens))


def test_candidates_never_hold_the_predicate_the_core_or_a_negation(nlp):
    parse, draft = parsed(nlp, "同社は、来年度から新工場で電池を生産しない方針を明らかにした。")
    found = candidates(parse, draft)
    assert found
    for candidate in found:
        assert parse.root.i not in candidate.indices
        assert not set(candidate.indices) & parse.core
        assert not any(parse.tokens[i].norm_ in {"ない", "ず"} for i in candidate.indices)
        assert list(candidate.indices) == list(
            range(candidate.indices[0], candidate.indices[-1] + 1)
        )


QUOTED = (
    "港町市の山田太郎市長は12日の記者会見で、「今回ほど市民の声の大切さを感じたことはありません。"
    "延伸は必ず実現させます」と述べ、路面電車の延伸計画への理解を改めて求めた。"
)


def test_no_drop_changes_the_words_of_a_quote(nlp, model):
    parse, draft = parsed(nlp, QUOTED)
    assert parse.quoted and all(parse.tokens[i].text not in "「」" for i in parse.quoted)
    assert not [c for c in candidates(parse, draft) if set(c.indices) & parse.quoted]
    for max_chars in (70, 50):
        point = Compressor(max_chars=max_chars, nlp=nlp, reach=3.0, model=model)(QUOTED).text
        if "「" in point:  # the quote stays as spoken, or goes whole
            quote = point[point.index("「") : point.index("」") + 1]
            assert quote in QUOTED, point


# GiNZA hangs ARROWS Kiss F on -03E as a modifier: dropping it left -03Eは.
LATIN_NAMED = (
    "ARROWS Kiss F-03Eは今回発表された新モデルの中で最も軽い端末で「はじめてのスマホ」を"
    "掲げており、文字の大きな画面の他にもいくつかの機能が備わっているのが特徴です。"
)


def test_a_latin_name_is_one_unit_however_ginza_splits_it(nlp):
    parse, draft = parsed(nlp, LATIN_NAMED)
    name = {t.i for t in parse.tokens if t.idx < len("ARROWS Kiss F-03E")}
    assert len(name) > 1 and all(parse.name_of[i] == name for i in name)
    assert not [c for c in candidates(parse, draft) if 0 < len(set(c.indices) & name) < len(name)]


@pytest.mark.parametrize("max_chars", [70, 60, 50, 40])
def test_no_compression_keeps_part_of_a_latin_name(nlp, model, max_chars):
    point = Compressor(max_chars=max_chars, nlp=nlp, reach=3.0, model=model)(LATIN_NAMED).text
    assert point.startswith("ARROWS Kiss F-03Eは"), point


def test_a_topic_inside_a_quote_is_not_the_main_clauses_subject(nlp):
    # 自体は is the speaker's topic: the quote it is in may still go whole.
    sentence = (
        "「演技自体は舞台で終われて幸せでした」という安藤に、鈴木は「ホッとしている」と振り返った。"
    )
    parse, _ = parsed(nlp, sentence)
    topic = next(t.i for t in parse.tokens if t.text == "自体")
    assert topic in parse.quoted and topic not in parse.core
    subject = next(t.i for t in parse.tokens if t.text == "鈴木")
    assert subject in parse.core


def test_a_te_form_is_never_cut_from_its_auxiliary_verb(nlp):
    # GiNZA may split 伝わって|くる into two bunsetu; they are one predicate.
    sentence = "紙面上からも、その憤りが伝わってくる田中氏の発言が話題になった。"
    parse, draft = parsed(nlp, sentence)
    for candidate in candidates(parse, draft):
        last = candidate.indices[-1]
        following = parse.tokens[last + 1] if last + 1 < len(parse.tokens) else None
        assert not (
            parse.tokens[last].text == "て" and following is not None and following.lemma_ == "くる"
        )


def texts(parse, found) -> list[str]:
    return ["".join(parse.tokens[i].text for i in c.indices) for c in found]


def candidate_texts(nlp, sentence: str) -> list[str]:
    """The text of every drop candidate of `sentence`, as parsed and not yet shortened."""
    parse, draft = parsed(nlp, sentence)
    return texts(parse, candidates(parse, draft))


def test_a_phrase_is_a_candidate_again_once_its_parenthetical_is_gone(nlp):
    # Once （愛称：うみかぜ） is dropped, 新しい路面電車を使った reads as one phrase again:
    # the gap an earlier drop left is no gap.
    sentence = (
        "港町市は3日、新しい路面電車（愛称：うみかぜ）を使った観光ツアー「港めぐり号」を"
        "来月から運行すると明らかにした。"
    )
    parse, draft = parsed(nlp, sentence)
    note = next(
        span for span in bracket_spans(parse, draft) if "愛称" in parse.tokens[span[1]].text
    )
    assert "新しい路面電車を使った" in texts(parse, candidates(parse, draft.without(note)))


def test_a_draft_run_is_contiguous_across_dropped_tokens():
    draft = Draft(("A", "(", "x", ")", "を", "B")).without([1, 2, 3])
    assert draft.is_contiguous([0, 4]) and draft.is_contiguous([0, 4, 5])
    assert not draft.is_contiguous([0, 5]) and not draft.is_contiguous([])


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        ("市は、老朽化した橋を架け替えるため、来年度の予算に工事費を計上した。", "橋を架け替える"),
        ("新駅の開業は、周辺の人口が増えたことを受けて決まったものだ。", "人口が増えた"),
    ],
)
def test_the_clause_before_a_formal_noun_is_never_dropped_without_it(nlp, sentence, content):
    # 〜ため, 〜こと, 〜もの say nothing without their clause: ため、声が殺到した.
    for text in candidate_texts(nlp, sentence):
        assert not text.endswith(content.replace(" ", "")), text


@pytest.mark.parametrize(
    ("sentence", "argument"),
    [
        # The object of a relative clause: 発表した同社 would say nothing of what.
        ("新製品を発表した同社は、来年にも海外で販売を始める。", "新製品を"),
        # The の-marked subject of an adjective: 男性に高い商品 is another statement.
        ("若い男性に人気の高い商品を、同社は11日に東京都内で発売した。", "人気の"),
    ],
)
def test_an_argument_of_a_clause_inside_the_sentence_is_not_dropped_alone(nlp, sentence, argument):
    found = candidate_texts(nlp, sentence)
    assert found  # other phrases may still go
    assert not [text for text in found if text.endswith(argument)], found


@pytest.mark.parametrize(
    ("sentence", "orphan"),
    [
        # A relative clause keeps one of its phrases or goes whole: 知られていたこの端末は
        # says nothing.
        (
            "開発コード名「カモメ（型番：KM01）」で知られていたこの端末は、来月から全国の店頭で"
            "販売される。",
            "開発コード名「カモメ（型番：KM01）」で",
        ),
        # A number goes with its counter, however GiNZA splits them: not 日体制で.
        (
            "都は、相談センターを、三百六十五日体制で運営して、専門家による支援を行っている。",
            "三百六十五",
        ),
        # 〜ままで before おる (居る) is one predicate with it: not 北京は、おるけれども.
        (
            "相変わらず北京は、脱退したままでおるけれども、交流を積み重ねていきたいと思っている。",
            "脱退したままで",
        ),
    ],
)
def test_no_drop_leaves_a_word_or_clause_without_its_content(nlp, sentence, orphan):
    found = candidate_texts(nlp, sentence)
    assert orphan not in found, found


def test_a_relative_clause_may_still_go_whole_or_lose_one_of_its_phrases(nlp):
    found = candidate_texts(
        nlp, "地元の商店街で長年親しまれてきた老舗の書店が、今月末で閉店することになった。"
    )
    assert "地元の商店街で長年親しまれてきた" in found
    assert "長年" in found and "地元の商店街で" in found


def test_features_are_a_flat_dict(nlp):
    parse, draft = parsed(nlp, LONG)
    rows = [phrase_features(parse, draft, c) for c in candidates(parse, draft)]
    assert rows and all(isinstance(v, (str, float)) for row in rows for v in row.values())


def test_the_learned_rule_brings_a_long_sentence_under_the_limit(nlp, model):
    rules_only = Compressor(max_chars=70, nlp=nlp, reach=2.5)(LONG)
    learned = Compressor(max_chars=70, nlp=nlp, reach=2.5, model=model)(LONG)
    assert len(rules_only.text) > 70
    assert MIN_POINT_CHARS <= len(learned.text) <= 70
    assert check_point(learned.text, LONG) == []
    assert "learned" in learned.steps
    assert "港町市" in learned.text and learned.text.endswith("発表した。")


def test_a_short_sentence_is_left_alone(nlp, model):
    short = "港町市は12日、路面電車の延伸計画を発表した。"
    assert Compressor(max_chars=70, nlp=nlp, model=model)(short).text == short


def test_pruning_drops_likely_phrases_even_within_the_limit(nlp, model):
    eager = CompressionModel(model.pipeline, prune=0.0)
    sentence = "港町市は12日、市議会の全員協議会で、路面電車の延伸計画を発表した。"
    pruned = Compressor(max_chars=70, nlp=nlp, model=eager)(sentence)
    assert len(pruned.text) < len(sentence) and check_point(pruned.text) == []
    assert LearnedDrop(eager).name == "learned"


def test_the_model_file_round_trips(tmp_path: Path, model):
    path = tmp_path / "compression-9.9.9.joblib"
    model.save(path)
    again = load_compression_model(path)
    rows = [{"dep": "obl", "last": "で", "share": 0.2}]
    assert again.drop_probabilities(rows) == pytest.approx(model.drop_probabilities(rows))
    assert again.card["sklearn_version"]


def test_pairs_are_aligned_and_phrases_labelled():
    records = load_samples(SAMPLES / "points.jsonl")
    pairs = aligned_pairs(records)
    assert pairs and all(len(p.sentence) > len(p.point) for p in pairs)
    data = phrase_data(pairs)
    assert len(data.rows) == len(data.dropped) == len(data.groups) > 0
    assert set(data.dropped) <= {0, 1}
    model = fit(candidate_classifiers()["logistic"][0], data)
    assert 0.0 <= float(model.drop_probabilities(data.rows[:1])[0]) <= 1.0
    assert data.of({pairs[0].id}).groups == [g for g in data.groups if g == pairs[0].id]


def test_train_picks_the_simpler_classifier_unless_clearly_better():
    records = load_samples(SAMPLES / "points.jsonl") * 1
    records = [
        GoldRecord(f"{r.id}-{k}", r.title, r.text, r.references) for k in range(2) for r in records
    ]
    model, scores = train(records, folds=2)
    assert set(scores) == {"logistic", "gradient_boosting"}
    assert model.card["classifier"] in scores and model.card["pairs"] > 0


def test_train_compression_command(tmp_path: Path):
    gold = tmp_path / "gold.jsonl"
    rows = []
    for k in range(2):
        for record in load_samples(SAMPLES / "points.jsonl"):
            rows.append(
                {"id": f"{record.id}-{k}", "text": record.text, "points": record.references}
            )
    gold.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    out = tmp_path / "compression-test.joblib"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "keypoints",
            "train-compression",
            str(gold),
            "-o",
            str(out),
            "--folds",
            "2",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert out.is_file() and "chosen" in done.stdout


@pytest.mark.parametrize(
    ("sentence", "modifier"),
    [
        # もと, 場合 say where or when relative to their modifier: もとへ駆け寄り says nothing.
        ("山田監督は試合後、審判のもとへ駆け寄り、判定について説明を求めた。", "審判の"),
        ("新しい端末を購入する場合に限り、料金を割り引く。", "新しい端末を購入する"),
    ],
)
def test_a_relational_noun_keeps_its_modifier(nlp, sentence, modifier):
    parse, draft = parsed(nlp, sentence)
    assert modifier not in texts(parse, candidates(parse, draft))


def test_a_topic_marked_by_dake_wa_is_core_and_a_place_with_de_wa_is_not(nlp):
    # GiNZA parses テレビ東京だけは as obl; it is still what the sentence is about.
    parse, _ = parsed(nlp, "テレビ東京だけは、普段どおりアニメの再放送を流していた。")
    assert next(t.i for t in parse.tokens if t.text == "テレビ東京") in parse.core
    parse, draft = parsed(nlp, "東京では朝から強い雨が降った。")
    assert next(t.i for t in parse.tokens if t.text == "東京") not in parse.core
    assert "東京では" in texts(parse, candidates(parse, draft))
