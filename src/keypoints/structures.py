"""Typed structures that flow between the pipeline stages (not `types.py`: that name would
shadow the standard library's `types` wherever this folder is on `sys.path`).

ingest -> Article -> segment -> [Sentence] -> analyze -> [AnalyzedSentence]
-> features -> FeatureTable -> salience -> [ScoredSentence] -> choose (MMR ⇄ compress)
-> render -> Result of [Point]. `keypoints.stages.base.ArticleState` carries them
for one article.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from scipy import sparse


@dataclass(frozen=True)
class OffsetSpan:
    """A stretch of the cleaned body copied verbatim from the input."""

    body_start: int
    input_start: int
    length: int


@dataclass
class Article:
    """An article after ingest: title, cleaned body and what was set aside."""

    body: str
    title: str | None = None
    id: str | None = None
    input_format: str = "text"
    # Points already present in the source (a "ポイント" box); never candidates.
    existing_points: list[str] = field(default_factory=list)
    # Lines removed as boilerplate, with the reason, for --explain and debugging.
    dropped_lines: list[tuple[str, str]] = field(default_factory=list)
    # Maps body offsets back to the input; empty when offsets refer to the
    # extracted text (HTML, Markdown), see `offsets_refer_to`.
    offset_map: list[OffsetSpan] = field(default_factory=list)
    # Body offsets of the line breaks that stand where a line was dropped (a repeated
    # title, a caption): segment never joins a wrapped line across one, so that no
    # sentence's span holds the dropped line.
    dropped_breaks: frozenset[int] = frozenset()

    @property
    def offsets_refer_to(self) -> str:
        return "input" if self.offset_map else "body"

    def to_input_offset(self, body_offset: int) -> int:
        """Translate an offset in `body` into one in the original input."""
        for span in self.offset_map:
            if span.body_start <= body_offset <= span.body_start + span.length:
                return span.input_start + (body_offset - span.body_start)
        return body_offset

    def input_span(self, sentence: Sentence) -> tuple[int, int]:
        """[start, end) of a body sentence in the original input (see `to_input_offset`)."""
        return self.to_input_offset(sentence.start), self.to_input_offset(sentence.end)


@dataclass(frozen=True)
class Sentence:
    """One sentence of the body with its character offsets into `Article.body`."""

    id: int
    text: str
    start: int
    end: int
    paragraph: int = 0
    is_bullet: bool = False


class Token(NamedTuple):
    """A SudachiPy morpheme: surface, normalized form and part of speech.

    A NamedTuple rather than a frozen dataclass: every sentence makes dozens,
    and a tuple is built twice as fast (a tenth of the analyze stage, with the
    shared part-of-speech tuples of analyze._pos).
    """

    surface: str
    normalized: str
    pos: tuple[str, ...]

    @property
    def is_content(self) -> bool:
        # Content words carry the topic; counters (年, 月, 円) and numbers do not.
        return (
            self.pos[0] in {"名詞", "動詞", "形容詞", "形状詞", "副詞"}
            and self.pos[1] not in {"非自立可能", "数詞"}
            and self.pos[2] != "助数詞可能"
        )


@dataclass(frozen=True)
class Entity:
    """A named entity or term found in a sentence; `label` is coarse (ORG, DATE, ...)."""

    text: str
    label: str
    start: int  # offset inside the sentence text
    end: int
    source: str = "ginza"  # ginza | term | acronym | rule


@dataclass
class AnalyzedSentence:
    sentence: Sentence
    tokens: list[Token]
    entities: list[Entity] = field(default_factory=list)
    # Filled when GiNZA parsed the sentence (entities, dependencies, bunsetu).
    parsed: bool = False

    @property
    def content_lemmas(self) -> list[str]:
        return [t.normalized for t in self.tokens if t.is_content]


@dataclass
class FeatureTable:
    """Features per sentence and the TF-IDF vectors the choose stage reuses."""

    rows: list[dict[str, float]]
    vectors: sparse.csr_matrix  # L2-normalised TF-IDF, one row per sentence
    vocabulary: dict[str, int] = field(default_factory=dict)
    # Section number of each sentence (sections run between headings/topic intros).
    sections: list[int] = field(default_factory=list)


@dataclass
class ScoredSentence:
    analyzed: AnalyzedSentence
    score: float
    features: dict[str, float]
    contributions: dict[str, float]


@dataclass
class Point:
    text: str
    sentence_ids: list[int]
    spans: list[tuple[int, int]]
    score: float
    entities: list[Entity]
    source_text: str
    features: dict[str, float] = field(default_factory=dict)
    contributions: dict[str, float] = field(default_factory=dict)
    # How a fallback made it, for a reviewer to check: "from_first_clause",
    # "quote_shortened", "from_main_clause".
    warnings: list[str] = field(default_factory=list)


@dataclass
class Result:
    title: str | None
    points: list[Point]
    existing_points: list[str]
    model: str
    version: str
    offsets: str = "input"
    id: str | None = None
