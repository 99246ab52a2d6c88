"""`keypoints summarize`: the ポイント of one article."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from keypoints.cli.app import app, err
from keypoints.cli.options import (
    EncodingOption,
    InputFormat,
    MaxBytesOption,
    MaxCharsOption,
    OutputFormat,
    ParseReachOption,
    PointsOption,
    TermsOption,
    settings_of,
)
from keypoints.io.charsets import AUTO, Decoded
from keypoints.io.files import DEFAULT_MAX_BYTES
from keypoints.settings import DEFAULTS
from keypoints.structures import Result


@app.command()
def summarize(
    file: Annotated[
        str,
        typer.Argument(
            help='Article to summarize: a .txt, .md, .html or .json file ({"id","title",'
            '"text"}), or - to read standard input.',
            show_default=False,
        ),
    ],
    points: PointsOption = DEFAULTS.n_points,
    format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="text: ・ bullets; markdown: a ポイント box; "
            "json: points with sentence ids, character spans, scores and entities.",
        ),
    ] = OutputFormat.text,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Also show each chosen sentence's features, weights "
            "and score (a table; in JSON, extra fields per point).",
        ),
    ] = False,
    terms: TermsOption = None,
    max_chars: MaxCharsOption = DEFAULTS.max_chars,
    parse_reach: ParseReachOption = DEFAULTS.parse_reach,
    title: Annotated[
        str | None,
        typer.Option(
            "--title",
            help="The headline, when the file does not start with it.",
            show_default=False,
        ),
    ] = None,
    input_format: Annotated[
        InputFormat,
        typer.Option(
            "--input-format",
            help="How to read FILE; auto goes by the file extension, then by the content.",
        ),
    ] = InputFormat.auto,
    encoding: EncodingOption = AUTO,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
) -> None:
    """Write the ポイント of one article.

    FILE may be UTF-8, UTF-16, Shift_JIS, EUC-JP or ISO-2022-JP (detected; --encoding
    chooses one).

    Example: keypoints summarize corpora/samples/medical_regulation.txt --format markdown
    """
    from keypoints.pipeline import Summarizer
    from keypoints.render import render
    from keypoints.stages.ingest import ingest

    decoded, detected = read_article_saying_so(file, encoding, max_bytes)
    chosen_format = detected if input_format is InputFormat.auto else input_format.value
    article = ingest(decoded.text, format=chosen_format, title=title)
    summarizer = Summarizer(settings_of(points, max_chars, parse_reach, terms))
    result = summarizer.summarize(article)
    if explain:
        summarizer.explain(result)
    # Exactly what the library returns: rich would rewrite :warning: or [bold] in it.
    sys.stdout.write(render(result, format.value, explain=explain) + "\n")
    sys.stdout.flush()
    if len(result.points) < points:
        err.print(
            f"note: {len(result.points)} of {points} points: the article has no more "
            f"sentences that make a well-formed point of at most {max_chars} characters"
        )
    if explain and format is not OutputFormat.json:
        # Feature names and numbers only: no article text for rich to rewrite.
        Console(soft_wrap=True).print(
            explain_table(result, getattr(summarizer.scorer, "weights", None))
        )


def read_article_saying_so(file: str, encoding: str, max_bytes: int) -> tuple[Decoded, str]:
    """`read_article`, with a line on stderr before a read that may wait for a person
    (standard input on a terminal, a FIFO) and after an encoding was detected."""
    from keypoints.io.files import read_article

    if file == "-" and sys.stdin.isatty():
        err.print("reading the article from standard input (Ctrl-D to end)", highlight=False)
    elif file != "-" and Path(file).is_fifo():
        err.print(f"reading the article from the FIFO {file}", markup=False, highlight=False)
    decoded, fmt = read_article(file, encoding=encoding, max_bytes=max_bytes)
    if decoded.note:
        err.print(f"note: {decoded.note}", markup=False, highlight=False)
    return decoded, fmt


def explain_table(result: Result, weights: dict[str, float] | None) -> Table:
    """Features (rows) of each chosen sentence (columns): value and contribution.

    With the default weights a contribution is value × weight; with the learned
    model it is how much the salience drops when the feature takes its average value.
    """
    how = "value × weight" if weights else "salience minus salience with the feature at its mean"
    table = Table(title=f"Why these sentences: feature value (contribution = {how})")
    table.add_column("feature")
    if weights:
        table.add_column("weight", justify="right")
    for i, point in enumerate(result.points, start=1):
        table.add_column(f"point {i} (s{point.sentence_ids[0]})", justify="right")
    names = list(weights) if weights else list(result.points[0].features) if result.points else []
    for name in names:
        cells = [
            f"{point.features.get(name, 0.0):.2f} ({point.contributions.get(name, 0.0):+.2f})"
            for point in result.points
        ]
        table.add_row(name, *([f"{weights[name]:+.2f}"] if weights else []), *cells)
    table.add_row(
        "score",
        *([""] if weights else []),
        *(f"{p.score:.3f}" for p in result.points),
        style="bold",
    )
    return table
