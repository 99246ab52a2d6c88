"""The typer app every command registers on, and the console for messages (stderr)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from keypoints.version import __version__

app = typer.Typer(
    name="keypoints",
    help="Turn Japanese articles into a short ポイント box: concise points, each traceable "
    "to the sentences it came from.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
# Messages, progress and notes go to stderr; stdout is only what a command produces.
err = Console(stderr=True, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"keypoints {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = None,
) -> None:
    """keypoints: ポイント boxes for Japanese articles."""
