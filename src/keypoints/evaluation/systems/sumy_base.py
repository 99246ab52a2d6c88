"""A sumy graph summarizer run over the project's sentences and SudachiPy words: the
shared base of LexRank and TextRank."""

from __future__ import annotations

from typing import Any

import numpy as np

from keypoints.evaluation.gold import GoldRecord
from keypoints.evaluation.systems.base import System, body_sentences, content_words


class _SumyTokenizer:
    """What sumy's `Sentence.words` calls: `to_words(text)`; sentences come from us."""

    @staticmethod
    def to_words(text: str) -> tuple[str, ...]:
        return content_words(text)


class SumyBaseline(System):
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
            if content_words(text):
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
