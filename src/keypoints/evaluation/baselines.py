"""The systems `keypoints eval` compares: keypoints itself and five extractive baselines.

Every system sees the same sentences (`body_sentences`: the project's own ingest
and segmenter), so differences in scores come from choosing, not from cutting
the text differently. Each is a small class with a `name` and
`summarize(record, n) -> list[str]`, in the style of sumy's summarizers.
"""

from __future__ import annotations

import dataclasses
import functools
import random
import zlib
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np
import regex

from keypoints.analyze import tokenize
from keypoints.errors import KeypointsError
from keypoints.evaluation.gold import GoldRecord
from keypoints.evaluation.metrics import rouge_n, sudachi_tokens
from keypoints.ingest import ingest
from keypoints.pipeline import Settings, Summarizer
from keypoints.segment import split_sentences

_JAPANESE = regex.compile(r"[\p{Hiragana}\p{Katakana}\p{Han}]")


class System(Protocol):
    name: str

    def summarize(self, record: GoldRecord, n: int) -> list[str]: ...


def body_sentences(record: GoldRecord) -> list[str]:
    """The body sentences every system chooses from; [] when the article cannot be ingested."""
    return list(_body_sentences(record.text, record.title))


@functools.lru_cache(maxsize=256)
def _body_sentences(text: str, title: str | None) -> tuple[str, ...]:
    # Cached: six systems ask for the same article's sentences in a row.
    try:
        article = ingest(text, title=title, format="text")
    except KeypointsError:
        return ()
    return tuple(s.text for s in split_sentences(article.body) if _JAPANESE.search(s.text))


@functools.lru_cache(maxsize=65536)
def _content_words(text: str) -> tuple[str, ...]:
    """SudachiPy normalized content words: the vocabulary of LexRank and TextRank."""
    return tuple(t.normalized for t in tokenize(text) if t.is_content)


class LeadBaseline:
    """The first n sentences: the classic strong baseline for news."""

    name = "lead"

    def summarize(self, record: GoldRecord, n: int) -> list[str]:
        return body_sentences(record)[: max(n, 0)]


class _SumyTokenizer:
    """What sumy's `Sentence.words` calls: `to_words(text)`; sentences come from us."""

    @staticmethod
    def to_words(text: str) -> tuple[str, ...]:
        return _content_words(text)


class _SumyBaseline:
    """A sumy graph summarizer run over the project's sentences."""

    name = ""

    def _make_summarizer(self) -> Any:
        raise NotImplementedError

    def summarize(self, record: GoldRecord, n: int) -> list[str]:
        from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

        sentences = body_sentences(record)
        if n <= 0:
            return []
        if len(sentences) <= n:
            return sentences
        # sumy hashes sentences by text, so duplicates would share one rating:
        # rank each text once (its first occurrence). A sentence without content
        # words has no edges; leaving it out keeps the power method well-defined.
        first: dict[str, int] = {}
        for i, text in enumerate(sentences):
            if _content_words(text):
                first.setdefault(text, i)
        indices = list(first.values())
        if len(indices) <= n:
            chosen = set(indices)
        else:
            tokenizer = _SumyTokenizer()
            objects = [Sentence(sentences[i], tokenizer) for i in indices]
            document = ObjectDocumentModel([Paragraph(objects)])
            position = {id(obj): i for obj, i in zip(objects, indices, strict=True)}
            try:
                # All-zero similarities (e.g. LexRank's idf is 0 for every word of a
                # two-sentence text) make the power method divide 0 by 0.
                with np.errstate(invalid="raise", divide="raise"):
                    best = self._make_summarizer()(document, n)
                chosen = {position[id(obj)] for obj in best}
            except FloatingPointError:
                chosen = set(indices[:n])
        # Fill up with leading sentences (e.g. ones without content words) if short.
        for i, text in enumerate(sentences):
            if len(chosen) >= n:
                break
            if i not in chosen and text not in {sentences[j] for j in chosen}:
                chosen.add(i)
        return [sentences[i] for i in sorted(chosen)]


class LexRankBaseline(_SumyBaseline):
    """LexRank (Erkan and Radev 2004) via sumy, on SudachiPy content words."""

    name = "lexrank"

    def _make_summarizer(self) -> Any:
        from sumy.summarizers.lex_rank import LexRankSummarizer

        summarizer = LexRankSummarizer(lambda w: w)
        summarizer.stop_words = ()
        return summarizer


class TextRankBaseline(_SumyBaseline):
    """TextRank (Mihalcea and Tarau 2004) via sumy, on SudachiPy content words."""

    name = "textrank"

    def _make_summarizer(self) -> Any:
        from sumy.summarizers.text_rank import TextRankSummarizer

        summarizer = TextRankSummarizer(lambda w: w)
        summarizer.stop_words = ()
        return summarizer


class RandomBaseline:
    """n random sentences: the floor. Seeded per record, so runs are reproducible."""

    name = "random"

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed

    def summarize(self, record: GoldRecord, n: int) -> list[str]:
        sentences = body_sentences(record)
        # crc32, not hash(): str hashes change between processes.
        rng = random.Random(self.seed + zlib.crc32(record.id.encode("utf-8")))
        picked = rng.sample(range(len(sentences)), min(max(n, 0), len(sentences)))
        return [sentences[i] for i in sorted(picked)]


class OracleBaseline:
    """Greedy ROUGE-2 oracle: the ceiling an extractive system could reach on these sentences."""

    name = "oracle"

    def summarize(self, record: GoldRecord, n: int) -> list[str]:
        sentences = body_sentences(record)
        # Tokens as the report scores them; the selection's tokens are concatenated
        # in document order, like points joined with "\n" before tokenizing.
        reference = sudachi_tokens("\n".join(record.references))
        tokens = [sudachi_tokens(s) for s in sentences]
        chosen: list[int] = []
        best = 0.0
        while len(chosen) < n:
            candidate, candidate_score = -1, best
            for i in range(len(sentences)):
                if i in chosen:
                    continue
                selection = sorted([*chosen, i])
                pred = [t for j in selection for t in tokens[j]]
                score = rouge_n(pred, reference, 2).fmeasure
                if score > candidate_score:
                    candidate, candidate_score = i, score
            if candidate < 0:  # no sentence improves the score
                break
            chosen.append(candidate)
            best = candidate_score
        return [sentences[i] for i in sorted(chosen)]


class KeypointsSystem:
    """The project's own pipeline with `Settings(n_points=n)` (other settings kept)."""

    name = "keypoints"

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._summarizers: dict[int, Summarizer] = {}

    def summarize(self, record: GoldRecord, n: int) -> list[str]:
        if n <= 0:
            return []
        summarizer = self._summarizers.get(n)
        if summarizer is None:
            summarizer = Summarizer(dataclasses.replace(self.settings, n_points=n))
            self._summarizers[n] = summarizer
        try:
            article = ingest(record.text, title=record.title, format="text", id=record.id)
            result = summarizer.summarize(article)
        except KeypointsError:
            return []
        return [p.text for p in result.points]


SYSTEMS: dict[str, Callable[[], System]] = {
    "keypoints": KeypointsSystem,
    "lead": LeadBaseline,
    "lexrank": LexRankBaseline,
    "textrank": TextRankBaseline,
    "random": RandomBaseline,
    "oracle": OracleBaseline,
}


def make_systems(names: list[str], *, seed: int = 0) -> list[System]:
    """Systems by name, in the order given; an unknown name lists the known ones.

    `seed` goes to the random baseline.
    """
    unknown = [name for name in names if name not in SYSTEMS]
    if unknown:
        raise ValueError(
            f"unknown system {', '.join(map(repr, unknown))}; known: {', '.join(SYSTEMS)}"
        )
    return [RandomBaseline(seed=seed) if name == "random" else SYSTEMS[name]() for name in names]
