"""Rule 4d, modifier: while over `max_chars`, noun modifiers that only describe go:
電池メーカーの|ミナセ電池工業, 〜をうたって行われている|製剤."""

from __future__ import annotations

import re

from keypoints.stages.compress.parse import Draft, Parse, needs_its_modifier, starts_a_phrase
from keypoints.stages.compress.rules.base import DropWhileTooLong
from keypoints.text.chars import COMMAS, is_balanced

# Words that set the scope of a noun; a modifier holding one is not decoration.
_SCOPE_WORD_RE = re.compile(
    r"全て|すべて|全部|全国|全体|各|一部|多く|少数|半数|大半|唯一|初め|最も|最大|最小|最初|最後"
)


def _modifier_candidates(parse: Parse, draft: Draft) -> list[list[int]]:
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
        if needs_its_modifier(word):
            continue  # 審判の|もとへ, 購入する|場合に, 発表する|予定だ: the noun needs it
        subtree = draft.kept(sorted(t.i for t in word.subtree))
        if not draft.is_contiguous(subtree):
            continue
        if subtree[-1] + 1 != word.head.i and doc[subtree[-1] + 1].i in draft.dropped:
            continue
        if any(i in parse.protected or i in parse.core for i in subtree):
            continue
        text = "".join(doc[i].text for i in subtree)
        if len(subtree) < 2 or len(text) < 4 or not is_balanced(text):
            continue
        if doc[subtree[-1]].text in COMMAS or not starts_a_phrase(parse, draft, subtree[0]):
            continue  # 雨が降れば、 is a condition, not a modifier
        if _SCOPE_WORD_RE.search(text):
            continue  # 全ての, 一部の, 多くの change what the noun covers
        found.append(subtree)
    return found


class Modifier(DropWhileTooLong):
    name = "modifier"

    def candidates(self, parse: Parse, draft: Draft) -> list[list[int]]:
        return _modifier_candidates(parse, draft)
