"""Load on `keypoints serve`: 200 requests from 16 concurrent clients on loopback.

A real server process (`keypoints serve`, one worker) on a free port; the articles are
livedoor articles of ../shared/data/bulk_ldcc.jsonl. Printed: p50, p95 and max latency,
the error count (must be 0; intended 503s of a full queue are counted apart), the
server's RSS before and after the load (must stay within 10%; read after --warm-up
other articles and the baseline, so that the tokenizer caches are full), and, as the
baseline measured in the same run, the same articles from one client at a time: the
ratio of throughputs says what the queue costs or saves.

Bounded: every request times out after --timeout seconds, and the run stops after
--budget seconds whatever is left.

Usage: python benchmarks/web_load.py [--requests 200] [--clients 16] [--queue 32]
"""

from __future__ import annotations

import argparse
import itertools
import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import psutil
from results import write_result  # benchmarks/results.py, beside this script

REPO = Path(__file__).resolve().parents[1]
BULK = REPO.parent / "shared" / "data" / "bulk_ldcc.jsonl"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int, queue: int) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "keypoints", "serve", "--port", str(port), "--queue", str(queue)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as r:
                if json.load(r)["models_loaded"]:
                    return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    sys.exit(f"keypoints serve did not start: {process.stderr.read() if process.stderr else ''}")


def post(port: int, article: dict, timeout: float) -> tuple[int, float]:
    body = json.dumps({"text": article["text"], "title": article.get("title")}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/summarize",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0  # timed out or refused
    return status, time.perf_counter() - start


def run(port: int, articles: list[dict], clients: int, timeout: float, budget: float) -> dict:
    statuses: list[int] = []
    latencies: list[float] = []
    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        futures = [pool.submit(post, port, a, timeout) for a in articles]
        try:
            for future in as_completed(futures, timeout=budget):
                status, latency = future.result()
                statuses.append(status)
                if status == 200:
                    latencies.append(latency)
        except TimeoutError:
            for future in futures:
                future.cancel()
    wall = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(articles),
        "answered": len(statuses),
        "ok": statuses.count(200),
        "busy_503": statuses.count(503),
        "errors": sum(1 for s in statuses if s not in (200, 503)) + len(articles) - len(statuses),
        "p50_s": round(statistics.median(latencies), 3) if latencies else None,
        "p95_s": round(latencies[int(0.95 * (len(latencies) - 1))], 3) if latencies else None,
        "max_s": round(latencies[-1], 3) if latencies else None,
        "per_second": round(statuses.count(200) / wall, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--queue", type=int, default=32, help="the server's --queue")
    parser.add_argument(
        "--warm-up",
        type=int,
        default=100,
        help="other articles sent first, so that the caches are full before RSS is read",
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="per request, seconds")
    parser.add_argument("--budget", type=float, default=900.0, help="per run, seconds")
    args = parser.parse_args()
    if not BULK.is_file():
        sys.exit(f"missing {BULK}")
    with BULK.open(encoding="utf-8") as handle:
        lines = itertools.islice(handle, args.requests + args.warm_up)
        rows = [json.loads(line) for line in lines]
    articles, warm_up = rows[: args.requests], rows[args.requests :]

    port = free_port()
    server = start_server(port, args.queue)
    try:
        process = psutil.Process(server.pid)
        run(port, warm_up, args.clients, args.timeout, args.budget)
        baseline = run(port, articles, 1, args.timeout, args.budget)
        rss_before = process.memory_info().rss
        load = run(port, articles, args.clients, args.timeout, args.budget)
        rss_after = process.memory_info().rss
    finally:
        server.terminate()
        server.wait(timeout=30)

    growth = rss_after / rss_before
    print(
        f"{args.requests} requests, {args.clients} concurrent clients, server --queue {args.queue}"
    )
    print(
        f"  latency p50 {load['p50_s']} s, p95 {load['p95_s']} s, max {load['max_s']} s; "
        f"{load['per_second']} articles/s"
    )
    print(
        f"  errors {load['errors']} (must be 0); intended 503s (queue full) {load['busy_503']}; "
        f"answered {load['answered']} of {load['requests']}"
    )
    print(
        f"  server RSS {rss_before / 2**20:.0f} MiB after {args.warm_up} warm-up articles and "
        f"the baseline, {rss_after / 2**20:.0f} MiB "
        f"after the load: × {growth:.3f} ({'flat' if growth <= 1.10 else 'NOT flat'} within 10%)"
    )
    print(
        f"  baseline, 1 client (the same {args.requests} articles): p50 {baseline['p50_s']} s, "
        f"{baseline['per_second']} articles/s; 16 clients / 1 client throughput "
        f"× {load['per_second'] / baseline['per_second']:.2f}"
    )
    write_result(
        "web_load",
        {
            "clients": args.clients,
            "queue": args.queue,
            "load": load,
            "baseline_one_client": baseline,
            "rss_mib_before": round(rss_before / 2**20, 1),
            "rss_mib_after": round(rss_after / 2**20, 1),
            "rss_growth": round(growth, 3),
        },
    )
    if load["errors"] or growth > 1.10:
        sys.exit(1)


if __name__ == "__main__":
    main()
