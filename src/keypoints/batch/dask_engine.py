"""The Dask engine of `keypoints batch` (`--engine dask`, needs the `batch` extra).

The same chunks and the same `process_chunk` as the local engine, run as Dask
tasks: on the cluster at `--scheduler ADDR`, or on a `LocalCluster` of `--workers`
processes with one thread each. Each worker process builds its Summarizer once
(`keypoints.batch.worker.cached_summarizer`, a module-level cache that lives as
long as the worker). At most 4 × workers chunks are in flight; results come back
in input order (`executor.ordered_results`), so the output equals the local
engine's line for line.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from importlib.util import find_spec
from typing import Any

from keypoints.batch.executor import Chunk, Engine, Window, ordered_results
from keypoints.batch.job import CHUNKS_AHEAD_PER_WORKER
from keypoints.batch.worker import ChunkResult, failed_chunk, process_chunk
from keypoints.errors import DaskUnavailableError
from keypoints.settings import Settings


def dask_engine(settings: Settings, workers: int, scheduler: str | None = None) -> Engine:
    """An engine running chunks on a Dask cluster (a local one when `scheduler` is None)."""
    if find_spec("distributed") is None:
        raise DaskUnavailableError(
            "--engine dask needs dask.distributed: pip install 'keypoints[batch]'"
        )

    def run(chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        with _client(workers, scheduler) as client:
            window = CHUNKS_AHEAD_PER_WORKER * max(_worker_count(client, workers), 1)

            def submit(chunk: Chunk) -> Any:
                return client.submit(process_chunk, chunk, settings, pure=False)

            yield from ordered_results(chunks, submit, _collect, window)

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
    except Exception:  # noqa: BLE001 - it only sizes the window: any failure means "unknown"
        return default


def _collect(window: Window[Any]) -> ChunkResult:
    """The oldest chunk's result; a task that failed (its worker died too often, say)
    fails its records, and the batch goes on."""
    chunk, future = window.pending.popleft()
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - KilledWorker and friends; the batch goes on
        return failed_chunk(chunk, exc)
    finally:
        future.release()
