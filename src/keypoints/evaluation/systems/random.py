"""n random sentences: the floor."""

from __future__ import annotations

import random
import zlib

from keypoints.evaluation.gold import GoldRecord
from keypoints.evaluation.systems.base import System, body_sentences


class RandomBaseline(System):
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
