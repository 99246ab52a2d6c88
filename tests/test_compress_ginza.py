"""Tests for the parse-based compressor (keypoints.compress.Compressor) and its parts.

The rule examples are deterministic outputs of the rules on our own sentences.
The property tests run ~40 news and assembly sentences (polite speech, long
news sentences) through the compressor and check what must always hold.
"""

from __future__ import annotations

import re

import pytest

from keypoints.compress import (
    REACH,
    Compression,
    Compressor,
    check_point,
    cleanup,
    compress,
    count_negations,
    drop_finding_frame,
    first_clause,
    plain_clauses,
    plain_point,
    polite_to_plain,
)
from keypoints.conjugate import conjugate

pytestmark = pytest.mark.slow  # loads GiNZA


@pytest.fixture(scope="module")
def nlp():
    from keypoints.analyze import ginza_nlp

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


# --- rule 5: polite and hedged endings ----------------------------------------------------


@pytest.mark.parametrize(
    ("polite", "plain"),
    [
        ("計画を実施します。", "計画を実施する。"),
        ("計画を実施しました。", "計画を実施した。"),
        ("防災対策に取り組みます。", "防災対策に取り組む。"),
        ("計画を進めます。", "計画を進める。"),
        ("支援を続けております。", "支援を続けている。"),
        ("支援を続けています。", "支援を続けている。"),
        ("支援を続けていました。", "支援を続けていた。"),
        ("支援を続けておりました。", "支援を続けていた。"),
        ("支援に取り組んでまいります。", "支援に取り組んでいく。"),
        ("説明会を開催いたします。", "説明会を開催する。"),
        ("説明会を開催いたしました。", "説明会を開催した。"),
        ("説明会を開催させていただきます。", "説明会を開催する。"),
        ("以上でございます。", "以上である。"),
        ("来年度から実施する予定です。", "来年度から実施する予定だ。"),
        ("安心して暮らせることが大切なのです。", "安心して暮らせることが大切だ。"),
        ("必ず成功させるんです。", "必ず成功させる。"),
        ("課題は大きいです。", "課題は大きい。"),
        ("効果は不明でした。", "効果は不明だった。"),
        ("具体的な計画はありません。", "具体的な計画はない。"),
        ("工事は進んでいません。", "工事は進んでいない。"),
        ("工事は進みませんでした。", "工事は進まなかった。"),
        ("現時点で計画はございません。", "現時点で計画はない。"),
        ("入札は行われませんでした。", "入札は行われなかった。"),
        ("必要だと考えております。", "必要だと考えている。"),
        ("必要だと考えています。", "必要だと考えている。"),
        ("実現できると思います。", "実現できると思う。"),
        ("支援を続けてまいりたいと考えております。", "支援を続けていきたいと考えている。"),
        ("ご指摘の点につきましては、検討いたします。", "ご指摘の点については、検討する。"),
    ],
)
def test_polite_to_plain(polite, plain):
    assert polite_to_plain(polite) == plain
    assert check_point(plain, polite) == []


@pytest.mark.parametrize(
    "sentence",
    ["担当者が説明しましたか。", "同社は新工場を建設した。", "計画の詳細は未定だ。"],
)
def test_polite_to_plain_leaves_other_endings(sentence):
    assert polite_to_plain(sentence) == sentence


@pytest.mark.parametrize(
    ("found", "plain"),
    [
        ("患者が増えていることが分かりました。", "患者が増えている。"),
        ("患者が増えたことがわかった。", "患者が増えた。"),
        ("検査数が少ないことが判明しました。", "検査数が少ない。"),
    ],
)
def test_drop_finding_frame(found, plain):
    assert drop_finding_frame(found) == plain


def test_drop_finding_frame_needs_a_plain_predicate_before_koto():
    sentence = "制度が不十分なことが分かった。"  # 不十分な is not a sentence ending
    assert drop_finding_frame(sentence) == sentence


@pytest.mark.parametrize(
    ("polite", "plain"),
    [
        (
            "関係機関と連携いたしまして、対策を進めてまいります。",
            "関係機関と連携して、対策を進めてまいります。",
        ),
        (
            "働きかけを強化いたしますとともに、導入を支援します。",
            "働きかけを強化するとともに、導入を支援します。",
        ),
        (
            "体制の充実を図りますほか、検査体制を強化します。",
            "体制の充実を図るほか、検査体制を強化します。",
        ),
        (
            "融資目標額を一千億円といたします制度を創設した。",
            "融資目標額を一千億円とする制度を創設した。",
        ),
        ("企業に対しましては、専門家を派遣した。", "企業に対しては、専門家を派遣した。"),
        ("本件につきまして、調査を行った。", "本件について、調査を行った。"),
        (
            "新たな仕組みが必要でございまして、方策を検討する。",
            "新たな仕組みが必要であり、方策を検討する。",
        ),
        ("現場で取り組んでおりまして、成果が出ている。", "現場で取り組んでいて、成果が出ている。"),
        ("皆様が参加できますよう、準備を進める。", "皆様が参加できるよう、準備を進める。"),
        ("書類を読みまして、判断した。", "書類を読んで、判断した。"),
    ],
)
def test_plain_clauses_makes_polite_forms_inside_the_sentence_plain(polite, plain):
    assert plain_clauses(polite) == plain


@pytest.mark.parametrize(
    "sentence",
    ["計画を実施しますか。", "対策を進めます。", "制度を見直しました。", "まして子供には難しい。"],
)
def test_plain_clauses_leaves_the_final_predicate_and_questions(sentence):
    assert plain_clauses(sentence) == sentence


def test_plain_point_is_the_compressors_output_without_drops():
    sentence = "また、都は関係機関と連携いたしまして、検査体制を強化してまいります。"
    assert plain_point(sentence) == "都は関係機関と連携して、検査体制を強化していく。"
    assert check_point(plain_point(sentence), sentence) == []


@pytest.mark.parametrize(
    ("sentence", "first"),
    [
        (
            "都は、民間の取り組みを適切に誘導し、業務機能の高度化と国際競争力の強化を図ってまいりました。",
            "都は、民間の取り組みを適切に誘導した。",
        ),
        (
            "都は、事業者向けの無料省エネ診断を行うとともに、区市町村と連携して家庭向けの普及啓発を進めている。",
            "都は、事業者向けの無料省エネ診断を行う。",
        ),
        (
            "五年間で約三万八千人が養成研修を受講したほか、就労や生活支援など多様な相談窓口の連携を強化した。",
            "五年間で約三万八千人が養成研修を受講した。",
        ),
    ],
)
def test_first_clause_makes_a_point_of_a_chained_sentence(sentence, first):
    assert first_clause(sentence, 40) == first
    assert check_point(first, sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "都は状況を把握しており、国と協議した。",
        "新製品の発表会",
        "保育料を無償化する方針を決めた。",
    ],
)
def test_first_clause_gives_none_without_a_clause_worth_keeping(sentence):
    assert first_clause(sentence, 70) is None


# --- the conjugation table -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("polite", "plain"),
    [
        ("取り組みました", "取り組んだ"),
        ("書きました", "書いた"),
        ("行きました", "行った"),
        ("話しました", "話した"),
        ("待ちました", "待った"),
        ("読みました", "読んだ"),
        ("遊びました", "遊んだ"),
        ("死にました", "死んだ"),
        ("泳ぎました", "泳いだ"),
        ("食べました", "食べた"),
        ("来ました", "来た"),
        ("言いました", "言った"),
        ("見ました", "見た"),
        ("取り組みます", "取り組む"),
        ("進めます", "進める"),
        ("来ます", "来る"),
        ("勉強します", "勉強する"),
        ("行きません", "行かない"),
        ("言いません", "言わない"),
        ("来ません", "来ない"),
        ("しませんでした", "しなかった"),
        ("ありません", "ない"),
    ],
)
def test_polite_verbs_become_plain(polite, plain):
    assert polite_to_plain(polite + "。") == plain + "。"


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


# --- rule 6: cleanup ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("messy", "clean"),
    [
        ("市は、、支援を続ける、。", "市は、支援を続ける。"),
        (" 市は 支援を 続ける ", "市は支援を続ける。"),
        ("同社は（）新製品を出す。", "同社は新製品を出す。"),
        ("「値下げはしない」", "「値下げはしない」"),  # a closing bracket gets no 。
        ("新製品の発表会", "新製品の発表会"),  # nor does a noun ending
    ],
)
def test_cleanup(messy, clean):
    assert cleanup(messy) == clean


# --- guards ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "source", "violation"),
    [
        ("同社は新工場を建設した", None, "no_final_period"),
        ("同社は新工場を建設。", None, "no_final_predicate"),
        ("新工場の建設は来年か。", None, "no_final_predicate"),
        ("同社は新工場を建設し。", None, "no_final_predicate"),
        ("制度は大切な。", None, "no_final_predicate"),
        ("同社は新工場を。", None, "dangling_particle"),
        ("同社は来年から。", None, "dangling_particle"),
        ("同社は「新工場を建設した。", None, "unbalanced_brackets"),
        ("同社は新工場（仮称を建設した。", None, "unbalanced_brackets"),
        ("同社は新工場を建設した。", "同社は新工場を建設しなかった。", "negation_lost"),
        ("計画はある。", "計画はありません。", "negation_lost"),
        ("対応は適切だった。", "対応は不適切だった。", "negation_lost"),
    ],
)
def test_guards_catch_each_violation(text, source, violation):
    assert violation in check_point(text, source)


@pytest.mark.parametrize(
    "text",
    [
        "同社は新工場を建設した。",
        "同社は新工場を建設する方針だ。",
        "課題は大きい。",
        "市は支援を続けている。",
        "同社は「値下げはしない」と述べた。",
        "影響は小さいだろう。",
    ],
)
def test_guards_pass_plain_points(text):
    assert check_point(text, text) == []


def test_length_is_not_a_guard():
    assert check_point("同社は" + "新しい" * 40 + "工場を建設した。") == []


def test_negation_counts():
    assert count_negations("計画はありません。") == 1
    assert count_negations("進まなかった。") == 1
    assert count_negations("実施せず、不適切な対応もない。") == 3


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

SENTENCES = [
    # assembly answers and reports, polite speech
    "市は、地域の防災力の向上に向けて、引き続き自主防災組織への支援に取り組んでまいります。",
    "本年度は、老朽化した公共施設の長寿命化計画に基づき、小中学校3校の大規模改修工事を実施いたしました。",
    "このため、市としては、国や県と連携しながら、子育て世帯への経済的な支援をさらに充実させてまいりたいと考えております。",
    "ご指摘の点につきましては、現時点では具体的な計画はございません。",
    "本市の人口は、前年と比べて1,200人減少しており、少子高齢化への対応が喫緊の課題となっております。",
    "教育委員会といたしましては、教職員の働き方改革を推進するため、部活動の地域移行を段階的に進めてまいります。",
    "ただし、現行の制度では、申請から支給までに最長で2か月程度かかることから、手続きの簡素化を検討しております。",
    "この制度は、2026年4月から施行される予定ですが、対象となる事業者への周知はまだ十分に進んでいません。",
    "私からは、以上で報告を終わらせていただきます。",
    "市では、来年度から、市内の全ての小中学校に、太陽光発電設備と蓄電池を順次設置してまいります。",
    "地域の皆様と一緒に、安全で安心して暮らせるまちづくりを進めることが何よりも大切なのです。",
    "本市といたしましては、国や県と緊密に連携しながら、地域の実情に応じたきめ細かな子育て支援策を非常に重要な課題と位置づけ、引き続き全力で取り組んでまいります。",
    "市民の皆様からいただいた貴重なご意見を踏まえまして、中心市街地の活性化に向けた新たな計画の素案を取りまとめ、来月から市内の各地区で説明会を順次開催させていただきます。",
    "市議会の一般質問で、市長は、老朽化が進む市民会館の建て替えについて、財政状況を踏まえながら慎重に検討を進めており、現時点で具体的な時期は決まっていないと答弁しました。",
    # news
    "国土交通省によると、2024年度の全国の新設住宅着工戸数は前年度比で2.5%減少し、3年連続で前年を下回りました。",
    "物価高が続く中、総務省が発表した6月の消費者物価指数は、生鮮食品を除く総合で前年同月比3.3%上昇しました。",
    "同社は2025年7月20日、電気自動車向けの次世代電池の量産を2027年から愛知県の新工場で始めると発表した。",
    "調査の結果、県内の小学生の約4割が、平日に2時間以上スマートフォンを使用していることが分かりました。",
    "新型コロナウイルスの感染拡大を受けて、政府は緊急事態宣言の対象地域に東京都など6都府県を追加することを決めました。",
    "国際原子力機関（IAEA）は18日、処理水の海洋放出について、国際的な安全基準に合致しているとする報告書を公表した。",
    "医薬品医療機器総合機構（PMDA）は、審査の迅速化に向けて、審査員を今後3年間で約200人増やす方針を明らかにしました。",
    "日銀は31日の金融政策決定会合で、短期金利の誘導目標を0.25%程度に引き上げる追加利上げを決めた。",
    "関係者によると、同社は来年春をめどに、国内の全店舗でキャッシュレス決済のみに対応する新しい店舗形態を導入する方針だ。",
    "大雨の影響で、JR東日本は21日朝から、上越新幹線の一部区間で運転を見合わせています。",
    "昨年度の市税収入は、個人市民税の増加などにより、前年度比で約12億円増の385億円となりました。",
    "同研究所の発表では、開発した新素材は従来品に比べて重さが半分で、強度は約3倍に高まるということです。",
    "また、観光客の増加に伴い、市内の主要な観光地周辺では交通渋滞が慢性化しており、住民生活への影響が懸念されています。",
    "気象庁は、台風10号が非常に強い勢力を保ったまま、25日にも九州南部に接近するおそれがあるとして、厳重な警戒を呼びかけています。",
    "この事業による経済効果は、県全体で年間およそ50億円に上ると試算されています。",
    "厚生労働省は、再生医療の分野で国際的なルール作りが進む中、細胞治療製品の品質評価に関する新たな指針を年内にもまとめる方針です。",
    "なお、市内の待機児童数は、4月1日時点で前年より15人少ない23人となり、3年連続で減少しました。",
    "このプロジェクトは、細胞外小胞（EV）を使った新しい治療法の開発を目指すもので、EV（細胞外小胞）の大量生産技術の確立が最大の課題となっている。",
    # news sentences over 70 characters
    "政府は、物価高騰に苦しむ低所得世帯を支援するため、住民税非課税世帯に1世帯あたり3万円を給付する経済対策を今月中にも取りまとめ、年内の支給開始を目指す方針を固めた。",
    "市は、人口減少と高齢化が急速に進む中山間地域において、公共交通の空白地帯を解消するため、予約制の乗り合いタクシーを来年4月から本格的に導入することを決めました。",
    "県教育委員会は、教員の長時間労働が深刻化していることを受けて、部活動の指導を地域のスポーツクラブなどに段階的に移行する計画を策定し、2026年度から県内全域で実施する。",
    "東西電機は、世界的な半導体不足の影響で主力の産業用ロボットの生産が大きく落ち込んだことから、2025年3月期の連結業績予想を下方修正し、純利益は前期比40%減の120億円になる見通しだと発表した。",
    "気象庁によると、発達した低気圧の影響で、北日本の日本海側を中心に23日にかけて大雪となるおそれがあり、交通機関の乱れや路面の凍結に十分な注意が必要だということです。",
    "厚生労働省は、医療機関の働き方改革を進めるため、医師の時間外労働の上限規制が適用された2024年4月以降の状況について、全国の病院を対象とした実態調査を初めて実施しました。",
    "同社は、国内の電気自動車市場の拡大を見据えて、さらに充電インフラの整備を加速させる方針で、2030年までに全国の高速道路のサービスエリアなどに急速充電器を約1000基設置する計画だ。",
    "文部科学省の調査では、全国の公立小中学校で不登校の児童生徒数が過去最多を更新しており、学校外の学びの場をどのように確保していくかが大きな課題となっていることが分かりました。",
    "こうした中、同大学の研究チームは、独自に開発した人工知能を使って、血液検査のデータから膵臓がんを早期に高い精度で見つけ出す新しい手法を開発したと、国際的な医学誌に発表しました。",
]
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
    # Over REACH × max_chars the drop rules cannot make a point: no parse, and the
    # point is left long for the caller to reject.
    parsed: list[str] = []
    compressor = Compressor(max_chars=40, nlp=_Recording(nlp, parsed))
    near = "市は、子育て支援と高齢者の見守りと地域の防災訓練の充実に向けて、新たな計画を策定した。"
    far = (
        "市は"
        + "、".join(["子育て支援", "高齢者の見守り", "防災訓練", "道路の補修"] * 3)
        + "を進める。"
    )
    assert 40 < len(near) <= REACH * 40 < len(far)
    assert compressor.within_reach(near) and not compressor.within_reach(far)
    near_point, far_point = compressor.many([near, far])
    assert parsed == [near]
    assert far_point.text == far and len(far_point.text) > 40


def test_a_lower_reach_parses_fewer_sentences(nlp, compressed):
    # reach 1.0 parses no sentence over max_chars, 0 parses none at all; what is
    # not parsed keeps its rules-only point. The default parses some of SENTENCES.
    by_reach: dict[float, list[str]] = {}
    points: dict[float, list[Compression]] = {}
    for reach in (REACH, 1.0, 0.0):
        by_reach[reach] = []
        compressor = Compressor(max_chars=70, nlp=_Recording(nlp, by_reach[reach]), reach=reach)
        points[reach] = compressor.many(SENTENCES)
    rules_only = Compressor(max_chars=70, nlp=nlp)
    rules_only.needs_parse = lambda text: False
    assert [c.text for c in points[REACH]] == [c.text for c in compressed]
    assert set(by_reach[1.0]) < set(by_reach[REACH])
    assert all(len(t) > 70 for t in set(by_reach[REACH]) - set(by_reach[1.0]))
    assert by_reach[0.0] == []
    assert [c.text for c in points[0.0]] == [c.text for c in rules_only.many(SENTENCES)]
    with pytest.raises(ValueError):
        Compressor(max_chars=70, nlp=nlp, reach=-1)


def test_reach_zero_never_loads_ginza(monkeypatch):
    import keypoints.analyze

    def no_ginza():
        raise RuntimeError("GiNZA loaded")

    monkeypatch.setattr(keypoints.analyze, "ginza_nlp", no_ginza)
    assert len(Compressor(max_chars=70, reach=0).many(SENTENCES)) == len(SENTENCES)
    with pytest.raises(RuntimeError, match="GiNZA loaded"):
        Compressor(max_chars=70).many(SENTENCES)


def test_an_end_the_drops_cannot_mend_is_not_parsed(nlp):
    # Rules 2-4 keep the end of a sentence: one that ends on a noun fails its guard
    # with or without them, so GiNZA does not parse it. A parenthetical at the very
    # end may be dropped, so that sentence is parsed, and its point passes.
    parsed: list[str] = []
    compressor = Compressor(max_chars=40, nlp=_Recording(nlp, parsed))
    noun_end = (
        "市は、子育て支援と高齢者の見守りと地域の防災訓練の充実に向けた新たな総合計画の策定。"
    )
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
    from keypoints.analyze import ginza_entities

    start = compress(source)
    entities = [e.text for e in ginza_entities(nlp(start)) if e.label in {"ORG", "DATE"}]
    return _NUMBER_RE.findall(start) + entities


def test_corpus_has_polite_and_long_sentences():
    assert len(SENTENCES) >= 25
    assert sum(len(s) > 70 for s in SENTENCES) >= 8
    assert sum(s.endswith(("ます。", "ました。", "です。", "ません。")) for s in SENTENCES) >= 15


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
