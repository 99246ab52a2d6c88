"""Quality of keypoints against the baselines on the three dev sets of ../shared/data.

Prints one table per set (ROUGE F1 on SudachiPy tokens and on characters,
alignment, entity recall, lengths; 95% bootstrap intervals; * marks a paired
bootstrap p < 0.05 against keypoints), then the same as Markdown for the README.
Every system writes as many points as the human reference has (at most 10).

Usage: python benchmarks/quality.py [--limit N] [--out DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
DEV_SETS = ("gold_seed.jsonl", "gold_poliinfo2020_answers.jsonl", "gold_poliinfo14_train.jsonl")
SYSTEMS = ["keypoints", "lead", "lexrank", "textrank", "random", "oracle"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="records per set (default: all)")
    parser.add_argument("--out", type=Path, default=None, help="also write the eval reports here")
    args = parser.parse_args()

    from keypoints.evaluation.baselines import make_systems
    from keypoints.evaluation.gold import load_gold
    from keypoints.evaluation.report import markdown_tables, print_results, write_reports
    from keypoints.evaluation.runner import evaluate_dataset

    missing = [name for name in DEV_SETS if not (DATA / name).is_file()]
    if missing:
        sys.exit(f"missing in {DATA}: {', '.join(missing)}")
    systems = make_systems(SYSTEMS)
    results = []
    for name in DEV_SETS:
        records, report = load_gold(DATA / name)
        records = records[: args.limit] if args.limit else records
        start = time.perf_counter()
        results.append(
            evaluate_dataset(Path(name).stem, records, systems, problems=report.problems)
        )
        print(f"{name}: {len(records)} records in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    print_results(results)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    print(f"\nMarkdown ({date.today().isoformat()}, commit {commit or 'unknown'}):\n")
    print(markdown_tables(results))
    for result in results:
        seconds = ", ".join(f"{s.system} {s.seconds:.1f} s" for s in result.systems)
        print(f"\n{result.dataset} run time: {seconds}")
    if args.out:
        write_reports(results, args.out)


if __name__ == "__main__":
    main()
