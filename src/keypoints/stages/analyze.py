"""Stage 3, analyze: tokens, entities and terms for each sentence.

SudachiPy (split mode A, `keypoints.text.sudachi`) tokenizes every sentence: it
is fast, and the features and the IDF table use its normalized forms. Rule
entities (`keypoints.text.entities`: dates, numbers with units, organisation
names by their suffix, acronyms, user terms and terms defined in the text such as
細胞外小胞(EV)) are found in every sentence. GiNZA (`ja_ginza`), about 300 times
slower, adds its entities only where asked (`Settings.parse_top`), or where the
spaCy component hands over a Doc it has already parsed.

    >>> from keypoints.stages.segment import split_sentences
    >>> [e.text for e in analyze(split_sentences("2025年7月、厚労省が発表した。"))[0].entities]
    ['2025年7月', '厚労省']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from keypoints.stages.base import ArticleStage, ArticleState
from keypoints.structures import AnalyzedSentence, Article, Sentence
from keypoints.text.entities import (
    find_defined_terms,
    ginza_entities,
    merge_entities,
    rule_entities,
)
from keypoints.text.ginza import ginza_nlp
from keypoints.text.sudachi import byte_safe_chunks, tokenize


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
    texts = [byte_safe_chunks(a.sentence.text)[0] for a in pending]
    for item, doc in zip(pending, nlp.pipe(texts, batch_size=batch_size), strict=True):
        item.entities = merge_entities([*item.entities, *ginza_entities(doc)])
        item.parsed = True


def add_doc_entities(analyzed: Sequence[AnalyzedSentence], article: Article, doc: Any) -> None:
    """Give each sentence the entities of `doc` (a parse of the input) that fall in it."""
    entities = ginza_entities(doc)
    for item in analyzed:
        text = item.sentence.text
        start, end = article.input_span(item.sentence)
        found = []
        for entity in entities:
            if start <= entity.start and entity.end <= end:
                # The sentence text drops the newlines of wrapped lines, so look the
                # entity up near its input position rather than trusting the offset.
                at = text.find(entity.text, max(entity.start - start - 8, 0))
                if at >= 0:
                    found.append(replace(entity, start=at, end=at + len(entity.text)))
        item.entities = merge_entities([*item.entities, *found])
        item.parsed = True


class Analyze(ArticleStage):
    """Stage 3: tokens and rule entities for every sentence; a Doc's own entities when
    the spaCy component gave one. GiNZA entities for the best sentences
    (`Settings.parse_top`) come with the features, which rank them."""

    name = "analyze"

    def __init__(self, terms: Iterable[str] = ()) -> None:
        self.terms = tuple(terms)

    def process(self, state: ArticleState) -> None:
        assert state.article is not None
        state.analyzed = analyze(
            state.sentences, article_text=state.article.body, terms=self.terms, parse=()
        )
        if state.doc is not None:
            add_doc_entities(state.analyzed, state.article, state.doc)
