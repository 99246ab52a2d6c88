"""The `keypoints` command line, one module per command (summarize, eval, batch, train,
build-idf) on one typer app; `main` is the console entry point."""

from __future__ import annotations

import sys

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
from keypoints.errors import ExitCode, KeypointsError
from keypoints.interrupts import Interrupted

__all__ = ["app", "main"]


def main() -> None:
    """Console entry point: user errors become one line on stderr and an exit code.

    Typer itself reports usage errors (exit 2); everything else that escapes a
    command is caught here so the user never sees a traceback.
    """
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
