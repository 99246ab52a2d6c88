"""Entities found by rules and by GiNZA, in the coarse labels the stages count.

Rules find dates, numbers with units, organisation names by their suffix,
acronyms and terms (user terms, and words an acronym defines in the text:
細胞外小胞(EV) makes both 細胞外小胞 and EV terms); GiNZA's extended labels are
mapped to the same coarse ones (ORG, DATE, QUANTITY, TERM, PERSON, PLACE, MISC).

    >>> find_defined_terms("細胞外小胞(EV)の製剤")
    ['細胞外小胞', 'EV']
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

import regex

from keypoints.structures import Entity, Token
from keypoints.text.lexicon import ORG_SUFFIXES

# GiNZA's extended named-entity labels, grouped into the coarse labels that the
# score stage counts. Anything else becomes MISC.
_ENE_ORG = {
    "Organization", "Organization_Other", "International_Organization", "Show_Organization",
    "Sports_Organization", "Sports_Organization_Other", "Pro_Sports_Organization",
    "Sports_Federation", "Sports_League", "Sports_Team", "Juridical_Person",
    "Juridical_Person_Other", "Corporation_Other", "Nonprofit_Organization", "Company",
    "Company_Group", "Government", "Cabinet", "Military", "Political_Organization",
    "Political_Organization_Other", "Political_Party", "Public_Institution",
    "Medical_Institution", "School", "Research_Institute",
}  # fmt: skip
_ONTONOTES_TO_COARSE = {
    "DATE": "DATE", "TIME": "DATE", "MONEY": "QUANTITY", "PERCENT": "QUANTITY",
    "QUANTITY": "QUANTITY", "PERSON": "PERSON", "GPE": "PLACE", "LOC": "PLACE",
}  # fmt: skip
# Labels the score stage counts as entity density.
DENSITY_LABELS = frozenset({"ORG", "DATE", "QUANTITY", "TERM"})
# The facts a reader of a ポイント box must not lose (the design card's organisations,
# dates and terms): the choose stage covers as many as it can, evaluation measures
# their recall.
KEY_LABELS = frozenset({"ORG", "DATE", "TERM"})

_DATE_RE = regex.compile(
    r"(?:(?:\d{1,4}|[〇一二三四五六七八九十]+)(?:年度?|月|日|時|分(?!の)))+"
    r"|(?:今年|昨年|来年|今月|先月|来月|今週|先週|来週|本日|昨日|明日)(?:度)?"
)
# An acronym introduced in the text: 細胞外小胞(EV), 医薬品医療機器総合機構（PMDA）.
_ACRONYM_DEFINITION_RE = regex.compile(
    r"([\p{Han}\p{Katakana}][\p{Han}\p{Katakana}ー・A-Za-z0-9]{1,30}?)[(（]([A-Z][A-Za-z0-9&\-]{1,11})[)）]"
)
# A capitalised Latin acronym such as CQA, EV or ISEV (optionally plural: EVs),
# in half or full width (ＰＭＤＡ).
_LATIN_ACRONYM_RE = regex.compile(
    r"(?<![A-Za-zＡ-Ｚａ-ｚ])[A-ZＡ-Ｚ][A-Z0-9&Ａ-Ｚ０-９＆]{1,9}[sｓ]?(?![A-Za-zＡ-Ｚａ-ｚ])"
)


def entity_key(text: str) -> str:
    """An entity's text as compared: NFKC without whitespace.

    >>> entity_key("２０２５年 7月") == entity_key("2025年7月")
    True
    """
    return "".join(unicodedata.normalize("NFKC", text).split())


def key_entities(entities: Iterable[Entity]) -> frozenset[str]:
    """The distinct keys (`entity_key`) of the organisations, dates and terms among `entities`."""
    return frozenset(entity_key(e.text) for e in entities if e.label in KEY_LABELS)


def find_defined_terms(text: str) -> list[str]:
    """Acronyms and the words they abbreviate, e.g. ['細胞外小胞', 'EV'] for 細胞外小胞(EV)."""
    terms: list[str] = []
    for match in _ACRONYM_DEFINITION_RE.finditer(text):
        terms.extend([match.group(1), match.group(2)])
    return list(dict.fromkeys(terms))


def rule_entities(text: str, tokens: Sequence[Token], terms: Iterable[str]) -> list[Entity]:
    entities: list[Entity] = []
    for match in _DATE_RE.finditer(text):
        entities.append(Entity(match.group(), "DATE", match.start(), match.end(), "rule"))
    for match in _LATIN_ACRONYM_RE.finditer(text):
        entities.append(Entity(match.group(), "TERM", match.start(), match.end(), "acronym"))
    for term in terms:
        # A defined or listed term that names an organisation counts as one.
        label = "ORG" if len(term) > 2 and term.endswith(ORG_SUFFIXES) else "TERM"
        start = text.find(term)
        while term and start >= 0:
            entities.append(Entity(term, label, start, start + len(term), "term"))
            start = text.find(term, start + len(term))
    entities.extend(_token_entities(text, tokens))
    return entities


def _token_entities(text: str, tokens: Sequence[Token]) -> list[Entity]:
    """Numbers with units and organisation names, found from Sudachi POS tags."""
    entities: list[Entity] = []
    offsets = []
    position = 0
    for token in tokens:
        offsets.append(position)
        position += len(token.surface)
    i = 0
    while i < len(tokens):
        # A run of nouns (with prefixes/suffixes) is a candidate compound name.
        j = i
        while j < len(tokens) and tokens[j].pos[0] in {"名詞", "接頭辞", "接尾辞"}:
            j += 1
        if j > i:
            run = tokens[i:j]
            surface = "".join(t.surface for t in run)
            start = offsets[i]
            if any(t.pos[1] == "数詞" for t in run) and run[-1].pos[1] != "数詞":
                if any("助数詞" in t.pos[2] for t in run) or run[-1].pos[0] == "接尾辞":
                    entities.append(
                        Entity(surface, "QUANTITY", start, start + len(surface), "rule")
                    )
            elif len(surface) > 2 and surface.endswith(ORG_SUFFIXES):
                entities.append(Entity(surface, "ORG", start, start + len(surface), "rule"))
            i = j
        else:
            i += 1
    return [e for e in entities if text[e.start : e.end] == e.text]


def _ginza_label(ene_label: str) -> str:
    from ginza.ene_ontonotes_mapper import ENE_ONTONOTES_MAPPING

    if ene_label in _ENE_ORG:
        return "ORG"
    return _ONTONOTES_TO_COARSE.get(ENE_ONTONOTES_MAPPING.get(ene_label, ""), "MISC")


def ginza_entities(doc, offset: int = 0) -> list[Entity]:
    """Coarse-labelled entities of a spaCy Doc, offsets shifted by `offset`."""
    return [
        Entity(e.text, _ginza_label(e.label_), e.start_char - offset, e.end_char - offset, "ginza")
        for e in doc.ents
    ]


# When two entities overlap, the lower rank wins; then the longer one.
_LABEL_RANK = {"ORG": 0, "DATE": 0, "TERM": 0, "QUANTITY": 1, "PERSON": 1, "PLACE": 1, "MISC": 2}


def merge_entities(entities: Iterable[Entity]) -> list[Entity]:
    """One entity per stretch of text, preferring counted labels, then longer ones."""
    ranked = sorted(
        entities, key=lambda e: (_LABEL_RANK.get(e.label, 2), -(e.end - e.start), e.start)
    )
    kept: list[Entity] = []
    for entity in ranked:
        if all(entity.end <= k.start or entity.start >= k.end for k in kept):
            kept.append(entity)
    return sorted(kept, key=lambda e: e.start)
