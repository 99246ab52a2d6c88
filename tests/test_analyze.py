"""Tests for keypoints.analyze: SudachiPy tokens, defined terms, rule entities, GiNZA."""

from __future__ import annotations

import pytest

from keypoints.stages.analyze import analyze
from keypoints.stages.segment import split_sentences
from keypoints.structures import Entity
from keypoints.text.entities import find_defined_terms, merge_entities
from keypoints.text.sudachi import SUDACHI_MAX_BYTES, tokenize


def analyze_text(text: str, **kwargs):
    kwargs.setdefault("parse", ())
    return analyze(split_sentences(text), article_text=text, **kwargs)


def entities_of(text: str, **kwargs) -> list[Entity]:
    (item,) = analyze_text(text, **kwargs)
    return item.entities


def labelled(entities: list[Entity]) -> set[tuple[str, str]]:
    return {(e.text, e.label) for e in entities}


# --- tokenize --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "normalized"),
    [
        ("附属病院に入院した。", "附属", "付属"),
        ("打ち合せをした。", "打ち合せ", "打ち合わせ"),
        ("引越しの準備を始めた。", "引越し", "引っ越し"),
        ("点検を行なう。", "行なう", "行う"),
        ("サーバの設定を変えた。", "サーバ", "サーバー"),
    ],
)
def test_tokenize_returns_sudachi_normalized_forms(text, surface, normalized):
    tokens = tokenize(text)
    matching = [t for t in tokens if t.surface == surface]
    assert matching, f"{surface} is not one token of {text}"
    assert matching[0].normalized == normalized
    assert "".join(t.surface for t in tokens) == text


def test_tokens_carry_part_of_speech():
    tokens = tokenize("東西電機は新製品を発表した。")
    assert all(len(t.pos) == 4 for t in tokens)
    by_surface = {t.surface: t for t in tokens}
    assert by_surface["発表"].pos[0] == "名詞" and by_surface["発表"].is_content
    assert by_surface["は"].pos[0] == "助詞" and not by_surface["は"].is_content


def test_counters_and_numbers_are_not_content_words():
    tokens = tokenize("2026年に120億円を投じる。")
    content = {t.surface for t in tokens if t.is_content}
    assert not content & {"2026", "年", "120", "億", "円"}
    assert "投じる" in content


def test_tokenize_very_long_text_does_not_raise_and_keeps_every_character():
    text = ("日本語の文章を繰り返して長い入力を作る。" * 3000)[:60_000]
    assert len(text.encode("utf-8")) > 49_149 > SUDACHI_MAX_BYTES
    tokens = tokenize(text)
    assert "".join(t.surface for t in tokens) == text


def test_tokenize_long_text_of_four_byte_characters():
    text = "𠮷野家" * 20_000  # 𠮷 is 4 bytes in UTF-8
    assert len(text.encode("utf-8")) > 49_149
    assert "".join(t.surface for t in tokenize(text)) == text


def test_tokenize_empty_string():
    assert tokenize("") == []


# --- defined terms ---------------------------------------------------------------------


def test_find_defined_terms_returns_both_parts():
    text = "研究チームは細胞外小胞(EV)を解析し、医薬品医療機器総合機構（PMDA）に相談した。"
    assert find_defined_terms(text) == ["細胞外小胞", "EV", "医薬品医療機器総合機構", "PMDA"]


@pytest.mark.parametrize(
    ("text", "expanded", "acronym"),
    [
        ("研究チームは細胞外小胞(EV)を解析した。", "細胞外小胞", "EV"),
        ("今年は細胞外小胞(EV)が注目された。", "細胞外小胞", "EV"),
        ("承認はまず医薬品医療機器総合機構（PMDA）が審査する。", "医薬品医療機器総合機構", "PMDA"),
        ("同社はアイピーオー(IPO)を目指す。", "アイピーオー", "IPO"),
    ],
)
def test_defined_term_does_not_swallow_a_preceding_particle(text, expanded, acronym):
    terms = find_defined_terms(text)
    assert terms == [expanded, acronym]
    assert text[text.index(acronym) - 1 - len(expanded) : text.index(acronym) - 1] == expanded


def test_find_defined_terms_deduplicates():
    text = "細胞外小胞(EV)は小さい。細胞外小胞(EV)は多い。"
    assert find_defined_terms(text) == ["細胞外小胞", "EV"]


def test_find_defined_terms_ignores_lowercase_and_plain_parentheses():
    assert find_defined_terms("会議(非公開)で決めた。値段(円)は未定。") == []


# --- rule entities ---------------------------------------------------------------------


@pytest.mark.parametrize("date", ["2026年", "10月", "15日", "2025年度", "来月", "今年度"])
def test_simple_date_is_date(date):
    text = f"新制度は{date}に始まる。"
    assert (date, "DATE") in labelled(entities_of(text))


@pytest.mark.parametrize("date", ["2026年10月1日", "4月1日"])
def test_full_date_is_one_date_entity(date):
    text = f"新制度は{date}に始まる。"
    assert (date, "DATE") in labelled(entities_of(text))


@pytest.mark.parametrize("quantity", ["120億円", "3割", "約2万件", "1.5倍", "3人"])
def test_numbers_with_units_are_quantities(quantity):
    text = f"今回の調査では{quantity}という結果が出た。"
    assert (quantity, "QUANTITY") in labelled(entities_of(text))


def test_amount_and_share_in_one_sentence():
    found = labelled(entities_of("同社は120億円を投じ、売上の3割を海外で稼ぐ。"))
    assert {("120億円", "QUANTITY"), ("3割", "QUANTITY")} <= found


@pytest.mark.parametrize("org", ["日本循環器学会", "厚生労働省", "東京工業大学"])
def test_names_ending_in_an_organisation_suffix_are_org(org):
    text = f"{org}は新しい指針を公表した。"
    assert (org, "ORG") in labelled(entities_of(text))


def test_latin_acronym_is_term():
    assert ("CQA", "TERM") in labelled(entities_of("新たな基準ではCQAを重視する。"))


def test_lowercase_latin_word_is_not_an_acronym():
    assert not [e for e in entities_of("担当者はpythonで集計した。") if e.source == "acronym"]


def test_user_term_is_term():
    entities = entities_of("当社はミライ電池を発売した。", terms=["ミライ電池"])
    assert ("ミライ電池", "TERM") in labelled(entities)
    assert any(e.source == "term" for e in entities)


def test_user_term_found_every_time():
    text = "ミライ電池は軽い。ミライ電池は安い。"
    for item in analyze_text(text, terms=["ミライ電池"]):
        assert ("ミライ電池", "TERM") in labelled(item.entities)


def test_defined_term_is_found_in_later_sentences():
    text = "研究チームは細胞外小胞(EV)を解析した。細胞外小胞は血液にも含まれる。"
    first, second = analyze_text(text)
    assert ("細胞外小胞", "TERM") in labelled(second.entities)
    assert ("EV", "TERM") in labelled(first.entities)


def test_defined_organisation_term_is_org():
    text = "承認は医薬品医療機器総合機構（PMDA）が審査する。"
    assert ("医薬品医療機器総合機構", "ORG") in labelled(entities_of(text))


ENTITY_TEXTS = [
    "東西電機は2026年4月1日、120億円を投じて新工場を建てると発表した。",
    "日本循環器学会と厚生労働省は、CQAの3割を見直す方針だ。",
    "研究チームは細胞外小胞(EV)を解析し、医薬品医療機器総合機構（PMDA）に相談した。",
    "売上高は前年度比5%増の約300億円、来年度は1.5倍を見込む。",
]


@pytest.mark.parametrize("text", ENTITY_TEXTS)
def test_entity_offsets_point_into_the_sentence(text):
    for item in analyze_text(text, terms=["新工場"]):
        assert item.entities
        for e in item.entities:
            assert item.sentence.text[e.start : e.end] == e.text


@pytest.mark.parametrize("text", ENTITY_TEXTS)
def test_analyzed_entities_do_not_overlap(text):
    for item in analyze_text(text, terms=["新工場"]):
        spans = sorted((e.start, e.end) for e in item.entities)
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert end <= start


# --- merge_entities --------------------------------------------------------------------


def overlapping_entities() -> list[Entity]:
    text = "東西電機株式会社は2026年4月1日に120億円を投じる。"
    spans = [
        (0, 8, "ORG"), (0, 4, "MISC"), (2, 6, "PERSON"), (9, 19, "DATE"), (9, 14, "DATE"),
        (9, 13, "QUANTITY"), (14, 19, "QUANTITY"), (20, 26, "QUANTITY"), (20, 23, "MISC"),
        (22, 26, "TERM"), (5, 10, "PLACE"), (26, 28, "MISC"),
    ]  # fmt: skip
    return [Entity(text[s:e], label, s, e, "rule") for s, e, label in spans]


def test_merge_entities_never_returns_overlapping_spans():
    entities = overlapping_entities()
    for rotation in range(len(entities)):  # input order must not matter
        merged = merge_entities(entities[rotation:] + entities[:rotation])
        for a, b in zip(merged, merged[1:], strict=False):
            assert a.end <= b.start
        assert set(merged) <= set(entities)


def test_merge_entities_is_order_independent_and_sorted():
    entities = overlapping_entities()
    merged = merge_entities(entities)
    assert merged == merge_entities(list(reversed(entities)))
    assert [e.start for e in merged] == sorted(e.start for e in merged)


def test_merge_entities_prefers_counted_labels_then_longer_spans():
    date = Entity("2026年4月", "DATE", 0, 7)
    quantity = Entity("2026年4月1日", "QUANTITY", 0, 9)
    shorter_date = Entity("2026年", "DATE", 0, 5)
    assert merge_entities([quantity, shorter_date, date]) == [date]


def test_merge_entities_keeps_disjoint_entities():
    a, b = Entity("東西電機", "ORG", 0, 4), Entity("3割", "QUANTITY", 6, 8)
    assert merge_entities([b, a]) == [a, b]
    assert merge_entities([]) == []


# --- GiNZA -----------------------------------------------------------------------------

GINZA_TEXT = (
    "トヨタ自動車は2025年5月8日、新しい電気自動車を発表した。販売は来年から全国の店舗で始まる。"
)


@pytest.fixture(scope="module")
def ginza_analyzed():
    return analyze_text(GINZA_TEXT, parse=None)


@pytest.mark.slow
def test_ginza_adds_org_and_date_entities(ginza_analyzed):
    first = ginza_analyzed[0]
    assert all(item.parsed for item in ginza_analyzed)
    # The company has no organisation suffix, so only GiNZA can find it; the
    # date is found by the rules too, and either source may keep it.
    assert ("トヨタ自動車", "ORG") in labelled(first.entities)
    assert any(e.source == "ginza" and e.label == "ORG" for e in first.entities)
    assert "DATE" in {e.label for e in first.entities}
    rules_only = analyze_text(GINZA_TEXT, parse=())[0]
    assert ("トヨタ自動車", "ORG") not in labelled(rules_only.entities)


@pytest.mark.slow
def test_ginza_entity_offsets_and_no_overlap(ginza_analyzed):
    for item in ginza_analyzed:
        for e in item.entities:
            assert item.sentence.text[e.start : e.end] == e.text
        spans = sorted((e.start, e.end) for e in item.entities)
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert end <= start


def test_empty_parse_parses_nothing():
    analyzed = analyze_text(GINZA_TEXT, parse=())
    assert len(analyzed) == 2
    assert not any(item.parsed for item in analyzed)
    assert not any(e.source == "ginza" for item in analyzed for e in item.entities)


@pytest.mark.slow
def test_parse_selects_sentences_by_id():
    analyzed = analyze_text(GINZA_TEXT, parse=[1])
    assert [item.parsed for item in analyzed] == [False, True]


@pytest.mark.slow
def test_parse_accepts_a_generator_of_ids():
    text = "最初の文は短い。二つ目の文も短い。三つ目の文は東京で書かれた。"
    analyzed = analyze_text(text, parse=(i for i in (0, 2)))
    assert [item.parsed for item in analyzed] == [True, False, True]


@pytest.mark.slow
def test_ginza_on_numpy_blas_parses_as_on_blis():
    # ginza_nlp() runs ja_ginza's layers on numpy's BLAS instead of thinc's BLIS
    # (faster where BLIS has no kernels for the CPU); the parse must not change.
    import spacy

    from keypoints.text.ginza import ginza_nlp

    texts = [
        GINZA_TEXT,
        "市は、人口減少と高齢化が急速に進む中山間地域において、予約制の乗り合いタクシーを来年4月から導入する。",
        "同社によると、新工場の建設費は約300億円で、2027年の稼働を目指すという。",
    ]
    ours = ginza_nlp()
    assert not ours.get_pipe("tok2vec").model.ops.use_blis
    default = spacy.load("ja_ginza")
    assert default.get_pipe("tok2vec").model.ops.use_blis  # the comparison is real

    def parse(nlp):
        return [
            [(t.text, t.pos_, t.dep_, t.head.i, t.ent_type_) for t in doc]
            for doc in nlp.pipe(texts)
        ]

    assert parse(ours) == parse(default)
