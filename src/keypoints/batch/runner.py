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
    set_aside_broken,
)
from keypoints.batch.records import Record, check_input, count_records, read_records
from keypoints.batch.worker import ChunkResult
from keypoints.errors import DamagedInputError, DuplicateIdError, OutputError
from keypoints.idf import default_idf


def make_engine(job: Job) -> Engine:
    if job.engine == "dask":
        from keypoints.batch.dask_engine import dask_engine  # only with the batch extra

        return dask_engine(job.settings, job.workers, job.scheduler)
    if job.engine != "local":
        raise ValueError(f"unknown engine {job.engine!r}; expected local or dask")
    return local_engine(job.settings, job.workers)


def run(job: Job, progress: Progress | None = None, counts: Counts | None = None) -> Counts:
    """Run a batch job to the end and return its counts (see the module docstring).
    `counts`, if given, is filled in as the run goes: what was done when it is
    interrupted."""
    progress = progress or Progress()
    counts = counts if counts is not None else Counts()
    check_input(job.input)
    default_idf()  # here, once: a missing IDF table is one warning, not one per worker
    if job.output.resolve() == job.errors_path.resolve():
        raise OutputError("the output and errors files must differ")
    # The output is opened (and locked) first: a second run on it stops here, before it
    # reads or cuts anything.
    output = Appender(job.output, lock=True)
    try:
        _run_locked(job, progress, output, counts)
    finally:
        output.close()
    return counts


def _run_locked(job: Job, progress: Progress, output: Appender, counts: Counts) -> None:
    done = Done()
    if job.resume:
        for path in (job.output, job.errors_path):
            recover(path, done)
        check_same_options(job, done)
        counts.set_aside = set_aside_broken(done)  # before the tails: line numbers hold
        cut_partial_tails(done)
    else:
        check_fresh((job.output, job.errors_path))
    errors = Appender(job.errors_path)
    stats = Appender(job.stats) if job.stats else None
    counts.repaired = [f"{path} ({size} bytes)" for path, size in done.cut.items()]
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
        results = make_engine(job)(_chunks(todo, job.chunk_size))
        try:
            for result in results:
                _write(result, output, errors, stats, counts, started)
                progress.advance(len(result.outcomes))
        finally:
            # Now, not whenever the generator is collected: an interrupted run shuts its
            # workers down (and waits for them) before it exits.
            close = getattr(results, "close", None)
            if close is not None:
                close()
    finally:
        for appender in (errors, stats):
            if appender is not None:
                appender.close()


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
    they are how --resume knows what is done). Repeats are found before the done records
    are skipped, so that after a crash a repeat of a done id is still an error (unless
    the errors file has it already)."""
    first_line: dict[str, int] = {}
    for record in records:
        counts.read += 1
        if record.error is not None and record.error[0] == DamagedInputError.__name__:
            counts.damaged = record.error[1]  # also on --resume: the input is still damaged
        rid = record.id
        if rid is not None and record.error is None:
            if rid in first_line:
                if record.line in done.error_lines:
                    counts.skipped += 1  # its error is written already
                    progress.advance(1)
                    continue
                reason = f"id already used on line {first_line[rid]}"
                yield Record(record.line, rid, error=(DuplicateIdError.__name__, reason))
                continue
            first_line[rid] = record.line
        if record in done:
            counts.skipped += 1
            progress.advance(1)
            continue
        if record.detected:
            counts.detected[record.detected] = counts.detected.get(record.detected, 0) + 1
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
