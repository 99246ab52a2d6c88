"""`keypoints train-compression`: fit the learned compressor on human-written points."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from keypoints.cli.app import app, err
from keypoints.cli.options import (
    FoldsOption,
    GoldFilesArgument,
    model_output_option,
    read_gold_files,
)
from keypoints.version import __version__


@app.command("train-compression")
def train_compression_command(
    gold: GoldFilesArgument,
    output: Annotated[Path, model_output_option()] = Path(
        f"models/compression-{__version__}.joblib"
    ),
    folds: FoldsOption = 5,
) -> None:
    """Train the learned compressor and save it with its card.

    Each human point is aligned with the body sentence it was written from; GiNZA
    parses the sentence, and each phrase (a bunsetu with its dependents) is labelled
    kept or dropped by the point. A logistic regression and gradient boosting are
    compared by grouped cross-validation on held-out phrases; the better is refitted.

    Example: keypoints train-compression gold_ldcc_news_dev.jsonl
    gold_poliinfo2020_answers.jsonl gold_poliinfo14_train.jsonl
    """
    from rich.console import Console
    from rich.table import Table

    from keypoints.training.compression import train

    records = read_gold_files(gold)
    model, scores = train(records, folds=folds, sources=[p.name for p in gold], progress=err.print)
    table = Table(title=f"Held-out phrases ({folds} folds grouped by article)")
    for column in ("classifier", "log-loss", "ROC AUC"):
        table.add_column(column, justify="left" if column == "classifier" else "right")
    for name, values in scores.items():
        chosen = " (chosen)" if name == model.card["classifier"] else ""
        table.add_row(name + chosen, f"{values['log_loss']:.4f}", f"{values['roc_auc']:.4f}")
    Console(soft_wrap=True).print(table)
    model.save(output)
    err.print(
        f"wrote {output} ({output.stat().st_size / 1024:.0f} KiB) from {model.card['pairs']} "
        f"sentence–point pairs, {model.card['phrases']} phrases"
    )
