"""Greedy ROUGE-2 oracle: the ceiling an extractive system could reach on these sentences."""

from __future__ import annotations

from keypoints.evaluation.gold import GoldRecord
from keypoints.evaluation.metrics import rouge_n, sudachi_tokens
from keypoints.evaluation.systems.base import System, body_sentences


class OracleBaseline(System):
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
