"""Everything keypoints writes on the dev sets, for a byte-identity check across a refactor.

Runs the public commands only (so the same script works before and after a
restructuring) and writes their outputs under OUT, with a manifest of SHA-256
digests:

- `keypoints batch` on every gold set of ../shared/data and on the first
  `--bulk` livedoor articles: the JSON lines and the errors files;
- `keypoints summarize` on every bundled sample, in each output format and with
  `--explain`;
- `keypoints eval` (shipped model, every system) on the seed, the news dev set and
  poliinfo2020: the terminal table and results.csv (results.json holds timings);
- the spaCy component on the samples.

Usage: python benchmarks/identity.py OUT [--bulk 1000] [--workers 2]
       python benchmarks/identity.py --compare OLD NEW
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
SAMPLES = REPO / "corpora" / "samples"
KEYPOINTS = [sys.executable, "-m", "keypoints"]
GOLD_SETS = (
    "gold_seed.jsonl",
    "gold_ldcc_news_dev.jsonl",
    "gold_poliinfo2020_answers.jsonl",
    "gold_poliinfo14_train.jsonl",
)
EVAL_SETS = ("gold_seed.jsonl", "gold_ldcc_news_dev.jsonl", "gold_poliinfo2020_answers.jsonl")
FORMATS = (("text",), ("markdown",), ("json",), ("json", "--explain"), ("text", "--explain"))
SPACY_SNIPPET = """
import json, sys, spacy
import keypoints  # registers the factory
from keypoints.render import render
nlp = spacy.load("ja_ginza")
nlp.add_pipe("keypoints")
for path in sys.argv[1:]:
    doc = nlp(open(path, encoding="utf-8").read())
    print(render(doc._.keypoints, "json"))
"""


def run(command: list[str], out: Path, stdin: bytes | None = None) -> None:
    """Run `command`, keeping its standard output (and exit code) in `out`."""
    done = subprocess.run(command, input=stdin, capture_output=True, cwd=REPO, check=False)
    out.write_bytes(done.stdout + f"\n[exit {done.returncode}]\n".encode())


def write_outputs(out: Path, bulk: int, workers: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name in GOLD_SETS:
        target = out / f"batch-{name}"
        for stale in (target, out / f"batch-{Path(name).stem}.errors.jsonl"):
            stale.unlink(missing_ok=True)
        run(
            [
                *KEYPOINTS,
                "batch",
                str(DATA / name),
                "-o",
                str(target),
                "--quiet",
                "--workers",
                str(workers),
            ],
            out / f"batch-{name}.log",
        )
        print(f"batch {name}", file=sys.stderr, flush=True)
    with open(DATA / "bulk_ldcc.jsonl", "rb") as handle:
        head = b"".join(line for _, line in zip(range(bulk), handle, strict=False))
    for stale in (out / "batch-bulk.jsonl", out / "batch-bulk.errors.jsonl"):
        stale.unlink(missing_ok=True)
    run(
        [
            *KEYPOINTS,
            "batch",
            "-",
            "-o",
            str(out / "batch-bulk.jsonl"),
            "--quiet",
            "--workers",
            str(workers),
        ],
        out / "batch-bulk.log",
        stdin=head,
    )
    print(f"batch bulk ({bulk})", file=sys.stderr, flush=True)
    samples = sorted(p for p in SAMPLES.iterdir() if p.suffix in {".txt", ".md"})
    for sample in samples:
        for flags in FORMATS:
            label = "-".join(f.lstrip("-") for f in flags)
            run(
                [*KEYPOINTS, "summarize", str(sample), "--format", *flags],
                out / f"summarize-{sample.name}-{label}.out",
            )
    run(
        [*KEYPOINTS, "summarize", "-", "--format", "json"],
        out / "summarize-seed.out",
        stdin=json.dumps(json.loads((DATA / "gold_seed.jsonl").read_text("utf-8"))).encode(),
    )
    print("summarize", file=sys.stderr, flush=True)
    for name in EVAL_SETS:
        report = out / f"eval-{Path(name).stem}"
        run(
            [
                *KEYPOINTS,
                "eval",
                str(DATA / name),
                "--systems",
                "keypoints,lead,lexrank,textrank,random,oracle",
                "--out",
                str(report),
            ],
            out / f"eval-{Path(name).stem}.table",
        )
        (report / "results.json").unlink(missing_ok=True)  # holds timings
        for chart in report.glob("*.png"):
            chart.unlink()  # matplotlib embeds its version
        (report / "report.html").unlink(missing_ok=True)  # embeds the charts
        print(f"eval {name}", file=sys.stderr, flush=True)
    run([sys.executable, "-c", SPACY_SNIPPET, *map(str, samples)], out / "spacy-component.out")
    manifest = {
        str(path.relative_to(out)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.name != "MANIFEST.json"
    }
    (out / "MANIFEST.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(f"{len(manifest)} files → {out / 'MANIFEST.json'}", file=sys.stderr)


def compare(old: Path, new: Path) -> int:
    before = json.loads((old / "MANIFEST.json").read_text("utf-8"))
    after = json.loads((new / "MANIFEST.json").read_text("utf-8"))
    differ = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(before.keys() & after.keys()) - len(differ)} of {len(before)} files identical")
    return 1 if differ else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--bulk", type=int, default=1000, help="livedoor articles to batch")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("OLD", "NEW"))
    args = parser.parse_args()
    if args.compare:
        sys.exit(compare(*args.compare))
    if args.out is None:
        parser.error("OUT is required (or --compare OLD NEW)")
    write_outputs(args.out, args.bulk, args.workers)


if __name__ == "__main__":
    main()
