"""Quality of keypoints against the baselines on the four dev sets of ../shared/data.

1. One `keypoints eval` table per set: ROUGE F1 on SudachiPy tokens and on
   characters, alignment, entity recall, lengths; 95% bootstrap intervals; *
   marks a paired bootstrap p < 0.05 against keypoints. Every system writes as
   many points as the human reference has (at most 10).
   keypoints is cross-validated on the news dev set and the PoliInfo sets (5 folds
   grouped by article: each article is summarized by a model that never saw it;
   the folds also train on 800 livedoor headlines, as the shipped model does); the
   seed article is never trained on and uses the shipped model. `all N` is the
   share of articles that got every point they could be given.
2. Targets (issue #14): on news, ROUGE-2 at least 1.25 × lead-3's, ROUGE-L at least
   lead-3's + 4, entity recall at least lead-3's, all N points on every article;
   PoliInfo no lower than R-2 11.5 / 17.0; the seed R-2 at least 37.7.
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
NEWS_SET = "gold_ldcc_news_dev.jsonl"
TRAIN_SETS = (NEWS_SET, "gold_poliinfo2020_answers.jsonl", "gold_poliinfo14_train.jsonl")
# Issue #14's floors: today's R-2 on the PoliInfo sets and the seed.
FLOORS = {"gold_poliinfo2020_answers": 11.5, "gold_poliinfo14_train": 17.0, "gold_seed": 37.7}
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
        help="Settings.parse_reach of keypoints (default: the pipeline's, 2.2)",
    )
    args = parser.parse_args()

    from keypoints.evaluation.gold import load_gold
    from keypoints.evaluation.report import markdown_tables, print_results, write_reports
    from keypoints.evaluation.runner import evaluate_dataset
    from keypoints.evaluation.systems import make_systems
    from keypoints.settings import Settings
    from keypoints.stages.choose import SPEECH_MMR
    from keypoints.stages.compress import check_point
    from keypoints.stages.compress.learned import default_compression_model
    from keypoints.stages.features import FEATURE_GROUPS, FEATURES
    from keypoints.stages.ingest.boilerplate import NEWS_RULES
    from keypoints.stages.salience import load_default_model
    from keypoints.training.compression import cached_phrase_data, candidate_classifiers
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
    headlines = headline_records(
        DATA / HEADLINES, HEADLINE_ARTICLES, exclude={r.id for r in training}
    )
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
    # The folds also fit their own learned compressor, on the phrases of their articles.
    start = time.perf_counter()
    phrases = cached_phrase_data(training, CACHE)
    compression = default_compression_model()
    classifier = compression.card.get("classifier", "logistic") if compression else "logistic"
    compressor = candidate_classifiers()[classifier][0]
    log(
        f"{len(phrases.rows)} labelled phrases in {time.perf_counter() - start:.0f} s; "
        f"each fold fits the {classifier} compressor"
    )
    keypoints = CrossValidatedKeypoints(
        examples, settings=settings, estimator=estimator, phrases=phrases, compressor=compressor
    )
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

    print("\nTargets (ROUGE F1 × 100 on Sudachi tokens; cross-validated):")
    for result in results:
        means = {s.system: {m: 100 * i.mean for m, i in s.metrics.items()} for s in result.systems}
        ours, lead = means["keypoints"], means["lead"]
        if result.dataset == Path(NEWS_SET).stem:
            checks = [
                ("R-2", ours["rouge2_f"], 1.25 * lead["rouge2_f"], "1.25 × lead"),
                ("R-L", ours["rougeL_f"], lead["rougeL_f"] + 4, "lead + 4"),
                ("ent rec", ours["entity_recall"], lead["entity_recall"], "lead"),
                ("all N", ours["all_points"], 100.0, "every article"),
            ]
        elif result.dataset in FLOORS:
            checks = [("R-2", ours["rouge2_f"], FLOORS[result.dataset], "today's")]
            if result.dataset == "gold_seed":
                checks.append(("all N", ours["all_points"], 100.0, "every article"))
        else:
            continue
        print(
            f"  {result.dataset}: "
            + "; ".join(
                f"{name} {value:.2f} vs {label} {floor:.2f} ({'met' if value >= floor - 1e-9 else 'NOT met'})"
                for name, value, floor, label in checks
            )
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
        print("\nAblation (cross-validated; ROUGE-2 / ROUGE-L F1 × 100, all N %; Δ R-2 against the")
        print("first row). What each part of issue #14 earns: the learned compressor against the")
        print("drop rules alone, the news dev set in training against none (news is then")
        print("summarized by models that never saw news points), the news boilerplate rules of")
        print("ingest on against off, a plain-register (news) salience model against one model")
        print("for every register, MMR's entity coverage and its news weights (λ 0.9 and")
        print("coverage against the speech weights, λ 0.7 and none); then the feature groups,")
        print("compared with compression off.")
        by_set = {name: {r.id for r in sets[name][0]} for name in TRAIN_SETS}
        news_ids = by_set[NEWS_SET]
        without_news = [e for e in examples if e.id not in news_ids or e.pseudo]
        no_boilerplate = cached_examples(training, CACHE, skip_rules=NEWS_RULES) + [
            e for e in examples if e.pseudo
        ]

        def system(
            examples=examples,
            features=FEATURES,
            compression=True,
            learned=True,
            data=phrases,
            by_register=True,
            **changes,
        ):
            return CrossValidatedKeypoints(
                examples,
                features=features,
                settings=replace(settings, compression=compression, **changes),
                estimator=estimator,
                phrases=data,
                compressor=compressor,
                learned=learned,
                by_register=by_register,
            )

        rows = [
            ("full model", lambda: system()),
            ("drop rules alone", lambda: system(learned=False)),
            (
                "without the news dev set",
                lambda: system(
                    without_news, data=phrases.of({r.id for r in training if r.id not in news_ids})
                ),
            ),
            ("news boilerplate rules off", lambda: system(no_boilerplate)),
            ("one model for every register", lambda: system(by_register=False)),
            ("no entity coverage in MMR", lambda: system(entity_coverage=0.0)),
            (
                "speech MMR on news too",
                lambda: system(mmr_lambda=SPEECH_MMR.lambda_, entity_coverage=SPEECH_MMR.coverage),
            ),
            ("compression off", lambda: system(compression=False)),
        ]
        rows += [
            (
                f"without {group} (comp. off)",
                lambda names=names: system(
                    features=tuple(f for f in FEATURES if f not in names), compression=False
                ),
            )
            for group, names in FEATURE_GROUPS.items()
        ]
        reference: dict[str, float] = {}
        print("  " + f"{'variant':30}" + "".join(f"{Path(n).stem[5:]:>34}" for n in TRAIN_SETS))
        ablation: dict[str, dict[str, dict[str, float]]] = {}
        for label, make in rows:
            variant = make()
            cells = []
            for name in TRAIN_SETS:
                records = [r for r in training if r.id in by_set[name]]
                result = evaluate_dataset("ablation", records, [variant], n_resamples=100)
                metrics = result.systems[0].metrics
                r2, rl = metrics["rouge2_f"].mean, metrics["rougeL_f"].mean
                all_n = metrics["all_points"].mean
                reference.setdefault(name, r2)
                ablation.setdefault(label, {})[Path(name).stem] = {
                    "rouge2": 100 * r2, "rougeL": 100 * rl, "all_points": 100 * all_n,
                }  # fmt: skip
                cells.append(
                    f"{100 * r2:6.2f} / {100 * rl:5.2f} {100 * all_n:5.1f}% ({100 * (r2 - reference[name]):+5.2f})"
                )
            print("  " + f"{label:30}" + "".join(f"{c:>34}" for c in cells), flush=True)
        write_result("ablation", ablation)

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
