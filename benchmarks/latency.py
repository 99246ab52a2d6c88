"""Latency of `keypoints summarize`: cold start and warm time per article.

Cold start: a fresh `keypoints summarize` process (imports, model loading,
one article), timed end to end. Warm: the same article again in a process
whose models are loaded (median of --repeat runs). The baseline, measured in
the same run, is GiNZA's full pipeline over the same article text, so the
ratio says what the cascade (GiNZA only on the best sentences) saves.

Usage: python benchmarks/latency.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results import write_result  # benchmarks/results.py, beside this script

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "data" / "gold_seed.jsonl"
SAMPLES = REPO / "corpora" / "samples"


def articles() -> list[tuple[str, str, str | None]]:
    """(name, text, title) for the seed article and every bundled sample."""
    found = []
    if SEED.is_file():
        record = json.loads(SEED.read_text(encoding="utf-8").splitlines()[0])
        found.append(("seed (gold_seed.jsonl)", record["text"], record["title"]))
    for path in sorted(SAMPLES.glob("*.txt")) + sorted(SAMPLES.glob("*.md")):
        found.append((path.name, path.read_text(encoding="utf-8"), None))
    return found


def cold_start_seconds(text: str, title: str | None) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as f:
        json.dump({"id": "bench", "title": title, "text": text}, f, ensure_ascii=False)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "keypoints", "summarize", f.name],
        check=True,
        capture_output=True,
    )
    elapsed = time.perf_counter() - start
    Path(f.name).unlink()
    return elapsed


def median_seconds(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="warm runs per article")
    args = parser.parse_args()

    from keypoints.pipeline import Summarizer
    from keypoints.stages.ingest import ingest
    from keypoints.text.ginza import ginza_nlp
    from keypoints.text.sudachi import sudachi_tokenizer

    found = articles()
    name, text, title = found[0]
    cold = cold_start_seconds(text, title)
    start = time.perf_counter()
    summarizer = Summarizer()
    sudachi_tokenizer()
    nlp = ginza_nlp()
    load = time.perf_counter() - start

    print(f"cold start, one process for {name}: {cold:.2f} s")
    print(f"model loading in process (IDF, SudachiPy, GiNZA): {load:.2f} s\n")
    header = f"{'article':32} {'chars':>6} {'warm s':>8} {'GiNZA full s':>13} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    rows = []
    for name, text, title in found:
        article = ingest(text, title=title)
        warm = median_seconds(lambda a=article: summarizer.summarize(a), args.repeat)
        full = median_seconds(lambda a=article: nlp(a.body), max(1, args.repeat // 2))
        print(f"{name:32} {len(article.body):6d} {warm:8.3f} {full:13.3f} {warm / full:6.2f}")
        rows.append({"article": name, "body_chars": len(article.body), "warm_seconds": warm,
                     "ginza_full_seconds": full, "ratio": warm / full})  # fmt: skip
    print("\nratio = warm keypoints time / GiNZA full pipeline on the same body (lower is better)")
    write_result(
        "latency", {"cold_start_seconds": cold, "model_loading_seconds": load, "articles": rows}
    )


if __name__ == "__main__":
    main()
