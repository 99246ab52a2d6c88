"""The work of one batch worker: a chunk of records in, their output or error lines out.

Each worker process holds one `Summarizer` per `Settings` (`cached_summarizer`) and
summarizes a chunk's articles together (`Summarizer.summarize_many`: GiNZA parses
their picks in batches, the salience model predicts once).
"""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import signal
import sys
import threading
import traceback
import warnings
from dataclasses import dataclass

from keypoints.batch.records import Record
from keypoints.errors import KeypointsError
from keypoints.idf import MissingIdfWarning
from keypoints.pipeline import Summarizer
from keypoints.render.schema import batch_line_to_dict
from keypoints.settings import Settings
from keypoints.stages.base import ArticleInput
from keypoints.structures import Result
from keypoints.text.ginza import ginza_nlp

# Allocations between two young-generation collections (Python's default is 700).
GC_YOUNG_THRESHOLD = 10_000


@dataclass
class Outcome:
    """What became of one record: an output line or an errors-file line (JSON, no newline)."""

    line: int
    id: str | None
    output: str | None = None
    error: str | None = None
    internal: bool = False  # the error is a bug of keypoints, not of the input


@dataclass
class ChunkResult:
    """The outcomes of a chunk, with the memory of the worker that ran it."""

    outcomes: list[Outcome]
    pid: int = 0
    rss: int = 0  # resident set size after the chunk, bytes
    peak_rss: int = 0  # peak resident set size of the worker so far, bytes
    rerun: bool = False  # run again, record by record, after a worker died


@functools.cache
def cached_summarizer(settings: Settings) -> Summarizer:
    """One Summarizer per process and setting: models load once per worker, lazily.

    A batch runs one worker process per core, so each keeps to one native thread:
    OpenMP (scikit-learn's gradient boosting) and BLAS (thinc) would otherwise
    start a thread per core in every worker, and they spin against each other.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)
    return Summarizer(settings)


def warm_up(settings: Settings) -> None:
    """Process-pool initializer: load the worker's models before the first chunk
    (GiNZA too, unless --parse-reach 0 never needs it), then keep the garbage
    collector off them (`settle_garbage_collector`). A Ctrl-C reaches the whole process
    group: the worker ignores it and finishes its chunk while the main process shuts
    the pool down (`keypoints.interrupts`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The main process has said so once (`keypoints batch`); not once per worker.
    warnings.simplefilter("ignore", MissingIdfWarning)
    _exit_with_parent()
    cached_summarizer(settings)
    if settings.parse_reach > 0:
        ginza_nlp()
    settle_garbage_collector()


def settle_garbage_collector() -> None:
    """Tune Python's cyclic garbage collector for a worker whose models are loaded.

    The models are millions of long-lived objects, and every full collection walks
    them all; the pipeline allocates tokens by the hundred thousand, so with the
    default thresholds collections ran every few hundred allocations. Freezing
    what is loaded (`gc.freeze`) and collecting the young generation every
    10,000 allocations cut the collector's time from about 3.6 to 0.5 ms per
    livedoor article (of about 30). Cycles are still collected; the output is
    the same. Only the pool's workers do this, as it is process-wide: not
    `--workers 1`, which runs in the calling process, nor Dask's workers.
    """
    import gc

    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)


def _exit_with_parent() -> None:
    """End this worker when the main process dies (SIGKILL, out of memory): a pool
    worker would otherwise linger as an orphan, holding its models in memory."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()  # returns when the parent's end of our pipe closes
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def error_outcome(line: int, rid: str | None, name: str, reason: str) -> Outcome:
    entry = {"id": rid, "line": line, "error": name, "reason": reason}
    return Outcome(line, rid, error=json.dumps(entry, ensure_ascii=False))


def exception_outcome(line: int, rid: str | None, exc: BaseException) -> Outcome:
    """The error line of an exception. One that is not a `KeypointsError` is a bug of
    keypoints, not bad input: its line says so and carries the traceback."""
    if isinstance(exc, KeypointsError):
        return error_outcome(line, rid, type(exc).__name__, str(exc))
    entry = {
        "id": rid,
        "line": line,
        "error": type(exc).__name__,
        "reason": str(exc),
        "internal": True,
        "traceback": "".join(traceback.format_exception(exc)),
    }
    return Outcome(line, rid, error=json.dumps(entry, ensure_ascii=False), internal=True)


def summarize_records(records: list[Record], settings: Settings) -> list[Outcome]:
    """The output line of each record, or its error line; never raises. The
    articles are summarized together (`Summarizer.summarize_many`)."""
    outcomes: dict[int, Outcome] = {}
    inputs: dict[int, ArticleInput] = {}
    for n, record in enumerate(records):
        if record.error is not None:
            outcomes[n] = error_outcome(record.line, record.id, *record.error)
        else:
            inputs[n] = ArticleInput(record.text or "", record.title, record.format, record.id)
    results: list[Result | Exception]
    try:
        results = cached_summarizer(settings).summarize_many(list(inputs.values()))
    except Exception as exc:  # noqa: BLE001 - the models failed to load: every article says why
        results = [exc] * len(inputs)
    for n, result in zip(inputs, results, strict=True):
        outcomes[n] = _outcome(records[n], result, settings)
    return [outcomes[n] for n in range(len(records))]


def _outcome(record: Record, result: Result | Exception, settings: Settings) -> Outcome:
    """The output line of a Result (with the options that made it: --resume checks
    them), or the error line of an exception."""
    if isinstance(result, Exception):
        return exception_outcome(record.line, record.id, result)
    assert record.id is not None
    data = batch_line_to_dict(record.id, result, settings.recorded())
    return Outcome(record.line, record.id, output=json.dumps(data, ensure_ascii=False))


def process_chunk(chunk: list[Record], settings: Settings) -> ChunkResult:
    """Summarize a chunk in this worker; the memory figures feed `--stats` and benchmarks."""
    outcomes = summarize_records(chunk, settings)
    rss, peak = memory_usage()
    return ChunkResult(outcomes, os.getpid(), rss, peak)


def memory_usage() -> tuple[int, int]:
    """(current, peak) resident set size of this process in bytes; zeros where unknown."""
    try:
        import resource

        scale = 1 if sys.platform == "darwin" else 1024
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    except ImportError:  # Windows
        peak = 0
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            rss = int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        rss = peak
    return rss, peak


def failed_chunk(chunk: list[Record], exc: BaseException) -> ChunkResult:
    """Every record of a chunk whose worker died (crash, out of memory, lost Dask worker)."""
    name, reason = type(exc).__name__, f"worker failed: {exc}" if str(exc) else "worker failed"
    return ChunkResult([error_outcome(r.line, r.id, name, reason) for r in chunk])
