"""The stages wired together: ingest → segment → analyze → score → select → compress → render.

`Summarizer` holds the settings and the loaded tables; `extract` in
`keypoints/__init__.py` is the one-call library API on top of it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from spacy.tokens import Doc

from keypoints import __version__
from keypoints.analyze import add_ginza_entities, analyze, ginza_entities, merge_entities
from keypoints.compress import (
    MIN_POINT_CHARS,
    REACH,
    Compression,
    Compressor,
    check_point,
    compress,
    first_clause,
    plain_point,
    truncate,
)
from keypoints.idf import IdfTable, load_idf
from keypoints.ingest import ingest
from keypoints.score import (
    FeatureTable,
    LinearScorer,
    Scorer,
    default_scorer,
    score_many,
    sentence_features,
)
from keypoints.segment import split_sentences
from keypoints.select import distinct_pool, mmr_select
from keypoints.types import AnalyzedSentence, Article, Point, Result, ScoredSentence

T = TypeVar("T")

# How many of the best sentences are tried for their first clauses when no
# candidate makes a well-formed point whole.
FIRST_CLAUSE_CANDIDATES = 10
# How many times MMR picks again for points that failed compression, before
# settling for fewer points.
COMPRESSION_ROUNDS = 6


@dataclass
class Settings:
    """What a user can tune; every default is the documented behaviour."""

    n_points: int = 3
    max_chars: int = 70
    terms: Sequence[str] = ()
    # How many of the best sentences by cheap (SudachiPy) features GiNZA parses
    # for entities; the rest keep their rule-based entities. None parses every
    # sentence. 0 (default): rule entities only. benchmarks/cascade.py measured no
    # loss against parsing every sentence on the dev sets, at a quarter of the time.
    parse_top: int | None = 0
    # MMR runs over this many best sentences, so long articles stay fast.
    candidate_pool: int = 60
    mmr_lambda: float = 0.7
    # Compress points with GiNZA's parse (plain endings, no frames); False keeps
    # the source sentence apart from leading connectives.
    compression: bool = True
    # GiNZA parses a picked sentence for compression only up to this many times
    # max_chars (Compressor.within_reach). Lower is faster and makes fewer long
    # sentences into points; 1.0 parses none over max_chars, 0 none at all.
    parse_reach: float = REACH

    def __post_init__(self) -> None:
        if self.n_points < 1:
            raise ValueError("the number of points must be at least 1")
        if self.max_chars < MIN_POINT_CHARS:
            raise ValueError(f"max_chars must be at least {MIN_POINT_CHARS}")
        if self.parse_reach < 0:
            raise ValueError("parse_reach must be at least 0")


@functools.cache
def default_idf() -> IdfTable:
    return load_idf()


# Ranks sentences on cheap features to decide which ones GiNZA parses.
CASCADE_SCORER = LinearScorer()


@dataclass
class ScoredArticle:
    """An article's sentences with features and salience, before choosing."""

    article: Article
    table: FeatureTable
    sentences: list[ScoredSentence]


@dataclass
class Summarizer:
    settings: Settings = field(default_factory=Settings)
    scorer: Scorer | None = None  # None: the shipped salience model
    idf: IdfTable | None = None

    _compressor: Compressor | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.idf is None:
            self.idf = default_idf()
        if self.scorer is None:
            self.scorer = default_scorer()

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

    def score_article(self, article: Article, doc: Doc | None = None) -> ScoredArticle:
        """Every sentence of `article` with its features and salience.

        Cascade: the features come from SudachiPy and rules. Only when
        `parse_top` asks for it (default 0: never) do the default linear weights
        rank the sentences and GiNZA parse the `parse_top` best, whose entities
        then join the features; `scorer` gives the final salience.
        `doc`, a GiNZA parse of the whole input (the spaCy component), replaces
        that GiNZA run.
        """
        analyzed, table = self._features(article, doc)
        return ScoredArticle(article, table, self.scorer.score(analyzed, table))

    def score_articles(self, articles: Sequence[Article]) -> list[ScoredArticle | Exception]:
        """`score_article` on each article, with one call of the salience model for
        all their sentences (a call costs about as much for one article as for
        sixteen). An article that fails gets its exception in its place."""
        results: list[ScoredArticle | Exception | None] = [None] * len(articles)
        features = {}
        for n, article in enumerate(articles):
            analysis = _or_error(self._features, article)
            if isinstance(analysis, Exception):
                results[n] = analysis
            else:
                features[n] = analysis
        try:
            saliences = score_many(self.scorer, list(features.values()))
        except Exception:  # noqa: BLE001 - find the article at fault
            saliences = [_or_error(self.scorer.score, *pair) for pair in features.values()]
        for n, scored in zip(features, saliences, strict=True):
            results[n] = (
                scored
                if isinstance(scored, Exception)
                else ScoredArticle(articles[n], features[n][1], scored)
            )
        return results

    def _features(
        self, article: Article, doc: Doc | None = None
    ) -> tuple[list[AnalyzedSentence], FeatureTable]:
        """The analyzed sentences of `article` and their features (see `score_article`)."""
        settings = self.settings
        sentences = split_sentences(article.body)
        analyzed = analyze(sentences, article_text=article.body, terms=settings.terms, parse=())
        if doc is not None:
            _add_doc_entities(analyzed, article, doc)
        elif settings.parse_top is None or settings.parse_top > 0:
            table = sentence_features(analyzed, self.idf, article.title)
            cheap = CASCADE_SCORER.score(analyzed, table)
            best = sorted(cheap, key=lambda s: -s.score)[: settings.parse_top]
            add_ginza_entities([s.analyzed for s in best])
        return analyzed, sentence_features(analyzed, self.idf, article.title)

    def summarize(self, article: Article, doc: Doc | None = None) -> Result:
        """The points of `article`; `doc`, a parsed spaCy Doc of the input, saves a GiNZA run."""
        scored = self.score_article(article, doc)
        return self.points_of(scored)

    def summarize_many(self, articles: Sequence[Article]) -> list[Result | Exception]:
        """`summarize` on each article, with GiNZA's compressions batched across
        them: each MMR round parses the picks of every article in one `nlp.pipe`
        call (GiNZA parses about 1.6 × faster in batches than one sentence at a
        time). The points are those of `summarize`; an article that fails gets its
        exception in its place, and the others go on."""
        results: list[Result | Exception | None] = [None] * len(articles)
        choosers: dict[int, _Chooser] = {}
        for n, scored in enumerate(self.score_articles(articles)):
            chooser = scored if isinstance(scored, Exception) else _or_error(_Chooser, self, scored)
            if isinstance(chooser, Exception):
                results[n] = chooser
            else:
                choosers[n] = chooser
        while wanted := {n: c.picks for n, c in choosers.items() if not c.done}:
            for n, compressed in self._compressed_many(wanted).items():
                try:
                    choosers[n].take(compressed)
                except Exception as exc:  # noqa: BLE001
                    choosers[n].fail(exc)
        for n, chooser in choosers.items():
            results[n] = _or_error(chooser.result)
        return results

    def points_of(self, scored: ScoredArticle) -> Result:
        """Choose, compress and package the points of a scored article."""
        chooser = _Chooser(self, scored)
        while not chooser.done:
            chooser.take(self._compressed(chooser.picks))
        return chooser.result()

    def _result(
        self, scored: ScoredArticle, chosen: list[ScoredSentence], texts: dict[int, str]
    ) -> Result:
        """The Result of `scored` with the `chosen` sentences, whose point texts are in `texts`."""
        article = scored.article
        points = [
            self._to_point(item, texts[item.analyzed.sentence.id], article) for item in chosen
        ]
        return Result(
            title=article.title,
            points=points,
            existing_points=article.existing_points,
            model=self.scorer.name,
            version=__version__,
            offsets=article.offsets_refer_to,
            id=article.id,
        )

    def _compressed(self, items: Sequence[ScoredSentence]) -> dict[int, Compression]:
        """The point each sentence of one article makes, by sentence id."""
        outputs = self._compress_all(items)
        return {item.analyzed.sentence.id: out for item, out in zip(items, outputs, strict=True)}

    def _compress_all(self, items: Sequence[ScoredSentence]) -> list[Compression]:
        """The point each sentence makes: GiNZA-based compression, or rules only."""
        texts = [item.analyzed.sentence.text for item in items]
        if not self.settings.compression:
            points = [compress(t) for t in texts]
            return [
                Compression(p, t, [], check_point(p, t)) for p, t in zip(points, texts, strict=True)
            ]
        wanted = (self.settings.max_chars, self.settings.parse_reach)
        if (
            self._compressor is None
            or (self._compressor.max_chars, self._compressor.reach) != wanted
        ):
            self._compressor = Compressor(max_chars=wanted[0], reach=wanted[1])
        return self._compressor.many(texts)

    def _compressed_many(
        self, wanted: dict[int, list[ScoredSentence]]
    ) -> dict[int, dict[int, Compression] | Exception]:
        """`_compressed` for the picks of several articles, in one batch; should the
        batch fail, article by article, so that only the article at fault fails."""
        try:
            outputs = iter(
                self._compress_all([item for items in wanted.values() for item in items])
            )
        except Exception:  # noqa: BLE001 - find the article at fault
            return {n: _or_error(self._compressed, items) for n, items in wanted.items()}
        return {
            n: {item.analyzed.sentence.id: next(outputs) for item in items}
            for n, items in wanted.items()
        }

    def _mmr(
        self, pool: list[ScoredSentence], chosen: list[ScoredSentence], table: FeatureTable
    ) -> list[ScoredSentence]:
        """MMR's next picks from `pool`, already a `distinct_pool` of the candidates."""
        return mmr_select(
            pool,
            table.vectors,
            self.settings.n_points - len(chosen),
            lambda_=self.settings.mmr_lambda,
            already_chosen=chosen,
            sections=table.sections,
        )

    def _to_point(self, item: ScoredSentence, text: str, article: Article) -> Point:
        sentence = item.analyzed.sentence
        span = (article.to_input_offset(sentence.start), article.to_input_offset(sentence.end))
        return Point(
            text=truncate(text, self.settings.max_chars),
            sentence_ids=[sentence.id],
            spans=[span],
            score=item.score,
            entities=list(item.analyzed.entities),
            source_text=sentence.text,
            features=item.features,
            contributions=item.contributions,
        )

    def explain(self, result: Result) -> Result:
        """Fill in each point's feature contributions (costly for a learned model)."""
        for point in result.points:
            if not point.contributions and hasattr(self.scorer, "contributions"):
                point.contributions = self.scorer.contributions(point.features)
        return result


class _Chooser:
    """One article's points, chosen a round at a time so that the caller can
    compress the picks of many articles together (`Summarizer.summarize_many`).

    MMR picks the points still wanted from the candidates (`picks`); only those
    picks are compressed (GiNZA is the slow part, so it parses a few sentences,
    not the shortlist), and `take` receives them. A point must fit max_chars and
    pass every guard (a predicate and 。 at the end, no dangling particle,
    balanced brackets, negation kept); picks that fail leave the pool and MMR
    picks again, for up to COMPRESSION_ROUNDS rounds. An article with fewer
    well-formed candidates gets fewer points. When none is well formed (every
    sentence a long chain, say), the first clauses of one of the best sentences
    make the point (〜を誘導し、… → 〜を誘導した。); when not even that works, the
    article gets no point: a sentence cut off is not a ポイント. Captions and
    headings are never points.
    """

    def __init__(self, summarizer: Summarizer, scored: ScoredArticle) -> None:
        self.summarizer = summarizer
        self.scored = scored
        self.settings = settings = summarizer.settings
        self.texts = {
            s.analyzed.sentence.id: compress(s.analyzed.sentence.text) for s in scored.sentences
        }
        self.ranked = sorted(scored.sentences, key=lambda s: -s.score)
        proper = [s for s in self.ranked if self._proper(s)]
        self.remaining = distinct_pool(proper, scored.table.vectors, settings.candidate_pool)
        self.chosen: list[ScoredSentence] = []
        self.picks: list[ScoredSentence] = []
        self.rounds = 0
        self.done = False
        self.error: Exception | None = None
        self._next_round()

    def _proper(self, item: ScoredSentence) -> bool:
        return not (item.features["caption"] or item.features["fragment"]) and (
            len(self.texts[item.analyzed.sentence.id]) >= MIN_POINT_CHARS
        )

    def take(self, compressed: dict[int, Compression] | Exception) -> None:
        """The compressions of `picks` (or why they failed); keep the well-formed ones."""
        if isinstance(compressed, Exception):
            self.fail(compressed)
            return
        self.texts.update({i: c.text for i, c in compressed.items()})
        self.chosen += [
            s
            for s in self.picks
            if MIN_POINT_CHARS
            <= len(compressed[s.analyzed.sentence.id].text)
            <= self.settings.max_chars
            and not compressed[s.analyzed.sentence.id].violations
        ]
        self._next_round()

    def fail(self, error: Exception) -> None:
        self.error, self.done, self.picks = error, True, []

    def result(self) -> Result:
        if self.error is not None:
            raise self.error
        chosen = sorted(self.chosen, key=lambda c: c.analyzed.sentence.id)
        return self.summarizer._result(self.scored, chosen, self.texts)

    def _next_round(self) -> None:
        if (
            self.rounds < COMPRESSION_ROUNDS
            and len(self.chosen) < self.settings.n_points
            and self.remaining
        ):
            self.picks = self.summarizer._mmr(self.remaining, self.chosen, self.scored.table)
            if self.picks:
                self.rounds += 1
                picked = {s.analyzed.sentence.id for s in self.picks}
                self.remaining = [s for s in self.remaining if s.analyzed.sentence.id not in picked]
                return
        self.picks = []
        if not self.chosen:
            self._first_clauses()
        self.done = True

    def _first_clauses(self) -> None:
        """Nothing fits whole: the first clauses of a good sentence may."""
        for item in self.ranked[:FIRST_CLAUSE_CANDIDATES]:
            if item.features["caption"]:
                continue
            text = plain_point(self.texts[item.analyzed.sentence.id])
            clause = first_clause(text, self.settings.max_chars)
            if clause is not None:
                self.texts[item.analyzed.sentence.id] = clause
                self.chosen = [item]
                return


def _or_error(function: Callable[..., T], *args: Any) -> T | Exception:
    """`function(*args)`, or the exception it raised: reported for its article only."""
    try:
        return function(*args)
    except Exception as exc:  # noqa: BLE001 - one bad article must not stop the rest
        return exc


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
