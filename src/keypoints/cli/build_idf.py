"""`keypoints build-idf`: the background IDF table from a news archive."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from keypoints.cli.app import app, err
from keypoints.errors import InputNotFoundError


@app.command("build-idf")
def build_idf_command(
    archive: Annotated[
        Path, typer.Argument(help="A JSONL archive of articles (fields title and text).")
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Where to write the gzip TSV table [default: $KEYPOINTS_IDF, else "
            "models/idf.tsv.gz, where summarize, batch and serve look for it].",
            show_default=False,
        ),
    ] = None,
    min_df: Annotated[
        int, typer.Option("--min-df", min=1, help="Keep words seen in at least this many articles.")
    ] = 3,
) -> None:
    """Build the background IDF table (SudachiPy normalized content words) from an archive."""
    from keypoints.idf import build_idf, default_idf_path, iter_jsonl_texts, save_idf
    from keypoints.io.jsonl import JsonLine

    if not archive.is_file():
        raise InputNotFoundError(f"{archive}: archive not found")
    output = output if output is not None else default_idf_path()
    problems: list[JsonLine] = []
    table = build_idf(iter_jsonl_texts(archive, problems=problems), min_df=min_df)
    save_idf(table, output)
    for problem in problems[:20]:
        err.print(f"{archive} line {problem.number}: {problem.problem} (skipped)", highlight=False)
    err.print(
        f"wrote {len(table.idf):,} words from {table.n_documents:,} articles to {output}"
        + (f"; {len(problems):,} lines skipped" if problems else "")
    )
