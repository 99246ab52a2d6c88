"""The systems `keypoints eval` compares, one per file (sumy-style, on a shared base):
keypoints itself, its cross-validated variant, and five extractive baselines."""

from __future__ import annotations

from collections.abc import Callable

from keypoints.evaluation.systems.base import System, body_sentences
from keypoints.evaluation.systems.keypoints import KeypointsSystem
from keypoints.evaluation.systems.lead import LeadBaseline
from keypoints.evaluation.systems.lex_rank import LexRankBaseline
from keypoints.evaluation.systems.oracle import OracleBaseline
from keypoints.evaluation.systems.random import RandomBaseline
from keypoints.evaluation.systems.text_rank import TextRankBaseline

SYSTEMS: dict[str, Callable[[], System]] = {
    "keypoints": KeypointsSystem,
    "lead": LeadBaseline,
    "lexrank": LexRankBaseline,
    "textrank": TextRankBaseline,
    "random": RandomBaseline,
    "oracle": OracleBaseline,
}

__all__ = [
    "SYSTEMS",
    "KeypointsSystem",
    "LeadBaseline",
    "LexRankBaseline",
    "OracleBaseline",
    "RandomBaseline",
    "System",
    "TextRankBaseline",
    "body_sentences",
    "make_systems",
]


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
