"""`keypoints train`: fit the salience model on human-written points."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from keypoints.cli.app import app, err
from keypoints.cli.options import (
    FoldsOption,
    GoldFilesArgument,
    model_output_option,
    read_gold_files,
)
from keypoints.errors import InputNotFoundError
from keypoints.version import __version__


@app.command("train")
def train_command(
    gold: GoldFilesArgument,
    output: Annotated[Path, model_output_option()] = Path(f"models/salience-{__version__}.joblib"),
    folds: FoldsOption = 5,
    cache: Annotated[
        Path | None,
        typer.Option(
            "--cache", help="Directory to keep extracted features between runs.", show_default=False
        ),
    ] = None,
    headlines: Annotated[
        Path | None,
        typer.Option(
            "--headlines",
            help="A JSONL news archive (title, text): its headlines "
            "serve as one-point pseudo-references, so the model also learns news.",
            show_default=False,
        ),
    ] = None,
    headline_articles: Annotated[
        int, typer.Option(min=1, help="How many --headlines articles to sample (seeded).")
    ] = 800,
) -> None:
    """Train the salience model on human-written points and save it with its card.

    Candidates (ridge regression, gradient boosting) are compared by grouped
    cross-validation on the ROUGE-2 F1 of the points the pipeline then writes (on
    the human-written references of the articles it will serve); the best is
    refitted on all articles. A second model, for articles in plain prose (news), is fitted on the plain-prose
    gold articles with labels from their sentences as the shipped compression model
    compresses them; the saved model sends each article to the model of its
    register (polite speech: the general one). Train the compression model first.

    Example: keypoints train gold_ldcc_news_dev.jsonl gold_poliinfo2020_answers.jsonl
    gold_poliinfo14_train.jsonl --headlines bulk_ldcc.jsonl -o models/salience-0.7.5.joblib
    """
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    from keypoints.stages.compress.learned import default_compression_model
    from keypoints.training.examples import cached_examples, headline_examples, headline_records
    from keypoints.training.registers import train_by_register

    records = read_gold_files(gold)
    if headlines and not headlines.is_file():
        raise InputNotFoundError(f"{headlines}: archive not found")
    gold_ids = {r.id for r in records}  # a gold article is not also a headline example
    pseudo = headline_records(headlines, headline_articles, exclude=gold_ids) if headlines else []
    with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("features", total=len(records) + len(pseudo))

        def advance(k: int) -> None:
            progress.advance(task, k)

        examples = cached_examples(records, cache, progress=advance)
        examples += headline_examples(pseudo, cache, progress=advance)
    sources = [p.name for p in gold] + ([f"{headlines.name} (headlines)"] if headlines else [])
    compression = default_compression_model()
    model, scores = train_by_register(
        examples, folds=folds, sources=sources, compression_model=compression
    )
    table = Table(
        title=f"Cross-validated ROUGE F1 ×100 of the chosen points ({folds} folds, mean over gold sets)"
    )
    for column in ("candidate", "R-1", "R-2", "R-L"):
        table.add_column(column, justify="left" if column == "candidate" else "right")
    for name, values in scores.items():
        chosen = " (chosen)" if name == model.card["estimator"] else ""
        table.add_row(
            name + chosen, *(f"{100 * values[k]:.2f}" for k in ("rouge1", "rouge2", "rougeL"))
        )
    Console(soft_wrap=True).print(table)
    model.save(output)
    plain = model.card.get("by_register")
    if plain:
        err.print(
            f"plain-register model: {plain['estimator']} on {plain['articles']} articles, "
            f"labelled by {plain['compressor']}"
        )
    err.print(
        f"wrote {output} ({output.stat().st_size / 1024:.0f} KiB) from "
        f"{model.card['articles']} articles, {model.card['sentences']} sentences"
    )
