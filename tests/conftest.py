"""Shared fixtures: where the read-only data and the sample corpus live, and a long
news sentence the compression tests share."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
SAMPLES = REPO / "corpora" / "samples"

# A lead sentence over 70 characters with a date, numbers and droppable side phrases
# (written for this project).
LONG_SENTENCE = (
    "港町市は12日、市議会の全員協議会で、老朽化が進む市内の路面電車を駅前から新港地区まで"
    "約2.4キロ延伸し、停留所を新たに6か所設ける計画を正式に決めたと、地元の商工会議所と"
    "ともに発表した。"
)


def without_idf_warning(stderr: str | bytes) -> str:
    """`stderr` without the line saying that no IDF table was found: a checkout without
    ../shared builds none, and keypoints then weighs every word the same and says so
    once. Tests of other messages read what is left."""
    text = stderr.decode() if isinstance(stderr, bytes) else stderr
    return "".join(
        line
        for line in text.splitlines(keepends=True)
        if not line.startswith("warning: no IDF table")
    )


def shared_file(name: str) -> Path:
    """A file of ../shared/data, or skip the test when the data is absent."""
    path = SHARED_DATA / name
    if not path.is_file():
        pytest.skip(f"{path} not available")
    return path


@pytest.fixture(scope="session")
def seed_record() -> dict:
    with open(shared_file("gold_seed.jsonl"), encoding="utf-8") as handle:
        return json.loads(handle.readline())
