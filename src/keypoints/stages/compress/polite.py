"""Rule 5: polite and hedged endings become plain, and polite forms inside a sentence too.

A ポイント line is in plain form (だ・である調), as a news editor writes it:

    >>> polite_to_plain("新制度を導入いたしました。")
    '新制度を導入した。'
    >>> plain_clauses("連携いたしまして、対策を強化いたしますとともに、周知を図ります。")
    '連携して、対策を強化するとともに、周知を図ります。'
    >>> drop_finding_frame("患者数が増えていることが分かった。")
    '患者数が増えている。'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from keypoints.stages.compress.guards import is_predicate
from keypoints.text.chars import QUOTE_CLOSING, QUOTE_OPENING, WHITESPACE, depths
from keypoints.text.conjugate import conjugate
from keypoints.text.sudachi import Morpheme, morphemes_of

# Verbs whose 〜ことが分かった frames a finding: 〜が増えていることが分かった.
_FINDING_VERBS = frozenset({"分かる", "わかる", "判明"})


def joined(morphemes: Iterable[Morpheme]) -> str:
    return "".join(m.surface for m in morphemes)


def surfaces_end_with(morphemes: Sequence[Morpheme], *surfaces: str) -> bool:
    n = len(surfaces)
    return len(morphemes) >= n and tuple(m.surface for m in morphemes[-n:]) == surfaces


def split_period(text: str) -> tuple[str, str]:
    return (text[:-1], "。") if text.endswith("。") else (text, "")


def drop_finding_frame(text: str) -> str:
    """'〜が増えていることが分かった。' → '〜が増えている。' (also 分かりました, 判明した).

    Only when the clause before こと ends in a plain predicate whose 連体形 is
    also its 終止形 (増えている, 減った, 多い), so it can end the point as it is.
    """
    body, period = split_period(text)
    morphemes = morphemes_of(body)
    for k in range(len(morphemes) - 3, 0, -1):
        if morphemes[k].surface != "こと" or morphemes[k + 1].surface != "が":
            continue
        verb, rest = morphemes[k + 2], morphemes[k + 3 :]
        if verb.lemma not in _FINDING_VERBS:
            break
        # What follows 分かっ/判明 may only be し, まし, た: the frame's own ending.
        if any(
            m.pos not in {"動詞", "助動詞"} or m.lemma not in {"する", "ます", "た"} for m in rest
        ):
            break
        before = morphemes[k - 1]
        if is_predicate(before):
            return joined(morphemes[:k]) + period
        break
    return text


# A press release's notice to its readers: 〜ことをお知らせします, 〜ましたのでご案内いたします.
_NOTICE_NOUNS = frozenset({"知らせ", "案内", "報告"})
_NOTICE_TAIL = frozenset({"する", "いたす", "ます", "た", "て", "いる", "おる"})


def drop_notice_frame(text: str) -> str:
    """'〜の受付を始めたことをお知らせします。' → '〜の受付を始めた。'

    Also 〜しましたのでお知らせいたします, 〜することをご案内します and their plain
    forms (お知らせしている): the notice frames the fact and tells the reader nothing.
    Only when the clause before こと (or ので) ends in a predicate that can end the
    point; polite_to_plain then makes it plain (開始しました → 開始した).

    >>> drop_notice_frame("町立図書館は電子書籍の貸し出しを始めましたのでお知らせいたします。")
    '町立図書館は電子書籍の貸し出しを始めました。'
    """
    body, period = split_period(text)
    morphemes = morphemes_of(body)
    k = next(
        (
            k
            for k in range(len(morphemes) - 1, 0, -1)
            if morphemes[k].surface in _NOTICE_NOUNS and morphemes[k - 1].surface in {"お", "ご"}
        ),
        None,
    )
    if k is None or k == len(morphemes) - 1:
        return text
    if any(m.lemma not in _NOTICE_TAIL for m in morphemes[k + 1 :]):
        return text
    head = morphemes[: k - 1]  # before お/ご
    if head and head[-1].pos1 == "読点":
        head = head[:-1]
    if not (surfaces_end_with(head, "こと", "を") or surfaces_end_with(head, "の", "で")):
        return text
    head = head[:-2]
    if head and is_predicate(head[-1]):
        return joined(head) + period
    return text


def plain_verb(before: Sequence[Morpheme], verb: Morpheme, form: str) -> str | None:
    """`verb` (the morpheme before ます) in plain `form`, honorifics resolved."""
    after_te = bool(before) and before[-1].surface in {"て", "で"} and before[-1].pos == "助詞"
    if after_te and verb.lemma in {"おる", "居る"}:
        return conjugate("いる", "上一段-ア行", form)  # 〜ております → 〜ている
    if after_te and verb.lemma in {"まいる", "参る"}:
        # 〜てまいります → 〜ていく; 〜てまいりました (has been doing) → 〜てきた
        if form == "past":
            return conjugate("くる", "カ行変格", form)
        return conjugate("いく", "五段-カ行", form)
    if verb.lemma in {"いたす", "致す"}:
        return conjugate("する", "サ行変格", form)  # 実施いたします → 実施する
    if verb.lemma in {"ござる", "御座る"}:
        # 〜でございますが → 〜であるが, 課題がございましたが → 課題があったが
        return conjugate("ある", "五段-ラ行", form)
    if verb.pos not in {"動詞", "助動詞"}:
        return None
    return conjugate(verb.lemma, verb.conj_type, form)


# Polite endings (as surfaces) and what replaces them, tried in this order by _plain_tail.
Endings = tuple[tuple[tuple[str, ...], str], ...]
_GOZAIMASU: Endings = (
    (("で", "ござい", "ます"), "である"), (("で", "ござい", "まし", "た"), "であった"),
    (("ござい", "ませ", "ん", "でし", "た"), "なかった"), (("ござい", "ませ", "ん"), "ない"),
    (("ござい", "ます"), "ある"), (("ござい", "まし", "た"), "あった"),
)  # fmt: skip
# 実施させていただきます → 実施する (the verb's form).
_SASETE_ITADAKU: Endings = (
    (("て", "いただき", "ます"), "plain"),
    (("て", "いただき", "まし", "た"), "past"),
)
# V-ませんでした / V-ません / V-ました / V-ます (the verb's form).
_MASU: Endings = (
    (("ませ", "ん", "でし", "た"), "negative_past"), (("ませ", "ん"), "negative"),
    (("まし", "た"), "past"), (("ます",), "plain"),
)  # fmt: skip
# です / でした / でしょう, and what they become after a noun.
_DESU: Endings = ((("です",), "だ"), (("でし", "た"), "だった"), (("でしょう",), "だろう"))


def _plain_tail(m: Sequence[Morpheme]) -> str | None:
    """The sentence body `m` with its final polite predicate made plain, or None."""
    ends = functools.partial(surfaces_end_with, m)
    # 〜するのです / 〜なんです: the の(ん)です only adds emphasis.
    if (ends("の", "です") or ends("ん", "です")) and len(m) > 2 and is_predicate_or_na(m[-3]):
        head = m[:-2]
        return joined(head[:-1]) + "だ" if head[-1].surface == "な" else joined(head)
    # ございます family: 〜でございます → 〜である, ございません → ない.
    for tail, plain_ending in _GOZAIMASU:
        if ends(*tail):
            return joined(m[: -len(tail)]) + plain_ending
    # 実施させていただきます → 実施する, 終わらせていただきました → 終わった.
    for tail, form in _SASETE_ITADAKU:
        n = len(tail) + 2
        if ends(*tail) and len(m) >= n and m[-n + 1].surface in {"せ", "させ"}:
            verb = m[-n]
            if verb.pos == "動詞":
                plain = conjugate(verb.lemma, verb.conj_type, form)
                if plain is not None:
                    return joined(m[:-n]) + plain
    # V-ませんでした / V-ません / V-ました / V-ます.
    for tail, form in _MASU:
        n = len(tail) + 1
        if ends(*tail) and len(m) >= n:
            verb = m[-n]
            plain = plain_verb(m[:-n], verb, form)
            return None if plain is None else joined(m[:-n]) + plain
    # です / でした / でしょう: dropped after an adjective or ない/たい/た (大きいです →
    # 大きい), else だ / だった / だろう (予定です → 予定だ).
    for tail, after_noun in _DESU:
        n = len(tail)
        if ends(*tail) and len(m) > n:
            before = m[-n - 1]
            adjectival = before.pos == "形容詞" or (
                before.pos == "助動詞" and before.lemma in {"ない", "たい", "た", "らしい", "ぬ"}
            )
            if not adjectival:
                return joined(m[:-n]) + after_noun
            if tail == ("です",):
                return joined(m[:-n])
            if tail == ("でしょう",):
                return joined(m[:-n]) + "だろう"
            return None  # 〜ないでした is not standard; leave it
    return None


def is_predicate_or_na(m: Morpheme) -> bool:
    return is_predicate(m) or (m.pos == "助動詞" and m.surface == "な")


# Humble set phrases anywhere in the point, with their plain wording.
_HUMBLE_PHRASES = (
    ("につきましては", "については"), ("におきましては", "においては"),
    ("といたしましては", "としては"), ("としましては", "としては"),
    ("てまいりたい", "ていきたい"), ("でまいりたい", "でいきたい"),
)  # fmt: skip


_QUOTE_SPLIT_RE = re.compile(r"(「[^「」]*」|『[^『』]*』|“[^“”]*”)")


def polite_to_plain(text: str) -> str:
    """`text` with its final polite or hedged predicate in plain form.

    取り組みました → 取り組んだ, 進めます → 進める, しております → している,
    実施いたしました → 実施した, 予定です → 予定だ, 進んでいません → 進んでいない,
    でございます → である, するのです → する. Anything else is returned unchanged.
    """
    pieces = _QUOTE_SPLIT_RE.split(text)  # odd pieces are quotes: kept as spoken
    for n in range(0, len(pieces), 2):
        for humble, plain_phrase in _HUMBLE_PHRASES:
            pieces[n] = pieces[n].replace(humble, plain_phrase)
    text = "".join(pieces)
    body, period = split_period(text)
    plain = _plain_tail(morphemes_of(body))
    return text if plain is None else plain + period


# Polite forms inside a sentence (not its final predicate) and their plain wording.
_POLITE_CONTINUATIONS = (
    (("で", "ござい", "まし", "て"), "であり"), (("ござい", "まし", "て"), "あり"),
)  # fmt: skip


def te_form(past: str) -> str:
    """The て form from the past form, 音便 included: 書いた → 書いて, 読んだ → 読んで."""
    return past[:-1] + ("で" if past.endswith("だ") else "て")


def plain_clauses(text: str) -> str:
    """`text` with polite forms inside the sentence made plain; the final predicate stays.

    実施いたしまして → 実施して, 連携しまして → 連携して, につきまして → について,
    強化いたしますとともに → 強化するとともに, 図りますほか → 図るほか,
    課題でございまして → 課題であり, 採用されましたが → 採用されたが. What the table
    cannot conjugate is left alone.
    """
    if "まし" not in text and "ます" not in text:
        return text  # every change below rewrites a まし or ます: spare the tokenizer
    morphemes = morphemes_of(text)
    # A quote keeps the speaker's polite words: 「実施しました」と述べ stays as said.
    quoted = [0, *depths((m.surface for m in morphemes), QUOTE_OPENING, QUOTE_CLOSING)]
    out: list[str] = []
    i = 0
    while i < len(morphemes):
        m = morphemes[i]
        if quoted[i]:
            out.append(m.surface)
            i += 1
            continue
        rest = tuple(x.surface for x in morphemes[i : i + 4])
        phrase = next((p for p in _POLITE_CONTINUATIONS if rest[: len(p[0])] == p[0]), None)
        if phrase is not None:
            out.append(phrase[1])
            i += len(phrase[0])
            continue
        following = morphemes[i + 1] if i + 1 < len(morphemes) else None
        if following is None or i == 0 or m.conj_type != "助動詞-マス":
            out.append(m.surface)
            i += 1
            continue
        after = morphemes[i + 2] if i + 2 < len(morphemes) else None
        if m.surface == "まし" and following.surface == "た" and after is not None:
            # 採用されましたが、 → 採用されたが、 (not the final ました。, which rule 5 makes plain)
            past = plain_verb(morphemes[: i - 1], morphemes[i - 1], "past")
            if past is not None and after.pos != "補助記号":
                out[-1] = past
                i += 2
                continue
        if m.surface == "まし" and following.surface in {"て", "ては", "ても"}:
            past = plain_verb(morphemes[: i - 1], morphemes[i - 1], "past")
            if past is not None:  # 対しましては → 対しては
                out[-1] = te_form(past) + following.surface[1:]
                i += 2
                continue
        # 強化しますとともに, 図りますほか, 一千億円といたします制度; not ますか。 or ます、
        mid_sentence = following.pos != "補助記号" and following.pos1 != "終助詞"
        if mid_sentence and m.surface == "ます":
            plain = plain_verb(morphemes[: i - 1], morphemes[i - 1], "plain")
            if plain is not None:
                out[-1] = plain
                i += 1
                continue
        out.append(m.surface)
        i += 1
    return "".join(out)


def drop_hedges(text: str) -> str:
    """A fact the point states plainly, without the ending that frames or hedges it.

    増えているのだ → 増えている, 重要なのだ → 重要だ, 来るようだ → 来る,
    寒波のようだ → 寒波だ, 発売したという → 発売した, 対応する予定とのこと → 対応する予定
    (the noun ending then gets だ: `close_noun_ending`). Anything else is returned unchanged.
    """
    body, period = split_period(text)
    m = morphemes_of(body)
    ends = functools.partial(surfaces_end_with, m)
    if ends("な", "の", "だ") and len(m) > 3:
        return joined(m[:-3]) + "だ" + period
    if ends("の", "だ") and len(m) > 2 and m[-2].pos1 == "準体助詞" and is_predicate(m[-3]):
        return joined(m[:-2]) + period
    if ends("よう", "だ") and len(m) > 2:
        if m[-3].surface == "の" and m[-3].pos == "助詞":
            return joined(m[:-3]) + "だ" + period
        if is_predicate(m[-3]):
            return joined(m[:-2]) + period
    if ends("と", "いう") and len(m) > 2 and is_predicate(m[-3]):
        return joined(m[:-2]) + period
    if ends("と", "の", "こと") and len(m) > 3:
        return joined(m[:-3]) + period
    return text


# A 体言止め that announces what is to come takes する, not した: 4月に公開。 → 公開する。
_FUTURE_RE = re.compile(r"予定|来月|来年|来週|明日|今後|年内|月内|以降|目指|めど|目途|将来|次回")


def close_noun_ending(text: str) -> str:
    """A point ending on a noun (体言止め) as a plain sentence: a サ変 noun after its
    argument takes した (チームを結成。 → 結成した。; する when the point looks ahead),
    any other noun だ (正規代理店。 → 正規代理店だ。, 公開予定。 → 公開予定だ。).
    Only a sentence (ending in 。) is finished: a heading stays a heading; endings on a
    quote or a bracket stay as they are."""
    body, period = split_period(text.rstrip(WHITESPACE))
    words = [x for x in morphemes_of(body) if x.pos != "空白"]
    if not period or not words or is_predicate(words[-1]):
        return text  # no 。: a heading or a label, not a sentence to finish
    last, before = words[-1], words[-2] if len(words) > 1 else None
    # A サ変 noun after its argument acts (脱獄を計画 → 計画した); after a clause or a
    # noun it names (対応する予定, 公開予定 → 予定だ).
    acts = before is None or (before.pos == "助詞" and before.pos1 == "格助詞")
    if last.pos == "名詞" and last.pos2 == "サ変可能" and acts:
        return body + ("する" if _FUTURE_RE.search(body) else "した") + period
    if last.pos in {"名詞", "代名詞"} or (last.pos == "接尾辞" and last.pos1 == "名詞的"):
        return body + "だ" + period
    return text
