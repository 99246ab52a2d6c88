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
from keypoints.batch import DEFAULT_CHUNK_SIZE
from keypoints.compress import REACH
from keypoints.errors import InputNotFoundError, KeypointsError, NoUsableRecordsError
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
DEFAULT_EVAL_SYSTEMS = "keypoints,lead,lexrank,textrank,oracle"
# Exit code for a failure that is the program's fault, not the input's.
INTERNAL_ERROR = 70


# --max-chars, the same for summarize and batch.
MaxCharsOption = Annotated[
    int,
    typer.Option(
        "--max-chars",
        min=15,
        help="Longest point in characters. Long sentences "
        "are compressed to fit; when too few fit, fewer points are written.",
    ),
]


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


def _explain_table(result: Result, weights: dict[str, float] | None) -> Table:
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
    points: Annotated[
        int, typer.Option("--points", "-n", min=1, max=20, help="How many points to write.")
    ] = 3,
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
    terms: Annotated[
        Path | None,
        typer.Option(
            "--terms",
            help="A UTF-8 file of domain terms, one per line, counted as "
            "entities when scoring (lines starting with # are comments).",
            show_default=False,
        ),
    ] = None,
    max_chars: MaxCharsOption = 70,
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
    if explain:
        summarizer.explain(result)
    out = Console(soft_wrap=True, highlight=False)
    out.print(render(result, format.value, explain=explain), markup=False)
    if len(result.points) < points:
        err.print(
            f"note: {len(result.points)} of {points} points: the article has no more "
            f"sentences that make a well-formed point of at most {max_chars} characters"
        )
    if explain and format is not OutputFormat.json:
        out.print(_explain_table(result, getattr(summarizer.scorer, "weights", None)))


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
    from rich.progress import Progress

    from keypoints.evaluation.baselines import make_systems
    from keypoints.evaluation.gold import load_gold, load_predictions, pair_up
    from keypoints.evaluation.report import print_problems, print_results, write_reports
    from keypoints.evaluation.runner import evaluate_dataset

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
        if predictions is not None:
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
            err.print(f"[yellow]{path}: no usable records, skipped[/]")
            print_problems(problems, err)
            continue
        with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
            task = progress.add_task(path.name, total=len(records) * len(runners))
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
                    progress=lambda _name, k, task=task: progress.advance(task, k),
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


@app.command("train")
def train_command(
    gold: Annotated[
        list[Path],
        typer.Argument(
            help="Gold JSONL files with human-written points (id, title, text, points, summary).",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="Where to write the model (joblib)."),
    ] = Path(f"models/salience-{__version__}.joblib"),
    folds: Annotated[
        int, typer.Option(min=2, max=20, help="Grouped cross-validation folds (by article).")
    ] = 5,
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
    cross-validation on the ROUGE-2 F1 of the points the pipeline then chooses
    (on the human-written references only); the best is refitted on all articles.

    Example: keypoints train gold_poliinfo2020_answers.jsonl gold_poliinfo14_train.jsonl
    --headlines bulk_ldcc.jsonl -o models/salience-0.3.0.joblib
    """
    from rich.progress import Progress

    from keypoints.evaluation.gold import load_gold
    from keypoints.evaluation.report import print_problems
    from keypoints.train import cached_examples, headline_examples, headline_records, train

    records = []
    for path in gold:
        loaded, report = load_gold(path)
        print_problems(report.problems, err)
        records += loaded
    if not records:
        raise NoUsableRecordsError("no gold record to train on")
    if headlines and not headlines.is_file():
        raise InputNotFoundError(f"{headlines}: archive not found")
    pseudo = headline_records(headlines, headline_articles) if headlines else []
    with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("features", total=len(records) + len(pseudo))
        advance = lambda k: progress.advance(task, k)  # noqa: E731
        examples = cached_examples(records, cache, progress=advance)
        examples += headline_examples(pseudo, cache, progress=advance)
    sources = [p.name for p in gold] + ([f"{headlines.name} (headlines)"] if headlines else [])
    model, scores = train(examples, folds=folds, sources=sources)
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
    err.print(
        f"wrote {output} ({output.stat().st_size / 1024:.0f} KiB) from "
        f"{model.card['articles']} articles, {model.card['sentences']} sentences"
    )


class BatchEngine(str, Enum):
    local = "local"
    dask = "dask"


@app.command("batch")
def batch_command(
    input: Annotated[
        str,
        typer.Argument(
            help="A JSONL file of records (id, title, text), gzip'd or not, a "
            "directory of .txt/.md/.html articles (id: the relative path), or - "
            "for JSONL on standard input.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="JSONL file of results: id, title, points, model, "
            "version and options per line, in input order.",
            show_default=False,
        ),
    ],
    points: Annotated[
        int, typer.Option("--points", "-n", min=1, max=20, help="How many points per article.")
    ] = 3,
    max_chars: MaxCharsOption = 70,
    parse_reach: Annotated[
        float,
        typer.Option(
            "--parse-reach",
            min=0.0,
            help="GiNZA parses a picked sentence to compress "
            "it only when it is at most this many times --max-chars long. Lower is "
            "faster, and fewer long sentences become points: 1.0 parses none over "
            "--max-chars (about 1.7 to 1.9 × faster on livedoor news; ROUGE-2 0.7 to 2.1 points "
            "lower on the PoliInfo dev sets), 0 parses none.",
        ),
    ] = REACH,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-w",
            min=1,
            help="Worker processes, each loading the models once. Default: the number of CPUs.",
            show_default=False,
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Continue an interrupted run: skip the ids already in "
            "OUTPUT and the errors file (a half-written last line is cut off). "
            "Needs the options that run had (--points, --max-chars, --parse-reach).",
        ),
    ] = False,
    errors: Annotated[
        Path | None,
        typer.Option(
            "--errors",
            help="JSONL file of failed records (id, line, error, reason). "
            "Default: OUTPUT with .errors.jsonl.",
            show_default=False,
        ),
    ] = None,
    engine: Annotated[
        BatchEngine,
        typer.Option(
            "--engine",
            help="local: a process pool on this machine; dask: a Dask "
            "cluster (needs the batch extra).",
        ),
    ] = BatchEngine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler address (tcp://host:8786); default: a "
            "local cluster of --workers processes.",
            show_default=False,
        ),
    ] = None,
    id_field: Annotated[str, typer.Option("--id-field", help="JSONL field of the id.")] = "id",
    title_field: Annotated[
        str, typer.Option("--title-field", help="JSONL field of the headline.")
    ] = "title",
    text_field: Annotated[
        str, typer.Option("--text-field", help="JSONL field of the article text.")
    ] = "text",
    chunk_size: Annotated[
        int,
        typer.Option(
            "--chunk-size",
            min=1,
            help="Articles per task sent to a worker; GiNZA compresses a task's points in one batch.",
        ),
    ] = DEFAULT_CHUNK_SIZE,
    parquet: Annotated[
        Path | None,
        typer.Option(
            "--parquet",
            help="Also write the results as a Parquet table (needs the "
            "batch extra), from OUTPUT once the run ends.",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    stats: Annotated[
        Path | None,
        typer.Option(
            "--stats", hidden=True, help="Log worker memory and seconds so far per chunk (JSONL)."
        ),
    ] = None,
) -> None:
    """Write the ポイント of every article of an archive, in parallel.

    Failed records go to the errors file and the batch goes on; the counts (read,
    written, failed, skipped) are printed at the end. Output is appended and synced
    chunk by chunk, so an interrupted run loses little: rerun it with --resume.

    Example: keypoints batch articles.jsonl.gz -o points.jsonl --workers 4
    """
    import os

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from keypoints import batch

    if scheduler and engine is not BatchEngine.dask:
        raise typer.BadParameter("--scheduler needs --engine dask", param_hint="--scheduler")
    job = batch.Job(
        input=input,
        output=output,
        errors=errors,
        n_points=points,
        max_chars=max_chars,
        parse_reach=parse_reach,
        workers=workers or os.cpu_count() or 1,
        resume=resume,
        engine=engine.value,
        scheduler=scheduler,
        chunk_size=chunk_size,
        stats=stats,
        fields=batch.Fields(id=id_field, title=title_field, text=text_field),
    )
    bar = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        disable=quiet or not err.is_terminal,
    )
    with bar:
        task = bar.add_task("articles", total=None, rate="")

        def advance(n: int) -> None:
            speed = next(t.speed for t in bar.tasks if t.id == task)
            bar.update(task, advance=n, rate=f"{speed:.1f} articles/s" if speed else "")

        progress = batch.Progress(
            start=lambda total: bar.update(task, total=total),
            advance=advance,
            wants_total=not bar.disable,
        )
        counts = batch.run(job, progress)
    for repaired in counts.repaired:
        err.print(f"resume: cut off a partial last line of {repaired}", highlight=False)
    if counts.rerun:
        err.print(
            f"note: a worker died; {counts.rerun:,} articles in flight were run again, "
            "one at a time",
            highlight=False,
        )
    err.print(
        f"{counts} → {output}" + (f" (errors: {job.errors_path})" if counts.failed else ""),
        highlight=False,
    )
    if counts.written + counts.skipped == 0:
        raise NoUsableRecordsError(
            f"{input}: no record could be summarized"
            + (f" (see {job.errors_path})" if counts.failed else "")
        )
    if parquet is not None:
        from keypoints.batch_parquet import jsonl_to_parquet

        rows = jsonl_to_parquet(output, parquet)
        err.print(f"wrote {rows:,} rows → {parquet}", highlight=False)


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
