"""Stage 3: tokens, entities and terms for each sentence.

Two analysers, each loaded once per process (see `sudachi_tokenizer` and
`ginza_nlp`):
- SudachiPy (split mode A, sudachidict-core) tokenizes every sentence. It is
  fast, and the score stage's features and the IDF table use its normalized forms.
- GiNZA (`ja_ginza`, a spaCy pipeline) adds named entities and dependencies.
  It is about 300 times slower, so callers choose which sentences it parses.
Rule-based entities (dates, numbers with units, organisation names by their
suffix, acronyms and user terms) fill the gaps in both.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

import regex

from keypoints.types import AnalyzedSentence, Entity, Sentence, Token

# SudachiPy refuses input over 49,149 bytes; stay well below it (UTF-8 Japanese
# is 3 bytes a character, some characters 4).
SUDACHI_MAX_BYTES = 40_000

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

# An organisation name ends in one of these nouns (学会, 省, 株式会社 ...).
ORG_SUFFIXES = (
    "学会", "協会", "医師会", "委員会", "審議会", "議会", "省", "庁", "府", "政府", "大学",
    "研究所", "研究機構", "機構", "機関", "財団", "連盟", "連合", "組合", "銀行", "公社",
    "株式会社", "ホールディングス", "グループ", "センター", "病院", "法人", "都庁", "県庁",
    "市役所", "新聞社", "社",
)  # fmt: skip
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


@functools.cache
def sudachi_tokenizer():
    """The SudachiPy split-mode-A tokenizer (core dictionary), created once per process."""
    from sudachipy import Dictionary, SplitMode

    return Dictionary(dict="core").create(mode=SplitMode.A)


# Part-of-speech tuples by SudachiPy's id: the dictionary has a few thousand, and
# one shared tuple per id spares building a new one for every token.
_POS_BY_ID: dict[int, tuple[str, ...]] = {}


def _pos(morpheme) -> tuple[str, ...]:
    pos_id = morpheme.part_of_speech_id()
    pos = _POS_BY_ID.get(pos_id)
    if pos is None:
        pos = _POS_BY_ID[pos_id] = tuple(morpheme.part_of_speech()[:4])
    return pos


@functools.cache
def ginza_nlp():
    """The GiNZA pipeline (`ja_ginza`), loaded once per process.

    Its layers multiply matrices through numpy's BLAS (OpenBLAS, which picks its
    kernels for the CPU at run time) rather than thinc's default, the BLIS bundled
    with cython-blis: BLIS falls back to its generic kernels on CPUs it does not
    know (AMD Zen 4, for one), where ja_ginza's tok2vec runs twice as slow. The
    parses are the same (tests/test_analyze.py); benchmarks/throughput.py
    prints the speed of both.
    """
    import spacy
    from thinc.api import use_ops

    with use_ops("numpy", use_blis=False):
        return spacy.load("ja_ginza")


def _byte_safe_chunks(text: str, max_bytes: int = SUDACHI_MAX_BYTES) -> list[str]:
    """Pieces of `text` that each encode to at most `max_bytes` UTF-8 bytes."""
    if len(text.encode("utf-8")) <= max_bytes:
        return [text]
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for char in text:
        char_bytes = len(char.encode("utf-8"))
        if size + char_bytes > max_bytes:
            chunks.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += char_bytes
    chunks.append("".join(current))
    return chunks


def tokenize(text: str) -> list[Token]:
    """SudachiPy split-mode-A tokens of `text`, safe for any length."""
    tokenizer = sudachi_tokenizer()
    return [
        Token(m.surface(), m.normalized_form(), _pos(m))
        for chunk in _byte_safe_chunks(text)
        for m in tokenizer.tokenize(chunk)
    ]


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


def analyze(
    sentences: Sequence[Sentence],
    *,
    article_text: str = "",
    terms: Iterable[str] = (),
    parse: Iterable[int] | None = None,
) -> list[AnalyzedSentence]:
    """Tokens and rule entities for every sentence; GiNZA for those in `parse`.

    `parse` holds sentence ids to run through GiNZA (None: all of them).
    `article_text` is searched for acronym definitions that become terms.
    """
    all_terms = list(dict.fromkeys([*terms, *find_defined_terms(article_text)]))
    analyzed = []
    for sentence in sentences:
        tokens = tokenize(sentence.text)
        entities = rule_entities(sentence.text, tokens, all_terms)
        analyzed.append(AnalyzedSentence(sentence, tokens, merge_entities(entities)))
    wanted = None if parse is None else set(parse)
    to_parse = [a for a in analyzed if wanted is None or a.sentence.id in wanted]
    add_ginza_entities(to_parse)
    return analyzed


def add_ginza_entities(analyzed: Sequence[AnalyzedSentence], batch_size: int = 64) -> None:
    """Run GiNZA over the given sentences (batched) and merge its entities in."""
    pending = [a for a in analyzed if not a.parsed]
    if not pending:
        return
    nlp = ginza_nlp()
    texts = [_byte_safe_chunks(a.sentence.text)[0] for a in pending]
    for item, doc in zip(pending, nlp.pipe(texts, batch_size=batch_size), strict=True):
        item.entities = merge_entities([*item.entities, *ginza_entities(doc)])
        item.parsed = True
