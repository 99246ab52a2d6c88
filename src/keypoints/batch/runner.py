"""The batch driver: read records, skip what is done, hand chunks to an engine, write
the results in input order.

Every chunk's lines are appended, flushed and fsync'ed before the next one, so a
crash loses at most the chunks in flight; `--resume` reads the ids already in the
output and errors files (cutting off a half-written last line) and skips them,
after checking that the output was made with the same options.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Iterator

from keypoints.batch.executor import Chunk, Engine
from keypoints.batch.job import Counts, Job, Progress
from keypoints.batch.local_engine import local_engine
from keypoints.batch.output import (
    Appender,
    Done,
    check_fresh,
    check_same_options,
    cut_partial_tails,
    recover,
)
from keypoints.batch.records import Record, check_input, count_records, read_records
from keypoints.batch.worker import ChunkResult
from keypoints.errors import DuplicateIdError, OutputError


def make_engine(job: Job) -> Engine:
    if job.engine == "dask":
        from keypoints.batch.dask_engine import dask_engine  # only with the batch extra

        return dask_engine(job.settings, job.workers, job.scheduler)
    if job.engine != "local":
        raise ValueError(f"unknown engine {job.engine!r}; expected local or dask")
    return local_engine(job.settings, job.workers)


def run(job: Job, progress: Progress | None = None) -> Counts:
    """Run a batch job to the end and return its counts (see the module docstring)."""
    progress = progress or Progress()
    check_input(job.input)
    if job.output.resolve() == job.errors_path.resolve():
        raise OutputError("the output and errors files must differ")
    done = Done()
    if job.resume:
        for path in (job.output, job.errors_path):
            recover(path, done)
        check_same_options(job, done)
        cut_partial_tails(done)
    else:
        check_fresh((job.output, job.errors_path))
    output, errors = Appender(job.output), Appender(job.errors_path)
    stats = Appender(job.stats) if job.stats else None
    counts = Counts(repaired=[f"{path} ({size} bytes)" for path, size in done.cut.items()])
    started = time.monotonic()
    if progress.wants_total:
        threading.Thread(
            target=_count_then_start,
            args=(job.input, job.max_bytes, progress),
            name="count-records",
            daemon=True,
        ).start()
    records = read_records(job.input, job.fields, encoding=job.encoding, max_bytes=job.max_bytes)
    try:
        todo = _to_do(records, done, counts, progress)
        for result in make_engine(job)(_chunks(todo, job.chunk_size)):
            _write(result, output, errors, stats, counts, started)
            progress.advance(len(result.outcomes))
    finally:
        for appender in (output, errors, stats):
            if appender is not None:
                appender.close()
    return counts


def _count_then_start(source: str, max_bytes: int, progress: Progress) -> None:
    try:
        total = count_records(source, max_bytes)
    except Exception:  # noqa: BLE001 - the bar just shows no total
        total = None
    progress.start(total)


def _to_do(
    records: Iterable[Record], done: Done, counts: Counts, progress: Progress
) -> Iterator[Record]:
    """Records not done by an earlier run; a repeated id becomes an error (ids must be unique:
    they are how --resume knows what is done)."""
    first_line: dict[str, int] = {}
    for record in records:
        counts.read += 1
        if record in done:
            counts.skipped += 1
            progress.advance(1)
            continue
        if record.detected:
            counts.detected[record.detected] = counts.detected.get(record.detected, 0) + 1
        rid = record.id
        if rid is not None and record.error is None:
            if rid in first_line:
                reason = f"id already used on line {first_line[rid]}"
                record = Record(record.line, rid, error=(DuplicateIdError.__name__, reason))
            else:
                first_line[rid] = record.line
        yield record


def _chunks(records: Iterable[Record], size: int) -> Iterator[Chunk]:
    chunk: Chunk = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _write(
    result: ChunkResult,
    output: Appender,
    errors: Appender,
    stats: Appender | None,
    counts: Counts,
    started: float,
) -> None:
    lines = [o.output for o in result.outcomes if o.output is not None]
    failures = [o.error for o in result.outcomes if o.error is not None]
    output.write(lines)
    errors.write(failures)
    counts.written += len(lines)
    counts.failed += len(failures)
    counts.internal += sum(o.internal for o in result.outcomes)
    counts.rerun += len(result.outcomes) if result.rerun else 0
    if stats is not None and result.pid:
        entry = {
            "done": counts.written + counts.failed,
            "pid": result.pid,
            "rss": result.rss,
            "peak_rss": result.peak_rss,
            "seconds": round(time.monotonic() - started, 3),
        }
        stats.write([json.dumps(entry)])
