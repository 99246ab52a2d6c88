"""What a batch job is asked to do (`Job`), and what it reports (`Counts`, `Progress`)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from keypoints.io.charsets import AUTO
from keypoints.io.files import DEFAULT_MAX_BYTES
from keypoints.settings import Settings

# Records per chunk: large enough that GiNZA parses the picks of many articles in
# one batch and inter-process traffic is negligible next to ~40 ms of work per
# article, small enough that a crash re-runs little and the progress bar moves.
DEFAULT_CHUNK_SIZE = 16
# Chunks in flight per worker: keeps every worker busy while the oldest chunk is
# written, without reading the archive ahead of the workers.
CHUNKS_AHEAD_PER_WORKER = 4


@dataclass(frozen=True)
class Fields:
    """Names of the JSONL fields holding the id, title and text."""

    id: str = "id"
    title: str = "title"
    text: str = "text"


DEFAULT_FIELDS = Fields()


@dataclass
class Job:
    """Everything `keypoints batch` was asked to do."""

    input: str
    output: Path
    errors: Path | None = None  # None: OUTPUT with .errors.jsonl
    settings: Settings = field(default_factory=Settings)  # how the points are made
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    resume: bool = False
    engine: str = "local"
    scheduler: str | None = None
    fields: Fields = field(default_factory=Fields)
    chunk_size: int = DEFAULT_CHUNK_SIZE
    stats: Path | None = None  # a JSONL log per chunk: worker memory, seconds so far (benchmarks)
    encoding: str = AUTO  # of the article files of a directory input (JSONL is UTF-8)
    max_bytes: int = DEFAULT_MAX_BYTES  # per article file or JSONL line

    @property
    def errors_path(self) -> Path:
        return self.errors if self.errors is not None else default_errors_path(self.output)


def default_errors_path(output: Path) -> Path:
    """OUTPUT.jsonl → OUTPUT.errors.jsonl (any other name: + .errors.jsonl)."""
    name = output.name.removesuffix(".jsonl")
    return output.with_name(name + ".errors.jsonl")


@dataclass
class Counts:
    """Records read, written to the output, failed (errors file), skipped (done before)."""

    read: int = 0
    written: int = 0
    failed: int = 0
    skipped: int = 0
    repaired: list[str] = field(default_factory=list)  # files whose partial last line was cut
    rerun: int = 0  # records run again after a worker died
    internal: int = 0  # failures that are bugs of keypoints (their traceback is in the errors file)
    damaged: str | None = None  # why a compressed input breaks off (DamagedInputError)
    set_aside: list[str] = field(default_factory=list)  # broken lines moved out (--resume)
    detected: dict[str, int] = field(default_factory=dict)  # article files per encoding detected

    def __str__(self) -> str:
        return (
            f"read {self.read:,}, written {self.written:,}, failed {self.failed:,}, "
            f"skipped {self.skipped:,}"
        )


def _nothing(_: object) -> None:
    return None


@dataclass
class Progress:
    """Callbacks for a progress display: `advance(n)` as chunks are written, and
    `start(total)` once the records are counted, when `wants_total` (counting reads
    the input once more, in a thread beside the work, so nothing waits for it)."""

    start: Callable[[int | None], None] = _nothing
    advance: Callable[[int], None] = _nothing
    wants_total: bool = False
