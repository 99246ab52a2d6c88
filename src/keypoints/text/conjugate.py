"""A small conjugation table for turning polite endings into plain ones.

The compress stage rewrites the final predicate of a point (取り組みました →
取り組んだ, 進めます → 進める, 行きません → 行かない). SudachiPy tells us, for
the verb before ます, its dictionary form (書く) and its conjugation type
(五段-カ行); that is all `conjugate` needs. Only the forms a ポイント line ends
in are covered: the plain non-past, the past (with its 音便) and the negative
non-past and past.
"""

from __future__ import annotations

# Row of a 五段 verb (from Sudachi's conjugation type) → its あ-段 kana (for ない)
# and its past ending, which carries the 音便: 書いた, 泳いだ, 話した, 待った,
# 死んだ, 遊んだ, 読んだ, 取った, 言った.
_GODAN = {
    "カ行": ("か", "いた"),
    "ガ行": ("が", "いだ"),
    "サ行": ("さ", "した"),
    "タ行": ("た", "った"),
    "ナ行": ("な", "んだ"),
    "バ行": ("ば", "んだ"),
    "マ行": ("ま", "んだ"),
    "ラ行": ("ら", "った"),
    "ワア行": ("わ", "った"),
}
# 行く is the one カ行 verb whose past is 促音便 (行った, not 行いた).
_IKU = ("行く", "いく", "逝く", "往く")
FORMS = ("plain", "past", "negative", "negative_past")


def verb_class(conj_type: str) -> str | None:
    """'godan', 'ichidan', 'sahen' or 'kahen' for a Sudachi conjugation type.

    The passive/causative auxiliaries (れる, られる, せる, させる) conjugate like
    一段 verbs, so 行われます → 行われる and 実施されました → 実施された work too.
    """
    if conj_type.startswith("五段"):
        return "godan"
    if "一段" in conj_type or conj_type in {
        "助動詞-レル",
        "助動詞-ラレル",
        "助動詞-セル",
        "助動詞-サセル",
    }:
        return "ichidan"
    if conj_type == "サ行変格":
        return "sahen"
    if conj_type == "カ行変格":
        return "kahen"
    return None


def conjugate(dictionary_form: str, conj_type: str, form: str) -> str | None:
    """`dictionary_form` (a verb or verb-like auxiliary) in `form`, or None if unknown.

    form is one of 'plain' (書く), 'past' (書いた), 'negative' (書かない),
    'negative_past' (書かなかった).
    """
    if form not in FORMS:
        raise ValueError(f"form must be one of {FORMS}")
    kind = verb_class(conj_type)
    if kind is None or not dictionary_form:
        return None
    if form == "negative_past":
        negative = conjugate(dictionary_form, conj_type, "negative")
        return None if negative is None else negative[: -len("ない")] + "なかった"
    if kind == "godan":
        return _godan(dictionary_form, conj_type, form)
    if kind == "ichidan":
        stem = dictionary_form[:-1]  # 食べる → 食べ
        return {"plain": dictionary_form, "past": stem + "た", "negative": stem + "ない"}[form]
    if kind == "sahen":
        return _sahen(dictionary_form, form)
    return _kahen(dictionary_form, form)


def _godan(dictionary_form: str, conj_type: str, form: str) -> str | None:
    row = conj_type.split("-", 1)[-1]
    if row not in _GODAN:
        return None
    if form == "plain":
        return dictionary_form
    stem = dictionary_form[:-1]
    a_kana, past = _GODAN[row]
    if form == "past":
        if dictionary_form.endswith(_IKU):
            return stem + "った"
        return stem + past
    if dictionary_form == "ある":
        return "ない"  # ある has no あら-ない: its negative is ない itself
    return stem + a_kana + "ない"


def _sahen(dictionary_form: str, form: str) -> str | None:
    # する (and 〜する compounds) or the ずる verbs (感ずる, 信ずる), whose
    # modern plain form is 感じる.
    if dictionary_form.endswith(("する", "為る")):
        base, renyou, plain = dictionary_form[:-2], "し", dictionary_form
    elif dictionary_form.endswith("ずる"):
        base, renyou = dictionary_form[:-2], "じ"
        plain = base + "じる"
    else:
        return None
    return {"plain": plain, "past": base + renyou + "た", "negative": base + renyou + "ない"}[form]


def _kahen(dictionary_form: str, form: str) -> str | None:
    # 来る: 来た / 来ない in kanji, きた / こない in kana.
    if dictionary_form.endswith("来る"):
        base = dictionary_form[:-1]
        return {"plain": dictionary_form, "past": base + "た", "negative": base + "ない"}[form]
    if dictionary_form.endswith("くる"):
        base = dictionary_form[:-2]
        return {"plain": dictionary_form, "past": base + "きた", "negative": base + "こない"}[form]
    return None
