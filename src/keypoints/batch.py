"""`keypoints batch`: the ポイント of a whole archive, in parallel, crash-safe and resumable.

The main process reads records (JSONL, gzip'd JSONL, a directory of articles or
standard input), skips those already done, cuts the rest into small chunks and
hands them to an engine; the engine runs `process_chunk` in worker processes
(`ProcessPoolExecutor` here, a Dask cluster in `batch_dask.py`), each holding one
`Summarizer`, and gives the results back **in input order**, so the output lines
follow the input and a run is reproducible line for line. At most `window`
chunks are in flight, so memory does not grow with the archive.

Every chunk's lines are appended, flushed and fsync'ed before the next one, so a
crash loses at most the chunks in flight; `--resume` reads the ids already in the
output and errors files (cutting off a half-written last line) and skips them,
after checking that the output was made with the same options (`check_same_options`).
A worker that dies loses nothing: the chunks in flight are run again, record by
record, and only an article that kills its worker twice goes to the errors file.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import multiprocessing
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from keypoints.compress import REACH
from keypoints.errors import InputNotFoundError, InvalidRecordError, KeypointsError

if TYPE_CHECKING:
    from keypoints.pipeline import Settings

# Article files read from a directory input, by extension.
DIRECTORY_FORMATS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
GZIP_MAGIC = b"\x1f\x8b"
# Records per chunk: large enough that GiNZA parses the picks of many articles in
# one batch and inter-process traffic is negligible next to ~40 ms of work per
# article, small enough that a crash re-runs little and the progress bar moves.
DEFAULT_CHUNK_SIZE = 16
# Chunks in flight per worker: keeps every worker busy while the oldest chunk is
# written, without reading the archive ahead of the workers.
CHUNKS_AHEAD_PER_WORKER = 4


class OutputError(KeypointsError):
    """The output or errors file cannot be written, or exists without --resume."""

    exit_code = 73  # EX_CANTCREAT


class DuplicateIdError(InvalidRecordError):
    """A record whose id was already used by an earlier line of the same input."""


@dataclass(frozen=True)
class Fields:
    """Names of the JSONL fields holding the id, title and text."""

    id: str = "id"
    title: str = "title"
    text: str = "text"


@dataclass(frozen=True)
class Record:
    """One input article, or the reason it cannot be one (`error`: name, reason)."""

    line: int  # 1-based line of a JSONL input; position in the sorted listing of a directory
    id: str | None
    title: str | None = None
    text: str | None = None
    format: str = "text"
    error: tuple[str, str] | None = None


@dataclass
class Outcome:
    """What became of one record: an output line or an errors-file line (JSON, no newline)."""

    line: int
    id: str | None
    output: str | None = None
    error: str | None = None


@dataclass
class ChunkResult:
    """The outcomes of a chunk, with the memory of the worker that ran it."""

    outcomes: list[Outcome]
    pid: int = 0
    rss: int = 0  # resident set size after the chunk, bytes
    peak_rss: int = 0  # peak resident set size of the worker so far, bytes
    rerun: bool = False  # run again, record by record, after a worker died


@dataclass
class Counts:
    """Records read, written to the output, failed (errors file), skipped (done before)."""

    read: int = 0
    written: int = 0
    failed: int = 0
    skipped: int = 0
    repaired: list[str] = field(default_factory=list)  # files whose partial last line was cut
    rerun: int = 0  # records run again after a worker died

    def __str__(self) -> str:
        return (
            f"read {self.read:,}, written {self.written:,}, failed {self.failed:,}, "
            f"skipped {self.skipped:,}"
        )


@dataclass(frozen=True)
class PointOptions:
    """How the points are made: each worker builds one Summarizer from these (hashable,
    so `cached_summarizer` keeps one per value), and they travel with every chunk."""

    n_points: int = 3
    max_chars: int = 70
    parse_reach: float = REACH  # see Settings.parse_reach

    def settings(self) -> Settings:
        """The pipeline's Settings (imported here: the main process needs no pipeline to
        start a pool of workers)."""
        from keypoints.pipeline import Settings

        return Settings(
            n_points=self.n_points, max_chars=self.max_chars, parse_reach=self.parse_reach
        )

    def as_flags(self) -> dict[str, int | float]:
        """The options as each output line records them, by their CLI names."""
        return {
            "points": self.n_points,
            "max_chars": self.max_chars,
            "parse_reach": self.parse_reach,
        }


@dataclass
class Job:
    """Everything `keypoints batch` was asked to do."""

    input: str
    output: Path
    errors: Path | None = None  # None: OUTPUT with .errors.jsonl
    n_points: int = 3
    max_chars: int = 70
    parse_reach: float = REACH
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    resume: bool = False
    engine: str = "local"
    scheduler: str | None = None
    fields: Fields = field(default_factory=Fields)
    chunk_size: int = DEFAULT_CHUNK_SIZE
    stats: Path | None = None  # a JSONL log per chunk: worker memory, seconds so far (benchmarks)

    @property
    def options(self) -> PointOptions:
        return PointOptions(self.n_points, self.max_chars, self.parse_reach)

    @property
    def errors_path(self) -> Path:
        return self.errors if self.errors is not None else default_errors_path(self.output)


def default_errors_path(output: Path) -> Path:
    """OUTPUT.jsonl → OUTPUT.errors.jsonl (any other name: + .errors.jsonl)."""
    name = output.name.removesuffix(".jsonl")
    return output.with_name(name + ".errors.jsonl")


# --- reading ---------------------------------------------------------------------------


def count_records(source: str) -> int | None:
    """Records in a plain JSONL file or directory, for the progress bar; None if unknown
    (stdin, gzip: counting would mean reading it twice)."""
    path = Path(source)
    if source == "-":
        return None
    try:
        if path.is_dir():
            return sum(1 for _ in _directory_files(path))
        with open(path, "rb") as handle:
            if handle.read(2) == GZIP_MAGIC:
                return None
            handle.seek(0)
            return sum(1 for raw in handle if raw.strip())
    except OSError:  # unreadable: read_records reports it
        return None


def read_records(source: str, fields: Fields = Fields()) -> Iterator[Record]:
    """Records of a JSONL file (plain or gzip, by its magic bytes), a directory or "-"."""
    if source == "-":
        yield from _jsonl_records(_maybe_gunzip(sys.stdin.buffer), fields)
        return
    path = Path(source)
    if path.is_dir():
        yield from _directory_records(path)
        return
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        raise InputNotFoundError(f"{source}: no such file or directory") from None
    except OSError as exc:
        raise InputNotFoundError(f"{source}: cannot read ({exc.strerror})") from None
    with handle:
        yield from _jsonl_records(_maybe_gunzip(handle), fields)


def check_input(source: str) -> None:
    """Fail before any work (and before touching the output) when INPUT is missing."""
    if source != "-" and not Path(source).exists():
        raise InputNotFoundError(f"{source}: no such file or directory")


def _maybe_gunzip(handle: IO[bytes]) -> IO[bytes]:
    """The handle itself, or a gzip reader over it when it starts with the gzip magic."""
    buffered = handle if hasattr(handle, "peek") else io.BufferedReader(handle)  # type: ignore[arg-type]
    if buffered.peek(2)[:2] == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=buffered)  # type: ignore[return-value]
    return buffered


def _jsonl_records(handle: IO[bytes], fields: Fields) -> Iterator[Record]:
    """One record per non-blank line; a broken gzip stream ends the input with an error."""
    line = 0
    try:
        for line, raw in enumerate(handle, start=1):
            if raw.strip():
                yield parse_line(raw, line, fields)
    except (EOFError, OSError, gzip.BadGzipFile) as exc:
        yield Record(
            line + 1,
            None,
            error=("UndecodableInputError", f"input ends in a broken gzip stream ({exc})"),
        )


def parse_line(raw: bytes, line: int, fields: Fields = Fields()) -> Record:
    """A JSONL line as a Record; what is wrong with it (if anything) goes in `error`.

    Emptiness and "no Japanese" are left to `ingest` in the worker, so that the
    reasons are the same words `keypoints summarize` uses.
    """
    try:
        text_line = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Record(line, None, error=("UndecodableInputError", "line is not UTF-8 text"))
    try:
        data: Any = json.loads(text_line)
    except json.JSONDecodeError as exc:
        return Record(line, None, error=("InvalidRecordError", f"invalid JSON: {exc.msg}"))
    if not isinstance(data, dict):
        return Record(line, None, error=("InvalidRecordError", "line is not a JSON object"))
    rid, title, text = data.get(fields.id), data.get(fields.title), data.get(fields.text)
    rid = None if rid is None or isinstance(rid, (dict, list)) else str(rid)
    if rid is None or not rid.strip():
        return Record(line, None, error=("InvalidRecordError", f"record has no '{fields.id}'"))
    if not isinstance(text, str):
        return Record(
            line, rid, error=("InvalidRecordError", f"record has no string '{fields.text}' field")
        )
    if title is not None and not isinstance(title, str):
        return Record(
            line,
            rid,
            error=("InvalidRecordError", f"record field '{fields.title}' must be a string"),
        )
    return Record(line, rid, title or None, text, "text")


def _directory_files(root: Path) -> Iterator[Path]:
    """Article files under `root`, sorted by relative path so ids and order are stable."""
    files = (p for p in root.rglob("*") if p.suffix.lower() in DIRECTORY_FORMATS and p.is_file())
    return iter(sorted(files, key=lambda p: p.relative_to(root).as_posix()))


def _directory_records(root: Path) -> Iterator[Record]:
    """One record per article file; the id is its path relative to `root`."""
    from keypoints.ingest import decode

    for position, path in enumerate(_directory_files(root), start=1):
        rid = path.relative_to(root).as_posix()
        fmt = DIRECTORY_FORMATS[path.suffix.lower()]
        try:
            text = decode(path.read_bytes(), rid)
        except KeypointsError as exc:
            yield Record(position, rid, error=(type(exc).__name__, str(exc)))
        except OSError as exc:
            yield Record(
                position, rid, error=("InputNotFoundError", f"cannot read ({exc.strerror})")
            )
        else:
            yield Record(position, rid, None, text, fmt)


# --- the work of one worker ------------------------------------------------------------


@functools.cache
def cached_summarizer(options: PointOptions) -> Any:
    """One Summarizer per process and setting: models load once per worker, lazily.

    A batch runs one worker process per core, so each keeps to one native thread:
    OpenMP (scikit-learn's gradient boosting) and BLAS (thinc) would otherwise
    start a thread per core in every worker, and they spin against each other.
    """
    from threadpoolctl import threadpool_limits

    from keypoints.pipeline import Summarizer

    threadpool_limits(limits=1)

    return Summarizer(options.settings())


def warm_up(options: PointOptions) -> None:
    """Process-pool initializer: load the worker's models before the first chunk
    (GiNZA too, unless --parse-reach 0 never needs it), then keep the garbage
    collector off them (`settle_garbage_collector`)."""
    _exit_with_parent()
    cached_summarizer(options)
    if options.parse_reach > 0:
        from keypoints.analyze import ginza_nlp

        ginza_nlp()
    settle_garbage_collector()


# Allocations between two young-generation collections (Python's default is 700).
GC_YOUNG_THRESHOLD = 10_000


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


def summarize_records(records: list[Record], options: PointOptions) -> list[Outcome]:
    """The output line of each record, or its error line; never raises. The
    articles are summarized together (`Summarizer.summarize_many`: GiNZA parses
    their picks in batches)."""
    from keypoints.ingest import ingest

    outcomes: dict[int, Outcome] = {}
    articles = {}
    for n, record in enumerate(records):
        if record.error is not None:
            outcomes[n] = error_outcome(record.line, record.id, *record.error)
            continue
        try:
            articles[n] = ingest(
                record.text or "", title=record.title, id=record.id, format=record.format
            )
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
            outcomes[n] = error_outcome(record.line, record.id, type(exc).__name__, str(exc))
    try:
        results = cached_summarizer(options).summarize_many(list(articles.values()))
    except Exception as exc:  # noqa: BLE001 - the models failed to load: every article says why
        results = [exc] * len(articles)
    for n, result in zip(articles, results, strict=True):
        outcomes[n] = _outcome(records[n], result, options)
    return [outcomes[n] for n in range(len(records))]


def _outcome(record: Record, result: Any, options: PointOptions) -> Outcome:
    """The output line of a Result (with the options that made it: --resume checks
    them), or the error line of an exception."""
    from keypoints.render import result_to_dict

    if isinstance(result, Exception):
        return error_outcome(record.line, record.id, type(result).__name__, str(result))
    data = {
        "id": record.id,
        "title": result.title,
        "points": result_to_dict(result)["points"],
        "model": result.model,
        "version": result.version,
        "options": options.as_flags(),
    }
    return Outcome(record.line, record.id, output=json.dumps(data, ensure_ascii=False))


def process_chunk(chunk: list[Record], options: PointOptions) -> ChunkResult:
    """Summarize a chunk in this worker; the memory figures feed `--stats` and benchmarks."""
    outcomes = summarize_records(chunk, options)
    rss, peak = memory_usage()
    return ChunkResult(outcomes, os.getpid(), rss, peak)


def memory_usage() -> tuple[int, int]:
    """(current, peak) resident set size of this process in bytes; zeros where unknown."""
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (
            1 if sys.platform == "darwin" else 1024
        )
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


# --- engines: chunks in, results out in the same order ----------------------------------

Engine = Callable[[Iterable[list[Record]]], Iterator[ChunkResult]]


def serial_engine(options: PointOptions) -> Engine:
    """In this process: --workers 1 needs no pool (and no second copy of the models)."""

    def run(chunks: Iterable[list[Record]]) -> Iterator[ChunkResult]:
        for chunk in chunks:
            yield process_chunk(chunk, options)

    return run


def pool_context() -> multiprocessing.context.BaseContext:
    """forkserver where available: workers fork from a clean server process (never from
    this one, whose progress-bar thread makes fork unsafe), with the heavy imports done
    once there; spawn elsewhere."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["keypoints.batch", "keypoints.pipeline"])
        return context
    return multiprocessing.get_context("spawn")


def local_engine(options: PointOptions, workers: int) -> Engine:
    """`workers` processes with one Summarizer each; at most 4 × workers chunks in flight."""
    if workers <= 1:
        return serial_engine(options)
    window = CHUNKS_AHEAD_PER_WORKER * workers

    def run(chunks: Iterable[list[Record]]) -> Iterator[ChunkResult]:
        pool = _new_pool(options, workers)
        pending: deque[tuple[list[Record], Future[ChunkResult]]] = deque()
        try:
            for chunk in chunks:
                pending.append((chunk, _submit(pool, chunk, options)))
                while len(pending) >= window:
                    result, pool = _next_result(pending, pool, options, workers)
                    yield result
            while pending:
                result, pool = _next_result(pending, pool, options, workers)
                yield result
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    return run


def _submit(
    pool: ProcessPoolExecutor, chunk: list[Record], options: PointOptions
) -> Future[ChunkResult]:
    """`process_chunk` on the pool; a pool already broken gives a failed future, which
    `_next_result` handles like any chunk in flight when the worker died."""
    try:
        return pool.submit(process_chunk, chunk, options)
    except BrokenProcessPool as exc:
        failed: Future[ChunkResult] = Future()
        failed.set_exception(exc)
        return failed


def _new_pool(options: PointOptions, workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        workers, mp_context=pool_context(), initializer=warm_up, initargs=(options,)
    )


def _next_result(
    pending: deque[tuple[list[Record], Future[ChunkResult]]],
    pool: ProcessPoolExecutor,
    options: PointOptions,
    workers: int,
) -> tuple[ChunkResult, ProcessPoolExecutor]:
    """The oldest chunk's result. A dead worker (killed, out of memory) breaks the
    whole pool, and which chunk it was running is unknown: every chunk in flight is
    run again one record at a time in a single-worker pool (`isolate`), so only an
    article that kills its worker again fails; then a fresh pool takes over."""
    chunk, future = pending.popleft()
    try:
        return future.result(), pool
    except BrokenProcessPool:
        pool.shutdown(wait=False, cancel_futures=True)
        suspects = [chunk, *(c for c, _ in pending)]
        pending.clear()
        results = isolate(suspects, options)
        for suspect, result in zip(suspects[1:], results[1:], strict=True):
            done: Future[ChunkResult] = Future()
            done.set_result(result)
            pending.append((suspect, done))
        return results[0], _new_pool(options, workers)


def isolate(chunks: list[list[Record]], options: PointOptions) -> list[ChunkResult]:
    """Each chunk's result, every record run alone in a one-worker pool; a record
    whose worker dies is reported failed, and the pool is replaced."""
    pool = _new_pool(options, 1)
    results = []
    try:
        for chunk in chunks:
            outcomes: list[Outcome] = []
            for record in chunk:
                try:
                    outcomes += pool.submit(process_chunk, [record], options).result().outcomes
                except BrokenProcessPool as exc:
                    outcomes += failed_chunk([record], exc).outcomes
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = _new_pool(options, 1)
            results.append(ChunkResult(outcomes, rerun=True))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return results


def make_engine(job: Job) -> Engine:
    if job.engine == "dask":
        from keypoints.batch_dask import dask_engine

        return dask_engine(job.options, job.workers, job.scheduler)
    if job.engine != "local":
        raise ValueError(f"unknown engine {job.engine!r}; expected local or dask")
    return local_engine(job.options, job.workers)


# --- output files -------------------------------------------------------------------------


class Appender:
    """An append-only JSONL file; every `write` is flushed and fsync'ed (crash safety)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        parent = path.parent
        if parent.exists() and not parent.is_dir():
            raise OutputError(f"{path}: {parent} is not a directory")
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self.handle = open(path, "ab")
        except OSError as exc:
            raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None

    def write(self, lines: list[str]) -> None:
        if not lines:
            return
        try:
            self.handle.write("".join(line + "\n" for line in lines).encode("utf-8"))
            self.handle.flush()
            os.fsync(self.handle.fileno())
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot write ({exc.strerror or exc})") from None

    def close(self) -> None:
        self.handle.close()


@dataclass
class Done:
    """What earlier runs finished: ids, and the lines of id-less errors (invalid JSON...)."""

    ids: set[str] = field(default_factory=set)
    lines: set[int] = field(default_factory=set)
    cut: dict[Path, int] = field(default_factory=dict)  # bytes of partial lines to cut off
    options: list[dict[str, Any]] = field(default_factory=list)  # distinct, of output lines

    def __contains__(self, record: Record) -> bool:
        return record.id in self.ids if record.id is not None else record.line in self.lines


def recover(path: Path, done: Done) -> None:
    """Add the entries of a JSONL file written by an earlier run to `done`, and note in
    `done.cut` what follows its last valid line: a crash mid-write leaves a partial
    line there, which would otherwise glue itself to the next line appended
    (`cut_partial_tails` removes it, once the run is sure to go on)."""
    if not path.exists():
        return
    good_end = 0
    with open(path, "rb") as handle:
        offset = 0
        for raw in handle:
            offset += len(raw)
            entry = _json_object(raw) if raw.endswith(b"\n") else None
            if entry is None:
                continue  # a partial line; cut off below if nothing valid follows it
            good_end = offset
            if isinstance(entry.get("options"), dict) and entry["options"] not in done.options:
                done.options.append(entry["options"])
            if entry.get("id") is not None:
                done.ids.add(str(entry["id"]))
            elif isinstance(entry.get("line"), int):
                done.lines.add(entry["line"])
    if good_end < offset:
        done.cut[path] = offset - good_end


def cut_partial_tails(done: Done) -> None:
    """Truncate each file `recover` found a partial last line in after its valid lines."""
    for path, size in done.cut.items():
        with open(path, "rb+") as handle:
            handle.truncate(path.stat().st_size - size)
            os.fsync(handle.fileno())


def _json_object(raw: bytes) -> dict[str, Any] | None:
    try:
        entry = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return entry if isinstance(entry, dict) else None


def check_fresh(paths: Iterable[Path]) -> None:
    """Without --resume, never append to (or clobber) the results of another run."""
    for path in paths:
        if path.is_dir():
            raise OutputError(f"{path}: is a directory")
        if path.exists() and path.stat().st_size > 0:
            raise OutputError(
                f"{path} already exists and is not empty: use --resume to "
                "continue that run, or remove it"
            )


def check_same_options(job: Job, done: Done) -> None:
    """--resume continues a run only with its options: one output, one way of making points."""
    wanted = job.options.as_flags()
    for earlier in done.options:
        if earlier != wanted:
            raise OutputError(
                f"{job.output} was written with {_flags(earlier)}, not "
                f"{_flags(wanted)}: resume with the same options, or write "
                "to a new file"
            )


def _flags(options: dict[str, Any]) -> str:
    return " ".join(f"--{name.replace('_', '-')} {value}" for name, value in options.items())


# --- the driver -----------------------------------------------------------------------------


@dataclass
class Progress:
    """Callbacks for a progress display: `advance(n)` as chunks are written, and
    `start(total)` once the records are counted, when `wants_total` (counting reads
    the input once more, in a thread beside the work, so nothing waits for it)."""

    start: Callable[[int | None], None] = lambda total: None
    advance: Callable[[int], None] = lambda n: None
    wants_total: bool = False


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
            target=_count_then_start, args=(job.input, progress), name="count-records", daemon=True
        ).start()
    try:
        todo = _to_do(read_records(job.input, job.fields), done, counts, progress)
        for result in make_engine(job)(_chunks(todo, job.chunk_size)):
            _write(result, output, errors, stats, counts, started)
            progress.advance(len(result.outcomes))
    finally:
        for appender in (output, errors, stats):
            if appender is not None:
                appender.close()
    return counts


def _count_then_start(source: str, progress: Progress) -> None:
    try:
        total = count_records(source)
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
        if record.id is not None and record.error is None:
            if record.id in first_line:
                record = Record(
                    record.line,
                    record.id,
                    error=(
                        DuplicateIdError.__name__,
                        f"id already used on line {first_line[record.id]}",
                    ),
                )
            else:
                first_line[record.id] = record.line
        yield record


def _chunks(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    chunk: list[Record] = []
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
    counts.rerun += len(result.outcomes) if result.rerun else 0
    if stats is not None and result.pid:
        stats.write(
            [
                json.dumps(
                    {
                        "done": counts.written + counts.failed,
                        "pid": result.pid,
                        "rss": result.rss,
                        "peak_rss": result.peak_rss,
                        "seconds": round(time.monotonic() - started, 3),
                    }
                )
            ]
        )
