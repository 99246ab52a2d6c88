"""The stages wired together: ingest → segment → analyze → score → select → compress → render.

`Summarizer` holds the settings and the loaded tables; `extract` in
`keypoints/__init__.py` is the one-call library API on top of it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc

from keypoints import __version__
from keypoints.analyze import add_ginza_entities, analyze, ginza_entities, merge_entities
from keypoints.compress import compress, truncate
from keypoints.idf import IdfTable, load_idf
from keypoints.ingest import ingest
from keypoints.score import FeatureTable, LinearScorer, sentence_features
from keypoints.segment import split_sentences
from keypoints.select import distinct_pool, mmr_select
from keypoints.types import AnalyzedSentence, Article, Point, Result, ScoredSentence

# A point shorter than this is a fragment, not a fact.
MIN_POINT_CHARS = 15


@dataclass
class Settings:
    """What a user can tune; every default is the documented behaviour."""

    n_points: int = 3
    max_chars: int = 70
    terms: Sequence[str] = ()
    # GiNZA parses only the best sentences by cheap (SudachiPy) features; the
    # rest keep their rule-based entities. None parses every sentence.
    parse_top: int | None = 20
    # MMR runs over this many best sentences, so long articles stay fast.
    candidate_pool: int = 60
    mmr_lambda: float = 0.7

    def __post_init__(self) -> None:
        if self.n_points < 1:
            raise ValueError("the number of points must be at least 1")
        if self.max_chars < MIN_POINT_CHARS:
            raise ValueError(f"max_chars must be at least {MIN_POINT_CHARS}")


@functools.cache
def default_idf() -> IdfTable:
    return load_idf()


@dataclass
class Summarizer:
    settings: Settings = field(default_factory=Settings)
    scorer: LinearScorer = field(default_factory=LinearScorer)
    idf: IdfTable | None = None

    def __post_init__(self) -> None:
        if self.idf is None:
            self.idf = default_idf()

    def summarize_text(
        self,
        text: str,
        *,
        title: str | None = None,
        format: str = "auto",
        id: str | None = None,
        doc: Doc | None = None,
    ) -> Result:
        return self.summarize(ingest(text, format=format, title=title, id=id), doc=doc)

    def summarize(self, article: Article, doc: Doc | None = None) -> Result:
        """The points of `article`; `doc`, a parsed spaCy Doc of the input, saves a GiNZA run."""
        settings = self.settings
        sentences = split_sentences(article.body)
        analyzed = analyze(
            sentences, article_text=article.body, terms=settings.terms, parse=()
        )
        if doc is not None:
            _add_doc_entities(analyzed, article, doc)
        table = sentence_features(analyzed, self.idf, article.title)
        scored = self.scorer.score(analyzed, table)
        if doc is None and (settings.parse_top is None or settings.parse_top > 0):
            # Cascade: GiNZA entities only where they can change the choice.
            best = sorted(scored, key=lambda s: -s.score)[: settings.parse_top]
            add_ginza_entities([s.analyzed for s in best])
            table = sentence_features(analyzed, self.idf, article.title)
            scored = self.scorer.score(analyzed, table)
        chosen = self._choose(scored, table)
        points = [self._to_point(item, article) for item in chosen]
        return Result(
            title=article.title,
            points=points,
            existing_points=article.existing_points,
            model=self.scorer.name,
            version=__version__,
            offsets=article.offsets_refer_to,
            id=article.id,
        )

    def _choose(self, scored: list[ScoredSentence], table: FeatureTable) -> list[ScoredSentence]:
        """Best non-redundant candidates, taken tier by tier.

        1. sentences that fit max_chars; 2. longer ones (cut at a clause break);
        3. for a very short article, short sentences, so it still gets a point.
        Captions are never points.
        """
        settings = self.settings

        def length(item: ScoredSentence) -> int:
            return len(compress(item.analyzed.sentence.text))

        def proper(item: ScoredSentence) -> bool:
            return not (item.features["caption"] or item.features["fragment"]) and (
                length(item) >= MIN_POINT_CHARS
            )

        ranked = sorted(scored, key=lambda s: -s.score)
        tiers = [
            [s for s in ranked if proper(s) and length(s) <= settings.max_chars],
            [s for s in ranked if proper(s)],
            [s for s in ranked if not s.features["caption"] and length(s) > 0],
        ]
        chosen: list[ScoredSentence] = []
        for tier in tiers:
            if len(chosen) >= settings.n_points or (chosen and tier is tiers[-1]):
                break
            taken = {c.analyzed.sentence.id for c in chosen}
            pool = [s for s in tier if s.analyzed.sentence.id not in taken]
            chosen += mmr_select(
                distinct_pool(pool, table.vectors, settings.candidate_pool),
                table.vectors,
                settings.n_points - len(chosen),
                lambda_=settings.mmr_lambda,
                already_chosen=chosen,
            )
        return sorted(chosen, key=lambda c: c.analyzed.sentence.id)

    def _to_point(self, item: ScoredSentence, article: Article) -> Point:
        sentence = item.analyzed.sentence
        text = truncate(compress(sentence.text), self.settings.max_chars)
        span = (article.to_input_offset(sentence.start), article.to_input_offset(sentence.end))
        return Point(
            text=text,
            sentence_ids=[sentence.id],
            spans=[span],
            score=item.score,
            entities=list(item.analyzed.entities),
            source_text=sentence.text,
            features=item.features,
            contributions=item.contributions,
        )


def _add_doc_entities(analyzed: Sequence[AnalyzedSentence], article: Article, doc: Doc) -> None:
    """Give each sentence the entities of `doc` (a parse of the input) that fall in it."""
    entities = ginza_entities(doc)
    for item in analyzed:
        text = item.sentence.text
        start = article.to_input_offset(item.sentence.start)
        end = article.to_input_offset(item.sentence.end)
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
