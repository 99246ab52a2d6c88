"""Every error a user can cause, each with its exit code, and the one table of exit codes.

The CLI turns a `KeypointsError` into one line on stderr and `sys.exit(error.exit_code)`;
the README's exit-code table is `exit_code_table()` (a test keeps the two equal).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes; the BSD sysexits numbers (64-78) where one fits."""

    OK = 0
    USAGE = 2
    EMPTY_INPUT = 3
    NO_JAPANESE = 4
    INVALID_RECORD = 5
    NO_USABLE_RECORDS = 6
    DATA_ERROR = 65  # EX_DATAERR
    NO_INPUT = 66  # EX_NOINPUT
    UNAVAILABLE = 69  # EX_UNAVAILABLE
    INTERNAL = 70  # EX_SOFTWARE
    CANNOT_CREATE = 73  # EX_CANTCREAT
    LOCKED = 75  # EX_TEMPFAIL: another process holds the output; try again later
    INTERRUPTED = 130  # 128 + SIGINT
    TERMINATED = 143  # 128 + SIGTERM


# What each exit code means, as the README lists them.
EXIT_CODE_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "points written",
    ExitCode.USAGE: "wrong usage (unknown option, `--points 0`, missing argument)",
    ExitCode.EMPTY_INPUT: "empty or whitespace-only article",
    ExitCode.NO_JAPANESE: "no Japanese text in the article",
    ExitCode.INVALID_RECORD: "a JSON record that is invalid or has no `text`",
    ExitCode.NO_USABLE_RECORDS: "`eval`, `train`, `batch`: not one record could be used",
    ExitCode.DATA_ERROR: "not text (a binary file), an encoding that cannot be told (pass "
    "`--encoding`), bytes that are not text in the `--encoding` given, an article over "
    "`--max-bytes` or a `--terms` file over 1 MB; `batch`: a damaged `.gz` input (the records "
    "before the damage are written, the damage is in the errors file)",
    ExitCode.NO_INPUT: "file not found, a directory, or not readable (permission denied)",
    ExitCode.UNAVAILABLE: "`batch --engine dask`: Dask is not installed or the scheduler cannot "
    "be reached; `batch --parquet`: pyarrow is not installed; `serve`: the `web` extra is not "
    "installed, or the port is taken",
    ExitCode.INTERNAL: "internal error (a bug: please report it)",
    ExitCode.CANNOT_CREATE: "`batch`: the output cannot be written, exists already (use "
    "`--resume`), or was made with other options than `--resume` was given",
    ExitCode.LOCKED: "`batch`: another `keypoints batch` is writing the same output",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C); `batch`: run again with `--resume` to continue",
    ExitCode.TERMINATED: "terminated (SIGTERM); `batch`: run again with `--resume` to continue",
}


def exit_code_table() -> str:
    """The exit codes as the README's Markdown table."""
    rows = ["| exit code | meaning |", "| --- | --- |"]
    rows += [f"| {code.value} | {meaning} |" for code, meaning in EXIT_CODE_MEANINGS.items()]
    return "\n".join(rows)


class KeypointsWarning(UserWarning):
    """Base class of keypoints' warnings: the command line prints them as one line."""


class KeypointsError(Exception):
    """Base class: a one-line message and a distinct process exit code."""

    exit_code: ExitCode = ExitCode.INTERNAL


class InputNotFoundError(KeypointsError):
    exit_code = ExitCode.NO_INPUT


class UndecodableInputError(KeypointsError):
    """A binary file, bytes whose encoding cannot be told, or not text in the one forced."""

    exit_code = ExitCode.DATA_ERROR


class InputTooLargeError(KeypointsError):
    """An article (a file, standard input or a JSONL line) over the `--max-bytes` limit,
    or a `--terms` file over 1 MB."""

    exit_code = ExitCode.DATA_ERROR


class EmptyInputError(KeypointsError):
    exit_code = ExitCode.EMPTY_INPUT


class NoJapaneseError(KeypointsError):
    exit_code = ExitCode.NO_JAPANESE


class InvalidRecordError(KeypointsError):
    """A JSON record that is malformed or lacks `text`."""

    exit_code = ExitCode.INVALID_RECORD


class DuplicateIdError(InvalidRecordError):
    """A batch record whose id was already used by an earlier line of the same input."""


class NoUsableRecordsError(KeypointsError):
    """An evaluation, training or batch input in which not one record could be used."""

    exit_code = ExitCode.NO_USABLE_RECORDS


class ModelError(KeypointsError):
    """A shipped model or table is missing or incompatible."""

    exit_code = ExitCode.INTERNAL


class OutputError(KeypointsError):
    """A batch output or errors file cannot be written, or exists without --resume."""

    exit_code = ExitCode.CANNOT_CREATE


class UnavailableError(KeypointsError):
    """An optional part is not installed or cannot be reached (Dask, pyarrow)."""

    exit_code = ExitCode.UNAVAILABLE


class DaskUnavailableError(UnavailableError):
    """`--engine dask` without dask.distributed installed, or no scheduler to reach."""


class ParquetUnavailableError(UnavailableError):
    """`--parquet` without pyarrow installed."""


class OutputLockedError(KeypointsError):
    """Another `keypoints batch` holds the lock of the same output."""

    exit_code = ExitCode.LOCKED


class DamagedInputError(KeypointsError):
    """A compressed input is damaged (corrupt or truncated) after some records."""

    exit_code = ExitCode.DATA_ERROR


class WebUnavailableError(UnavailableError):
    """`serve` without the `web` extra, or on a port that is taken."""
