"""`keypoints batch`: the ポイント of every article of an archive, in parallel."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from keypoints.batch.job import DEFAULT_CHUNK_SIZE, Counts
from keypoints.cli.app import app, err, styled
from keypoints.cli.options import (
    MaxCharsOption,
    ParseReachOption,
    PointsOption,
    TermsOption,
    encoding_option,
    max_bytes_option,
    settings_of,
)
from keypoints.errors import DamagedInputError, NoUsableRecordsError
from keypoints.interrupts import Interrupted
from keypoints.io.charsets import AUTO
from keypoints.io.files import DEFAULT_MAX_BYTES
from keypoints.settings import DEFAULTS


class BatchEngine(str, Enum):
    local = "local"
    dask = "dask"


@app.command("batch")
def batch_command(
    input: Annotated[
        str,
        typer.Argument(
            help="A JSONL file of records (id, title, text), gzip'd or not, a "
            "directory of .txt/.md/.html articles (id: the relative path), or - "
            "for JSONL on standard input.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="JSONL file of results: id, title, points, model, "
            "version and options per line, in input order.",
            show_default=False,
        ),
    ],
    points: PointsOption = DEFAULTS.n_points,
    max_chars: MaxCharsOption = DEFAULTS.max_chars,
    parse_reach: ParseReachOption = DEFAULTS.parse_reach,
    terms: TermsOption = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-w",
            min=1,
            help="Worker processes, each loading the models once. Default: the number of CPUs.",
            show_default=False,
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Continue an interrupted run: skip the ids already in "
            "OUTPUT and the errors file (a half-written last line is cut off). "
            "Needs the options that run had (--points, --max-chars, --parse-reach, --terms).",
        ),
    ] = False,
    errors: Annotated[
        Path | None,
        typer.Option(
            "--errors",
            help="JSONL file of failed records (id, line, error, reason). "
            "Default: OUTPUT with .errors.jsonl.",
            show_default=False,
        ),
    ] = None,
    engine: Annotated[
        BatchEngine,
        typer.Option(
            "--engine",
            help="local: a process pool on this machine; dask: a Dask "
            "cluster (needs the batch extra).",
        ),
    ] = BatchEngine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler address (tcp://host:8786); default: a "
            "local cluster of --workers processes.",
            show_default=False,
        ),
    ] = None,
    id_field: Annotated[str, typer.Option("--id-field", help="JSONL field of the id.")] = "id",
    title_field: Annotated[
        str, typer.Option("--title-field", help="JSONL field of the headline.")
    ] = "title",
    text_field: Annotated[
        str, typer.Option("--text-field", help="JSONL field of the article text.")
    ] = "text",
    chunk_size: Annotated[
        int,
        typer.Option(
            "--chunk-size",
            min=1,
            help="Articles per task sent to a worker; GiNZA compresses a task's points in one batch.",
        ),
    ] = DEFAULT_CHUNK_SIZE,
    encoding: Annotated[
        str,
        encoding_option(
            "Encoding of the article files of a directory INPUT (cp932, euc-jp, ...). auto: "
            "UTF-8, else detected per file among UTF-16, Shift_JIS (read as cp932), EUC-JP "
            "and ISO-2022-JP (the end of the run counts them). JSONL is always UTF-8."
        ),
    ] = AUTO,
    max_bytes: Annotated[
        int,
        max_bytes_option(
            "The most bytes an article file or JSONL line may have; one over it goes to "
            "the errors file, unread, and the batch goes on."
        ),
    ] = DEFAULT_MAX_BYTES,
    parquet: Annotated[
        Path | None,
        typer.Option(
            "--parquet",
            help="Also write the results as a Parquet table (needs the "
            "batch extra), from OUTPUT once the run ends.",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    stats: Annotated[
        Path | None,
        typer.Option(
            "--stats", hidden=True, help="Log worker memory and seconds so far per chunk (JSONL)."
        ),
    ] = None,
) -> None:
    """Write the ポイント of every article of an archive, in parallel.

    Failed records go to the errors file and the batch goes on; the counts (read,
    written, failed, skipped) are printed at the end. Output is appended and synced
    chunk by chunk, so an interrupted run loses little: rerun it with --resume.

    Example: keypoints batch articles.jsonl.gz -o points.jsonl --workers 4
    """
    import os

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from keypoints import batch
    from keypoints.batch.records import count_records

    if scheduler and engine is not BatchEngine.dask:
        raise typer.BadParameter("--scheduler needs --engine dask", param_hint="--scheduler")
    if encoding != AUTO and not Path(input).is_dir():
        raise typer.BadParameter(
            "is for a directory of article files; JSONL input is read as UTF-8",
            param_hint="--encoding",
        )
    if input == "-" and sys.stdin.isatty():
        err.print("reading JSONL records from standard input (Ctrl-D to end)", highlight=False)
    job = batch.Job(
        input=input,
        output=output,
        errors=errors,
        settings=settings_of(points, max_chars, parse_reach, terms),
        workers=workers or os.cpu_count() or 1,
        resume=resume,
        engine=engine.value,
        scheduler=scheduler,
        chunk_size=chunk_size,
        stats=stats,
        fields=batch.Fields(id=id_field, title=title_field, text=text_field),
        encoding=encoding,
        max_bytes=max_bytes,
    )
    bar = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        disable=quiet or not err.is_terminal,
    )
    counts, total = Counts(), []
    try:
        with bar:
            task = bar.add_task("articles", total=None, rate="")

            def advance(n: int) -> None:
                speed = next(t.speed for t in bar.tasks if t.id == task)
                bar.update(task, advance=n, rate=f"{speed:.1f} articles/s" if speed else "")

            def start(known: int | None) -> None:
                total.append(known)
                bar.update(task, total=known)

            progress = batch.Progress(start=start, advance=advance, wants_total=not bar.disable)
            batch.run(job, progress, counts)
    except Interrupted as stop:
        stop.message = stop.after_records(
            counts.written + counts.failed + counts.skipped,
            total[0] if total else count_records(input),
        )
        raise
    for moved in counts.set_aside:
        err.print(f"resume: set aside {moved}; their records run again")
    if counts.detected:
        found = ", ".join(f"{n:,} as {label}" for label, n in sorted(counts.detected.items()))
        err.print(
            f"note: article files not in UTF-8 were read by the encoding detected: {found}; "
            "pass --encoding to choose another"
        )
    for repaired in counts.repaired:
        err.print(f"resume: cut off a partial last line of {repaired}", highlight=False)
    if counts.rerun:
        err.print(
            f"note: a worker died; {counts.rerun:,} articles in flight were run again, "
            "one at a time",
            highlight=False,
        )
    err.print(
        f"{counts} → {output}" + (f" (errors: {job.errors_path})" if counts.failed else ""),
        highlight=False,
    )
    if counts.internal:
        err.print(
            styled(
                f"{counts.internal:,} record(s) failed on a bug of keypoints",
                "bold red",
                f", not on their input: their tracebacks are in {job.errors_path} "
                "(please report them)",
            )
        )
    if counts.damaged:
        raise DamagedInputError(
            f"{input}: {counts.damaged}. The records before the damage are in {output}, "
            f"and the damage in {job.errors_path}: not a complete run"
        )
    if counts.written + counts.skipped == 0:
        raise NoUsableRecordsError(
            f"{input}: no record could be summarized"
            + (f" (see {job.errors_path})" if counts.failed else "")
        )
    if parquet is not None:
        from keypoints.batch.parquet import jsonl_to_parquet

        rows = jsonl_to_parquet(output, parquet)
        err.print(f"wrote {rows:,} rows → {parquet}", highlight=False)
