"""Tests for the compressor rules that need no parse: SudachiPy only, no GiNZA.

Polite and hedged endings made plain (polite_to_plain, plain_clauses, plain_point),
〜ことが分かった frames dropped, the first clauses of a chained sentence, cleanup, the
guards and negation counts; and that a Compressor with reach 0 never loads GiNZA. The
rule examples are deterministic outputs of the rules on our own sentences. The rules
on GiNZA's parse are in test_compress_ginza.py, the conjugation table in test_conjugate.py.
"""

from __future__ import annotations

import pytest

from compress_corpus import SENTENCES
from keypoints.stages.compress import (
    Compressor,
    check_point,
    cleanup,
    count_negations,
    drop_finding_frame,
    first_clause,
    main_clause,
    plain_clauses,
    plain_point,
    polite_to_plain,
)
from keypoints.stages.compress.cleanup import close_japanese_gaps, finish
from keypoints.stages.compress.guards import no_worse, starts_cut_off
from keypoints.stages.compress.polite import close_noun_ending, drop_hedges, drop_notice_frame

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
    ("notice", "point"),
    [
        (
            "北陸ガスは料金照会サービスの受付を始めたことをお知らせします。",
            "北陸ガスは料金照会サービスの受付を始めた。",
        ),
        (
            "北陸ガスは料金照会サービスの受付を始めましたのでお知らせいたします。",
            "北陸ガスは料金照会サービスの受付を始めた。",
        ),
        (
            "北陸ガスは料金照会サービスの受付を始めましたので、ご案内いたします。",
            "北陸ガスは料金照会サービスの受付を始めた。",
        ),
        (
            "北陸ガスは来月から受付時間を延ばすことをご報告します。",
            "北陸ガスは来月から受付時間を延ばす。",
        ),
        # made plain first, by a polite form inside the sentence (お知らせしています)
        ("北陸ガスは受付を始めたことをお知らせしている。", "北陸ガスは受付を始めた。"),
    ],
)
def test_a_press_release_notice_frame_goes(notice, point):
    assert finish(notice) == point


@pytest.mark.parametrize(
    "sentence",
    [
        "大切なことをお知らせします。",  # 大切な cannot end the point
        "点検の日程をメールでお知らせします。",  # what is told is the fact itself
        "重要なお知らせがあります。",
        "お知らせします。",
    ],
)
def test_other_notices_stay(sentence):
    assert drop_notice_frame(sentence) == sentence


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
        (
            "次に、駅前広場の件でございますが、区は計画を見直した。",
            "次に、駅前広場の件であるが、区は計画を見直した。",
        ),
        ("課題がございましたが、改善を進めた。", "課題があったが、改善を進めた。"),
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


@pytest.mark.parametrize(
    ("sentence", "plain"),
    [
        (
            "『実家も酪農をしていますが、本当に苦しんでいました』と語り、実情を明かしました。",
            "『実家も酪農をしていますが、本当に苦しんでいました』と語り、実情を明かした。",
        ),
        (
            "同社は工場を建設しまして、「につきましては検討してまいりたい」と述べました。",
            "同社は工場を建設して、「につきましては検討してまいりたい」と述べた。",
        ),
    ],
)
def test_a_quote_keeps_the_speakers_polite_words(sentence, plain):
    assert plain_point(sentence) == plain


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


@pytest.mark.parametrize(
    ("sentence", "main"),
    [
        (
            "「今季は最高の一年でした」と話す監督に、主将の田中選手は「感謝しかない」と応じた。",
            "主将の田中選手は「感謝しかない」と応じた。",
        ),
        # The longest ending that fits: both clauses after the first comma.
        (
            "昨年の大雨で堤防が切れた地区の住民の不安を受け、市は、新たな堤防の工事を始めることを決めた。",
            "市は、新たな堤防の工事を始めることを決めた。",
        ),
        # A negation in the dropped side clause goes with it; the main clause is kept whole.
        (
            "予定通りには進まなかったが、委員会は報告書を取りまとめた。",
            "委員会は報告書を取りまとめた。",
        ),
    ],
)
def test_main_clause_keeps_the_clause_of_its_own_subject(sentence, main):
    assert main_clause(sentence, 30) == main
    assert check_point(main) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "同社は20日、新製品を発表した。",  # after the comma, no subject of its own
        "会長は「予算は足りない、人も足りない」と語った。",  # the comma is inside a quote
        "新製品の発表会、",
    ],
)
def test_main_clause_gives_none_without_a_main_clause_of_its_own(sentence):
    assert main_clause(sentence, 70) is None


# --- polite verbs, through the conjugation table -----------------------------------------


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


# --- rule 6: cleanup ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("messy", "clean"),
    [
        ("市は、、支援を続ける、。", "市は、支援を続ける。"),
        (" 市は 支援を 続ける ", "市は支援を続ける。"),
        ("同社は（）新製品を出す。", "同社は新製品を出す。"),
        ("「値下げはしない」", "「値下げはしない」"),  # a closing bracket gets no 。
        ("新製品の発表会", "新製品の発表会"),  # nor does a noun ending
        (
            "「ＡＢＣ Ｐａｙ」を始めた",
            "「ＡＢＣ Ｐａｙ」を始めた。",
        ),  # full-width words keep a space
        ("第２ 四半期に ＡＢＣ ２を出す", "第２四半期にＡＢＣ ２を出す。"),
        ("ABC Payを 始めた", "ABC Payを始めた。"),
    ],
)
def test_cleanup(messy, clean):
    assert cleanup(messy) == clean


@pytest.mark.parametrize(
    ("text", "closed"),
    [
        ("ＡＢＣ Ｐａｙ", "ＡＢＣ Ｐａｙ"),  # between full-width letters: kept
        ("ｉＰｈｏｎｅ １６", "ｉＰｈｏｎｅ １６"),  # a full-width letter and digit
        ("１２ ３４", "１２ ３４"),
        ("Ｃａｆé Ｍüｌｌｅｒ", "Ｃａｆé Ｍüｌｌｅｒ"),  # other letters of no Japanese script
        ("ABC Pay", "ABC Pay"),  # ASCII words were always kept
        ("ABC Ｐａｙ", "ABC Ｐａｙ"),
        ("新 制度", "新制度"),  # between kanji: a line-wrap leftover
        ("ひら がな", "ひらがな"),
        ("カタ カナ", "カタカナ"),
        ("ｶﾀ ｶﾅ", "ｶﾀｶﾅ"),  # half-width katakana is Japanese
        ("Ｐａｙ 決済", "Ｐａｙ決済"),  # a Latin word next to Japanese: as before
        ("決済 Ｐａｙ", "決済Ｐａｙ"),
        ("「ＡＢＣ」 Ｐａｙ", "「ＡＢＣ」Ｐａｙ"),  # a bracket is no letter
        ("見出し　副題", "見出し　副題"),  # the full-width space stays
    ],
)
def test_close_japanese_gaps(text, closed):
    assert close_japanese_gaps(text) == closed


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
        ("『頭にきた』と中畑氏だ。", None, "quote_unattached"),
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
        "「最高」との声が多い。",
        "「A」と「B」が発売された。",
    ],
)
def test_guards_pass_plain_points(text):
    assert check_point(text, text) == []


@pytest.mark.parametrize(
    ("candidate", "current"),
    [
        ("には、市が新しい橋を架けた。", "来年には、市が新しい橋を架けた。"),
        (
            "ござるが、区は計画を見直した。",
            "次に、駅前広場の件でございますが、区は計画を見直した。",
        ),
        ("ず、工事は来月に延びた。", "資材が届かず、工事は来月に延びた。"),
    ],
)
def test_no_worse_refuses_a_cut_off_start(candidate, current):
    assert starts_cut_off(candidate)
    assert not no_worse(candidate, current, current)


@pytest.mark.parametrize(
    ("sentence", "shorter"),
    [
        ("でも、新しい計画は進んでいる。", "でも、計画は進んでいる。"),
        ("だが、駅前の工事は遅れた。", "だが、工事は遅れた。"),
        ("では、次の議題に移る。", "では、議題に移る。"),
    ],
)
def test_a_sentence_opening_on_particles_stays_a_point(sentence, shorter):
    # では、でも、だが、 are particles and auxiliaries to SudachiPy, yet open sentences:
    # they pass the guards, and a drop later in the sentence is kept.
    assert check_point(sentence, sentence) == []
    assert no_worse(shorter, sentence, sentence)


def test_length_is_not_a_guard():
    assert check_point("同社は" + "新しい" * 40 + "工場を建設した。") == []


def test_negation_counts():
    assert count_negations("計画はありません。") == 1
    assert count_negations("進まなかった。") == 1
    assert count_negations("実施せず、不適切な対応もない。") == 3


# --- the property corpus, without a parse ------------------------------------------------


def test_corpus_has_polite_and_long_sentences():
    assert len(SENTENCES) >= 25
    assert sum(len(s) > 70 for s in SENTENCES) >= 8
    assert sum(s.endswith(("ます。", "ました。", "です。", "ません。")) for s in SENTENCES) >= 15


def test_reach_zero_never_loads_ginza(monkeypatch):
    from keypoints.stages.compress import compressor

    def no_ginza():
        raise RuntimeError("GiNZA loaded")

    monkeypatch.setattr(compressor, "ginza_nlp", no_ginza)
    assert len(Compressor(max_chars=70, reach=0).many(SENTENCES)) == len(SENTENCES)
    with pytest.raises(RuntimeError, match="GiNZA loaded"):
        Compressor(max_chars=70).many(SENTENCES)


@pytest.mark.parametrize(
    ("hedged", "plain"),
    [
        ("利用者が増えているのだ。", "利用者が増えている。"),
        ("安全対策が重要なのだ。", "安全対策が重要だ。"),
        ("新型車は来月にも発売されるようだ。", "新型車は来月にも発売される。"),
        ("原因は寒波のようだ。", "原因は寒波だ。"),
        ("同社は新製品を発売したという。", "同社は新製品を発売した。"),
        ("秋には対応する予定とのこと。", "秋には対応する予定。"),
        (
            "同社は「来年も続ける」という。",
            "同社は「来年も続ける」という。",
        ),  # という after a quote stays
    ],
)
def test_drop_hedges(hedged, plain):
    assert drop_hedges(hedged) == plain


@pytest.mark.parametrize(
    ("noun_end", "plain"),
    [
        ("3人は「チームサンクタム」を結成。", "3人は「チームサンクタム」を結成した。"),
        ("同社は新型車を来月に発売。", "同社は新型車を来月に発売する。"),
        ("販売するのはMSIの正規代理店。", "販売するのはMSIの正規代理店だ。"),
        ("店頭予想価格は2万6,800円前後。", "店頭予想価格は2万6,800円前後だ。"),
        ("秋には対応する予定。", "秋には対応する予定だ。"),
        ("新製品の発表会", "新製品の発表会"),  # no 。: a heading stays a heading
        ("同社は新製品を発売した。", "同社は新製品を発売した。"),
    ],
)
def test_close_noun_ending(noun_end, plain):
    assert close_noun_ending(noun_end) == plain


def test_shortened_quotes_keep_the_first_of_a_run_and_the_first_sentence():
    from keypoints.stages.compress import shorten_quotes, shortened_quotes

    run = "掲示板では「最高」「また見たい」「感動した」などの声が寄せられた。"
    assert shortened_quotes(run) == "掲示板では「最高」などの声が寄せられた。"
    long = "監督は「勝てて良かった。次も頑張る。」と述べた。"
    assert shortened_quotes(long) == "監督は「勝てて良かった」と述べた。"
    assert (
        shortened_quotes("監督は「勝てて良かった」と述べた。")
        == "監督は「勝てて良かった」と述べた。"
    )
    assert shorten_quotes(long, 70) == "監督は「勝てて良かった」と述べた。"
    assert shorten_quotes("監督は勝利を喜んだ。", 70) is None
