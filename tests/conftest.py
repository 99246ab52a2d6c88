"""Shared fixtures: where the read-only data and the sample corpus live."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
SAMPLES = REPO / "corpora" / "samples"


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
