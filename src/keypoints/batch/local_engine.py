"""The local engine of `keypoints batch`: a pool of worker processes on this machine.

A worker that dies (killed, out of memory) breaks the whole pool, and which chunk
it was running is unknown: every chunk in flight is run again one record at a
time in a single-worker pool (`isolate`), so only an article that kills its
worker again fails; then a fresh pool takes over.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from keypoints.batch.executor import Chunk, Engine, Window, ordered_results
from keypoints.batch.job import CHUNKS_AHEAD_PER_WORKER
from keypoints.batch.worker import ChunkResult, Outcome, failed_chunk, process_chunk, warm_up
from keypoints.interrupts import deferred_signals
from keypoints.settings import Settings


def serial_engine(settings: Settings) -> Engine:
    """In this process: --workers 1 needs no pool (and no second copy of the models)."""

    def run(chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        for chunk in chunks:
            yield process_chunk(chunk, settings)

    return run


def pool_context() -> multiprocessing.context.BaseContext:
    """forkserver where available: workers fork from a clean server process (never from
    this one, whose progress-bar thread makes fork unsafe), with the heavy imports done
    once there; spawn elsewhere."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["keypoints.batch.worker"])
        return context
    return multiprocessing.get_context("spawn")


def new_pool(settings: Settings, workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        workers, mp_context=pool_context(), initializer=warm_up, initargs=(settings,)
    )


class _Pool:
    """The current pool of a run: replaced when a worker dies."""

    def __init__(self, settings: Settings, workers: int) -> None:
        self.settings, self.workers = settings, workers
        self.executor = new_pool(settings, workers)

    def submit(self, chunk: Chunk) -> Future[ChunkResult]:
        """`process_chunk` on the pool; a pool already broken gives a failed future, which
        `collect` handles like any chunk in flight when the worker died."""
        try:
            with deferred_signals():  # submit may start the worker processes
                return self.executor.submit(process_chunk, chunk, self.settings)
        except BrokenProcessPool as exc:
            failed: Future[ChunkResult] = Future()
            failed.set_exception(exc)
            return failed

    def collect(self, window: Window[Future[ChunkResult]]) -> ChunkResult:
        """The oldest chunk's result; when its worker died, every chunk in flight runs
        again record by record (`isolate`) and a fresh pool takes the rest."""
        chunk, future = window.pending.popleft()
        try:
            return future.result()
        except BrokenProcessPool:
            self.executor.shutdown(wait=False, cancel_futures=True)
            suspects = [chunk, *(c for c, _ in window.pending)]
            window.pending.clear()
            results = isolate(suspects, self.settings)
            for suspect, result in zip(suspects[1:], results[1:], strict=True):
                done: Future[ChunkResult] = Future()
                done.set_result(result)
                window.pending.append((suspect, done))
            self.executor = new_pool(self.settings, self.workers)
            return results[0]


def local_engine(settings: Settings, workers: int) -> Engine:
    """`workers` processes with one Summarizer each; at most 4 × workers chunks in flight."""
    if workers <= 1:
        return serial_engine(settings)

    def run(chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        pool = _Pool(settings, workers)
        try:
            yield from ordered_results(
                chunks, pool.submit, pool.collect, CHUNKS_AHEAD_PER_WORKER * workers
            )
        finally:
            pool.executor.shutdown(wait=True, cancel_futures=True)

    return run


def isolate(chunks: list[Chunk], settings: Settings) -> list[ChunkResult]:
    """Each chunk's result, every record run alone in a one-worker pool; a record
    whose worker dies is reported failed, and the pool is replaced."""
    pool = new_pool(settings, 1)
    results = []
    try:
        for chunk in chunks:
            outcomes: list[Outcome] = []
            for record in chunk:
                try:
                    outcomes += pool.submit(process_chunk, [record], settings).result().outcomes
                except BrokenProcessPool as exc:
                    outcomes += failed_chunk([record], exc).outcomes
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = new_pool(settings, 1)
            results.append(ChunkResult(outcomes, rerun=True))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return results
