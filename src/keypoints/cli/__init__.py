"""The `keypoints` command line, one module per command (summarize, eval, batch, train,
build-idf) on one typer app; `main` is the console entry point."""

from __future__ import annotations

import sys

from rich.markup import escape

from keypoints.cli import (  # noqa: F401  (each module registers its command)
    batch,
    build_idf,
    evaluate,
    serve,
    summarize,
    train,
    train_compression,
)
from keypoints.cli.app import app, err
from keypoints.errors import ExitCode, KeypointsError

__all__ = ["app", "main"]


def main() -> None:
    """Console entry point: user errors become one line on stderr and an exit code.

    Typer itself reports usage errors (exit 2); everything else that escapes a
    command is caught here so the user never sees a traceback.
    """
    try:
        app()
    except KeypointsError as error:
        # escape: a file name or a glimpse of its text may hold [brackets] of rich markup.
        err.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        sys.exit(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        sys.exit(ExitCode.OK)
    except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
        err.print(
            f"[bold red]internal error:[/] {type(error).__name__}: {escape(str(error))}",
            highlight=False,
        )
        sys.exit(ExitCode.INTERNAL)
