"""The typer app every command registers on, and the console for messages (stderr)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

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
# No markup, emoji or highlighting: messages quote user text (paths, ids, reasons), and
# rich would rewrite `:warning:` or `[bold]` in it (or fail on `[/x]`); style is given
# explicitly with `styled`.
err = Console(stderr=True, soft_wrap=True, markup=False, emoji=False, highlight=False)


def styled(label: str, style: str, rest: str = "") -> Text:
    """`label` in `style`, then `rest` as it is: err.print(styled("error:", "bold red", " …"))."""
    return Text.assemble((label, style), rest)


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
