"""The `keypoints` command line: summarize articles, build the IDF table."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from keypoints import __version__
from keypoints.errors import InputNotFoundError, KeypointsError
from keypoints.types import Result

app = typer.Typer(
    name="keypoints",
    help="Turn Japanese articles into a short ポイント box: concise points, each traceable "
    "to the sentences it came from.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err = Console(stderr=True, soft_wrap=True)
# Exit code for a failure that is the program's fault, not the input's.
INTERNAL_ERROR = 70


class InputFormat(str, Enum):
    auto = "auto"
    text = "text"
    markdown = "markdown"
    html = "html"
    json = "json"


class OutputFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


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


def read_terms(path: Path) -> list[str]:
    """One term per line; blank lines and lines starting with # are ignored."""
    from keypoints.ingest import decode

    if not path.is_file():
        raise InputNotFoundError(f"{path}: terms file not found")
    lines = decode(path.read_bytes(), str(path)).splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _explain_table(result: Result, weights: dict[str, float]) -> Table:
    """Features (rows) of each chosen sentence (columns): value and weighted contribution."""
    table = Table(title="Why these sentences: feature value (contribution = value × weight)")
    table.add_column("feature")
    table.add_column("weight", justify="right")
    for i, point in enumerate(result.points, start=1):
        table.add_column(f"point {i} (s{point.sentence_ids[0]})", justify="right")
    for name, weight in weights.items():
        cells = [
            f"{point.features.get(name, 0.0):.2f} ({point.contributions.get(name, 0.0):+.2f})"
            for point in result.points
        ]
        table.add_row(name, f"{weight:+.2f}", *cells)
    table.add_row("score", "", *(f"{p.score:.3f}" for p in result.points), style="bold")
    return table


@app.command()
def summarize(
    file: Annotated[
        str,
        typer.Argument(
            help="Article to summarize: a .txt, .md, .html or .json file ({\"id\",\"title\","
            "\"text\"}), or - to read standard input.",
            show_default=False,
        ),
    ],
    points: Annotated[
        int, typer.Option("--points", "-n", min=1, max=20, help="How many points to write.")
    ] = 3,
    format: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="text: ・ bullets; markdown: a ポイント box; "
                     "json: points with sentence ids, character spans, scores and entities."),
    ] = OutputFormat.text,
    explain: Annotated[
        bool,
        typer.Option("--explain", help="Also show each chosen sentence's features, weights "
                     "and score (a table; in JSON, extra fields per point)."),
    ] = False,
    terms: Annotated[
        Path | None,
        typer.Option("--terms", help="A UTF-8 file of domain terms, one per line, counted as "
                     "entities when scoring (lines starting with # are comments).",
                     show_default=False),
    ] = None,
    max_chars: Annotated[
        int,
        typer.Option("--max-chars", min=15, help="Longest point in characters; shorter "
                     "sentences are preferred, a longer one is cut at a clause break."),
    ] = 70,
    title: Annotated[
        str | None,
        typer.Option("--title", help="The headline, when the file does not start with it.",
                     show_default=False),
    ] = None,
    input_format: Annotated[
        InputFormat,
        typer.Option("--input-format", help="How to read FILE; auto goes by the file "
                     "extension, then by the content."),
    ] = InputFormat.auto,
) -> None:
    """Write the ポイント of one article.

    Example: keypoints summarize corpora/samples/medical_regulation.txt --format markdown
    """
    from keypoints.ingest import decode, ingest, read_input
    from keypoints.pipeline import Settings, Summarizer
    from keypoints.render import render

    data, detected = read_input(file)
    text = decode(data, "standard input" if file == "-" else file)
    chosen_format = detected if input_format is InputFormat.auto else input_format.value
    article = ingest(text, format=chosen_format, title=title)
    extra_terms = read_terms(terms) if terms else []
    summarizer = Summarizer(Settings(n_points=points, max_chars=max_chars, terms=extra_terms))
    result = summarizer.summarize(article)
    out = Console(soft_wrap=True, highlight=False)
    out.print(render(result, format.value, explain=explain), markup=False)
    if explain and format is not OutputFormat.json:
        out.print(_explain_table(result, summarizer.scorer.weights))


@app.command("build-idf")
def build_idf_command(
    archive: Annotated[
        Path, typer.Argument(help="A JSONL archive of articles (fields title and text).")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write the gzip TSV table.")
    ] = Path("models/idf-ldcc.tsv.gz"),
    min_df: Annotated[
        int, typer.Option("--min-df", min=1, help="Keep words seen in at least this many articles.")
    ] = 3,
) -> None:
    """Build the background IDF table (SudachiPy normalized content words) from an archive."""
    from keypoints.idf import build_idf, iter_jsonl_texts, save_idf

    if not archive.is_file():
        raise InputNotFoundError(f"{archive}: archive not found")
    table = build_idf(iter_jsonl_texts(archive), min_df=min_df)
    save_idf(table, output)
    err.print(f"wrote {len(table.idf):,} words from {table.n_documents:,} articles to {output}")


def main() -> None:
    """Console entry point: user errors become one line on stderr and an exit code.

    Typer itself reports usage errors (exit 2); everything else that escapes a
    command is caught here so the user never sees a traceback.
    """
    try:
        app()
    except KeypointsError as error:
        err.print(f"[bold red]error:[/] {error}", highlight=False)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
        err.print(f"[bold red]internal error:[/] {type(error).__name__}: {error}", highlight=False)
        sys.exit(INTERNAL_ERROR)


if __name__ == "__main__":
    main()
