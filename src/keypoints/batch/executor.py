"""The ordered window both engines share: chunks in, results out in input order, with
at most `window` chunks in flight, so memory does not grow with the archive and the
output lines follow the input (a run is reproducible line for line)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

from keypoints.batch.records import Record
from keypoints.batch.worker import ChunkResult

Chunk = list[Record]
Task = TypeVar("Task")

# An engine: chunks in, their results out in the same order.
Engine = Callable[[Iterable[Chunk]], Iterator[ChunkResult]]


class Window(Generic[Task]):
    """The chunks in flight, oldest first, each with its task (a future)."""

    def __init__(self) -> None:
        self.pending: deque[tuple[Chunk, Task]] = deque()

    def __len__(self) -> int:
        return len(self.pending)


def ordered_results(
    chunks: Iterable[Chunk],
    submit: Callable[[Chunk], Task],
    collect: Callable[[Window[Task]], ChunkResult],
    window: int,
) -> Iterator[ChunkResult]:
    """Submit each chunk (`submit`) and yield the results oldest first (`collect` takes
    the oldest out of the window; it may also replace the tasks still in it, as the
    local engine does when a worker dies)."""
    in_flight: Window[Task] = Window()
    for chunk in chunks:
        in_flight.pending.append((chunk, submit(chunk)))
        while len(in_flight) >= window:
            yield collect(in_flight)
    while in_flight:
        yield collect(in_flight)
