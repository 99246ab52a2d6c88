"""The `keypoints` command line, one module per command (summarize, eval, batch, train,
build-idf) on one typer app; `main` is the console entry point."""

from __future__ import annotations

import sys
import warnings
from typing import Any, TextIO

from keypoints.cli import (  # noqa: F401  (each module registers its command)
    batch,
    build_idf,
    evaluate,
    serve,
    summarize,
    train,
    train_compression,
)
from keypoints.cli.app import app, err, styled
from keypoints.errors import ExitCode, KeypointsError, KeypointsWarning
from keypoints.interrupts import Interrupted

__all__ = ["app", "main"]


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
    _show_other: Any = warnings.showwarning,
) -> None:
    """keypoints' own warnings as one line, `warning: …`; any other as Python shows it."""
    if issubclass(category, KeypointsWarning):
        err.print(styled("warning:", "bold yellow", f" {message}"))
    else:
        _show_other(message, category, filename, lineno, file, line)


def main() -> None:
    """Console entry point: user errors become one line on stderr and an exit code.

    Typer itself reports usage errors (exit 2); everything else that escapes a
    command is caught here so the user never sees a traceback.
    """
    warnings.showwarning = _show_warning
    try:
        app()
    except KeypointsError as error:
        err.print(styled("error:", "bold red", f" {error}"))
        sys.exit(error.exit_code)
    except Interrupted as stop:  # SIGINT or SIGTERM (keypoints.interrupts)
        err.print(stop.message)
        sys.exit(stop.exit_code)
    except KeyboardInterrupt:  # a Ctrl-C before the handlers were installed
        err.print("interrupted")
        sys.exit(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        sys.exit(ExitCode.OK)
    except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
        err.print(styled("internal error:", "bold red", f" {type(error).__name__}: {error}"))
        sys.exit(ExitCode.INTERNAL)
