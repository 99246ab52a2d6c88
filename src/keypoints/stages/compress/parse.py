"""What the drop rules know of a parsed sentence (`Parse`) and what they make of it (`Draft`).

GiNZA's dependency parse and bunsetu give the main predicate (the root), the
subject and object (the core, never dropped), and the protected tokens (entities,
numbers, negations). A `Draft` is the sentence with some tokens dropped: the drop
rules only ever drop tokens (`restore` gives some back), so a point keeps the
source's words in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from keypoints.stages.compress.guards import count_negations
from keypoints.text.chars import (
    CLOSING,
    COMMAS,
    DIGIT_RE,
    LATIN_NAME_RE,
    OPENING,
    QUOTE_CLOSING,
    QUOTE_OPENING,
    WHITESPACE,
    depths,
)
from keypoints.text.entities import find_defined_terms, ginza_entities, rule_entities
from keypoints.text.lexicon import FORMAL_NOUNS
from keypoints.text.sudachi import tokenize

SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass", "csubj", "csubj:pass"})

_CORE_DEPS = SUBJECT_DEPS | {"obj", "iobj"}
# Where GiNZA puts a topic marked by a 副助詞 and は (テレビ東京だけは): see `is_topic`.
_TOPIC_LIKE_DEPS = frozenset({"obl", "obj", "nmod"})
# UniDic's tag of the nouns that say where or when relative to their modifier.
RELATIONAL_NOUN_TAG = "名詞-普通名詞-副詞可能"

# Coarse entity labels whose text a drop may never remove.
_PROTECTED_LABELS = frozenset({"ORG", "DATE", "QUANTITY", "PERSON", "PLACE", "TERM"})


@dataclass(frozen=True)
class Draft:
    """The parsed point with some tokens dropped."""

    pieces: tuple[str, ...]  # each token's text with its trailing space
    dropped: frozenset[int] = frozenset()

    @property
    def text(self) -> str:
        kept = (p for i, p in enumerate(self.pieces) if i not in self.dropped)
        return "".join(kept).strip(WHITESPACE)

    def without(self, indices: Iterable[int]) -> Draft:
        return Draft(self.pieces, self.dropped | frozenset(indices))

    def restoring(self, indices: Iterable[int]) -> Draft:
        return Draft(self.pieces, self.dropped - frozenset(indices))

    def kept(self, indices: Iterable[int]) -> list[int]:
        return [i for i in indices if i not in self.dropped]

    def is_contiguous(self, kept: Sequence[int]) -> bool:
        """Whether the kept tokens `kept` (sorted) read as one run of the draft: no kept
        token outside them falls between their first and last. A gap left by an
        earlier drop does not count: once （愛称：…） is gone, 新しい路面電車を使った is
        one phrase again."""
        return bool(kept) and self.kept(range(kept[0], kept[-1] + 1)) == list(kept)


@dataclass
class Parse:
    """What the drop rules need to know about the parsed sentence."""

    # The Doc's tokens, once: indexing or iterating a Doc makes new Token objects
    # every time, and the rules look at each token many times.
    tokens: list[Any]
    root: Any  # the main predicate (spacy Token)
    protected: frozenset[int]  # entity, number and negation tokens
    core: frozenset[int]  # the root's bunsetu and the heads of its subject and object
    bunsetu_of: dict[int, int]  # token index → bunsetu number
    bunsetu: list[Any]  # spacy Spans
    # Tokens inside a quote (「」『』“”), brackets excluded: the speaker's words.
    quoted: frozenset[int] = frozenset()
    # Each token of a Latin name GiNZA splits (ARROWS Kiss F-03E → ARROWS | Kiss | F | - |
    # 03 | E) → all the name's tokens.
    name_of: dict[int, frozenset[int]] = field(default_factory=dict)


def parse_info(doc: Any) -> Parse:
    """What the drop rules need of GiNZA's parse `doc` of one sentence."""
    import ginza  # GiNZA's bunsetu helpers import spaCy: only once a sentence is parsed

    root = main_root(doc)
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
            or DIGIT_RE.search(t.text)
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
    depth_before = [0, *depths((t.text for t in tokens), QUOTE_OPENING, QUOTE_CLOSING)]
    quoted = frozenset(t.i for t in tokens if depth_before[t.i] and t.text not in QUOTE_CLOSING)
    # A は-topic is the main clause's subject even when GiNZA hangs it on a side clause;
    # not one inside a quote, which is the speaker's (「演技自体は…幸せでした」という安藤に).
    core.update(t.i for t in tokens if is_topic(t) and t.i not in quoted)
    return Parse(
        tokens,
        root,
        frozenset(protected),
        frozenset(core),
        bunsetu_of,
        bunsetu,
        quoted,
        split_names(tokens, text),
    )


def split_names(tokens: Sequence[Any], text: str) -> dict[int, frozenset[int]]:
    """The names in Latin letters and digits (`LATIN_NAME_RE`: product names, model
    numbers) that GiNZA splits into several tokens, as each token → all the name's."""
    name_of: dict[int, frozenset[int]] = {}
    for match in LATIN_NAME_RE.finditer(text):
        start, end = match.span()
        inside = frozenset(t.i for t in tokens if start < t.idx + len(t.text) and t.idx < end)
        if len(inside) > 1:
            name_of.update(dict.fromkeys(inside, inside))
    return name_of


def cuts_a_name(parse: Parse, indices: Iterable[int]) -> bool:
    """Whether dropping `indices` would leave part of a Latin name: ARROWS Kiss F-03Eは
    must not become -03Eは or Kiss F-03Eは (GiNZA hangs ARROWS Kiss F on -03E)."""
    dropping = frozenset(indices)
    return any(not parse.name_of[i] <= dropping for i in dropping if i in parse.name_of)


def cuts_a_unit(parse: Parse, indices: Iterable[int]) -> bool:
    """Whether dropping `indices` would cut into what goes whole or stays whole: a quote
    (`edits_a_quote`) or a Latin name (`cuts_a_name`). Every drop rule asks this."""
    dropping = list(indices)
    return edits_a_quote(parse, dropping) or cuts_a_name(parse, dropping)


def edits_a_quote(parse: Parse, indices: Iterable[int]) -> bool:
    """Whether dropping `indices` would change the words of a quote rather than drop it
    whole: a point never misquotes (「これほど悔しい試合はありませんでした」 must not
    become 「試合はありませんでした」). A quote is shortened by whole sentences, and then marked
    (`shorten_quotes`)."""
    # A drop is a balanced span (the guards see to it): starting inside a quote, it
    # ends inside it too.
    return min(indices, default=-1) in parse.quoted


def main_root(doc: Any) -> Any:
    """The root of the sentence the point ends with, brackets aside.

    GiNZA may split '会見する知事。（写真／青葉日報）' in two; the point is the first.
    """
    backwards = list(reversed(doc))
    # Read from the end, a closing bracket opens and an opening one closes.
    for t, depth in zip(
        backwards, depths((t.text for t in backwards), CLOSING, OPENING), strict=True
    ):
        if depth == 0 and not t.is_punct and not any(c in OPENING or c in CLOSING for c in t.text):
            return t.sent.root
    return doc[-1].sent.root


def has_subject(parse: Parse, draft: Draft) -> bool:
    """Whether the kept tokens still hold a subject: an nsubj, or a noun marked by
    は or が (同社は, 患者数が; not the とは/では/には of other phrases)."""
    doc = parse.tokens
    for t in doc:
        if t.i in draft.dropped:
            continue
        if t.dep_ in SUBJECT_DEPS and not any(
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


def top_level_segments(parse: Parse, draft: Draft) -> list[list[int]]:
    """Kept tokens split after each 、 that is outside brackets (the 、 ends its segment)."""
    kept = [t for t in parse.tokens if t.i not in draft.dropped]
    segments: list[list[int]] = [[]]
    for t, depth in zip(kept, depths(t.text for t in kept), strict=True):
        segments[-1].append(t.i)
        if depth == 0 and t.text in COMMAS:
            segments.append([])
    return [s for s in segments if s]


def is_formal_noun(token: Any) -> bool:
    """Whether `token` is a noun whose modifying clause is its content (〜したもの, 〜のため,
    〜する予定). Its lemma is checked as well as its normalized form: SudachiPy
    normalizes もの to 物 and ため to 為."""
    return token.pos_ == "NOUN" and (token.lemma_ in FORMAL_NOUNS or token.norm_ in FORMAL_NOUNS)


def is_topic(token: Any) -> bool:
    """A は-marked subject: 同社は、 belongs to the main predicate whatever the parse says.

    GiNZA parses テレビ東京だけは (a は after a 副助詞 such as だけ) as `obl`; it is the
    topic all the same. 東京では and 東京には (a 格助詞 before は) are not."""
    markers = [c for c in token.children if c.dep_ == "case"]
    if not any(c.norm_ == "は" for c in markers):
        return False
    if token.dep_ in SUBJECT_DEPS:
        return True
    return (
        token.dep_ in _TOPIC_LIKE_DEPS
        and token.pos_ in {"NOUN", "PROPN", "PRON"}
        and any(c.tag_.startswith("助詞-副助詞") for c in markers)
        and not any(c.tag_.startswith("助詞-格助詞") for c in markers)
    )


def needs_its_modifier(word: Any) -> bool:
    """Whether `word`, a noun's modifier, completes it: the noun says nothing without it.

    A relational noun (UniDic's 副詞可能 nouns: もと, 前, 後, 中, 場合, 際) needs what it is
    relative to: 審判の|もとへ歩み寄り, 購入する|場合に; a formal noun needs its clause:
    発表する|予定だ. Dropping the modifier leaves もとへ歩み寄り."""
    noun = word.head
    if word.dep_ not in {"nmod", "acl"} or noun.i < word.i:
        return False
    return noun.tag_.startswith(RELATIONAL_NOUN_TAG) or (
        word.dep_ == "acl" and is_formal_noun(noun)
    )


def is_closed_phrase(parse: Parse, draft: Draft, indices: Sequence[int]) -> bool:
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
        t.head.i not in inside or (is_topic(t) and t.i < min(indices))
        for t in parse.tokens
        if t.i not in inside and t.i not in draft.dropped
    )


def starts_a_phrase(parse: Parse, draft: Draft, first: int) -> bool:
    """Whether a phrase starting at token `first` really starts there.

    When the word before it is a 連体形 or の (…落ち込んだ|ことから), a wrong parse
    has cut a modifier off its noun; dropping the noun would leave the modifier
    hanging on the next word.
    """
    before = [t for t in parse.tokens[:first] if t.i not in draft.dropped]
    if not before:
        return True
    previous = before[-1]
    return previous.text in COMMAS or (previous.pos_ == "ADP" and previous.text != "の")


def on_main_clause(parse: Parse, head: Any) -> bool:
    """Whether `head` modifies the main clause, not a clause inside a noun phrase:
    a setting of a relative clause (市民の皆様から|いただいた意見) is part of a name."""
    token = head.head
    while token.i != parse.root.i and token.head.i != token.i:
        if token.dep_ not in {"advcl", "ccomp", "conj"}:
            return False
        token = token.head
    return True
