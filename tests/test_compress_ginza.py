"""Tests for the parse-based compressor (keypoints.stages.compress.Compressor) and its
parts: of the compressor tests, the module that loads GiNZA (all of it is marked slow).

The rule examples (connectives, frame clauses, parentheticals, modifiers) are
deterministic outputs of the rules on GiNZA's parse of our own sentences. The property
tests run the ~40 news and assembly sentences of compress_corpus.py (polite speech,
long news sentences) through the compressor and check what must always hold. The rules
that need no parse are in test_compress_rules.py, the conjugation table in test_conjugate.py.
"""

from __future__ import annotations

import re

import pytest

from compress_corpus import SENTENCES
from keypoints.settings import DEFAULTS
from keypoints.stages.compress import (
    Compression,
    Compressor,
    check_point,
    compress,
    count_negations,
)

pytestmark = pytest.mark.slow  # loads GiNZA


@pytest.fixture(scope="module")
def nlp():
    from keypoints.text.ginza import ginza_nlp

    return ginza_nlp()


@pytest.fixture(scope="module")
def compressor(nlp):
    return Compressor(max_chars=70, nlp=nlp)


def run(nlp, sentence: str, max_chars: int = 70) -> Compression:
    return Compressor(max_chars=max_chars, nlp=nlp)(sentence)


# --- rule 1: markers and connectives ------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("また、同社は新工場を建設した。", "同社は新工場を建設した。"),
        ("・課題→人手不足の解消が急務となっている。", "人手不足の解消が急務となっている。"),
        ("一方で、そうした中で、市は補助金を増額した。", "市は補助金を増額した。"),
    ],
)
def test_rule_connective(compressor, sentence, expected):
    result = compressor(sentence)
    assert result.text == expected
    assert result.steps == ["connective"]


# --- rule 2: attribution and frame clauses -----------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("関係者によると、同社は来年春に新製品を発売する。", "同社は来年春に新製品を発売する。"),
        (
            "再生医療の分野で国際的なルール作りが進む中、厚生労働省は新たな指針を策定した。",
            "厚生労働省は新たな指針を策定した。",
        ),
        ("防災訓練の実施に向けて、市は住民説明会を開いた。", "市は住民説明会を開いた。"),
        ("利用者の増加を受けて、同社は運行本数を増やした。", "同社は運行本数を増やした。"),
    ],
)
def test_rule_attribution_drops_a_frame_clause(compressor, sentence, expected):
    result = compressor(sentence)
    assert result.text == expected
    assert result.steps == ["attribution"]


@pytest.mark.parametrize(
    "sentence",
    [
        "2025年7月20日、同社は新工場の建設を発表した。",  # a date is never a frame
        "同社は、新工場の建設を発表した。",  # the subject
        "厚生労働省によると、全国の患者数は減少した。",  # an organisation
        "雨が降らないため、市は給水制限を始めた。",  # a negation
        "感染拡大を受けて、緊急事態宣言を発令した。",  # the rest has no subject
    ],
)
def test_rule_attribution_keeps_dates_organisations_and_subjects(compressor, sentence):
    result = compressor(sentence)
    assert result.text == sentence
    assert "attribution" not in result.steps


# --- rule 3: repeated parentheticals and notes --------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "細胞外小胞（EV）を使う治療では、EV（細胞外小胞）の品質管理が課題となる。",
            "細胞外小胞（EV）を使う治療では、EVの品質管理が課題となる。",
        ),
        ("同社は新型の蓄電池を発表した（写真）。", "同社は新型の蓄電池を発表した。"),
        ("同社は新製品を発表した（注1）。", "同社は新製品を発表した。"),
        (
            "県内の出生数は過去最少を更新した（出典：県人口動態統計）。",
            "県内の出生数は過去最少を更新した。",
        ),
    ],
)
def test_rule_parenthetical(compressor, sentence, expected):
    result = compressor(sentence)
    assert result.text == expected
    assert result.steps == ["parenthetical"]


@pytest.mark.parametrize(
    "sentence",
    [
        "国際原子力機関（IAEA）は報告書を公表した。",  # a first definition
        "同社は注目の新製品（注目モデル）を発表した。",  # 注目 is not a note (注1)
    ],
)
def test_rule_parenthetical_keeps_new_content(compressor, sentence):
    assert compressor(sentence).text == sentence


def test_rule_parenthetical_never_empties_a_point(compressor):
    assert compressor("（写真／研究所提供）").text == "（写真／研究所提供）"


# --- rule 4: modifiers, only while too long -----------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "max_chars", "expected"),
    [
        (
            "市は引き続き自主防災組織への支援に取り組む。",
            20,
            "市は自主防災組織への支援に取り組む。",
        ),
        ("同社は非常に多くの応募があったと発表した。", 20, "同社は多くの応募があったと発表した。"),
    ],
)
def test_rule_adverb(nlp, sentence, max_chars, expected):
    result = run(nlp, sentence, max_chars)
    assert result.text == expected
    assert result.steps == ["adverb"]


@pytest.mark.parametrize(
    ("sentence", "max_chars", "kept"),
    [
        (
            "市は、大規模な地震が県内で発生した場合の避難者数を推計する算定式を示した。",
            25,
            "発生した場合の",
        ),
        ("県は、台風が上陸する前の備えについて住民に注意を呼びかけた。", 20, "上陸する前の"),
        ("町は、新しい庁舎が完成した後の跡地の活用策をまとめた。", 18, "完成した後の"),
        (
            "警察は、相談を受けた場合だけでなく、通報があった場合にも現場で適切に対応する。",
            30,
            "受けた場合",
        ),
    ],
)
def test_rule_modifier_keeps_what_a_relational_noun_is_relative_to(nlp, sentence, max_chars, kept):
    """場合, 前, 後 (UniDic's 副詞可能 nouns) say when relative to their modifier: before
    0.7.7 the modifier rule made 「市は、場合の避難者数を…」 and 「県は、前の備えについて…」."""
    result = run(nlp, sentence, max_chars)
    assert kept in result.text, result.text


def test_rule_adverb_only_when_too_long(compressor):
    sentence = "市は引き続き自主防災組織への支援に取り組む。"
    assert compressor(sentence).text == sentence


@pytest.mark.parametrize(
    ("sentence", "max_chars", "expected"),
    [
        (
            "大雨の影響で、JR東日本は上越新幹線の運転を見合わせた。",
            25,
            "JR東日本は上越新幹線の運転を見合わせた。",
        ),
        (
            "市は、国や県と連携しながら、子育て世帯への支援を充実させる。",
            25,
            "市は、子育て世帯への支援を充実させる。",
        ),
    ],
)
def test_rule_phrase(nlp, sentence, max_chars, expected):
    result = run(nlp, sentence, max_chars)
    assert result.text == expected
    assert result.steps == ["phrase"]


@pytest.mark.parametrize(
    "sentence",
    [
        "雨が降れば、試合は中止となる見通しだ。",  # a condition changes the claim
        "同社は2025年から量産を始めると発表した。",  # a number and the quoted clause
        "市は防災対策に取り組んでいく。",  # an argument (〜に) of the predicate
        "市は、市内の全ての小中学校に、蓄電池を設置する。",  # an argument, even with a comma
        "県は、新たな計画を策定し、来年度から実施する。",  # a chained main clause
        "事業者は、これまで以上に厳しい責任を負う。",  # これまで leans on 以上
        "市長は、市民会館の建て替えについて、慎重に検討すると述べた。",  # the topic
        "市では、来年度から全校に蓄電池を設置する。",  # the only actor
    ],
)
def test_rule_phrase_keeps_conditions_numbers_and_arguments(nlp, sentence):
    assert run(nlp, sentence, max_chars=15).text == sentence


@pytest.mark.parametrize(
    ("sentence", "max_chars", "expected"),
    [
        (
            "ネット上では「乗ってみたい」「夜景がきれいそう」など、期待を込めた書き込みが目立つ。",
            30,
            "ネット上では期待を込めた書き込みが目立つ。",
        ),
        (
            "住民からは「駅から遠い」「駐車場が少ない」と不満を訴える意見が続出した。",
            25,
            "住民からは不満を訴える意見が続出した。",
        ),
        (
            "会場では「懐かしい」「また来たい」といった感想が聞かれた。",
            20,
            "会場では感想が聞かれた。",
        ),
    ],
)
def test_rule_quote_list_drops_a_list_of_reactions(nlp, sentence, max_chars, expected):
    result = run(nlp, sentence, max_chars)
    assert result.text == expected
    assert result.steps == ["quote_list"]


@pytest.mark.parametrize(
    "sentence",
    [
        "来場者は「懐かしい」「また来たい」と話した。",  # what was said, before its verb
        "来場者は「懐かしい」「また来たい」などと話した。",
        "来場者は「懐かしい」と話し、笑顔を見せた。",  # a single quote
    ],
)
def test_rule_quote_list_keeps_what_someone_said(nlp, sentence):
    assert "quote_list" not in run(nlp, sentence, max_chars=12).steps


def test_rule_quote_list_only_when_too_long(compressor):
    sentence = "住民からは「駅から遠い」「駐車場が少ない」と不満を訴える意見が続出した。"
    assert compressor(sentence).text == sentence


# --- the Compressor API ------------------------------------------------------------------


def test_many_matches_single_calls(compressor):
    sentences = ["また、同社は新工場を建設した。", "計画を実施いたしました。"]
    batch = compressor.many(sentences)
    assert [c.text for c in batch] == [compressor(s).text for s in sentences]
    assert batch[1] == Compression("計画を実施した。", sentences[1], ["polite_to_plain"], [])


def test_steps_are_in_rule_order(compressor):
    result = compressor("また、関係者によると、同社は新工場の建設を検討しております。")
    assert result.text == "同社は新工場の建設を検討している。"
    assert result.steps == ["connective", "attribution", "polite_to_plain"]


def test_a_failing_source_is_reported_not_hidden(compressor):
    result = compressor("新製品の発表会")
    assert result.text == "新製品の発表会"
    assert set(result.violations) == {"no_final_period", "no_final_predicate"}


def test_empty_sentence(compressor):
    result = compressor("")
    assert result.text == ""
    assert result.violations


# --- properties over realistic sentences ---------------------------------------------------

_NUMBER_RE = re.compile(r"[0-9０-９]+(?:[.,，．][0-9０-９]+)*")
_PARENTHETICAL_RE = re.compile(r"[（(]([^（）()]*)[）)]")


@pytest.fixture(scope="module")
def compressed(compressor):
    return compressor.many(SENTENCES)


def test_skipping_the_parse_changes_no_point(nlp, compressed):
    # GiNZA parses only what rules 2-4 could change; forcing a parse of every
    # sentence must give the same points.
    always = Compressor(max_chars=70, nlp=nlp)
    always.needs_parse = lambda text: True
    assert [c.text for c in always.many(SENTENCES)] == [c.text for c in compressed]
    skipped = [s for s in SENTENCES if not Compressor(max_chars=70, nlp=nlp).needs_parse(s)]
    assert 0 < len(skipped) < len(SENTENCES)


@pytest.mark.parametrize(
    ("sentence", "parse"),
    [
        ("同社は新工場を建設した。", False),
        ("関係者によると、同社は新工場を建設した。", True),  # a frame (rule 2)
        ("細胞外小胞（EV）の研究が進んだ。", False),  # a definition: rule 3 keeps it
        ("細胞外小胞の研究で、EV（細胞外小胞）の量産が進んだ。", True),  # a repeat (rule 3)
        ("新庁舎が完成した（写真）。", True),  # a note (rule 3)
        ("ISEVは細胞外小胞（EV）の研究を進めた。", False),  # EV inside ISEV is no repeat
        ("市は" + "子育て支援と" * 12 + "防災を進める。", True),  # over max_chars (rule 4)
    ],
)
def test_needs_parse(compressor, sentence, parse):
    assert compressor.needs_parse(sentence) is parse


class _Recording:
    """`nlp` that also records the texts it is asked to parse in `parsed`."""

    def __init__(self, nlp, parsed: list[str]):
        self.nlp, self.parsed = nlp, parsed
        self.pipe_names = nlp.pipe_names

    def pipe(self, texts, **kwargs):
        texts = list(texts)
        self.parsed.extend(texts)
        return self.nlp.pipe(texts, **kwargs)


def test_a_sentence_out_of_reach_is_not_parsed(nlp):
    # Over DEFAULTS.parse_reach × max_chars the drop rules cannot make a point: no parse, and the
    # point is left long for the caller to reject.
    parsed: list[str] = []
    compressor = Compressor(max_chars=40, nlp=_Recording(nlp, parsed))
    near = "市は、子育て支援と高齢者の見守りと地域の防災訓練の充実に向けて、新たな計画を策定した。"
    far = (
        "市は"
        + "、".join(["子育て支援", "高齢者の見守り", "防災訓練", "道路の補修"] * 4)
        + "を進める。"
    )
    assert 40 < len(near) <= DEFAULTS.parse_reach * 40 < len(far)
    assert compressor.within_reach(near) and not compressor.within_reach(far)
    near_point, far_point = compressor.many([near, far])
    assert parsed == [near]
    assert far_point.text == far and len(far_point.text) > 40


def test_a_lower_reach_parses_fewer_sentences(nlp, compressed):
    # reach 1.0 parses no sentence over max_chars, 0 parses none at all; what is
    # not parsed keeps its rules-only point. The default parses some of SENTENCES.
    by_reach: dict[float, list[str]] = {}
    points: dict[float, list[Compression]] = {}
    for reach in (DEFAULTS.parse_reach, 1.0, 0.0):
        by_reach[reach] = []
        compressor = Compressor(max_chars=70, nlp=_Recording(nlp, by_reach[reach]), reach=reach)
        points[reach] = compressor.many(SENTENCES)
    rules_only = Compressor(max_chars=70, nlp=nlp)
    rules_only.needs_parse = lambda text: False
    assert [c.text for c in points[DEFAULTS.parse_reach]] == [c.text for c in compressed]
    assert set(by_reach[1.0]) < set(by_reach[DEFAULTS.parse_reach])
    assert all(len(t) > 70 for t in set(by_reach[DEFAULTS.parse_reach]) - set(by_reach[1.0]))
    assert by_reach[0.0] == []
    assert [c.text for c in points[0.0]] == [c.text for c in rules_only.many(SENTENCES)]
    with pytest.raises(ValueError):
        Compressor(max_chars=70, nlp=nlp, reach=-1)


def test_an_end_the_drops_cannot_mend_is_not_parsed(nlp):
    # Rules 2-4 keep the end of a sentence: one without 。 that ends on a noun (a
    # heading) fails its guard with or without them, so GiNZA does not parse it. A
    # parenthetical at the very end may be dropped, so that sentence is parsed, and its
    # point passes. (A 体言止め sentence with 。 is finished by the noun_ending rule.)
    parsed: list[str] = []
    compressor = Compressor(max_chars=40, nlp=_Recording(nlp, parsed))
    noun_end = "市は、子育て支援と高齢者の見守りと地域の防災訓練の充実に向けた新たな総合計画の策定"
    bracket_end = (
        "市は、子育て支援と高齢者の見守りと防災訓練の充実に向けて、新たな計画を策定した（写真）。"
    )
    quoted_end = (
        "「子育て支援と高齢者の見守りと防災訓練の充実に向けて、新たな計画を作りました（笑）」。"
    )
    sentences = [noun_end, bracket_end, quoted_end]
    assert all(compressor.needs_parse(s) and compressor.within_reach(s) for s in sentences)
    noun_point, bracket_point, _ = compressor.many(sentences)
    assert parsed == [bracket_end, quoted_end]
    assert "no_final_predicate" in noun_point.violations
    assert "（写真）" not in bracket_point.text and not bracket_point.violations

    forced = Compressor(max_chars=40, nlp=nlp)
    forced.end_beyond_repair = lambda text, rules_only: False
    assert "no_final_predicate" in forced(noun_end).violations


def test_a_noun_ending_sentence_is_finished_as_a_plain_one(compressor):
    point = compressor("港町市は、路面電車の延伸に向けて新たな整備計画を策定。")
    assert point.text.endswith("整備計画を策定した。") and not point.violations
    assert "noun_ending" in point.steps


def _dropped_parentheticals(source: str, text: str) -> list[str]:
    """Contents of the parentheticals of `source` that `text` has fewer of."""
    return [
        content
        for content in set(_PARENTHETICAL_RE.findall(source))
        if text.count(content) < source.count(content)
    ]


def _protected_strings(nlp, source: str) -> list[str]:
    """Numbers and ORG/DATE entities of the sentence after rule 1 (which may drop a
    connective such as 同日 by design)."""
    from keypoints.text.entities import ginza_entities

    start = compress(source)
    entities = [e.text for e in ginza_entities(nlp(start)) if e.label in {"ORG", "DATE"}]
    return _NUMBER_RE.findall(start) + entities


@pytest.mark.parametrize("index", range(len(SENTENCES)))
def test_every_point_passes_the_guards(compressed, index):
    result = compressed[index]
    assert result.source == SENTENCES[index]
    assert check_point(result.text, result.source) == []
    assert result.violations == []


@pytest.mark.parametrize("index", range(len(SENTENCES)))
def test_every_point_is_no_longer_than_its_source(compressed, index):
    assert len(compressed[index].text) <= len(SENTENCES[index])


@pytest.mark.parametrize("index", range(len(SENTENCES)))
def test_numbers_and_entities_survive(nlp, compressed, index):
    source, text = SENTENCES[index], compressed[index].text
    dropped = _dropped_parentheticals(source, text)
    for item in _protected_strings(nlp, source):
        if any(item in content for content in dropped):
            continue  # inside a repeated parenthetical that was dropped on purpose
        assert item in text, f"{item!r} lost from {source!r}: {text!r}"


@pytest.mark.parametrize("index", range(len(SENTENCES)))
def test_negation_survives(compressed, index):
    assert count_negations(compressed[index].text) >= count_negations(SENTENCES[index])


@pytest.mark.parametrize("index", range(len(SENTENCES)))
def test_polite_endings_become_plain(compressed, index):
    assert not compressed[index].text.endswith(
        ("ます。", "ました。", "です。", "ません。", "ございます。")
    )


def test_most_points_fit_max_chars(compressed):
    fitting = sum(len(c.text) <= 70 for c in compressed)
    assert fitting / len(compressed) >= 0.8
    long_ones = [c for c in compressed if len(c.source) > 70]
    assert sum(len(c.text) <= 70 for c in long_ones) >= len(long_ones) / 2


def test_compressing_twice_changes_little(compressor, compressed):
    """A compressed point is already plain: a second pass may only drop modifiers."""
    for first in compressed:
        second = compressor(first.text)
        assert check_point(second.text, first.source) == []
        assert set(second.steps) <= {"attribution", "parenthetical", "adverb", "phrase"}
