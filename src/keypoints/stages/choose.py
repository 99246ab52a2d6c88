"""Stage 6, choose: the points of each article, by MMR ⇄ compression in rounds.

MMR (`keypoints.stages.mmr`) picks the points still wanted from the candidates;
only those picks are compressed (GiNZA is the slow part, so it parses a few
sentences, not the shortlist). A point must fit max_chars and pass every guard (a
predicate and 。 at the end, no dangling particle, balanced brackets, negation
kept); picks that fail leave the pool and MMR picks again, for up to
COMPRESSION_ROUNDS rounds. An article with fewer well-formed candidates gets fewer
points. When none is well formed (every sentence a long chain, say), the first
clauses of one of the best sentences make the point (〜を誘導し、… → 〜を誘導した。);
when not even that works, the article gets no point: a sentence cut off is not a
ポイント. Captions and headings are never points.

Each round compresses the picks of every article of the chunk together, so GiNZA
parses them in one `nlp.pipe` batch (about 1.6 × faster than one sentence at a
time); the points are the same as one article at a time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from keypoints.settings import MIN_POINT_CHARS, Settings
from keypoints.stages.base import ArticleState, Stage, or_error
from keypoints.stages.compress import (
    Compression,
    Compressor,
    check_point,
    compress,
    first_clause,
    main_clause,
    plain_point,
    shorten_quotes,
    shortened_quotes,
)
from keypoints.stages.compress.learned import CompressionModel, default_compression_model
from keypoints.stages.mmr import distinct_pool, mmr_select, repeats
from keypoints.stages.register import POLITE_REGISTER
from keypoints.structures import FeatureTable, ScoredSentence
from keypoints.text.chars import WHITESPACE

# How many of the best sentences are tried for their first clauses when no
# candidate makes a well-formed point whole.
FIRST_CLAUSE_CANDIDATES = 20
# How many times MMR picks again for points that failed compression, before
# settling for fewer points.
COMPRESSION_ROUNDS = 6
# Points shorter than this (a ポイント line is 30-70 characters) come from the reserve:
# sentences tried only when the longer ones leave points missing.
SHORT_POINT_CHARS = 30


@dataclass(frozen=True)
class MMRWeights:
    """How MMR weighs an article's candidates: λ (salience against redundancy) and the
    bonus for the organisations, dates and terms a sentence adds (`mmr_select`)."""

    lambda_: float
    coverage: float


# A speech-like article (polite register, as the salience router tells it) gets plain
# MMR at 0.7. On the PoliInfo dev sets, the news weights cost ROUGE-2 (README,
# Benchmarks): what a speech promises matters more there than who and when.
SPEECH_MMR = MMRWeights(lambda_=0.7, coverage=0.0)


def mmr_weights(table: FeatureTable, settings: Settings) -> MMRWeights:
    """The MMR weights of one article: the settings' for news prose, `SPEECH_MMR` for
    an article in the polite register (`doc_polite`)."""
    if any(row["doc_polite"] >= POLITE_REGISTER for row in table.rows[:1]):
        return SPEECH_MMR
    return MMRWeights(settings.mmr_lambda, settings.entity_coverage)


class Choose(Stage):
    """Stage 6: `state.chosen` (in document order) and `state.texts` (their points)."""

    name = "choose"

    def __init__(
        self,
        settings: Settings,
        compression_model: CompressionModel | None = None,
        *,
        learned: bool = True,
    ) -> None:
        """`compression_model` None is the shipped one; `learned=False`, the rules alone."""
        self.settings = settings
        self.compression_model = compression_model
        self.learned = learned
        self._compressor: Compressor | None = None

    @property
    def compressor(self) -> Compressor:
        """The GiNZA compressor, made at its first use (it loads GiNZA at its first parse)."""
        if self._compressor is None:
            model = self.compression_model
            if model is None and self.learned:
                model = default_compression_model()
            self._compressor = Compressor(
                max_chars=self.settings.max_chars,
                reach=self.settings.parse_reach,
                model=model if self.learned else None,
            )
        return self._compressor

    def __call__(self, states: Sequence[ArticleState]) -> None:
        choosers: dict[int, _Chooser] = {}
        for n, state in enumerate(states):
            chooser = or_error(_Chooser, self.settings, state)
            if isinstance(chooser, Exception):
                state.error = chooser
            else:
                choosers[n] = chooser
        while wanted := {n: c.picks for n, c in choosers.items() if not c.done}:
            for n, compressed in self._compressed_many(wanted).items():
                try:
                    choosers[n].take(compressed)
                except Exception as exc:  # noqa: BLE001 - one bad article must not stop the rest
                    choosers[n].fail(exc)
        for n, chooser in choosers.items():
            state = states[n]
            if chooser.error is not None:
                state.error = chooser.error
            else:
                state.chosen = sorted(chooser.chosen, key=lambda c: c.analyzed.sentence.id)
                state.texts = chooser.texts
                state.warnings = chooser.warnings

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
        return self.compressor.many(texts)

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
            return {n: or_error(self._compressed, items) for n, items in wanted.items()}
        return {
            n: {item.analyzed.sentence.id: next(outputs) for item in items}
            for n, items in wanted.items()
        }


class _Chooser:
    """One article's points, chosen a round at a time so that `Choose` can compress
    the picks of many articles together (see the module docstring)."""

    def __init__(self, settings: Settings, state: ArticleState) -> None:
        assert state.table is not None
        self.settings = settings
        self.table: FeatureTable = state.table
        self.texts = {
            s.analyzed.sentence.id: compress(s.analyzed.sentence.text) for s in state.scored
        }
        self.ranked = sorted(state.scored, key=lambda s: -s.score)
        self.weights = mmr_weights(self.table, settings)
        proper = [s for s in self.ranked if self._proper(s)]
        # A sentence shorter than a ポイント line says too little: such sentences are
        # tried only when the longer ones leave points missing.
        full = [s for s in proper if self._length(s) >= SHORT_POINT_CHARS]
        self.remaining = distinct_pool(full, self.table.vectors, settings.candidate_pool)
        short = [s for s in proper if self._length(s) < SHORT_POINT_CHARS]
        self.reserve = distinct_pool(short, self.table.vectors, settings.candidate_pool)
        self.chosen: list[ScoredSentence] = []
        self.picks: list[ScoredSentence] = []
        self.warnings: dict[int, list[str]] = {}
        self.quotes_round = False
        self.rounds = 0
        self.done = False
        self.error: Exception | None = None
        self._next_round()

    def _proper(self, item: ScoredSentence) -> bool:
        return not (item.features["caption"] or item.features["fragment"]) and (
            self._length(item) >= MIN_POINT_CHARS
        )

    def _length(self, item: ScoredSentence) -> int:
        return len(self.texts[item.analyzed.sentence.id])

    def take(self, compressed: dict[int, Compression] | Exception) -> None:
        """The compressions of `picks` (or why they failed); keep the well-formed ones."""
        if isinstance(compressed, Exception):
            self.fail(compressed)
            return
        self.texts.update({i: c.text for i, c in compressed.items()})
        fit = [
            s
            for s in self.picks
            if MIN_POINT_CHARS
            <= len(compressed[s.analyzed.sentence.id].text)
            <= self.settings.max_chars
            and not compressed[s.analyzed.sentence.id].violations
        ]
        if self.quotes_round:  # shortened quotes: only as many as are missing, marked
            fit = fit[: self.settings.n_points - len(self.chosen)]
            self.warnings.update({s.analyzed.sentence.id: ["quote_shortened"] for s in fit})
            # The point traces back to the sentence as written, not as shortened.
            by_id = {s.analyzed.sentence.id: s for s in self.ranked}
            fit = [by_id[s.analyzed.sentence.id] for s in fit]
        self.chosen += fit
        self._next_round()

    def fail(self, error: Exception) -> None:
        self.error, self.done, self.picks = error, True, []

    def _mmr(self) -> list[ScoredSentence]:
        """MMR's next picks from the pool, already a `distinct_pool` of the candidates."""
        return mmr_select(
            self.remaining,
            self.table.vectors,
            self.settings.n_points - len(self.chosen),
            lambda_=self.weights.lambda_,
            coverage=self.weights.coverage,
            already_chosen=self.chosen,
            sections=self.table.sections,
        )

    def _next_round(self) -> None:
        if (
            self.rounds < COMPRESSION_ROUNDS
            and len(self.chosen) < self.settings.n_points
            and self.remaining
        ):
            self.picks = self._mmr()
            if self.picks:
                self.rounds += 1
                picked = {s.analyzed.sentence.id for s in self.picks}
                self.remaining = [s for s in self.remaining if s.analyzed.sentence.id not in picked]
                return
        if self.reserve and len(self.chosen) < self.settings.n_points:
            # The longer sentences are used up: the short ones get their rounds.
            self.remaining, self.reserve, self.rounds = self.reserve, [], 0
            self._next_round()
            return
        if not self.quotes_round and len(self.chosen) < self.settings.n_points:
            # A round of the best sentences carried by long quotes, the quotes shortened.
            self.quotes_round = True
            self.picks = self._with_shortened_quotes()
            if self.picks:
                return
        self.picks = []
        if len(self.chosen) < self.settings.n_points:
            self._first_clauses()
        self.done = True

    def _with_shortened_quotes(self) -> list[ScoredSentence]:
        """The best sentences not taken whose quotes can be shortened, as picks whose text
        has its quotes shortened (`shortened_quotes`); the compressor does the rest."""
        taken = [s.analyzed.sentence.id for s in self.chosen]
        picks = []
        for item in self.ranked[:FIRST_CLAUSE_CANDIDATES]:
            sentence = item.analyzed.sentence
            if (
                item.features["caption"]
                or sentence.id in taken
                or self._repeats(sentence.id, taken)
            ):
                continue
            shorter = shortened_quotes(sentence.text)
            if shorter != sentence.text.strip():
                shortened = replace(sentence, text=shorter)
                picks.append(replace(item, analyzed=replace(item.analyzed, sentence=shortened)))
        return picks

    def _first_clauses(self) -> None:
        """Too few points fit whole: the first clauses of the best other sentences may
        make the rest (〜を誘導し、… → 〜を誘導した。), or a long quote cut to its first
        sentence (〜は「A。B。」と述べた → 〜は「A」と述べた), or the main clause from its
        own subject on (「…」という安藤に、鈴木は「…」と振り返った → 鈴木は「…」と振り返った),
        each marked as made so."""
        taken = [s.analyzed.sentence.id for s in self.chosen]
        for item in self.ranked[:FIRST_CLAUSE_CANDIDATES]:
            if len(self.chosen) >= self.settings.n_points:
                return
            sid = item.analyzed.sentence.id
            if item.features["caption"] or sid in taken or self._repeats(sid, taken):
                continue
            for warnings, point in self._fallbacks(item):
                if point is not None:
                    self.texts[sid] = point
                    self.warnings[sid] = warnings
                    self.chosen.append(item)
                    taken.append(sid)
                    break

    def _fallbacks(self, item: ScoredSentence) -> Iterator[tuple[list[str], str | None]]:
        """The fallback points of a sentence, in order of preference, each with its
        warnings; made one at a time, as the first that works is the one kept."""
        source, max_chars = item.analyzed.sentence.text, self.settings.max_chars
        text = self.texts[item.analyzed.sentence.id]
        yield ["from_first_clause"], first_clause(plain_point(text), max_chars)
        yield ["quote_shortened"], shorten_quotes(source, max_chars)
        quotes_cut = shortened_quotes(source)
        shortened = ["quote_shortened"] if quotes_cut != source.strip(WHITESPACE) else []
        yield ["from_main_clause", *shortened], main_clause(quotes_cut, max_chars)

    def _repeats(self, sid: int, taken: list[int]) -> bool:
        """Whether sentence `sid` says what a point taken already says (MMR's test)."""
        return repeats(self.table.vectors, sid, taken)
