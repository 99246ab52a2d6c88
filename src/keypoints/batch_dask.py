"""The Dask engine of `keypoints batch` (`--engine dask`, needs the `batch` extra).

The same chunks and the same `process_chunk` as the local engine, run as Dask
tasks: on the cluster at `--scheduler ADDR`, or on a `LocalCluster` of `--workers`
processes with one thread each. Each worker process builds its Summarizer once
(`keypoints.batch.cached_summarizer`, a module-level cache that lives as long as
the worker). At most 4 × workers chunks are in flight; results come back in
input order, so the output equals the local engine's line for line.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from keypoints.batch import (
    CHUNKS_AHEAD_PER_WORKER,
    ChunkResult,
    Engine,
    PointOptions,
    Record,
    failed_chunk,
    process_chunk,
)
from keypoints.errors import KeypointsError


class DaskUnavailableError(KeypointsError):
    """`--engine dask` without dask.distributed installed, or no scheduler to reach."""

    exit_code = 69  # EX_UNAVAILABLE


def dask_engine(options: PointOptions, workers: int, scheduler: str | None = None) -> Engine:
    """An engine running chunks on a Dask cluster (a local one when `scheduler` is None)."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise DaskUnavailableError(
            "--engine dask needs dask.distributed: pip install 'keypoints[batch]'"
        ) from None

    def run(chunks: Iterable[list[Record]]) -> Iterator[ChunkResult]:
        with _client(workers, scheduler) as client:
            window = CHUNKS_AHEAD_PER_WORKER * max(_worker_count(client, workers), 1)
            yield from _ordered_results(client, chunks, options, window)

    return run


@contextlib.contextmanager
def _client(workers: int, scheduler: str | None) -> Iterator[Any]:
    """A Client of the given scheduler, or of a LocalCluster closed on exit."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="30s")
        except (OSError, TimeoutError) as exc:
            raise DaskUnavailableError(
                f"cannot reach the Dask scheduler at {scheduler}: {exc}"
            ) from None
        with client:
            yield client
        return
    # memory_limit=0: GiNZA needs its memory; the nanny should not restart workers for it.
    with (
        LocalCluster(
            n_workers=max(workers, 1),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            memory_limit=0,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _worker_count(client: Any, default: int) -> int:
    try:
        return len(client.scheduler_info()["workers"]) or default
    except Exception:  # noqa: BLE001 - only sizes the window
        return default


def _ordered_results(
    client: Any, chunks: Iterable[list[Record]], options: PointOptions, window: int
) -> Iterator[ChunkResult]:
    """Submit chunks with a sliding window; yield results oldest first."""
    pending: deque[tuple[list[Record], Any]] = deque()
    for chunk in chunks:
        pending.append((chunk, client.submit(process_chunk, chunk, options, pure=False)))
        while len(pending) >= window:
            yield _result(*pending.popleft())
    while pending:
        yield _result(*pending.popleft())


def _result(chunk: list[Record], future: Any) -> ChunkResult:
    """A chunk's result; a task that failed (e.g. its worker died too often) fails its records."""
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - KilledWorker and friends; the batch goes on
        return failed_chunk(chunk, exc)
    finally:
        future.release()
