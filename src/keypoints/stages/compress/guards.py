"""The grammar guards: what every point must pass, whatever rule made it.

A point ends in 。 after a predicate in a final form, has no dangling case
particle, balanced brackets, and as many negations as its source; a rule's
change is kept only when it adds no violation and leaves no cut-off start
(`no_worse`).

    >>> check_point("厚労省は新制度を発表した。")
    []
    >>> check_point("厚労省は新制度を")
    ['no_final_period', 'no_final_predicate', 'dangling_particle']
"""

from __future__ import annotations

from keypoints.settings import MIN_POINT_CHARS
from keypoints.text.chars import CLOSING, WHITESPACE, is_balanced
from keypoints.text.sudachi import Morpheme, morphemes_of

__all__ = [
    "CASE_PARTICLES",
    "GUARDS",
    "MIN_POINT_CHARS",
    "check_point",
    "count_negations",
    "is_predicate",
    "no_worse",
]


# A point may not end on one of these: 〜を。 or 〜から。 is a cut-off phrase.
CASE_PARTICLES = frozenset({"が", "を", "に", "で", "と", "へ", "から", "より"})

# Forms a sentence cannot end in: 実施し。 (連用形), 行か。, 行けば。, 大切な。
_NON_FINAL_FORMS = ("連用形", "未然形", "仮定形")

GUARDS = (
    "no_final_period", "no_final_predicate", "dangling_particle", "unbalanced_brackets",
    "negation_lost", "quote_unattached",
)  # fmt: skip

# Words a cut in the middle of a phrase leaves at the start: particles, auxiliaries,
# suffixes (には、…, ず、…, 的な…), and ござる (でございますが without its で). Not a
# guard: a sentence may open on では、 or だが、, made of the same words.
_NON_INITIAL_POS = frozenset({"助詞", "助動詞", "接尾辞"})
_NON_INITIAL_LEMMAS = frozenset({"ござる", "御座る"})


def is_predicate(m: Morpheme) -> bool:
    """A morpheme a plain sentence can end in: a verb, adjective or auxiliary."""
    if m.pos == "接尾辞":
        return m.pos1 in {"動詞的", "形容詞的"}
    if m.pos not in {"動詞", "形容詞", "助動詞"}:
        return False  # nouns (体言止め), 形状詞 without だ, particles such as か
    if m.pos == "助動詞" and m.lemma == "だ" and m.surface == "な":
        return False  # 大切な。 is a 連体形 left hanging
    return not m.conj_form.startswith(_NON_FINAL_FORMS)


def _is_negation(m: Morpheme) -> bool:
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
    return sum(_is_negation(m) for m in morphemes_of(text))


def check_point(text: str, source: str | None = None) -> list[str]:
    """Guard violations of the point `text` (an empty list when it passes).

    'no_final_period': it does not end with 。.
    'no_final_predicate': the last word before 。 (closing brackets aside) is not
        a verb, adjective or auxiliary in a final form: 体言止め, 〜か, 実施し。
    'dangling_particle': that last word is a case particle (が を に で と へ から より).
    'unbalanced_brackets': its brackets (「」『』（）【】 ...) do not pair up.
    'negation_lost': `source` has more negations than `text`.
    'quote_unattached': a quote closed by と (」と, 』と) with no verb after it to say
        it: 『…』と中畑氏だ。 lost the 伝わってくる that held the quote.
    Length is not a guard: the caller decides what to do with a long point.
    """
    violations = []
    body = text.strip(WHITESPACE)
    if not body.endswith("。"):
        violations.append("no_final_period")
    words = _words(body)
    while words and words[-1].surface in CLOSING:
        words.pop()  # 〜と述べた」。 is judged on 述べた
    last = words[-1] if words else None
    if last is None or not is_predicate(last):
        violations.append("no_final_predicate")
    if last is not None and last.pos == "助詞" and last.surface in CASE_PARTICLES:
        violations.append("dangling_particle")
    if not is_balanced(body):
        violations.append("unbalanced_brackets")
    if source is not None and count_negations(body) < count_negations(source):
        violations.append("negation_lost")
    if _quote_unattached(words):
        violations.append("quote_unattached")
    return violations


def _words(text: str) -> list[Morpheme]:
    """The morphemes of `text` without spaces and its final 。: one (cached) tokenization
    serves `check_point` and `starts_cut_off` alike."""
    body = text.strip(WHITESPACE).rstrip("。" + WHITESPACE)
    return [m for m in morphemes_of(body) if m.pos != "空白"]


def _quote_unattached(words: list[Morpheme]) -> bool:
    """Whether a quoting と (right after 」 or 』) has no verb anywhere after it; との
    names what follows (「最高」との声が多い) and needs none."""
    for i in range(len(words) - 1, 0, -1):
        if words[i].surface == "と" and words[i].pos == "助詞" and words[i - 1].surface in "」』":
            if i + 1 < len(words) and words[i + 1].surface == "の":
                return False
            return not any(
                m.pos == "動詞" or (m.pos == "接尾辞" and m.pos1 == "動詞的")
                for m in words[i + 1 :]
            )
    return False


def no_worse(candidate: str, current: str, source: str) -> bool:
    """Whether `candidate` adds no guard violation to those `current` already has.

    A source that fails a guard (say it ends in a noun) can still be shortened;
    a rule just may not break anything that held before it, nor empty the point,
    nor cut its start off in the middle of a phrase (`starts_cut_off`).

        >>> no_worse("には、市が橋を架けた。", "来年には、市が橋を架けた。", "")
        False
    """
    if not candidate.strip(WHITESPACE + "。、"):
        return False
    if starts_cut_off(candidate) and not starts_cut_off(current):
        return False
    return set(check_point(candidate, source)) <= set(check_point(current, source))


def starts_cut_off(text: str) -> bool:
    """Whether `text` starts on a word that only ends a phrase: a particle, an
    auxiliary or a suffix (には、…, ず、…), or ござる (…ござるが、)."""
    words = _words(text)
    return bool(words) and (
        words[0].pos in _NON_INITIAL_POS or words[0].lemma in _NON_INITIAL_LEMMAS
    )
