"""Random news points beside their source sentences and the human points, to read.

Points are drawn at random with a fixed seed (never picked by hand) from what the
cross-validated keypoints writes for the news dev set: each article is summarized by
models (salience and compressor) whose folds never saw it, as in benchmarks/quality.py.

Usage: python benchmarks/news_samples.py [--seed 0] [-n 6]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
CACHE = REPO / ".cache" / "benchmarks"
SETS = (
    "gold_ldcc_news_dev.jsonl",
    "gold_poliinfo2020_answers.jsonl",
    "gold_poliinfo14_train.jsonl",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-n", type=int, default=6, help="points to show")
    args = parser.parse_args()

    from keypoints.evaluation.gold import load_gold
    from keypoints.stages.compress.learned import default_compression_model
    from keypoints.stages.salience import load_default_model
    from keypoints.training.compression import cached_phrase_data, candidate_classifiers
    from keypoints.training.cross_validated import CrossValidatedKeypoints
    from keypoints.training.examples import cached_examples, headline_examples, headline_records
    from keypoints.training.selection import candidate_estimators, chosen_result

    records = {name: load_gold(DATA / name)[0] for name in SETS}
    training = [r for name in SETS for r in records[name]]
    examples = cached_examples(training, CACHE)
    examples += headline_examples(
        headline_records(DATA / "bulk_ldcc.jsonl", 800, exclude={r.id for r in training}), CACHE
    )
    shipped, compression = load_default_model(), default_compression_model()
    estimator = candidate_estimators()[shipped.card["estimator"] if shipped else "ridge"][0]
    classifier = compression.card.get("classifier", "logistic") if compression else "logistic"
    system = CrossValidatedKeypoints(
        examples,
        estimator=estimator,
        phrases=cached_phrase_data(training, CACHE),
        compressor=candidate_classifiers()[classifier][0],
    )
    news = records[SETS[0]]
    rng = random.Random(args.seed)
    for record in rng.sample(news, args.n):
        example = system.examples[record.id]
        result = chosen_result(
            system.models[record.id],
            example,
            system.settings,
            n=3,
            compression_model=system.compression_models[record.id],
        )
        print(f"## {record.id}: {record.title}")
        if not result.points:
            print("- (no point)")
        else:
            point = rng.choice(result.points)
            warned = f" {point.warnings}" if point.warnings else ""
            print(f"- point ({len(point.text)} chars){warned}: {point.text}")
            print(f"- source ({len(point.source_text)} chars): {point.source_text}")
        for reference in record.references:
            print(f"- reference: {reference}")
        print(flush=True)


if __name__ == "__main__":
    sys.exit(main())
