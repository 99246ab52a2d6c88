"""Evaluation output: a rich table in the terminal; JSON, CSV, Markdown and HTML files."""

from __future__ import annotations

import base64
import csv
import html
import json
import math
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from rich.console import Console
from rich.table import Table

from keypoints.evaluation.runner import ROUGE_KEYS, ArticleScores, DatasetResult, SystemSummary

# Column labels for the headline metrics: ROUGE F1 on Sudachi tokens and characters.
LABELS = {
    "rouge1_f": "R-1",
    "rouge2_f": "R-2",
    "rougeL_f": "R-L",
    "rouge1_char_f": "R-1 ch",
    "rouge2_char_f": "R-2 ch",
    "rougeL_char_f": "R-L ch",
    "align_mean": "align",
    "align_matched_share": "matched",
    "entity_recall": "ent rec",
    "all_points": "all N",
}
CHART_METRICS = tuple(f"{key}_f" for key in ROUGE_KEYS)


def _pct(value: float) -> str:
    return "—" if math.isnan(value) else f"{100 * value:.1f}"


def _mean_cell(summary: SystemSummary, metric: str) -> str:
    """The mean × 100, with * when the paired test against the reference gives p < 0.05."""
    marker = "*" if summary.p_values.get(metric, 1.0) < 0.05 else ""
    return f"{_pct(summary.metrics[metric].mean)}{marker}"


def terminal_table(result: DatasetResult) -> Table:
    """Systems × metrics (F1 × 100, 95% CI below), with a paired-test marker."""
    table = Table(
        title=f"{result.dataset}: {result.n_articles} articles "
        f"(ROUGE F1 ×100 on Sudachi tokens and characters; ± half the 95% CI; "
        f"* p<0.05 vs {result.reference_system})",
        title_justify="left",
    )
    table.add_column("system", style="bold")
    for label in LABELS.values():
        table.add_column(label, justify="right")
    table.add_column("chars/pt", justify="right")
    table.add_column("pts", justify="right")
    for summary in result.systems:
        cells = []
        for metric in LABELS:
            cells.append(f"{_mean_cell(summary, metric)} {_half_width(summary.metrics[metric])}")
        table.add_row(
            summary.system,
            *cells,
            f"{summary.mean_chars_per_point:.0f}",
            f"{summary.mean_points:.1f}",
        )
    return table


def _half_width(interval) -> str:
    if math.isnan(interval.low):
        return ""
    return f"±{100 * (interval.high - interval.low) / 2:.1f}"


def print_results(results: Sequence[DatasetResult], console: Console | None = None) -> None:
    # Wide enough for every column even when the output goes to a file or a pipe.
    console = console or Console(width=max(Console().width, 150), soft_wrap=True)
    for result in results:
        console.print(terminal_table(result))
        print_problems(result.problems, console)


def print_problems(problems: Sequence[object], console: Console, limit: int = 20) -> None:
    """The first `limit` input problems, one a line, and how many more there are."""
    if not problems:
        return
    console.print(f"[yellow]{len(problems)} problem(s) with the input:[/]")
    for problem in problems[:limit]:
        console.print(f"  {problem}", markup=False, highlight=False)
    if len(problems) > limit:
        console.print(f"  … and {len(problems) - limit} more (all in results.json with --out)")


def _markdown_table(result: DatasetResult) -> str:
    header = ["system", *LABELS.values(), "chars/pt", "pts"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for summary in result.systems:
        cells = [summary.system]
        for metric in LABELS:
            cells.append(
                f"{_mean_cell(summary, metric)} {_half_width(summary.metrics[metric])}".strip()
            )
        cells += [f"{summary.mean_chars_per_point:.0f}", f"{summary.mean_points:.1f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown_tables(results: Sequence[DatasetResult]) -> str:
    """One Markdown table per dataset, as pasted into the README."""
    blocks = []
    for result in results:
        blocks.append(
            f"**{result.dataset}** ({result.n_articles} articles; F1 × 100 ± half the 95% CI; "
            f"* paired bootstrap p < 0.05 against {result.reference_system})\n\n"
            f"{_markdown_table(result)}"
        )
    return "\n\n".join(blocks)


def _chart_png(result: DatasetResult, path: Path) -> None:
    """Grouped bars: ROUGE F1 per system with 95% confidence intervals."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    systems = result.systems
    x = np.arange(len(CHART_METRICS))
    width = 0.8 / max(len(systems), 1)
    fig, ax = plt.subplots(figsize=(9, 4), dpi=110)
    for i, summary in enumerate(systems):
        means = np.array([100 * summary.metrics[m].mean for m in CHART_METRICS])
        low = np.array([100 * summary.metrics[m].low for m in CHART_METRICS])
        high = np.array([100 * summary.metrics[m].high for m in CHART_METRICS])
        ax.bar(
            x + (i - (len(systems) - 1) / 2) * width,
            means,
            width,
            yerr=[np.maximum(means - low, 0), np.maximum(high - means, 0)],
            capsize=2,
            label=summary.system,
        )
    ax.set_xticks(x, [LABELS[m] for m in CHART_METRICS])
    ax.set_ylabel("F1 × 100")
    ax.set_title(f"{result.dataset}: ROUGE F1 with 95% bootstrap CI ({result.n_articles} articles)")
    ax.legend(fontsize=8, ncols=min(len(systems), 6))
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _extremes(result: DatasetResult, metric: str = "rougeL_f") -> list[tuple[str, ArticleScores]]:
    """The reference system's best and worst article by `metric`."""
    ours = [a for a in result.articles if a.system == result.reference_system]
    if not ours:
        return []
    ranked = sorted(ours, key=lambda a: a.metrics[metric])
    return [("best", ranked[-1]), ("worst", ranked[0])]


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)


def write_reports(results: Sequence[DatasetResult], out_dir: Path) -> list[Path]:
    """results.json, results.csv, report.md, report.html and one chart per dataset."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []

    json_path = out_dir / "results.json"
    json_path.write_text(
        json.dumps(_without_nan([asdict(r) for r in results]), ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    csv_path = out_dir / "results.csv"
    with open(csv_path, "w", newline="", encoding="utf-8") as handle:
        metric_names = sorted({m for r in results for a in r.articles for m in a.metrics})
        writer = csv.writer(handle)
        writer.writerow(["dataset", "id", "system", *metric_names, "points"])
        for result in results:
            for article in result.articles:
                writer.writerow(
                    [result.dataset, article.id, article.system]
                    + [f"{article.metrics.get(m, math.nan):.6f}" for m in metric_names]
                    + [" / ".join(article.points)]
                )
    written += [json_path, csv_path]

    md_parts = ["# keypoints evaluation", ""]
    html_parts = [
        "<!doctype html><html lang='ja'><head><meta charset='utf-8'>",
        "<title>keypoints evaluation</title><style>body{font-family:sans-serif;max-width:70em;"
        "margin:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em;"
        "vertical-align:top}</style></head><body><h1>keypoints evaluation</h1>",
    ]
    for result in results:
        chart = out_dir / f"chart-{_slug(result.dataset)}.png"
        _chart_png(result, chart)
        written.append(chart)
        md_parts += [
            f"## {result.dataset}",
            "",
            _markdown_table(result),
            "",
            f"![chart]({chart.name})",
            "",
        ]
        encoded = base64.b64encode(chart.read_bytes()).decode()
        html_parts += [
            f"<h2>{html.escape(result.dataset)}</h2>",
            _html_table(result),
            f"<p><img alt='ROUGE chart' src='data:image/png;base64,{encoded}'></p>",
        ]
        for label, article in _extremes(result):
            human = result.references[article.id]
            md_parts += [
                f"### {label} article for {result.reference_system}: {article.id} "
                f"(R-L {_pct(article.metrics['rougeL_f'])})",
                "",
                "| human points | generated points |",
                "|---|---|",
                f"| {'<br>'.join(human)} | {'<br>'.join(article.points)} |",
                "",
            ]
            html_parts += [
                f"<h3>{label} article: {html.escape(article.id)} "
                f"(R-L {_pct(article.metrics['rougeL_f'])})</h3>",
                "<table><tr><th>human points</th><th>generated points</th></tr><tr><td>"
                + "<br>".join(map(html.escape, human))
                + "</td><td>"
                + "<br>".join(map(html.escape, article.points))
                + "</td></tr></table>",
            ]
        if result.problems:
            md_parts += [f"{len(result.problems)} input problems, listed in results.json.", ""]
    md_path = out_dir / "report.md"
    md_path.write_text("\n".join(md_parts), encoding="utf-8")
    html_path = out_dir / "report.html"
    html_path.write_text("\n".join(html_parts) + "</body></html>", encoding="utf-8")
    return [*written, md_path, html_path]


def _html_table(result: DatasetResult) -> str:
    head = "".join(
        f"<th>{html.escape(h)}</th>" for h in ["system", *LABELS.values(), "chars/pt", "pts"]
    )
    rows = []
    for summary in result.systems:
        cells = [html.escape(summary.system)]
        for metric in LABELS:
            interval = summary.metrics[metric]
            cells.append(
                f"{_mean_cell(summary, metric)}<br>"
                f"<small>[{_pct(interval.low)}, {_pct(interval.high)}]</small>"
            )
        cells += [f"{summary.mean_chars_per_point:.0f}", f"{summary.mean_points:.1f}"]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _without_nan(value: object) -> object:
    """JSON has no NaN: undefined metrics (entity recall without entities) become null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _without_nan(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_without_nan(v) for v in value]
    return value
