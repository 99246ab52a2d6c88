"""Throughput of `keypoints batch` on an archive, against three references, in one run.

(a) `keypoints batch` with default settings (3 points, one worker per CPU), run
    as a user would: the real CLI in a subprocess, wall time from start to exit
    (startup and model loading included).
(b) GiNZA's full pipeline (`ja_ginza`, `nlp.pipe`) over every sentence of the
    same articles: timed on a subset (--ginza-articles) and extrapolated; once as
    `spacy.load` gives it (thinc's BLIS) and once on numpy's BLAS, as keypoints
    loads it (faster where BLIS lacks kernels for the CPU).
(c) sumy's LexRank on the same articles, twice: as sumy ships it for Japanese
    (`PlaintextParser`, `Tokenizer("japanese")`, which splits words with
    tinysegmenter; the reference the issue names), and on our sentences and
    SudachiPy words (`keypoints.evaluation.systems.LexRankBaseline`, the
    baseline of `keypoints eval`, about three times faster).
(d) SudachiPy tokenization only (`keypoints.text.sudachi.tokenize`): the floor.
(e) `keypoints batch --parse-reach R` (--fast-reach, default 1.0): the faster
    setting for archives, at the price in quality that
    `benchmarks/quality.py --parse-reach R` measures.

(b)–(d) run in this one process; batch uses W worker processes, so each is also
shown scaled to W processes (ideal, linear scaling) and the ratios use that
scaled figure: the comparison is on the same cores. One more line compares with
a single sumy process, which is how sumy runs (it has no parallel mode) and what
the issue's "about 48 articles per second" measured. Worker memory comes from the
batch's own per-chunk log (`--stats`): peak RSS per worker, and RSS growth
between the end of the first and of the last K articles (K = 1,000, or half the
articles when fewer than 2,000 are run).

Usage: python benchmarks/throughput.py [--articles 2000] [--quick] [--workers W] [--fast-reach R]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from results import write_result  # benchmarks/results.py, beside this script

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "bulk_ldcc.jsonl"


def load_articles(path: Path, n: int) -> list[dict]:
    """The first n records with a non-empty text."""
    articles = []
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            record = json.loads(raw)
            if isinstance(record.get("text"), str) and record["text"].strip():
                articles.append(
                    {"id": str(record["id"]), "title": record.get("title"), "text": record["text"]}
                )
                if len(articles) == n:
                    break
    return articles


def timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def run_batch(
    articles: list[dict], workers: int | None, workdir: Path, options: tuple[str, ...] = ()
) -> tuple[float, Path, str]:
    """Wall seconds of `keypoints batch [options]` on the articles, its stats log and its
    summary line."""
    source, out, stats = workdir / "in.jsonl", workdir / "out.jsonl", workdir / "stats.jsonl"
    source.write_text(
        "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8"
    )
    command = [
        sys.executable,
        "-m",
        "keypoints",
        "batch",
        str(source),
        "-o",
        str(out),
        "--quiet",
        "--stats",
        str(stats),
        *options,
    ]
    if workers:
        command += ["--workers", str(workers)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"keypoints batch failed ({done.returncode}):\n{done.stderr}")
    return seconds, stats, done.stderr.strip().splitlines()[-1]


def ginza_seconds(articles: list[dict], blas: bool) -> tuple[float, int]:
    """Seconds for GiNZA's full pipeline over every body sentence, and the sentence count:
    as `spacy.load` gives it (thinc's BLIS), or with `blas` on numpy's BLAS as keypoints
    loads it (`analyze.ginza_nlp`)."""
    import spacy

    from keypoints.errors import KeypointsError
    from keypoints.stages.ingest import ingest
    from keypoints.stages.segment import split_sentences
    from keypoints.text.ginza import ginza_nlp

    nlp = ginza_nlp() if blas else spacy.load("ja_ginza")
    sentences = []
    for a in articles:
        try:
            body = ingest(a["text"], title=a["title"], format="text").body
        except KeypointsError:
            continue
        sentences += [s.text for s in split_sentences(body)]
    nlp("ウォームアップの文です。")
    return timed(lambda: [None for _ in nlp.pipe(sentences, batch_size=64)]), len(sentences)


def pipeline_seconds(articles: list[dict]) -> float:
    """The same Summarizer the batch workers use, in this process (models loaded first):
    batch against this, scaled to W processes, is the parallel efficiency. It runs with
    Python's default garbage collector: the workers' `settle_garbage_collector` is
    process-wide and would also speed up the references timed after it here, so the
    batch can come out above 1.00 × this."""
    from keypoints.batch.job import DEFAULT_CHUNK_SIZE
    from keypoints.batch.records import Record
    from keypoints.batch.worker import cached_summarizer, summarize_records
    from keypoints.settings import Settings

    options = Settings()
    cached_summarizer(options).summarize_text("ウォームアップの記事です。\n本文の文です。")
    records = [Record(i, a["id"], a["title"], a["text"]) for i, a in enumerate(articles)]
    size = DEFAULT_CHUNK_SIZE
    return timed(
        lambda: [
            summarize_records(records[k : k + size], options) for k in range(0, len(records), size)
        ]
    )


def lexrank_seconds(articles: list[dict]) -> float:
    from keypoints.errors import KeypointsError
    from keypoints.evaluation.gold import GoldRecord
    from keypoints.evaluation.systems import LexRankBaseline

    system = LexRankBaseline()
    records = [GoldRecord(a["id"], a["title"], a["text"], ["-"]) for a in articles]

    def summarize_all() -> None:
        for record in records:
            try:
                system.summarize(record, 3)
            except KeypointsError:
                pass  # not an article (no Japanese): as keypoints eval scores it, no points

    return timed(summarize_all)


def sumy_lexrank_seconds(articles: list[dict]) -> float:
    from sumy.nlp.tokenizers import Tokenizer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer

    tokenizer, summarizer = Tokenizer("japanese"), LexRankSummarizer()
    return timed(
        lambda: [
            summarizer(PlaintextParser.from_string(a["text"], tokenizer).document, 3)
            for a in articles
        ]
    )


def sudachi_seconds(articles: list[dict]) -> float:
    from keypoints.text.sudachi import tokenize

    tokenize("ウォームアップ")
    return timed(lambda: [tokenize(a["text"]) for a in articles])


def read_stats(stats: Path) -> list[dict]:
    """The batch's per-chunk log (`--stats`): done, pid, rss, peak_rss, seconds."""
    return [json.loads(line) for line in stats.read_text(encoding="utf-8").splitlines()]


def worker_memory(
    entries: list[dict], n: int
) -> tuple[dict[int, int], dict[int, int], dict[int, int], int]:
    """Per worker: peak RSS, RSS after the first K articles, its growth to the end; and K."""
    k = 1000 if n >= 2000 else max(n // 2, 1)
    peak: dict[int, int] = {}
    at_k: dict[int, int] = {}
    last: dict[int, int] = {}
    for e in entries:
        peak[e["pid"]] = max(peak.get(e["pid"], 0), e["peak_rss"])
        if e["done"] <= k:
            at_k[e["pid"]] = e["rss"]
        last[e["pid"]] = e["rss"]
    growth = {pid: last[pid] - at_k[pid] for pid in last if pid in at_k}
    return peak, at_k, growth, k


def steady_state(entries: list[dict]) -> tuple[float, float]:
    """Seconds until the first chunk was written (start-up: imports, models, the first
    chunk), and articles per second from then to the end."""
    first, last = entries[0], entries[-1]
    span = last["seconds"] - first["seconds"]
    return first["seconds"], (last["done"] - first["done"]) / span if span > 0 else float("nan")


def mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--quick", action="store_true", help="200 articles, 30 for GiNZA")
    parser.add_argument("--workers", type=int, default=None, help="default: batch's (CPUs)")
    parser.add_argument("--ginza-articles", type=int, default=100)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument(
        "--fast-reach",
        type=float,
        default=1.0,
        help="also time `keypoints batch --parse-reach R` (negative: skip)",
    )
    args = parser.parse_args()
    n = 200 if args.quick else args.articles
    ginza_n = 30 if args.quick else args.ginza_articles
    if not args.data.is_file():
        sys.exit(f"{args.data} not found")
    articles = load_articles(args.data, n)
    workers = args.workers or os.cpu_count() or 1
    print(
        f"{len(articles)} articles of {args.data.name}; batch with {workers} worker(s); "
        f"load average {os.getloadavg()[0]:.2f} (other jobs on these cores skew every figure)",
        flush=True,
    )

    with tempfile.TemporaryDirectory() as tmp:
        batch_s, stats, summary = run_batch(articles, args.workers, Path(tmp))
        entries = read_stats(stats)
        peak, at_k, growth, k = worker_memory(entries, len(articles))
        first_chunk_s, steady_rate = steady_state(entries)
    print(f"  batch: {summary}", flush=True)
    fast_s = None
    if args.fast_reach >= 0:
        with tempfile.TemporaryDirectory() as tmp:
            fast_s, _, fast_summary = run_batch(
                articles, args.workers, Path(tmp), ("--parse-reach", str(args.fast_reach))
            )
        print(f"  batch --parse-reach {args.fast_reach}: {fast_summary}", flush=True)
    ginza_s, n_sentences = ginza_seconds(articles[:ginza_n], blas=False)
    ginza_blas_s, _ = ginza_seconds(articles[:ginza_n], blas=True)
    pipeline_s = pipeline_seconds(articles[:ginza_n])
    sumy_s = sumy_lexrank_seconds(articles)
    lexrank_s = lexrank_seconds(articles)
    sudachi_s = sudachi_seconds(articles)

    rates = {
        "keypoints batch (CLI, wall time)": len(articles) / batch_s,
        f"GiNZA full, every sentence (on {ginza_n} articles, {n_sentences} sentences; extrapolated)": ginza_n
        / ginza_s
        * workers,
        f"GiNZA full on numpy's BLAS, as keypoints loads it (same {ginza_n} articles)": ginza_n
        / ginza_blas_s
        * workers,
        f"keypoints Summarizer in one process (on {ginza_n} articles; extrapolated)": ginza_n
        / pipeline_s
        * workers,
        "LexRank (sumy as shipped: Tokenizer('japanese'))": len(articles) / sumy_s * workers,
        "LexRank (sumy on Sudachi words, keypoints eval's baseline)": len(articles)
        / lexrank_s
        * workers,
        "SudachiPy tokenize only": len(articles) / sudachi_s * workers,
    }
    print(f"\narticles/s (references: one process × {workers}, ideal scaling)")
    for name, rate in rates.items():
        single = rate if name.startswith("keypoints batch") else rate / workers
        print(f"  {rate:9.2f}  {name}  [one process: {single:.2f}]")
    batch_rate, ginza, ginza_blas, in_process, sumy_lexrank, lexrank, sudachi = rates.values()
    print("\nratios")
    print(f"  batch / GiNZA full = {batch_rate / ginza:6.2f}   (target >= 10)")
    print(
        f"  batch / GiNZA full on numpy's BLAS = {batch_rate / ginza_blas:6.2f}   "
        "(the same target against the faster reference)"
    )
    print(
        f"  batch / LexRank    = {batch_rate / sumy_lexrank:6.2f}   (target >= 0.55, issue #14; sumy as shipped)"
    )
    print(
        f"  batch / LexRank in one process = {batch_rate / (sumy_lexrank / workers):6.2f}   "
        "(sumy has no parallel mode: what its users get)"
    )
    print(f"  batch / LexRank on Sudachi words = {batch_rate / lexrank:6.2f}")
    print(f"  batch / Sudachi    = {batch_rate / sudachi:6.2f}   (the floor)")
    print(
        f"  batch / in-process = {batch_rate / in_process:6.2f}   (parallel efficiency, "
        "incl. startup)"
    )
    print(
        f"\nbatch start-up: first chunk written {first_chunk_s:.1f} s after the run began "
        f"({100 * first_chunk_s / batch_s:.0f}% of the {batch_s:.1f} s run)"
    )
    print(
        f"  {steady_rate:9.2f}  articles/s after the first chunk (start-up excluded, "
        "as in the references)"
    )
    print(
        f"  batch after start-up / LexRank = {steady_rate / sumy_lexrank:6.2f}   "
        "(not the target's figure: the target counts the whole run)"
    )
    if fast_s is not None:
        fast = len(articles) / fast_s
        print(
            f"\nwith --parse-reach {args.fast_reach} (not the default; its price in quality: "
            f"benchmarks/quality.py --parse-reach {args.fast_reach})"
        )
        print(f"  {fast:9.2f}  articles/s, keypoints batch (CLI, wall time)")
        print(f"  batch / LexRank    = {fast / sumy_lexrank:6.2f}   (sumy as shipped)")
        print(f"  batch / GiNZA full = {fast / ginza:6.2f}")
        print(f"  batch / default batch = {fast / batch_rate:6.2f}")
    print(f"  load average at the end: {os.getloadavg()[0]:.2f}")
    print("\nworker memory")
    for pid in sorted(peak):
        change = (
            f"{growth[pid] / 2**20:+.0f} MiB ({100 * growth[pid] / at_k[pid]:+.1f}%; target < 10%)"
            if pid in growth
            else "n/a"
        )
        print(
            f"  worker {pid}: peak RSS {mib(peak[pid])}, RSS growth first→last {k:,} articles: {change}"
        )
    write_result(
        "throughput",
        {
            "articles": len(articles),
            "workers": workers,
            "articles_per_second": rates,
            "ratios": {
                "batch / GiNZA full": batch_rate / ginza,
                "batch / LexRank": batch_rate / sumy_lexrank,
                "batch / LexRank in one process": batch_rate / (sumy_lexrank / workers),
                "batch / Sudachi": batch_rate / sudachi,
            },
            "startup_seconds": first_chunk_s,
            "articles_per_second_after_startup": steady_rate,
            "fast_reach": None
            if fast_s is None
            else {"parse_reach": args.fast_reach, "articles_per_second": len(articles) / fast_s},
            "worker_peak_rss_mib": {str(pid): peak[pid] / 2**20 for pid in sorted(peak)},
            "worker_rss_growth_percent": {
                str(pid): 100 * growth[pid] / at_k[pid] for pid in sorted(growth)
            },
        },
    )


if __name__ == "__main__":
    main()
