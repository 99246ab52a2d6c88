"""`keypoints eval`: score systems against human-written points."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from keypoints.cli.app import app, err, styled
from keypoints.errors import NoUsableRecordsError

DEFAULT_EVAL_SYSTEMS = "keypoints,lead,lexrank,textrank,oracle"


@app.command("eval")
def eval_command(
    gold: Annotated[
        list[Path],
        typer.Argument(
            help="Gold JSONL files (id, title, text, points, summary); the human "
            "reference is `points` when present, else `summary`.",
            show_default=False,
        ),
    ],
    systems: Annotated[
        str | None,
        typer.Option(
            "--systems",
            "-s",
            help="Comma-separated systems to run in-process: "
            "keypoints, lead, lexrank, textrank, random, oracle. Default: "
            "keypoints,lead,lexrank,textrank,oracle; none when --pred is given.",
            show_default=False,
        ),
    ] = None,
    pred: Annotated[
        Path | None,
        typer.Option(
            "--pred",
            help="Predictions to score, as written by `keypoints batch` "
            '({"id", "points": [{"text"}, ...]} per line).',
            show_default=False,
        ),
    ] = None,
    points: Annotated[
        int | None,
        typer.Option(
            "--points",
            "-n",
            min=1,
            max=20,
            help="Points per article for every "
            "system. Default: as many as the human reference has (at most 10).",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=1,
            help="Use only the first N records of each gold file.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Directory for results.json, results.csv, report.md, report.html and the charts.",
            show_default=False,
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for the random baseline and the bootstrap.")] = 0,
    resamples: Annotated[
        int, typer.Option(min=100, help="Bootstrap resamples for intervals and paired tests.")
    ] = 1000,
) -> None:
    """Score systems against human-written points: ROUGE on Sudachi tokens and characters,
    point alignment, entity recall, lengths, with 95% bootstrap intervals and paired tests.

    Example: keypoints eval ../shared/data/gold_poliinfo2020_answers.jsonl --out out/eval
    """
    from rich.progress import Progress, TaskID

    from keypoints.evaluation.gold import load_gold, load_predictions, pair_up
    from keypoints.evaluation.report import print_problems, print_results, write_reports
    from keypoints.evaluation.runner import evaluate_dataset
    from keypoints.evaluation.systems import make_systems

    if systems is None:
        systems = "" if pred is not None else DEFAULT_EVAL_SYSTEMS
    names = [name.strip() for name in systems.split(",") if name.strip()]
    try:
        runners = make_systems(names, seed=seed)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--systems") from error
    predictions = None
    pred_problems = []
    if pred is not None:
        predictions, pred_report = load_predictions(pred)
        pred_problems = pred_report.problems
    results = []
    for path in gold:
        records, report = load_gold(path)
        problems = [*report.problems]
        by_system = None
        if predictions is not None and pred is not None:
            paired, pair_problems = pair_up(records, predictions)
            for problem in pair_problems:
                problem.file = f"{path.name} vs {pred.name}"
            problems += [*pred_problems, *pair_problems]
            paired = paired[:limit] if limit else paired
            records = [record for record, _ in paired]
            by_system = {f"pred:{pred.stem}": {r.id: p for r, p in paired}}
        elif limit:
            records = records[:limit]
        if not records:
            err.print(styled(f"{path}: no usable records, skipped", "yellow"))
            print_problems(problems, err)
            continue
        with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
            task = progress.add_task(path.name, total=len(records) * len(runners))

            def advance(_system: str, k: int, task: TaskID = task) -> None:
                progress.advance(task, k)

            results.append(
                evaluate_dataset(
                    path.stem,
                    records,
                    runners,
                    n=points,
                    predictions=by_system,
                    problems=problems,
                    seed=seed,
                    n_resamples=resamples,
                    progress=advance,
                )
            )
        err.print(
            f"{path.name}: {len(records)} of {report.lines} records scored"
            f"{f', {len(problems)} problem(s)' if problems else ''}"
        )
    print_results(results)
    if out is not None:
        for written in write_reports(results, out):
            err.print(f"wrote {written}")
    if not results:
        raise NoUsableRecordsError("no gold file had a usable record")
