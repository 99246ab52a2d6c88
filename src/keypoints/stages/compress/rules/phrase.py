"""Rule 4c, phrase: while over `max_chars`, whole obl/advcl phrases go, one at a time:
settings (〜で, 〜から, 〜において) and side clauses ending in 、 (〜ため、 〜しながら、).

Never the subject, the object or the root, entities, numbers, negation,
conditions (〜ば、), topics (〜について、) or a chained main clause (〜を策定し、).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from keypoints.stages.compress.parse import (
    Draft,
    Parse,
    has_subject,
    is_closed_phrase,
    on_main_clause,
    starts_a_phrase,
    top_level_segments,
)
from keypoints.stages.compress.rules.base import DropWhileTooLong
from keypoints.text.chars import COMMAS, DIGIT_RE, is_balanced

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


def _phrase_candidates(parse: Parse, draft: Draft) -> list[list[int]]:
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
    for segment in top_level_segments(parse, draft):
        if segment[-1] < parse.root.i and is_closed_phrase(parse, draft, segment):
            exit_ = next(doc[i] for i in segment if doc[i].head.i not in segment)
            if exit_.dep_ in {"obl", "advcl"}:
                phrases.setdefault(tuple(segment), exit_)
    return [
        list(indices)
        for indices, head in phrases.items()
        if _droppable_phrase(parse, draft, indices, head)
    ]


def _droppable_phrase(parse: Parse, draft: Draft, indices: Sequence[int], head: Any) -> bool:
    """Whether the phrase `indices` (headed by `head`) may go when the point is too long.

    It may if it is a setting (〜で, 〜から, 〜において) or a side clause ending in
    a comma (〜ため、 〜を見据えて、 〜しながら、), and none of these holds: it has a
    protected or core token; it is a condition (〜ば、), a topic (〜について、) or a
    coordinated main clause (〜を策定し、 〜しており、); it qualifies the number
    right after it (前年度比で|2.5%減少); dropping it takes the last subject away.
    """
    return (
        bool(indices)
        and _stands_apart(parse, draft, indices, head)
        and _leaves_a_subject(parse, draft, indices)
        and _is_setting_or_side_clause(parse, indices, head)
    )


def _stands_apart(parse: Parse, draft: Draft, indices: Sequence[int], head: Any) -> bool:
    """Whether the phrase is a side remark the sentence holds together without: no fact
    or core word in it, whole, not a topic, a pronoun phrase or a chained main clause."""
    from ginza import inflection  # GiNZA imports spaCy: only once a sentence is parsed

    doc = parse.tokens
    if any(i in parse.protected or i in parse.core for i in indices):
        return False
    text = "".join(doc[i].text for i in indices)
    if not is_balanced(text) or not starts_a_phrase(parse, draft, indices[0]):
        return False
    if not (doc[indices[-1]].text in COMMAS or on_main_clause(parse, head)):
        return False  # a comma-less setting inside a noun-modifying clause
    if _TOPIC_PHRASE_RE.search(text.rstrip("、，,")):
        return False  # 〜について、 says what the predicate is about
    if head.pos_ == "PRON":
        return False  # これまで|以上に, それより|前に: a pronoun phrase leans on the next word
    words = [doc[i] for i in indices if doc[i].text not in COMMAS]
    if words and "連用形" in inflection(words[-1]) and words[-1].pos_ != "ADJ":
        return False  # 〜を策定し、 is a main clause in a chain, not a side remark
    return not _qualifies_a_number(parse, draft, indices)


def _leaves_a_subject(parse: Parse, draft: Draft, indices: Sequence[int]) -> bool:
    """Whether the point still names its actor once the phrase is gone."""
    without = draft.without(indices)
    if has_subject(parse, draft) and not has_subject(parse, without):
        return False
    # 市では、 本市といたしましては、 name the actor when nothing else does.
    return has_subject(parse, without) or not any(
        parse.tokens[i].pos_ in {"ADP", "SCONJ"} and parse.tokens[i].text.endswith("は")
        for i in indices
    )


def _is_setting_or_side_clause(parse: Parse, indices: Sequence[int], head: Any) -> bool:
    """A setting of the predicate (新工場で|始める), or a side clause with a predicate of
    its own ending in a comma (〜と連携しながら、 〜を推進するため、)."""
    doc = parse.tokens
    text = "".join(doc[i].text for i in indices)
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
    # A bare noun phrase with a comma (小中学校に、) is an argument, not a side clause.
    words = [doc[i] for i in indices if doc[i].text not in COMMAS]
    last_word = words[-1].text if words else ""
    side_clause = (
        doc[indices[-1]].text in COMMAS
        and any(doc[i].pos_ in {"VERB", "ADJ"} for i in indices)
        and last_word not in _CONDITIONAL_ENDINGS
        and not particles & {"を", "が", "に", "と"}
    )
    return setting or side_clause


def _qualifies_a_number(parse: Parse, draft: Draft, indices: Sequence[int]) -> bool:
    """Whether the bunsetu right after the phrase holds a number (〜比で|3.3%上昇)."""
    after = next(
        (i for i in range(indices[-1] + 1, len(parse.tokens)) if i not in draft.dropped), None
    )
    if after is None:
        return False
    bunsetu = parse.bunsetu_of.get(after)
    return any(
        DIGIT_RE.search(t.text) or t.tag_.startswith("名詞-数詞")
        for t in parse.tokens
        if parse.bunsetu_of.get(t.i) == bunsetu and t.i not in draft.dropped
    )


class Phrase(DropWhileTooLong):
    name = "phrase"

    def candidates(self, parse: Parse, draft: Draft) -> list[list[int]]:
        return _phrase_candidates(parse, draft)
