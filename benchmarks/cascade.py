"""What the GiNZA cascade costs in quality, and what it saves in time (issue #5).

keypoints runs GiNZA only where it changes the result: compression for the
sentences MMR picks, and (optionally) entities for the `parse_top` best
sentences by cheap SudachiPy features. This compares, with the shipped model and
the same everything else:

  full GiNZA        GiNZA entities for every sentence (parse_top=None);
  top 20 parsed     GiNZA entities for the 20 best sentences (the default until 0.3.0);
  default           no GiNZA entity pass (parse_top=0): rule entities only.

on the dev sets (the seed, poliinfo2020, the first --limit poliinfo14 articles,
and our samples): ROUGE-2 / ROUGE-L F1 on Sudachi tokens, the difference to full
GiNZA (the target is within 0.5 ROUGE-2), and seconds per article. The shipped
model was trained on the PoliInfo sets, so the absolute scores there are
optimistic (benchmarks/quality.py has the cross-validated ones); the differences
between the rows are what this measures.

Usage: python benchmarks/cascade.py [--limit 100]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from results import write_result  # benchmarks/results.py, beside this script

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=100, help="poliinfo14 articles (default 100)")
    args = parser.parse_args()

    from keypoints.evaluation.gold import load_gold, load_samples
    from keypoints.evaluation.runner import evaluate_dataset
    from keypoints.evaluation.systems import KeypointsSystem
    from keypoints.settings import Settings

    sets = {
        "seed": load_gold(DATA / "gold_seed.jsonl")[0],
        "poliinfo2020": load_gold(DATA / "gold_poliinfo2020_answers.jsonl")[0],
        f"poliinfo14[:{args.limit}]": load_gold(DATA / "gold_poliinfo14_train.jsonl")[0][
            : args.limit
        ],
        "samples": load_samples(REPO / "corpora" / "samples" / "points.jsonl"),
    }
    variants = {
        "full GiNZA": Settings(parse_top=None),
        "top 20 parsed": Settings(parse_top=20),
        "default (parse_top 0)": Settings(),
    }
    print(f"{'variant':20}" + "".join(f"{name:>34}" for name in sets))
    reference: dict[str, float] = {}
    figures: dict[str, dict[str, dict[str, float]]] = {}
    for label, settings in variants.items():
        system = KeypointsSystem(settings)
        cells = []
        for name, records in sets.items():
            start = time.perf_counter()
            result = evaluate_dataset(name, records, [system], n_resamples=10)
            per_article = (time.perf_counter() - start) / max(len(records), 1)
            metrics = result.systems[0].metrics
            r2, rl = 100 * metrics["rouge2_f"].mean, 100 * metrics["rougeL_f"].mean
            reference.setdefault(name, r2)
            figures.setdefault(label, {})[name] = {
                "rouge2": r2, "rougeL": rl, "seconds_per_article": per_article,
            }  # fmt: skip
            cells.append(
                f"{r2:5.2f} / {rl:5.2f} ({r2 - reference[name]:+5.2f}) {per_article:5.2f}s"
            )
            print(f"  {label}: {name} done", file=sys.stderr, flush=True)
        print(f"{label:20}" + "".join(f"{c:>34}" for c in cells), flush=True)
    print("\ncells: R-2 / R-L F1 × 100 (Δ R-2 against full GiNZA) seconds per article")
    write_result("cascade", figures)


if __name__ == "__main__":
    main()
