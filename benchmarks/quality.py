"""Quality of keypoints against the baselines on the three dev sets of ../shared/data.

1. One `keypoints eval` table per set: ROUGE F1 on SudachiPy tokens and on
   characters, alignment, entity recall, lengths; 95% bootstrap intervals; *
   marks a paired bootstrap p < 0.05 against keypoints. Every system writes as
   many points as the human reference has (at most 10).
   keypoints is cross-validated on the PoliInfo sets (5 folds grouped by
   article: each article is summarized by a model that never saw it; the folds
   also train on 800 livedoor headlines, as the shipped model does); the seed
   article is never trained on and uses the shipped model.
2. Targets of the learned model: keypoints' ROUGE-2 against 1.5 × the best of
   lead/lexrank/textrank, ROUGE-L against that best + 5 points.
3. Point form: share of points of 30-70 characters and share passing the
   grammar guards (compress.check_point).
4. Ablation (cross-validated, PoliInfo sets): ROUGE F1 with each feature group
   removed (compression off), and what compression adds to the full model.
Then the tables again as Markdown for the README.

Usage: python benchmarks/quality.py [--limit N] [--out DIR] [--no-ablation] [--parse-reach R]
(--parse-reach: the price in quality of `keypoints batch --parse-reach R`.)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from results import write_result  # benchmarks/results.py, beside this script

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
CACHE = REPO / ".cache" / "benchmarks"
SEED_SET = "gold_seed.jsonl"
TRAIN_SETS = ("gold_poliinfo2020_answers.jsonl", "gold_poliinfo14_train.jsonl")
HEADLINES = "bulk_ldcc.jsonl"
HEADLINE_ARTICLES = 800
BASELINES = ["lead", "lexrank", "textrank", "random", "oracle"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="records per set (default: all)")
    parser.add_argument("--out", type=Path, default=None, help="also write the eval reports here")
    parser.add_argument("--no-ablation", action="store_true", help="skip the ablation study")
    parser.add_argument(
        "--parse-reach",
        type=float,
        default=None,
        help="Settings.parse_reach of keypoints (default: the pipeline's, 1.7)",
    )
    args = parser.parse_args()

    from keypoints.evaluation.gold import load_gold
    from keypoints.evaluation.report import markdown_tables, print_results, write_reports
    from keypoints.evaluation.runner import evaluate_dataset
    from keypoints.evaluation.systems import make_systems
    from keypoints.settings import Settings
    from keypoints.stages.compress import check_point
    from keypoints.stages.features import FEATURE_GROUPS, FEATURES
    from keypoints.stages.salience import load_default_model
    from keypoints.training.cross_validated import CrossValidatedKeypoints
    from keypoints.training.examples import cached_examples, headline_examples, headline_records
    from keypoints.training.selection import candidate_estimators

    missing = [n for n in (SEED_SET, *TRAIN_SETS) if not (DATA / n).is_file()]
    if missing:
        sys.exit(f"missing in {DATA}: {', '.join(missing)}")
    sets = {}
    for name in (SEED_SET, *TRAIN_SETS):
        records, report = load_gold(DATA / name)
        sets[name] = (records[: args.limit] if args.limit else records, report)
    training = [r for name in TRAIN_SETS for r in sets[name][0]]
    start = time.perf_counter()
    examples = cached_examples(training, CACHE)
    # As `keypoints train --headlines` does for the shipped model.
    headlines = headline_records(DATA / HEADLINES, HEADLINE_ARTICLES)
    examples += headline_examples(headlines, CACHE)
    log(f"features of {len(examples)} training articles in {time.perf_counter() - start:.0f} s")
    # The folds use the estimator that `keypoints train` chose for the shipped model.
    shipped = load_default_model()
    estimator_name = shipped.card.get("estimator", "ridge") if shipped else "ridge"
    estimator = candidate_estimators()[estimator_name][0]
    log(
        f"cross-validating the {estimator_name} estimator of {shipped.name if shipped else 'no model'}"
    )
    settings = Settings() if args.parse_reach is None else Settings(parse_reach=args.parse_reach)
    log(f"GiNZA parses picks up to {settings.parse_reach} × max_chars (parse_reach)")
    keypoints = CrossValidatedKeypoints(examples, settings=settings, estimator=estimator)
    baselines = make_systems(BASELINES)

    results = []
    for name, (records, report) in sets.items():
        start = time.perf_counter()
        results.append(
            evaluate_dataset(
                Path(name).stem, records, [keypoints, *baselines], problems=report.problems
            )
        )
        log(f"{name}: {len(records)} records in {time.perf_counter() - start:.0f} s")
    print_results(results)

    print(
        "\nTargets (ROUGE F1 × 100 on Sudachi tokens; best baseline among lead, lexrank, textrank):"
    )
    for result in results[1:]:
        means = {s.system: s.metrics for s in result.systems}
        best2 = max(means[b]["rouge2_f"].mean for b in ("lead", "lexrank", "textrank"))
        bestl = max(means[b]["rougeL_f"].mean for b in ("lead", "lexrank", "textrank"))
        ours2, oursl = means["keypoints"]["rouge2_f"].mean, means["keypoints"]["rougeL_f"].mean
        print(
            f"  {result.dataset}: R-2 {100 * ours2:.2f} vs 1.5 × {100 * best2:.2f} = {150 * best2:.2f} "
            f"({'met' if ours2 >= 1.5 * best2 else 'NOT met'}, ratio {ours2 / best2:.2f}); "
            f"R-L {100 * oursl:.2f} vs {100 * bestl:.2f} + 5 = {100 * bestl + 5:.2f} "
            f"({'met' if oursl >= bestl + 0.05 else 'NOT met'})"
        )

    print("\nPoint form of keypoints (all sets):")
    points = [p for r in results for a in r.articles if a.system == "keypoints" for p in a.points]
    in_range = sum(30 <= len(p) <= 70 for p in points)
    clean = sum(not check_point(p) for p in points)
    print(
        f"  {len(points)} points; 30-70 characters: {100 * in_range / len(points):.1f}%; "
        f"passing the grammar guards: {100 * clean / len(points):.1f}%"
    )
    for result in results:
        ours = [p for a in result.articles if a.system == "keypoints" for p in a.points]
        if ours:
            share = 100 * sum(30 <= len(p) <= 70 for p in ours) / len(ours)
            guards = 100 * sum(not check_point(p) for p in ours) / len(ours)
            print(
                f"  {result.dataset}: {len(ours)} points, 30-70 chars {share:.1f}%, guards {guards:.1f}%"
            )

    if not args.no_ablation:
        print(
            "\nAblation (cross-validated; ROUGE-2 / ROUGE-L F1 × 100; Δ R-2 against the first row)."
        )
        print("Feature groups are compared with compression off (20× faster); the last row")
        print("turns compression on for the full model.")
        by_set = {name: {r.id for r in sets[name][0]} for name in TRAIN_SETS}
        rows = [("full model", FEATURES, False)]
        rows += [
            (f"without {group}", tuple(f for f in FEATURES if f not in names), False)
            for group, names in FEATURE_GROUPS.items()
        ]
        rows += [("full model, compression on", FEATURES, True)]
        reference: dict[str, float] = {}
        print("  " + f"{'variant':28}" + "".join(f"{Path(n).stem[5:]:>30}" for n in TRAIN_SETS))
        for label, features, compression in rows:
            system = CrossValidatedKeypoints(
                examples,
                features=features,
                settings=replace(settings, compression=compression),
                estimator=estimator,
            )
            cells = []
            for name in TRAIN_SETS:
                records = [r for r in training if r.id in by_set[name]]
                result = evaluate_dataset("ablation", records, [system], n_resamples=100)
                r2 = result.systems[0].metrics["rouge2_f"].mean
                rl = result.systems[0].metrics["rougeL_f"].mean
                reference.setdefault(name, r2)
                cells.append(
                    f"{100 * r2:6.2f} / {100 * rl:5.2f} ({100 * (r2 - reference[name]):+5.2f})"
                )
            print("  " + f"{label:28}" + "".join(f"{c:>30}" for c in cells), flush=True)

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    print(f"\nMarkdown ({date.today().isoformat()}, commit {commit or 'unknown'}):\n")
    print(markdown_tables(results))
    write_result(
        "quality" if args.parse_reach is None else f"quality-reach-{args.parse_reach}",
        {
            "parse_reach": settings.parse_reach,
            "sets": {
                r.dataset: {
                    s.system: {
                        **{m: round(100 * i.mean, 2) for m, i in s.metrics.items()},
                        "chars_per_point": round(s.mean_chars_per_point, 1),
                        "points": round(s.mean_points, 2),
                    }
                    for s in r.systems
                }
                for r in results
            },
            "point_form": {
                "points": len(points),
                "share_30_70_chars": round(100 * in_range / len(points), 1),
                "share_passing_guards": round(100 * clean / len(points), 1),
            },
        },
    )
    if args.out:
        write_reports(results, args.out)


if __name__ == "__main__":
    main()
