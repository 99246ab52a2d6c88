"""Stage 6: trim a chosen sentence into ポイント style.

`compress(text)` is the cheap rule-only version (no parser): it strips list
markers, bullet labels (課題→) and leading connectives (一方で、 また、 ...).

`Compressor` goes further with GiNZA's dependency parse and SudachiPy. It
applies these rules in order, each a small function below, and keeps a rule's
result only when it adds no guard violation (see `check_point`):

1. connective      list markers, label→ on bullets, leading connectives (`compress`).
2. attribution     a frame clause before the main predicate: 〜によると、 〜によれば、
                   〜の発表では、 〜として、 〜中、 〜を受けて、 〜に向けて、 〜ため、 ...,
                   only when the rest keeps its subject and its root, and never one
                   holding a date, an organisation, a number or a negation.
3. parenthetical   a （）/() whose content already appeared earlier in the point
                   (a repeated acronym or definition), or a note (写真/出典/注...).
4. adverb, phrase  only while the point is over `max_chars`: droppable adverbs
                   (非常に, 大きく, さらに, 引き続き, 〜的に ...), then whole obl/advcl
                   phrases farthest from the root, one at a time: settings (〜で,
                   〜から, 〜において) and side clauses ending in 、 (〜ため、 〜しながら、).
                   Never the subject, the object or the root, entities, numbers,
                   negation, conditions (〜ば、), topics (〜について、) or a chained
                   main clause (〜を策定し、).
5. finding,        〜ことが分かった → the clause before こと; polite and hedged endings
   polite_to_plain of the final predicate → plain ones (しました→した, 取り組みます→
                   取り組む, ております→ている, です→だ, ません→ない, ...), with the
                   conjugation table of `keypoints.conjugate`; humble set phrases
                   (につきましては, てまいりたい) anywhere become plain too.
6. cleanup         doubled 、, 、 before 。, spaces, and a final 。 after a predicate.

A point never loses its final predicate or a negation, so its meaning stays
the source sentence's, only shorter.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from keypoints.conjugate import conjugate
from keypoints.segment import BULLET_RE

# Openers that tie a sentence to the previous one; a ポイント line stands alone.
LEADING_CONNECTIVES = (
    "一方で", "一方", "同日", "そうした中で", "そうした中", "こうした中で", "こうした中", "その中で",
    "今回", "また", "さらに", "なお", "ただし", "しかし", "しかしながら", "そのため", "このため",
    "これにより", "その上で", "そこで", "まず", "次に", "加えて", "これに対し", "同時に",
    "ところが", "とはいえ", "つまり", "実際", "特に", "現在", "具体的には", "その後", "あわせて",
    "併せて",
)  # fmt: skip
_CONNECTIVE_RE = re.compile(
    "^(?:"
    + "|".join(sorted(map(re.escape, LEADING_CONNECTIVES), key=len, reverse=True))
    + ")[、，,]\\s*"
)
# "・課題→..." style bullet labels: keep what follows the arrow. Only on bullet
# lines, and never a label with digits (80億円→95億円 is a change, not a label).
_LABEL_ARROW_RE = re.compile(r"^[^。、→0-9０-９]{1,15}→\s*")
_SPACES = " \t\u3000\n"


def compress(text: str) -> str:
    """`text` without list markers, leading connectives and outer spaces."""
    text = text.strip(_SPACES)
    if BULLET_RE.match(text):
        text = BULLET_RE.sub("", text, count=1)
        text = _LABEL_ARROW_RE.sub("", text, count=1)
    previous = None
    while previous != text:
        previous = text
        text = _CONNECTIVE_RE.sub("", text, count=1).strip(_SPACES)
    return text


def truncate(text: str, max_chars: int) -> str:
    """`text` cut to at most `max_chars`, at the last clause break, marked with …."""
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    if len(text) <= max_chars:
        return text
    head = text[: max_chars - 1]
    cut = max(head.rfind("、"), head.rfind("，"))
    if cut >= max_chars // 2:
        head = head[:cut]
    return head + "…"


# --- guards ----------------------------------------------------------------------------

# A point shorter than this is a fragment, not a fact (nor is a first clause that short).
MIN_POINT_CHARS = 15

# A point may not end on one of these: 〜を。 or 〜から。 is a cut-off phrase.
CASE_PARTICLES = frozenset({"が", "を", "に", "で", "と", "へ", "から", "より"})
_BRACKET_PAIRS = {"」": "「", "』": "『", "）": "（", ")": "(", "】": "【"}
_CLOSING = "".join(_BRACKET_PAIRS)
_OPENING = "".join(_BRACKET_PAIRS.values())
# Forms a sentence cannot end in: 実施し。 (連用形), 行か。, 行けば。, 大切な。
_NON_FINAL_FORMS = ("連用形", "未然形", "仮定形")
GUARDS = (
    "no_final_period", "no_final_predicate", "dangling_particle", "unbalanced_brackets",
    "negation_lost",
)  # fmt: skip


# Texts whose morphemes stay cached: the guards re-read a text a few times while
# it is compressed. 8,192 texts hold about 50 MB; at 1,024 a livedoor article needs
# about 4 more tokenizations (~0.2 ms).
MORPHEME_CACHE_SIZE = 8192


class _Morpheme(NamedTuple):
    """What the rules need of a SudachiPy morpheme (split mode A)."""

    surface: str
    pos: str  # 動詞, 助動詞, 名詞 ...
    pos1: str  # 格助詞, 接続助詞, 普通名詞 ...
    conj_type: str  # 五段-カ行, 助動詞-マス ... ('*' when it does not conjugate)
    conj_form: str  # 連用形-一般, 終止形-一般 ...
    lemma: str  # dictionary form, in the surface's spelling: 書き → 書く


@functools.lru_cache(maxsize=MORPHEME_CACHE_SIZE)
def _morphemes(text: str) -> tuple[_Morpheme, ...]:
    """SudachiPy split-mode-A morphemes of `text`, cached (guards run often)."""
    from keypoints.analyze import _byte_safe_chunks, sudachi_tokenizer

    tokenizer = sudachi_tokenizer()
    result = []
    for chunk in _byte_safe_chunks(text):
        for m in tokenizer.tokenize(chunk):
            pos = m.part_of_speech()
            result.append(
                _Morpheme(m.surface(), pos[0], pos[1], pos[4], pos[5], m.dictionary_form())
            )
    return tuple(result)


def _is_predicate(m: _Morpheme) -> bool:
    """A morpheme a plain sentence can end in: a verb, adjective or auxiliary."""
    if m.pos == "接尾辞":
        return m.pos1 in {"動詞的", "形容詞的"}
    if m.pos not in {"動詞", "形容詞", "助動詞"}:
        return False  # nouns (体言止め), 形状詞 without だ, particles such as か
    if m.pos == "助動詞" and m.lemma == "だ" and m.surface == "な":
        return False  # 大切な。 is a 連体形 left hanging
    return not m.conj_form.startswith(_NON_FINAL_FORMS)


def _is_negation(m: _Morpheme) -> bool:
    if m.pos == "助動詞" and m.lemma in {"ない", "ぬ", "ず"}:
        return True  # ない, ません's ん, ず, ぬ, なかった
    if m.pos == "形容詞" and m.lemma in {"ない", "無い"}:
        return True  # 問題はない, 〜ではない
    if m.pos == "接頭辞" and m.surface in {"不", "未", "非", "無"}:
        return True  # 不適切, 未実施
    # 不明, 未定 ...: a negating prefix fused into the word.
    return m.pos in {"名詞", "形状詞"} and len(m.surface) > 1 and m.surface[0] in "不未"


def count_negations(text: str) -> int:
    """How many negations (ない/ず/ぬ/ません/なかった/不〜/未〜) `text` has."""
    return sum(_is_negation(m) for m in _morphemes(text))


def _balanced(text: str) -> bool:
    stack: list[str] = []
    for char in text:
        if char in _OPENING:
            stack.append(char)
        elif char in _CLOSING:
            if not stack or stack.pop() != _BRACKET_PAIRS[char]:
                return False
    return not stack


def check_point(text: str, source: str | None = None) -> list[str]:
    """Guard violations of the point `text` (an empty list when it passes).

    'no_final_period': it does not end with 。.
    'no_final_predicate': the last word before 。 (closing brackets aside) is not
        a verb, adjective or auxiliary in a final form: 体言止め, 〜か, 実施し。
    'dangling_particle': that last word is a case particle (が を に で と へ から より).
    'unbalanced_brackets': 「」『』（）()【】 do not pair up.
    'negation_lost': `source` has more negations than `text`.
    Length is not a guard: the caller decides what to do with a long point.
    """
    violations = []
    body = text.strip(_SPACES)
    if not body.endswith("。"):
        violations.append("no_final_period")
    morphemes = [m for m in _morphemes(body.rstrip("。" + _SPACES)) if m.pos != "空白"]
    while morphemes and morphemes[-1].surface in _CLOSING:
        morphemes.pop()  # 〜と述べた」。 is judged on 述べた
    last = morphemes[-1] if morphemes else None
    if last is None or not _is_predicate(last):
        violations.append("no_final_predicate")
    if last is not None and last.pos == "助詞" and last.surface in CASE_PARTICLES:
        violations.append("dangling_particle")
    if not _balanced(body):
        violations.append("unbalanced_brackets")
    if source is not None and count_negations(body) < count_negations(source):
        violations.append("negation_lost")
    return violations


def _no_worse(candidate: str, current: str, source: str) -> bool:
    """Whether `candidate` adds no guard violation to those `current` already has.

    A source that fails a guard (say it ends in a noun) can still be shortened;
    a rule just may not break anything that held before it, nor empty the point.
    """
    if not candidate.strip(_SPACES + "。、"):
        return False
    return set(check_point(candidate, source)) <= set(check_point(current, source))


# --- rule 5: polite and hedged endings → plain ---------------------------------------

# Verbs whose 〜ことが分かった frames a finding: 〜が増えていることが分かった.
_FINDING_VERBS = frozenset({"分かる", "わかる", "判明"})


def _joined(morphemes: Iterable[_Morpheme]) -> str:
    return "".join(m.surface for m in morphemes)


def _surfaces_end_with(morphemes: Sequence[_Morpheme], *surfaces: str) -> bool:
    n = len(surfaces)
    return len(morphemes) >= n and tuple(m.surface for m in morphemes[-n:]) == surfaces


def _split_period(text: str) -> tuple[str, str]:
    return (text[:-1], "。") if text.endswith("。") else (text, "")


def drop_finding_frame(text: str) -> str:
    """'〜が増えていることが分かった。' → '〜が増えている。' (also 分かりました, 判明した).

    Only when the clause before こと ends in a plain predicate whose 連体形 is
    also its 終止形 (増えている, 減った, 多い), so it can end the point as it is.
    """
    body, period = _split_period(text)
    morphemes = _morphemes(body)
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
        if _is_predicate(before):
            return _joined(morphemes[:k]) + period
        break
    return text


def _plain_verb(before: Sequence[_Morpheme], verb: _Morpheme, form: str) -> str | None:
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
    if verb.pos not in {"動詞", "助動詞"}:
        return None
    return conjugate(verb.lemma, verb.conj_type, form)


def _plain_tail(m: Sequence[_Morpheme]) -> str | None:
    """The sentence body `m` with its final polite predicate made plain, or None."""
    ends = functools.partial(_surfaces_end_with, m)
    # 〜するのです / 〜なんです: the の(ん)です only adds emphasis.
    if (ends("の", "です") or ends("ん", "です")) and len(m) > 2 and _is_predicate_or_na(m[-3]):
        head = m[:-2]
        return _joined(head[:-1]) + "だ" if head[-1].surface == "な" else _joined(head)
    # ございます family: 〜でございます → 〜である, ございません → ない.
    for tail, plain in (
        (("で", "ござい", "ます"), "である"), (("で", "ござい", "まし", "た"), "であった"),
        (("ござい", "ませ", "ん", "でし", "た"), "なかった"), (("ござい", "ませ", "ん"), "ない"),
        (("ござい", "ます"), "ある"), (("ござい", "まし", "た"), "あった"),
    ):  # fmt: skip
        if ends(*tail):
            return _joined(m[: -len(tail)]) + plain
    # 実施させていただきます → 実施する, 終わらせていただきました → 終わった.
    for tail, form in (
        (("て", "いただき", "ます"), "plain"),
        (("て", "いただき", "まし", "た"), "past"),
    ):
        n = len(tail) + 2
        if ends(*tail) and len(m) >= n and m[-n + 1].surface in {"せ", "させ"}:
            verb = m[-n]
            if verb.pos == "動詞":
                plain = conjugate(verb.lemma, verb.conj_type, form)
                if plain is not None:
                    return _joined(m[:-n]) + plain
    # V-ませんでした / V-ません / V-ました / V-ます.
    for tail, form in (
        (("ませ", "ん", "でし", "た"), "negative_past"), (("ませ", "ん"), "negative"),
        (("まし", "た"), "past"), (("ます",), "plain"),
    ):  # fmt: skip
        n = len(tail) + 1
        if ends(*tail) and len(m) >= n:
            verb = m[-n]
            plain = _plain_verb(m[:-n], verb, form)
            return None if plain is None else _joined(m[:-n]) + plain
    # です / でした / でしょう: dropped after an adjective or ない/たい/た (大きいです →
    # 大きい), else だ / だった / だろう (予定です → 予定だ).
    for tail, after_noun in (
        (("です",), "だ"),
        (("でし", "た"), "だった"),
        (("でしょう",), "だろう"),
    ):
        n = len(tail)
        if ends(*tail) and len(m) > n:
            before = m[-n - 1]
            adjectival = before.pos == "形容詞" or (
                before.pos == "助動詞" and before.lemma in {"ない", "たい", "た", "らしい", "ぬ"}
            )
            if not adjectival:
                return _joined(m[:-n]) + after_noun
            if tail == ("です",):
                return _joined(m[:-n])
            if tail == ("でしょう",):
                return _joined(m[:-n]) + "だろう"
            return None  # 〜ないでした is not standard; leave it
    return None


def _is_predicate_or_na(m: _Morpheme) -> bool:
    return _is_predicate(m) or (m.pos == "助動詞" and m.surface == "な")


# Humble set phrases anywhere in the point, with their plain wording.
_HUMBLE_PHRASES = (
    ("につきましては", "については"), ("におきましては", "においては"),
    ("といたしましては", "としては"), ("としましては", "としては"),
    ("てまいりたい", "ていきたい"), ("でまいりたい", "でいきたい"),
)  # fmt: skip


def polite_to_plain(text: str) -> str:
    """`text` with its final polite or hedged predicate in plain form.

    取り組みました → 取り組んだ, 進めます → 進める, しております → している,
    実施いたしました → 実施した, 予定です → 予定だ, 進んでいません → 進んでいない,
    でございます → である, するのです → する. Anything else is returned unchanged.
    """
    for humble, plain_phrase in _HUMBLE_PHRASES:
        text = text.replace(humble, plain_phrase)
    body, period = _split_period(text)
    plain = _plain_tail(_morphemes(body))
    return text if plain is None else plain + period


# Polite forms inside a sentence (not its final predicate) and their plain wording.
_POLITE_CONTINUATIONS = (
    (("で", "ござい", "まし", "て"), "であり"), (("ござい", "まし", "て"), "あり"),
)  # fmt: skip


def _te_form(past: str) -> str:
    """The て form from the past form, 音便 included: 書いた → 書いて, 読んだ → 読んで."""
    return past[:-1] + ("で" if past.endswith("だ") else "て")


def plain_clauses(text: str) -> str:
    """`text` with polite forms inside the sentence made plain; the final predicate stays.

    実施いたしまして → 実施して, 連携しまして → 連携して, につきまして → について,
    強化いたしますとともに → 強化するとともに, 図りますほか → 図るほか,
    課題でございまして → 課題であり. What the table cannot conjugate is left alone.
    """
    if "まし" not in text and "ます" not in text:
        return text  # every change below rewrites a まし or ます: spare the tokenizer
    morphemes = _morphemes(text)
    out: list[str] = []
    i = 0
    while i < len(morphemes):
        m = morphemes[i]
        rest = tuple(x.surface for x in morphemes[i : i + 4])
        phrase = next((p for p in _POLITE_CONTINUATIONS if rest[: len(p[0])] == p[0]), None)
        if phrase is not None:
            out.append(phrase[1])
            i += len(phrase[0])
            continue
        following = morphemes[i + 1] if i + 1 < len(morphemes) else None
        is_masu = m.conj_type == "助動詞-マス" and i > 0 and following is not None
        if is_masu and m.surface == "まし" and following.surface in {"て", "ては", "ても"}:
            past = _plain_verb(morphemes[: i - 1], morphemes[i - 1], "past")
            if past is not None:  # 対しましては → 対しては
                out[-1] = _te_form(past) + following.surface[1:]
                i += 2
                continue
        # 強化しますとともに, 図りますほか, 一千億円といたします制度; not ますか。 or ます、
        mid_sentence = is_masu and following.pos != "補助記号" and following.pos1 != "終助詞"
        if mid_sentence and m.surface == "ます":
            plain = _plain_verb(morphemes[: i - 1], morphemes[i - 1], "plain")
            if plain is not None:
                out[-1] = plain
                i += 1
                continue
        out.append(m.surface)
        i += 1
    return "".join(out)


def plain_point(text: str) -> str:
    """The point a sentence makes without the parser: rule 1, polite forms made
    plain throughout (`plain_clauses`), rules 5 and 6. What the full `Compressor`
    writes, less the parse-based drops."""
    plain = plain_clauses(text.strip(_SPACES))
    stripped = compress(plain) or plain  # after: あわせまして、 is あわせて、 by now
    return cleanup(polite_to_plain(drop_finding_frame(stripped)))


def first_clause(text: str, max_chars: int) -> str | None:
    """The first clauses of a chained sentence as a point of at most `max_chars`.

    '都は、取り組みを適切に誘導し、業務の…を図った。' → '都は、取り組みを適切に誘導した。';
    also 〜を行うとともに、 and 〜したほか、. The clause break kept is the last one
    that fits; the verb before it takes the tense of the sentence's final predicate.
    None when there is no such break or the result fails a guard. For a sentence
    no rule can bring under `max_chars`: a whole first fact beats a cut one.
    """
    body, _ = _split_period(text.strip(_SPACES))
    m = _morphemes(body)
    if not m:
        return None
    form = "past" if m[-1].pos == "助動詞" and m[-1].lemma == "た" else "plain"
    best = None
    length = 0
    for i, x in enumerate(m[:-1]):
        length += len(x.surface)
        if length >= max_chars:
            break
        if m[i + 1].surface not in _COMMAS:
            continue
        candidate = None
        if x.pos == "動詞" and x.conj_form.startswith("連用形"):
            plain = _plain_verb(
                m[:i], x, form
            )  # 誘導し、 → 誘導した; 把握しており、 → 把握している
            candidate = None if plain is None else _joined(m[:i]) + plain
        elif _surfaces_end_with(m[: i + 1], "と", "とも", "に") and i >= 3:
            verb = m[i - 3]  # 行うとともに、 → 行う / 行った
            if verb.pos == "動詞" and verb.conj_form.startswith("終止形"):
                plain = conjugate(verb.lemma, verb.conj_type, form)
                candidate = None if plain is None else _joined(m[: i - 3]) + plain
        elif x.surface == "ほか" and i >= 1 and m[i - 1].pos in {"動詞", "助動詞"}:
            candidate = _joined(m[:i])  # 受講したほか、 → 受講した
        if candidate is not None:
            point = cleanup(candidate + "。")
            if MIN_POINT_CHARS <= len(point) <= max_chars and not check_point(point, text):
                best = point
    return best


# --- rule 6: cleanup --------------------------------------------------------------------

# Half-width spaces between Japanese characters are line-wrap leftovers; a
# full-width space (見出し　副題) separates on purpose and stays.
_NON_ASCII_GAP_RE = re.compile(r"(?<=[^\x00-\x7f])[ \t]+(?=[^\x00-\x7f])")


def cleanup(text: str) -> str:
    """Tidy what the other rules leave: 、、 → 、, 、。 → 。, spaces, a final 。.

    Only a point that ends in a predicate gets a 。 added: one ending in a closing
    bracket (〜」, 〜）), ？！ or a noun (a heading, a URL) is left as it is, and
    the guards report it.
    """
    text = text.strip(_SPACES)
    text = _NON_ASCII_GAP_RE.sub("", text)  # spaces inside Japanese; Latin words keep theirs
    text = re.sub(r"\s*([、，。])\s*", r"\1", text)
    text = re.sub(r"[、，]{2,}", "、", text)
    text = re.sub(r"[、，]+。", "。", text)
    text = re.sub(r"。{2,}", "。", text)
    text = re.sub(r"[（(]\s*[）)]", "", text)
    text = text.lstrip("、，")
    if (
        text
        and text[-1] not in "。" + _CLOSING + "？！?!"
        and "no_final_predicate" not in check_point(text)
    ):
        text += "。"
    return text


@functools.lru_cache(maxsize=1024)
def _finish(text: str) -> str:
    """Rules 5 and 6 without guards: what the point's length will be in the end.
    Cached: `needs_parse` and `within_reach` both ask for it for each pick."""
    return cleanup(polite_to_plain(drop_finding_frame(text)))


# --- rules 2-4: parse-based drops --------------------------------------------------------

# Frame clauses (rule 2) end like this: 〜によると、 〜の発表では、 〜が進む中、
_FRAME_END_RE = re.compile(
    r"(?:によると|によれば|によりますと|の発表では|発表によると|としては|として|といたしましては|としましては|"
    r"中|なか|を受けて|を受け|に向けて|に向け|ため|ために|に伴い|に伴って|を踏まえ|を踏まえて|"
    r"にあたり|に当たり|にあたって|に当たって|の結果|結果|ことから)$"
)
# Adverbs that add emphasis or continuity, not facts (rule 4).
DROPPABLE_ADVERBS = frozenset({
    "非常に", "大きく", "さらに", "更に", "引き続き", "引き続いて", "一層", "より一層", "いっそう",
    "着実に", "しっかり", "しっかりと", "改めて", "あらためて", "極めて", "きわめて", "とても",
    "かなり", "大変", "たいへん", "順次", "今後とも", "ますます", "一段と", "いよいよ", "全力で",
})  # fmt: skip
_TEKI_NI_RE = re.compile(r"^\w+的に$")  # 積極的に, 段階的に, 本格的に
# Adverbs that carry meaning (time, counts, firsts, limits): never dropped.
KEEP_ADVERBS = frozenset({
    "まだ", "初めて", "再び", "既に", "すでに", "必ず", "唯一", "最も", "もっとも", "ほぼ",
    "少なくとも", "全く", "決して", "もう", "ともに", "共に", "一緒に", "直ちに", "近く", "当面",
})  # fmt: skip
# obl phrases with these particles are settings (place, means, start, end): 〜で, 〜から.
# A に/を/と phrase is usually an argument the verb needs (〜に取り組む), so it stays.
_SETTING_PARTICLES = frozenset({"で", "から", "まで", "より", "にて"})
# A clause ending in these is a condition or a concession: dropping it changes the claim.
_CONDITIONAL_ENDINGS = frozenset(
    {"ば", "たら", "なら", "ても", "でも", "のに", "けれど", "けれども", "が", "と", "ものの"}
)
# Phrases naming what the predicate is about: 〜について答弁した needs its topic.
_TOPIC_PHRASE_RE = re.compile(
    r"(?:について|については|に関して|に関しては|に対して|に対し|をめぐって|をめぐり)$"
)
_SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass", "csubj", "csubj:pass"})
_CORE_DEPS = _SUBJECT_DEPS | {"obj", "iobj"}
_DIGIT_RE = re.compile(r"[0-9０-９]")
_COMMAS = {"、", "，", ","}
# Coarse entity labels whose text a drop may never remove.
_PROTECTED_LABELS = frozenset({"ORG", "DATE", "QUANTITY", "PERSON", "PLACE", "TERM"})


@dataclass(frozen=True)
class _Draft:
    """The parsed point with some tokens dropped; rules 2-4 only ever drop tokens."""

    pieces: tuple[str, ...]  # each token's text with its trailing space
    dropped: frozenset[int] = frozenset()

    @property
    def text(self) -> str:
        kept = (p for i, p in enumerate(self.pieces) if i not in self.dropped)
        return "".join(kept).strip(_SPACES)

    def without(self, indices: Iterable[int]) -> _Draft:
        return _Draft(self.pieces, self.dropped | frozenset(indices))

    def kept(self, indices: Iterable[int]) -> list[int]:
        return [i for i in indices if i not in self.dropped]


@dataclass
class _Parse:
    """What the drop rules need to know about the parsed sentence."""

    # The Doc's tokens, once: indexing or iterating a Doc makes new Token objects
    # every time, and the rules look at each token many times.
    tokens: list
    root: object  # the main predicate (spacy Token)
    protected: frozenset[int]  # entity, number and negation tokens
    core: frozenset[int]  # the root's bunsetu and the heads of its subject and object
    bunsetu_of: dict[int, int]  # token index → bunsetu number
    bunsetu: list  # spacy Spans


def _parse_info(doc) -> _Parse:
    import ginza

    from keypoints.analyze import find_defined_terms, ginza_entities, rule_entities, tokenize

    root = _main_root(doc)
    bunsetu = list(ginza.bunsetu_spans(doc))
    bunsetu_of = {t.i: n for n, span in enumerate(bunsetu) for t in span}

    # Entities (the rule-based ones of the analyze stage, and GiNZA's when the doc
    # has them), proper nouns (名詞-固有名詞: people, places, organisations in
    # SudachiPy's dictionary), numbers and negations are facts: a drop may never
    # take one away.
    text = doc.text
    spans = [(e.start, e.end) for e in ginza_entities(doc) if e.label in _PROTECTED_LABELS]
    spans += [
        (e.start, e.end)
        for e in rule_entities(text, tokenize(text), find_defined_terms(text))
        if e.label in _PROTECTED_LABELS
    ]
    # A term the writer put in 「」 is named on purpose: keep it like an entity.
    spans += [(m.start(), m.end()) for m in re.finditer(r"「[^「」]{1,20}」", text)]
    tokens = list(doc)
    protected = set()
    for t in tokens:
        start, end = t.idx, t.idx + len(t.text)
        if (
            any(s < end and start < e for s, e in spans)
            or _DIGIT_RE.search(t.text)
            or t.tag_.startswith(("名詞-数詞", "名詞-固有名詞"))
            or count_negations(t.text) > 0
            or t.norm_ in {"ない", "無い", "ぬ", "ず"}
        ):
            protected.add(t.i)

    # The root's bunsetu, its subject and object, and a clause glued to the root
    # without a comma (〜を始めると|発表した, 取り組んで|まいります) are the point's core.
    core = {root.i}
    root_bunsetu = bunsetu_of.get(root.i)
    core.update(t.i for t in tokens if bunsetu_of.get(t.i) == root_bunsetu)
    root_start = min(core)
    for child in root.children:
        if child.dep_ in _CORE_DEPS:
            core.add(child.i)
        elif child.dep_ in {"advcl", "ccomp"} and child.right_edge.i + 1 == root_start:
            core.add(child.i)
    # A は-topic is the main clause's subject even when GiNZA hangs it on a side clause.
    core.update(t.i for t in tokens if _is_topic(t))
    return _Parse(tokens, root, frozenset(protected), frozenset(core), bunsetu_of, bunsetu)


def _main_root(doc):
    """The root of the sentence the point ends with, brackets aside.

    GiNZA may split '会見する知事。（写真／青葉日報）' in two; the point is the first.
    """
    depth = 0
    for t in reversed(doc):
        if any(c in _CLOSING for c in t.text):
            depth += 1
        elif any(c in _OPENING for c in t.text):
            depth = max(depth - 1, 0)
        elif depth == 0 and not t.is_punct:
            return t.sent.root
    return doc[-1].sent.root


def _has_subject(parse: _Parse, draft: _Draft) -> bool:
    """Whether the kept tokens still hold a subject: an nsubj, or a noun marked by
    は or が (同社は, 患者数が; not the とは/では/には of other phrases)."""
    doc = parse.tokens
    for t in doc:
        if t.i in draft.dropped:
            continue
        if t.dep_ in _SUBJECT_DEPS and not any(
            c.dep_ == "case" and c.norm_ not in {"は", "が"} for c in t.children
        ):
            return True
        if (
            t.dep_ == "case"
            and t.norm_ in {"は", "が"}
            and t.i > 0
            and doc[t.i - 1].pos_ in {"NOUN", "PROPN", "PRON", "NUM"}
        ):
            return True
    return False


def _top_level_segments(parse: _Parse, draft: _Draft) -> list[list[int]]:
    """Kept tokens split after each 、 that is outside brackets (the 、 ends its segment)."""
    segments: list[list[int]] = [[]]
    depth = 0
    for t in parse.tokens:
        if t.i in draft.dropped:
            continue
        segments[-1].append(t.i)
        depth += sum(c in _OPENING for c in t.text) - sum(c in _CLOSING for c in t.text)
        if depth == 0 and t.text in _COMMAS:
            segments.append([])
    return [s for s in segments if s]


def _is_topic(token) -> bool:
    """A は-marked subject: 同社は、 belongs to the main predicate whatever the parse says."""
    return token.dep_ in _SUBJECT_DEPS and any(
        c.dep_ == "case" and c.norm_ == "は" for c in token.children
    )


def _is_closed_phrase(parse: _Parse, draft: _Draft, indices: Sequence[int]) -> bool:
    """Whether `indices` is one phrase hanging off a later word, with nothing outside
    depending on it: dropping it then leaves a well-formed sentence.

    GiNZA often hangs the sentence's topic (同社は、) on the first verb after it; a
    topic before the phrase is not counted as depending on it.
    """
    inside = set(indices)
    exits = [i for i in indices if parse.tokens[i].head.i not in inside]
    if len(exits) != 1 or parse.tokens[exits[0]].head.i < max(indices):
        return False
    return all(
        t.head.i not in inside or (_is_topic(t) and t.i < min(indices))
        for t in parse.tokens
        if t.i not in inside and t.i not in draft.dropped
    )


# Words that refer back to earlier text; a frame they point at must stay.
_DEMONSTRATIVE_RE = re.compile(r"その|それ|この|これ|こうした|そうした|こうして|同様")


def drop_frame_clause(parse: _Parse, draft: _Draft) -> _Draft:
    """Rule 2: '関係者によると、同社は…' → '同社は…'; '〜が進む中、厚労省は…' → '厚労省は…'.

    A comma-delimited phrase before the root is dropped when it ends like a frame
    (by _FRAME_END_RE), forms one closed phrase, holds no protected token (a
    date, organisation, number or negation: 2025年7月20日、 同社は、 stay) and is not
    the subject; the rest must still have a subject and the root.
    """
    for segment in _top_level_segments(parse, draft):
        if segment[-1] >= parse.root.i or parse.tokens[segment[-1]].text not in _COMMAS:
            continue
        words = "".join(parse.tokens[i].text for i in segment[:-1])
        if not _FRAME_END_RE.search(words):
            continue
        if any(i in parse.protected or i in parse.core for i in segment):
            continue
        if not _is_closed_phrase(parse, draft, segment):
            continue
        candidate = draft.without(segment)
        if _DEMONSTRATIVE_RE.search(candidate.text):
            continue  # その中心に: the rest points back at the clause we would drop
        if _has_subject(parse, candidate):
            return candidate
    return draft


# A bracketed note, not content: （写真）, （写真／青葉日報）, （出典：…）, （注1）, （※）.
_NOTE_RE = re.compile(r"(?:写真|出典|注(?:[0-9０-９]|[：:]|$)|※)")


def _matching_close(pieces: Sequence[str], start: int) -> int | None:
    """Index of the piece that closes the （ or ( at `start`, nesting counted."""
    depth = 0
    for m in range(start, len(pieces)):
        depth += pieces[m] in {"（", "("}
        depth -= pieces[m] in {"）", ")"}
        if depth == 0:
            return m
    return None


def _is_repeat_or_note(content: str, earlier: str) -> bool:
    """Rule 3's test: the bracket's `content` already appeared in `earlier`, or is a note."""
    # A Latin repeat must be a whole word: (EV) after ISEV is not a repeat.
    repeated = (
        len(content) >= 2
        and not content.isdigit()
        and re.search(rf"(?<![A-Za-z]){re.escape(content)}(?![A-Za-z])", earlier) is not None
    )
    return repeated or bool(_NOTE_RE.match(content))


def _parentheses(text: str) -> list[tuple[str, str]]:
    """(content, text before it) of each closed bracket in `text`."""
    return [
        (text[n + 1 : close].strip(_SPACES), text[:n])
        for n, char in enumerate(text)
        if char in {"（", "("} and (close := _matching_close(text, n)) is not None
    ]


def drop_parenthetical(parse: _Parse, draft: _Draft) -> _Draft:
    """Rule 3: a （）/() note or repeat: '細胞外小胞（EV）の…EV（細胞外小胞）の…' drops the
    second, whose content already appeared; （写真）, （出典：…）, （注1） go too."""
    kept = [t for t in parse.tokens if t.i not in draft.dropped]
    texts = [t.text for t in kept]
    for n, opener in enumerate(texts):
        if opener not in {"（", "("} or (close := _matching_close(texts, n)) is None:
            continue
        content = "".join(t.text_with_ws for t in kept[n + 1 : close]).strip(_SPACES)
        if _is_repeat_or_note(content, "".join(texts[:n])):
            return draft.without(t.i for t in kept[n : close + 1])
    return draft


def _adverb_candidates(parse: _Parse, draft: _Draft) -> list[list[int]]:
    """Bunsetu that are only a droppable adverb (非常に, 引き続き, 積極的に, ...)."""
    found = []
    for span in parse.bunsetu:
        indices = draft.kept(t.i for t in span)
        words = [parse.tokens[i] for i in indices if parse.tokens[i].text not in _COMMAS]
        if not words:
            continue
        surface = "".join(t.text for t in words)
        head = max(words, key=lambda t: t.i if t.head.i not in {w.i for w in words} else -1)
        plain_adverb = (
            len(words) == 1
            and head.pos_ == "ADV"
            and head.dep_ == "advmod"
            and head.head.i == parse.root.i
            and surface not in KEEP_ADVERBS
        )
        if surface in DROPPABLE_ADVERBS or _TEKI_NI_RE.match(surface) or plain_adverb:
            if not any(i in parse.protected or i in parse.core for i in indices):
                found.append(indices)
    return found


def _phrase_candidates(parse: _Parse, draft: _Draft) -> list[list[int]]:
    """obl/advcl phrases that are settings or side clauses, not arguments or conditions.

    A phrase is the subtree of an obl/advcl word, or a comma-delimited segment
    that is a closed phrase (the parse may have hung the topic on it).
    """
    doc = parse.tokens
    phrases: dict[tuple[int, ...], object] = {}
    for head in doc:
        if head.i in draft.dropped or head.dep_ not in {"obl", "advcl"}:
            continue
        subtree = sorted(t.i for t in head.subtree)
        if subtree == list(range(subtree[0], subtree[-1] + 1)):  # contiguous only
            phrases[tuple(draft.kept(subtree))] = head
    for segment in _top_level_segments(parse, draft):
        if segment[-1] < parse.root.i and _is_closed_phrase(parse, draft, segment):
            exit_ = next(doc[i] for i in segment if doc[i].head.i not in segment)
            if exit_.dep_ in {"obl", "advcl"}:
                phrases.setdefault(tuple(segment), exit_)
    return [
        list(indices)
        for indices, head in phrases.items()
        if _droppable_phrase(parse, draft, indices, head)
    ]


def _droppable_phrase(parse: _Parse, draft: _Draft, indices: Sequence[int], head) -> bool:
    """Whether the phrase `indices` (headed by `head`) may go when the point is too long.

    It may if it is a setting (〜で, 〜から, 〜において) or a side clause ending in
    a comma (〜ため、 〜を見据えて、 〜しながら、), and none of these holds: it has a
    protected or core token; it is a condition (〜ば、), a topic (〜について、) or a
    coordinated main clause (〜を策定し、 〜しており、); it qualifies the number
    right after it (前年度比で|2.5%減少); dropping it takes the last subject away.
    """
    from ginza import inflection

    doc = parse.tokens
    if not indices or any(i in parse.protected or i in parse.core for i in indices):
        return False
    text = "".join(doc[i].text for i in indices)
    if not _balanced(text) or not _starts_a_phrase(parse, draft, indices[0]):
        return False
    ends_with_comma = doc[indices[-1]].text in _COMMAS
    if not (ends_with_comma or _on_main_clause(parse, head)):
        return False  # a comma-less setting inside a noun-modifying clause
    if _TOPIC_PHRASE_RE.search(text.rstrip("、，,")):
        return False  # 〜について、 says what the predicate is about
    if head.pos_ == "PRON":
        return False  # これまで|以上に, それより|前に: a pronoun phrase leans on the next word
    words = [doc[i] for i in indices if doc[i].text not in _COMMAS]
    if words and "連用形" in inflection(words[-1]) and words[-1].pos_ != "ADJ":
        return False  # 〜を策定し、 is a main clause in a chain, not a side remark
    if _qualifies_a_number(parse, draft, indices):
        return False
    without = draft.without(indices)
    if _has_subject(parse, draft) and not _has_subject(parse, without):
        return False
    if not _has_subject(parse, without) and any(
        doc[i].pos_ in {"ADP", "SCONJ"} and doc[i].text.endswith("は") for i in indices
    ):
        return False  # 市では、 本市といたしましては、 name the actor when nothing else does
    bunsetu = parse.bunsetu_of.get(head.i)
    particles = {
        t.text
        for t in doc
        if parse.bunsetu_of.get(t.i) == bunsetu and t.i > head.i and t.pos_ in {"ADP", "SCONJ"}
    }
    # A setting modifies a predicate (新工場で|始める), not a noun (これまで|以上に).
    setting = head.head.pos_ in {"VERB", "ADJ", "AUX"} and (
        (bool(particles & _SETTING_PARTICLES) and not particles & {"を", "が", "に", "と"})
        or text.rstrip("、，,").endswith(("において", "においては"))
    )
    # A side clause has a predicate of its own (〜と連携しながら、 〜を推進するため、);
    # a bare noun phrase with a comma (小中学校に、) is an argument.
    last_word = words[-1].text if words else ""
    side_clause = (
        ends_with_comma
        and any(doc[i].pos_ in {"VERB", "ADJ"} for i in indices)
        and last_word not in _CONDITIONAL_ENDINGS
        and not particles & {"を", "が", "に", "と"}
    )
    return setting or side_clause


def _qualifies_a_number(parse: _Parse, draft: _Draft, indices: Sequence[int]) -> bool:
    """Whether the bunsetu right after the phrase holds a number (〜比で|3.3%上昇)."""
    after = next(
        (i for i in range(indices[-1] + 1, len(parse.tokens)) if i not in draft.dropped), None
    )
    if after is None:
        return False
    bunsetu = parse.bunsetu_of.get(after)
    return any(
        _DIGIT_RE.search(t.text) or t.tag_.startswith("名詞-数詞")
        for t in parse.tokens
        if parse.bunsetu_of.get(t.i) == bunsetu and t.i not in draft.dropped
    )


def _starts_a_phrase(parse: _Parse, draft: _Draft, first: int) -> bool:
    """Whether a phrase starting at token `first` really starts there.

    When the word before it is a 連体形 or の (…落ち込んだ|ことから), a wrong parse
    has cut a modifier off its noun; dropping the noun would leave the modifier
    hanging on the next word.
    """
    before = [t for t in parse.tokens[:first] if t.i not in draft.dropped]
    if not before:
        return True
    previous = before[-1]
    return previous.text in _COMMAS or (previous.pos_ == "ADP" and previous.text != "の")


def _on_main_clause(parse: _Parse, head) -> bool:
    """Whether `head` modifies the main clause, not a clause inside a noun phrase:
    a setting of a relative clause (市民の皆様から|いただいた意見) is part of a name."""
    token = head.head
    while token.i != parse.root.i and token.head.i != token.i:
        if token.dep_ not in {"advcl", "ccomp", "conj"}:
            return False
        token = token.head
    return True


def _drop_while_long(
    parse: _Parse, draft: _Draft, source: str, max_chars: int, candidates_of
) -> _Draft:
    """Drop candidates farthest from the root first, one at a time, while too long."""
    tried: set[tuple[int, ...]] = set()
    while len(_finish(draft.text)) > max_chars:
        candidates = [c for c in candidates_of(parse, draft) if c and tuple(c) not in tried]
        if not candidates:
            break
        best = max(candidates, key=lambda c: abs(parse.root.i - c[-1]))
        tried.add(tuple(best))
        candidate = draft.without(best)
        if _no_worse(candidate.text, draft.text, source):
            draft = candidate
    return draft


def drop_adverbs(parse: _Parse, draft: _Draft, source: str, max_chars: int) -> _Draft:
    """Rule 4a: while over `max_chars`, drop emphasis adverbs (非常に, さらに, 引き続き)."""
    return _drop_while_long(parse, draft, source, max_chars, _adverb_candidates)


def drop_phrases(parse: _Parse, draft: _Draft, source: str, max_chars: int) -> _Draft:
    """Rule 4b: while over `max_chars`, drop obl/advcl phrases (大雨の影響で、 新工場で)."""
    return _drop_while_long(parse, draft, source, max_chars, _phrase_candidates)


def _bracket_spans(parse: _Parse, draft: _Draft) -> list[list[int]]:
    """Token indices of each outermost （）/() pair still in the draft, brackets included."""
    spans: list[list[int]] = []
    current: list[int] = []
    depth = 0
    for token in parse.tokens:
        if token.i in draft.dropped:
            continue
        if token.text in {"（", "("}:
            depth += 1
        if depth:
            current.append(token.i)
        if token.text in {"）", ")"} and depth:
            depth -= 1
            if not depth:
                spans.append(current)
                current = []
    return spans


def _parenthetical_candidates(parse: _Parse, draft: _Draft) -> list[list[int]]:
    """Parentheticals without numbers: (本社・大阪市), (EV), (SSB) — the name outside stays."""
    return [
        span
        for span in _bracket_spans(parse, draft)
        if not any(_DIGIT_RE.search(parse.tokens[i].text) for i in span)
        and span[0] > 0  # a point never starts with what it explains
    ]


def drop_long_parentheticals(parse: _Parse, draft: _Draft, source: str, max_chars: int) -> _Draft:
    """Rule 4a: while over `max_chars`, drop explanatory parentheticals without numbers."""
    return _drop_while_long(parse, draft, source, max_chars, _parenthetical_candidates)


# Words that set the scope of a noun; a modifier holding one is not decoration.
_SCOPE_WORD_RE = re.compile(
    r"全て|すべて|全部|全国|全体|各|一部|多く|少数|半数|大半|唯一|初め|最も|最大|最小|最初|最後"
)


# Nouns whose modifying clause is their content (〜する方針, 〜となる見込み).
_FORMAL_NOUNS = frozenset(
    "見通し 方針 予定 見込み 考え 計画 可能性 必要 こと もの 方向 ため よう 模様 意向 姿勢 考え方 "
    "恐れ おそれ 事態 状況 結果 理由 目的 見方 方 方々 人 人々 者 皆様 ところ".split()
)


def _modifier_candidates(parse: _Parse, draft: _Draft) -> list[list[int]]:
    """Noun modifiers that only describe: 電池メーカーの|ミナセ電池工業, 〜をうたって行われている|製剤.

    The contiguous subtree of an `acl`/`nmod` word whose head noun comes right
    after it; never one holding a protected (entity, number, negation) or core token.
    """
    doc = parse.tokens
    found = []
    for word in doc:
        if word.i in draft.dropped or word.dep_ not in {"acl", "nmod"}:
            continue
        head = word.head
        if head.pos_ not in {"NOUN", "PROPN"} or head.i <= word.i or head.i in parse.core:
            continue  # 中止となる|見通しだ: the clause is the predicate's content
        if word.dep_ == "nmod" and head.dep_ != "nsubj":
            continue  # 〜の describes only the subject (電池メーカーの|ミナセ電池工業は)
        if word.dep_ == "acl" and head.norm_ in _FORMAL_NOUNS:
            continue
        subtree = draft.kept(sorted(t.i for t in word.subtree))
        if not subtree or subtree != list(range(subtree[0], subtree[-1] + 1)):
            continue
        if subtree[-1] + 1 != word.head.i and doc[subtree[-1] + 1].i in draft.dropped:
            continue
        if any(i in parse.protected or i in parse.core for i in subtree):
            continue
        text = "".join(doc[i].text for i in subtree)
        if len(subtree) < 2 or len(text) < 4 or not _balanced(text):
            continue
        if doc[subtree[-1]].text in _COMMAS or not _starts_a_phrase(parse, draft, subtree[0]):
            continue  # 雨が降れば、 is a condition, not a modifier
        if _SCOPE_WORD_RE.search(text):
            continue  # 全ての, 一部の, 多くの change what the noun covers
        found.append(subtree)
    return found


def drop_modifiers(parse: _Parse, draft: _Draft, source: str, max_chars: int) -> _Draft:
    """Rule 4d: while over `max_chars`, drop noun modifiers (relative clauses, 〜の phrases)."""
    return _drop_while_long(parse, draft, source, max_chars, _modifier_candidates)


# --- the compressor -----------------------------------------------------------------------


@dataclass
class Compression:
    """One compressed point and how it was made."""

    text: str  # the compressed point
    source: str  # the sentence it came from
    steps: list[str] = field(default_factory=list)  # rules applied, in order
    violations: list[str] = field(default_factory=list)  # guard violations of `text`


# How far over max_chars a sentence may be for the drop rules to be tried
# (within_reach): the default of `Compressor(reach=...)` and `Settings.parse_reach`.
REACH = 1.7

# Guards about the end of the point; rules 2-4 keep the end (end_beyond_repair).
_END_GUARDS = frozenset({"no_final_period", "no_final_predicate", "dangling_particle"})
_ENDS_ON_PARENTHETICAL_RE = re.compile(rf"[）)][{re.escape(_CLOSING)}{_SPACES}]*。?[{_SPACES}]*$")


class Compressor:
    """Sentences → ポイント lines, by the rules listed in the module docstring.

    `nlp` is a GiNZA pipeline (default: `analyze.ginza_nlp()`, loaded once, at
    the first sentence to parse).
    `max_chars` only decides whether rule 4 drops modifiers; a point that is
    still longer is returned as it is, for the caller to cut. GiNZA parses no
    sentence over `reach` × max_chars (`within_reach`): lower is faster, and
    fewer long sentences become points.
    """

    def __init__(self, max_chars: int = 70, nlp=None, reach: float = REACH):
        if reach < 0:
            raise ValueError("reach must be at least 0")
        self.max_chars = max_chars
        self.reach = reach
        self._nlp = nlp

    @property
    def nlp(self):
        if self._nlp is None:
            from keypoints.analyze import ginza_nlp

            self._nlp = ginza_nlp()
        return self._nlp

    def __call__(self, sentence: str) -> Compression:
        return self.many([sentence])[0]

    def many(self, sentences: Sequence[str], batch_size: int = 64) -> list[Compression]:
        """Compress every sentence; GiNZA parses, in batches with `nlp.pipe`, only
        those whose result the parse can change (`needs_parse`) into a point that
        may pass (`within_reach`, `end_beyond_repair`)."""
        starts = [self._strip_connectives(s) for s in sentences]
        rules_only = [
            self._compress(source, text, steps, None)
            for source, (text, steps) in zip(sentences, starts, strict=True)
        ]
        parsed = [
            i
            for i, (text, _) in enumerate(starts)
            if self.needs_parse(text)
            and self.within_reach(text)
            and not self.end_beyond_repair(text, rules_only[i])
        ]
        docs = dict(
            zip(parsed, self._parse([starts[i][0] for i in parsed], batch_size), strict=True)
        )
        return [
            self._compress(source, text, steps, docs[i]) if i in docs else rules_only[i]
            for i, (source, (text, steps)) in enumerate(zip(sentences, starts, strict=True))
        ]

    def _parse(self, texts: list[str], batch_size: int) -> Iterable:
        """GiNZA's parses of `texts`; nothing to parse loads no GiNZA (reach 0 never does)."""
        if not texts:
            return []
        # GiNZA's NER is a third of the parse time; the rule entities and the
        # proper nouns of SudachiPy's dictionary protect the same facts (_parse_info).
        skip = [name for name in ("ner",) if name in self.nlp.pipe_names]
        return self.nlp.pipe(texts, batch_size=batch_size, disable=skip)

    def needs_parse(self, text: str) -> bool:
        """Whether rules 2-4 could change `text`: it is over max_chars once made
        plain (rule 4), has a parenthesis that repeats or notes (rule 3), or a
        comma phrase ending like a frame (rule 2). Otherwise the parse would
        change nothing, and is skipped."""
        if len(_finish(text)) > self.max_chars:
            return True
        for content, earlier in _parentheses(text):
            # The parse's tokens may or may not keep the spaces: try both.
            if _is_repeat_or_note(content, earlier) or _is_repeat_or_note(
                content, re.sub(r"\s", "", earlier)
            ):
                return True
        pieces = re.split("[、，,]", text)[:-1]
        return any(_FRAME_END_RE.search(piece.strip(_SPACES)) for piece in pieces)

    def within_reach(self, text: str) -> bool:
        """Whether rules 2-4 could bring `text` under max_chars: not when it is over
        `reach` × max_chars once made plain. They drop side phrases, never the
        subject, object or predicate; of the 137 MMR picks over the default 1.7 ×
        in the dev sets and 300 livedoor articles, 4 came under 70 characters.
        Such a sentence is not parsed, and its point fails the length check."""
        return len(_finish(text)) <= self.reach * self.max_chars

    @staticmethod
    def end_beyond_repair(text: str, rules_only: Compression) -> bool:
        """Whether `text` fails an end guard that rules 2-4 cannot mend, so that its
        point fails with or without them. `rules_only` is its compression without
        the parse. The drops keep the main predicate's bunsetu and what follows it,
        so a sentence that ends without 。, without a predicate (体言止め) or on a
        case particle still does after them; only a （）/() parenthetical at the
        very end, closing brackets aside (〜を展示している（写真）。, 〜ました（笑）」。),
        may go (rules 3 and 4a), so such a sentence is parsed. Of the 1,914
        over-long picks in the dev sets and 1,000 livedoor articles, 236 ended
        beyond repair, and none of them made a point with the parse."""
        return bool(_END_GUARDS.intersection(rules_only.violations)) and not (
            _ENDS_ON_PARENTHETICAL_RE.search(text)
        )

    @staticmethod
    def _strip_connectives(source: str) -> tuple[str, list[str]]:
        """Rule 1: polite forms inside the sentence made plain (あわせまして、 →
        あわせて、), then the cheap `compress` (markers, labels, connectives),
        before the parse sees it."""
        text, steps = source.strip(_SPACES), []
        for name, rule in (("polite_clauses", plain_clauses), ("connective", compress)):
            candidate = rule(text)
            if candidate != text and candidate and _no_worse(candidate, text, source):
                text = candidate
                steps.append(name)
        return text, steps

    def _compress(self, source: str, text: str, steps: list[str], doc) -> Compression:
        steps = list(steps)
        if doc is not None and len(doc) and text == doc.text:
            text = self._drop(source, doc, steps)
        for name, rule in (
            ("finding", drop_finding_frame),
            ("polite_to_plain", polite_to_plain),
            ("cleanup", cleanup),
        ):
            candidate = rule(text)
            if candidate != text and _no_worse(candidate, text, source):
                text = candidate
                steps.append(name)
        return Compression(text, source, steps, check_point(text, source))

    def _drop(self, source: str, doc, steps: list[str]) -> str:
        """Rules 2-4 on the parse; each draft is kept only if it breaks no guard."""
        parse = _parse_info(doc)
        draft = _Draft(tuple(t.text_with_ws for t in parse.tokens))
        rules = (
            ("attribution", lambda d: _repeat(drop_frame_clause, parse, d)),
            ("parenthetical", lambda d: _repeat(drop_parenthetical, parse, d)),
            (
                "long_parenthetical",
                lambda d: drop_long_parentheticals(parse, d, source, self.max_chars),
            ),
            ("adverb", lambda d: drop_adverbs(parse, d, source, self.max_chars)),
            ("phrase", lambda d: drop_phrases(parse, d, source, self.max_chars)),
            ("modifier", lambda d: drop_modifiers(parse, d, source, self.max_chars)),
        )
        for name, rule in rules:
            candidate = rule(draft)
            if candidate.dropped != draft.dropped and _no_worse(candidate.text, draft.text, source):
                draft = candidate
                steps.append(name)
        return draft.text


def _repeat(rule, parse: _Parse, draft: _Draft) -> _Draft:
    """Apply a single-drop rule until it drops nothing more."""
    while True:
        candidate = rule(parse, draft)
        if candidate.dropped == draft.dropped:
            return draft
        draft = candidate
