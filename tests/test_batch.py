"""`keypoints batch`: every input line accounted for, parallel = serial, crash and resume.

Fixtures are built from the bundled sample articles (our own text), cut short and
asked for two points so the whole file runs in well under three minutes. The tests
marked slow start processes (the command, a pool of workers) or load GiNZA.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import SAMPLES, without_idf_warning
from keypoints import batch
from keypoints.batch import Fields, Job, default_errors_path, local_engine, runner, worker
from keypoints.batch.output import Done, cut_partial_tails, recover
from keypoints.batch.records import record_of
from keypoints.errors import OutputError
from keypoints.io.jsonl import parse_line
from keypoints.settings import Settings


def sample_articles() -> list[tuple[str, str]]:
    """(title, short body) of each bundled plain-text sample: a few lines keep GiNZA quick."""
    articles = []
    for path in sorted(SAMPLES.glob("*.txt")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        articles.append((lines[0], "\n".join(lines[1:4])))
    return articles


def good_records(n: int, prefix: str = "r") -> list[dict]:
    articles = sample_articles()
    return [
        {
            "id": f"{prefix}{i:03d}",
            "title": articles[i % len(articles)][0],
            "text": articles[i % len(articles)][1],
        }
        for i in range(n)
    ]


def dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


def mixed_lines() -> list[str]:
    """Four good records and every kind of bad line, one of each."""
    good = [dumps(r) for r in good_records(4)]
    return [
        good[0],
        '{"id": "broken", "text": "途中で切れた',  # invalid JSON
        dumps({"id": "notext", "title": "本文なし"}),  # missing text
        good[1],
        dumps({"id": "empty", "text": " \u3000 "}),  # empty text
        dumps({"id": "english", "text": "Only English words here, nothing else."}),
        dumps({"title": "IDなし", "text": "IDのない記事です。"}),  # missing id
        good[2],
        dumps({"id": "r000", "text": "同じIDがもう一度出てくる記事です。"}),  # repeated id
        "",  # blank lines are not records
        good[3],
    ]


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict]:
    """Every line must be valid JSON: a corrupt line fails the test here."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def run_cli(
    *args: str, stdin: bytes | None = None, timeout: int = 300
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "keypoints", "batch", *args],
        input=stdin,
        capture_output=True,
        timeout=timeout,
    )


def points_by_id(path: Path) -> dict[str, list]:
    return {row["id"]: row["points"] for row in read_jsonl(path)}


@pytest.mark.slow
def test_every_line_is_accounted_for_once(tmp_path: Path):
    source = write_jsonl(tmp_path / "in.jsonl", mixed_lines())
    out = tmp_path / "out.jsonl"
    result = run_cli(str(source), "-o", str(out), "--points", "2", "--workers", "1")
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr
    assert "read 10, written 4, failed 6, skipped 0" in stderr
    rows, errors = read_jsonl(out), read_jsonl(default_errors_path(out))
    assert [row["id"] for row in rows] == ["r000", "r001", "r002", "r003"]  # input order
    for row in rows:
        assert set(row) == {"id", "title", "points", "model", "version", "options"}
        assert row["options"] == {"points": 2, "max_chars": 70, "parse_reach": 2.2}
        assert len(row["points"]) == 2
        assert {"text", "sentence_ids", "spans", "score", "entities"} <= set(row["points"][0])
    by_line = {e["line"]: (e["id"], e["error"]) for e in errors}
    assert by_line == {
        2: (None, "InvalidRecordError"),
        3: ("notext", "InvalidRecordError"),
        5: ("empty", "EmptyInputError"),
        6: ("english", "NoJapaneseError"),
        7: (None, "InvalidRecordError"),
        9: ("r000", "DuplicateIdError"),
    }
    assert all(e["reason"] for e in errors)


def test_a_bug_is_filed_apart_from_bad_input_with_its_traceback(tmp_path: Path, monkeypatch):
    """An exception that is not a KeypointsError is a bug of keypoints: its errors line
    says so and carries the traceback, and the run's counts tell it apart."""
    from keypoints.stages import segment

    split = segment.split_sentences

    def buggy(body: str, *args: Any, **kwargs: Any):
        if "バグ" in body:
            raise RuntimeError("a bug in the segmenter")
        return split(body, *args, **kwargs)

    monkeypatch.setattr(segment, "split_sentences", buggy)
    records = [*good_records(2), {"id": "bug", "text": "バグを起こす記事です。本文が続く。"}]
    lines = [*map(dumps, records), dumps({"id": "english", "text": "Only English here."})]
    source = write_jsonl(tmp_path / "in.jsonl", lines)
    out = tmp_path / "out.jsonl"
    counts = batch.run(
        Job(str(source), out, settings=Settings(n_points=2, parse_reach=0), workers=1)
    )
    errors = {e["id"]: e for e in read_jsonl(default_errors_path(out))}
    assert (counts.written, counts.failed, counts.internal) == (2, 2, 1)
    bug, bad_input = errors["bug"], errors["english"]
    assert bug["error"] == "RuntimeError" and bug["internal"] is True
    assert "Traceback" in bug["traceback"] and "a bug in the segmenter" in bug["traceback"]
    assert bad_input["error"] == "NoJapaneseError"
    assert "internal" not in bad_input and "traceback" not in bad_input


@pytest.mark.slow
def test_points_equal_keypoints_summarize(tmp_path: Path):
    """A batch line holds exactly the points `render.result_to_dict` gives for the article."""
    from keypoints.pipeline import Summarizer
    from keypoints.render import result_to_dict
    from keypoints.settings import Settings
    from keypoints.stages.ingest import ingest

    record = good_records(1)[0]
    source = write_jsonl(tmp_path / "in.jsonl", [dumps(record)])
    out = tmp_path / "out.jsonl"
    batch.run(Job(str(source), out, settings=Settings(n_points=2), workers=1))
    article = ingest(record["text"], title=record["title"], id=record["id"], format="text")
    expected = result_to_dict(Summarizer(Settings(n_points=2)).summarize(article))
    (row,) = read_jsonl(out)
    assert row["points"] == expected["points"]
    assert row["title"] == record["title"]


@pytest.mark.slow
def test_point_options_reach_the_workers(tmp_path: Path):
    """The options travel to the worker processes: each line equals `summarize` with
    the same Settings, whose points (at most 40 characters) differ from the default's.
    That every option becomes its setting is the next test's."""
    from keypoints.pipeline import Summarizer
    from keypoints.render import result_to_dict
    from keypoints.settings import Settings
    from keypoints.stages.ingest import ingest

    records = good_records(2)
    source = write_jsonl(tmp_path / "in.jsonl", [dumps(r) for r in records])
    out = tmp_path / "out.jsonl"
    batch.run(
        Job(str(source), out, settings=Settings(n_points=2, max_chars=40, parse_reach=0), workers=2)
    )
    settings = Settings(n_points=2, max_chars=40, parse_reach=0)
    for record, row in zip(records, read_jsonl(out), strict=True):
        article = ingest(record["text"], title=record["title"], id=record["id"], format="text")
        expected = result_to_dict(Summarizer(settings).summarize(article))["points"]
        default = result_to_dict(Summarizer(Settings(n_points=2)).summarize(article))["points"]
        assert row["points"] == expected != default
        assert all(len(point["text"]) <= 40 for point in row["points"])


def test_a_job_records_the_options_of_its_settings(tmp_path: Path):
    job = Job("in.jsonl", tmp_path / "out.jsonl", settings=Settings(n_points=4, max_chars=50))
    assert job.settings.recorded() == {"points": 4, "max_chars": 50, "parse_reach": 2.2}
    assert Job("in.jsonl", tmp_path / "out.jsonl").settings == Settings()
    with_terms = Settings(terms=("細胞外小胞", "EV")).recorded()
    assert with_terms["terms"].startswith("sha256:") and len(with_terms) == 4


@pytest.mark.slow
def test_pool_workers_keep_the_garbage_collector_off_their_models():
    """A pool worker freezes what warm_up loaded and collects less often; the
    calling process is left as it was."""
    import gc

    from keypoints.batch.local_engine import new_pool
    from keypoints.batch.worker import GC_YOUNG_THRESHOLD

    before = gc.get_threshold(), gc.get_freeze_count()
    pool = new_pool(Settings(parse_reach=0), 1)
    try:
        threshold = pool.submit(gc.get_threshold).result(timeout=300)
        frozen = pool.submit(gc.get_freeze_count).result(timeout=300)
    finally:
        pool.shutdown()
    assert threshold[0] == GC_YOUNG_THRESHOLD
    assert frozen > 100_000  # the models' objects: spaCy, scikit-learn, the IDF table
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


@pytest.mark.slow
def test_stats_log_has_a_line_per_chunk_with_memory_and_seconds(tmp_path: Path):
    source = write_jsonl(tmp_path / "in.jsonl", [dumps(r) for r in good_records(4)])
    stats = tmp_path / "stats.jsonl"
    batch.run(
        Job(
            str(source),
            tmp_path / "out.jsonl",
            settings=Settings(n_points=2, parse_reach=0),
            workers=2,
            chunk_size=1,
            stats=stats,
        )
    )
    entries = read_jsonl(stats)
    assert [e["done"] for e in entries] == [1, 2, 3, 4]
    assert all(e["peak_rss"] > 0 and e["rss"] > 0 and e["pid"] != os.getpid() for e in entries)
    seconds = [e["seconds"] for e in entries]
    assert seconds == sorted(seconds) and seconds[0] > 0


def test_records_are_counted_beside_the_work_and_only_for_a_display(tmp_path: Path, monkeypatch):
    """Counting reads the whole input once more: a display gets the total from a
    thread while the work goes on; without one (--quiet, a pipe) nothing counts."""
    import threading

    source = write_jsonl(tmp_path / "in.jsonl", [dumps(r) for r in good_records(3)])
    counted = []
    real_count = runner.count_records
    monkeypatch.setattr(
        runner, "count_records", lambda s, *rest: counted.append(s) or real_count(s, *rest)
    )
    batch.run(
        Job(
            str(source),
            tmp_path / "quiet.jsonl",
            settings=Settings(n_points=2, parse_reach=0),
            workers=1,
        )
    )
    assert counted == []

    totals, advanced, got_total = [], [], threading.Event()
    progress = batch.Progress(
        start=lambda total: (totals.append(total), got_total.set()),
        advance=advanced.append,
        wants_total=True,
    )
    batch.run(
        Job(
            str(source),
            tmp_path / "shown.jsonl",
            settings=Settings(n_points=2, parse_reach=0),
            workers=1,
        ),
        progress,
    )
    assert got_total.wait(timeout=30)
    assert totals == [3] and sum(advanced) == 3 and counted == [str(source)]


@pytest.mark.slow
def test_directory_input_ids_are_relative_paths(tmp_path: Path):
    root = tmp_path / "articles"
    (root / "sub").mkdir(parents=True)
    title, body = sample_articles()[0]
    (root / "a.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    (root / "sub" / "b.md").write_text(f"# {title}\n\n{body}\n", encoding="utf-8")
    (root / "sub" / "c.html").write_text(
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        + "".join(f"<p>{line}</p>" for line in body.splitlines())
        + "</article></body></html>",
        encoding="utf-8",
    )
    (root / "broken.txt").write_bytes(b"\xff\xfe\x00binary")
    (root / "ignored.csv").write_text("not an article", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    counts = batch.run(Job(str(root), out, settings=Settings(n_points=2), workers=1))
    assert (counts.read, counts.written, counts.failed) == (4, 3, 1)
    assert [row["id"] for row in read_jsonl(out)] == ["a.txt", "sub/b.md", "sub/c.html"]
    # trafilatura turns the ideographic space of the HTML title into a plain one.
    assert all("".join(row["title"].split()) == "".join(title.split()) for row in read_jsonl(out))
    (error,) = read_jsonl(default_errors_path(out))
    assert (error["id"], error["error"]) == ("broken.txt", "UndecodableInputError")


@pytest.mark.slow
def test_directory_of_shift_jis_and_a_jsonl_line_over_max_bytes(tmp_path: Path):
    """A Shift_JIS article file is read (the end of the run counts it); a JSONL line over
    --max-bytes is a numbered line of the errors file and the other records go on."""
    title, body = sample_articles()[0]
    root = tmp_path / "articles"
    root.mkdir()
    (root / "sjis.txt").write_bytes(f"{title}\n\n{body}\n".encode("cp932"))
    (root / "utf8.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    out = tmp_path / "dir.jsonl"
    result = run_cli(str(root), "-o", str(out), "-n", "2", "-w", "1", "--parse-reach", "0")
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr
    assert "read by the encoding detected: 1 as Shift_JIS (cp932); pass --encoding" in stderr
    rows = read_jsonl(out)
    assert [row["id"] for row in rows] == ["sjis.txt", "utf8.txt"]
    assert rows[0]["points"] == rows[1]["points"]

    records = [dumps(r) for r in good_records(3)]
    huge = dumps({"id": "huge", "text": "港町市の路面電車。" * 2000})
    source = write_jsonl(tmp_path / "in.jsonl", [records[0], huge, records[1], records[2]])
    out = tmp_path / "lines.jsonl"
    result = run_cli(
        str(source), "-o", str(out), "-n", "2", "-w", "1", "--parse-reach", "0",
        "--max-bytes", "10000",
    )  # fmt: skip
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr
    assert "read 4, written 3, failed 1, skipped 0" in stderr
    assert [row["id"] for row in read_jsonl(out)] == ["r000", "r001", "r002"]
    (error,) = read_jsonl(default_errors_path(out))
    assert (error["line"], error["error"]) == (2, "InputTooLargeError")
    assert error["reason"] == "line over the --max-bytes limit of 10,000 bytes"
    refused = run_cli(str(source), "-o", str(tmp_path / "x.jsonl"), "--encoding", "cp932")
    assert refused.returncode == 2 and "is for a directory" in refused.stderr.decode()


@pytest.mark.slow
def test_gzip_input_and_custom_field_names(tmp_path: Path):
    records = [{"doc": r["id"], "headline": r["title"], "body": r["text"]} for r in good_records(3)]
    source = tmp_path / "in.jsonl.gz"
    with gzip.open(source, "wt", encoding="utf-8") as handle:
        handle.write("".join(dumps(r) + "\n" for r in records))
    out = tmp_path / "out.jsonl"
    counts = batch.run(
        Job(
            str(source),
            out,
            settings=Settings(n_points=2),
            workers=1,
            fields=Fields(id="doc", title="headline", text="body"),
        )
    )
    assert (counts.read, counts.written, counts.failed) == (3, 3, 0)
    assert [row["id"] for row in read_jsonl(out)] == ["r000", "r001", "r002"]


@pytest.mark.slow
def test_stdin_input(tmp_path: Path):
    lines = [dumps(r) for r in good_records(2)] + ["not json"]
    out = tmp_path / "out.jsonl"
    result = run_cli(
        "-",
        "-o",
        str(out),
        "-n",
        "2",
        "-w",
        "1",
        "--quiet",
        stdin=("\n".join(lines) + "\n").encode(),
    )
    assert result.returncode == 0, result.stderr.decode()
    assert "read 3, written 2, failed 1, skipped 0" in result.stderr.decode()
    assert list(points_by_id(out)) == ["r000", "r001"]


@pytest.mark.slow
def test_two_workers_give_the_same_points_as_one(tmp_path: Path):
    source = write_jsonl(
        tmp_path / "in.jsonl", mixed_lines() + [dumps(r) for r in good_records(6, "w")]
    )
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    batch.run(Job(str(source), one, settings=Settings(n_points=2), workers=1))
    batch.run(Job(str(source), two, settings=Settings(n_points=2), workers=2, chunk_size=2))
    assert one.read_text(encoding="utf-8") == two.read_text(encoding="utf-8")
    assert default_errors_path(one).read_text(encoding="utf-8") == default_errors_path(
        two
    ).read_text(encoding="utf-8")


@pytest.mark.slow
def test_resume_with_other_options_is_refused_and_changes_nothing(tmp_path: Path):
    source = write_jsonl(tmp_path / "in.jsonl", [dumps(r) for r in good_records(3)])
    out = tmp_path / "out.jsonl"
    batch.run(Job(str(source), out, settings=Settings(n_points=2), workers=1))
    with open(out, "ab") as handle:
        handle.write(b'{"id": "r00')  # a crash mid-line: a refused resume leaves it too
    written = out.read_bytes()
    result = run_cli(str(source), "-o", str(out), "-n", "3", "-w", "1", "--resume", "--quiet")
    stderr = result.stderr.decode()
    assert result.returncode == 73, stderr
    assert "written with --points 2 --max-chars 70 --parse-reach 2.2" in stderr
    assert "--points 3" in stderr and "Traceback" not in stderr
    assert out.read_bytes() == written
    counts = batch.run(Job(str(source), out, settings=Settings(n_points=2), workers=1, resume=True))
    assert (counts.read, counts.written, counts.skipped) == (3, 0, 3)


def start_batch(source: Path, out: Path, workers: int, lines: int) -> subprocess.Popen:
    """A real `keypoints batch` process, returned once `out` holds `lines` lines."""
    args = [
        sys.executable,
        "-m",
        "keypoints",
        "batch",
        str(source),
        "-o",
        str(out),
        "-n",
        "2",
        "-w",
        str(workers),
        "--chunk-size",
        "1",
        "--quiet",
    ]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    while not (out.exists() and out.read_bytes().count(b"\n") >= lines):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            stderr = process.stderr.read().decode()
            process.stderr.close()
            pytest.fail(f"no {lines} output lines (exit {process.poll()}): {stderr}")
        time.sleep(0.2)
    return process


@pytest.mark.slow
def test_kill_then_resume_accounts_for_every_id_once(tmp_path: Path):
    records = good_records(30)
    bad = {"id": "nojapanese", "text": "English only."}
    source = write_jsonl(
        tmp_path / "in.jsonl",
        [dumps(r) for r in records[:10]] + [dumps(bad)] + [dumps(r) for r in records[10:]],
    )
    out = tmp_path / "out.jsonl"
    process = start_batch(source, out, workers=1, lines=3)
    try:
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=60)
        process.stderr.close()
    # Done before the kill: the records written, and the bad one if it was reached.
    first = len(read_jsonl(out)) + len(read_jsonl(default_errors_path(out)))
    assert first < 31, "the run finished before it could be killed"

    # Without --resume an existing output is refused.
    refused = run_cli(str(source), "-o", str(out), "-n", "2", "-w", "1")
    assert refused.returncode == OutputError.exit_code
    assert "--resume" in refused.stderr.decode() and "Traceback" not in refused.stderr.decode()

    # A crash in the middle of a write leaves half a line; resume cuts it off.
    with open(out, "ab") as handle:
        handle.write(dumps(records[-1])[:40].encode())
    result = run_cli(str(source), "-o", str(out), "-n", "2", "-w", "1", "--resume")
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr
    assert f"skipped {first}" in stderr and "cut off a partial last line" in stderr

    rows, errors = read_jsonl(out), read_jsonl(default_errors_path(out))
    ids = [row["id"] for row in rows] + [e["id"] for e in errors]
    assert sorted(ids) == sorted([r["id"] for r in records] + ["nojapanese"])
    assert len(ids) == len(set(ids))

    # Resuming a finished run does nothing.
    again = run_cli(str(source), "-o", str(out), "-n", "2", "-w", "1", "--resume")
    assert "read 31, written 0, failed 0, skipped 31" in again.stderr.decode()


def _leaf_processes(psutil, pid: int) -> list:
    """(process, parent pid) of the descendants of `pid` that have no children; one
    that ends while we look (a helper process, say) is left out."""
    leaves = []
    for child in psutil.Process(pid).children(recursive=True):
        try:
            if child.children() == []:
                leaves.append((child, child.ppid()))
        except psutil.NoSuchProcess:
            continue
    return leaves


@pytest.mark.slow
def test_a_killed_worker_loses_no_record(tmp_path: Path):
    """SIGKILL one pool worker mid-run (as the OOM killer would): the chunks in flight
    run again record by record, a fresh pool takes the rest, and every article is
    written; none goes to the errors file (only one that kills its worker twice would)."""
    psutil = pytest.importorskip("psutil")
    records = good_records(40)
    source = write_jsonl(tmp_path / "in.jsonl", [dumps(r) for r in records])
    out = tmp_path / "out.jsonl"
    process = start_batch(source, out, workers=2, lines=2)
    try:
        # Pool workers are the grandchildren (under the forkserver) or children that
        # run the pool; kill the first one that holds a Summarizer.
        leaves = _leaf_processes(psutil, process.pid)
        workers = [p for p, parent in leaves if parent != process.pid] or [p for p, _ in leaves]
        assert workers, "no pool worker found"
        workers[0].kill()
        assert process.wait(timeout=240) == 0, process.stderr.read().decode()
        stderr = process.stderr.read().decode()
    finally:
        if process.poll() is None:
            process.kill()
        process.stderr.close()
    assert "Traceback" not in stderr
    assert "a worker died" in stderr and "were run again" in stderr, stderr
    rows, errors = read_jsonl(out), read_jsonl(default_errors_path(out))
    assert errors == []
    assert [row["id"] for row in rows] == [r["id"] for r in records]  # all, in input order


@pytest.mark.slow
def test_an_article_that_kills_its_worker_every_time_fails_alone(tmp_path: Path, monkeypatch):
    """The isolation path: after a worker dies, the chunks in flight run one record at
    a time; a record whose worker dies again is the only one recorded as failed, and
    every other article is written in input order. (The record that kills its worker
    is made here: the pool forks from this process, so its workers inherit the patch.)"""
    import multiprocessing

    summarize_records = worker.summarize_records

    def deadly(records, options):
        if any(record.id == "poison" for record in records):
            os._exit(1)  # as a segfault or the OOM killer would end it
        return summarize_records(records, options)

    monkeypatch.setattr(worker, "summarize_records", deadly)
    monkeypatch.setattr(local_engine, "pool_context", lambda: multiprocessing.get_context("fork"))
    records = good_records(7)
    records.insert(3, {**good_records(1, "x")[0], "id": "poison"})
    source = write_jsonl(tmp_path / "in.jsonl", [dumps(r) for r in records])
    out = tmp_path / "out.jsonl"
    counts = batch.run(
        Job(str(source), out, settings=Settings(n_points=2), workers=2, chunk_size=2)
    )
    rows, errors = read_jsonl(out), read_jsonl(default_errors_path(out))
    assert [row["id"] for row in rows] == [r["id"] for r in records if r["id"] != "poison"]
    assert all(row["points"] for row in rows)
    assert [(e["id"], e["line"]) for e in errors] == [("poison", 4)]
    assert errors[0]["reason"].startswith("worker failed")
    assert (counts.written, counts.failed) == (7, 1)
    assert counts.rerun >= 2  # the poison's chunk and the chunks in flight beside it


@pytest.mark.slow
def test_parquet_output_holds_every_written_row(tmp_path: Path):
    pq = pytest.importorskip("pyarrow.parquet")
    source = write_jsonl(
        tmp_path / "in.jsonl",
        [dumps(r) for r in good_records(3)] + [dumps({"id": "empty", "text": ""})],
    )
    out, table_path = tmp_path / "out.jsonl", tmp_path / "points.parquet"
    result = run_cli(
        str(source), "-o", str(out), "-n", "2", "-w", "1", "--parquet", str(table_path)
    )
    assert result.returncode == 0, result.stderr.decode()
    assert f"wrote 3 rows → {table_path}" in result.stderr.decode()
    table = pq.read_table(table_path).to_pylist()
    rows = read_jsonl(out)
    assert [t["id"] for t in table] == [r["id"] for r in rows]
    for got, row in zip(table, rows, strict=True):
        assert got["points"] == [p["text"] for p in row["points"]]
        assert json.loads(got["points_json"]) == row["points"]
        assert json.loads(got["options_json"]) == row["options"]
        assert (got["title"], got["model"], got["version"]) == (
            row["title"],
            row["model"],
            row["version"],
        )
    assert not list(tmp_path.glob("*.partial"))


def test_parquet_is_written_a_row_group_at_a_time(tmp_path: Path):
    pq = pytest.importorskip("pyarrow.parquet")
    from keypoints.batch.parquet import jsonl_to_parquet

    lines = [
        dumps(
            {
                "id": str(i),
                "title": None,
                "points": [point],
                "model": "m",
                "version": "v",
            }
        )
        for i in range(5)
        for point in [
            {
                "text": f"点{i}。",
                "sentence_ids": [0],
                "spans": [[0, 3]],
                "score": 0.5,
                "entities": [],
            }
        ]
    ]
    source = write_jsonl(tmp_path / "out.jsonl", lines)
    assert jsonl_to_parquet(source, tmp_path / "t.parquet", rows_per_group=2) == 5
    meta = pq.ParquetFile(tmp_path / "t.parquet").metadata
    assert (meta.num_rows, meta.num_row_groups) == (5, 3)
    # A file that is not batch output is refused with the line at fault, not a traceback.
    other = write_jsonl(tmp_path / "other.jsonl", [dumps({"id": "a", "points": [{"text": "点"}]})])
    with pytest.raises(OutputError, match=r"other\.jsonl line 1 is not a keypoints batch line"):
        jsonl_to_parquet(other, tmp_path / "other.parquet")


def test_recover_keeps_valid_lines_and_cuts_a_partial_tail(tmp_path: Path):
    path = tmp_path / "out.jsonl"
    path.write_bytes(b'{"id": "a"}\n{"id": null, "line": 7}\n{"id": "b"}\n{"id": "c", "po')
    done = Done()
    recover(path, done)
    assert done.ids == {"a", "b"} and done.lines == {7}
    assert path.read_bytes().endswith(b'"po')  # reading changes nothing
    cut_partial_tails(done)
    assert path.read_bytes().endswith(b'{"id": "b"}\n')
    again = Done()
    recover(path, again)  # a second look finds nothing to cut
    assert again.ids == {"a", "b"} and not again.cut


def test_record_reasons():
    def record(raw: bytes, number: int = 1):
        return record_of(parse_line(raw, number))

    assert record(b"\xff\xfe").error[0] == "UndecodableInputError"
    assert record(b"[1, 2]").error == ("InvalidRecordError", "not a JSON object but an array")
    assert record(b'{"id": 5, "text": "\xe6\x9c\xac\xe6\x96\x87"}', 3).id == "5"
    assert record(b'{"id": "x", "text": "a", "title": 3}').error[0] == "InvalidRecordError"
    assert record(b'{"id": "x", "text": ').error[1].startswith("invalid JSON (Expecting value")


@pytest.mark.slow
def test_clear_errors_for_missing_input_and_unwritable_output(tmp_path: Path):
    source = write_jsonl(tmp_path / "in.jsonl", [dumps(r) for r in good_records(1)])
    missing = run_cli(str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "o.jsonl"))
    assert missing.returncode == 66
    assert without_idf_warning(missing.stderr).startswith("error:")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for target in (blocker / "out.jsonl", tmp_path):  # under a file; a directory
        result = run_cli(str(source), "-o", str(target))
        stderr = without_idf_warning(result.stderr)
        assert result.returncode == OutputError.exit_code, stderr
        assert stderr.startswith("error:") and "Traceback" not in stderr


@pytest.mark.slow
def test_nothing_usable_exits_non_zero(tmp_path: Path):
    source = write_jsonl(tmp_path / "in.jsonl", ["not json", dumps({"id": "e", "text": ""})])
    result = run_cli(str(source), "-o", str(tmp_path / "o.jsonl"), "-w", "1")
    assert result.returncode == 6
    assert "read 2, written 0, failed 2" in result.stderr.decode()


@pytest.mark.slow
def test_dask_engine_equals_local_engine(tmp_path: Path):
    pytest.importorskip("distributed")
    source = write_jsonl(
        tmp_path / "in.jsonl", mixed_lines() + [dumps(r) for r in good_records(4, "d")]
    )
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    batch.run(Job(str(source), local, settings=Settings(n_points=2), workers=1))
    result = run_cli(
        str(source),
        "-o",
        str(dask),
        "-n",
        "2",
        "--engine",
        "dask",
        "--workers",
        "2",
        "--chunk-size",
        "2",
    )
    assert result.returncode == 0, result.stderr.decode()
    assert "read 14, written 8, failed 6" in result.stderr.decode()
    assert dask.read_text(encoding="utf-8") == local.read_text(encoding="utf-8")
    assert default_errors_path(dask).read_text(encoding="utf-8") == default_errors_path(
        local
    ).read_text(encoding="utf-8")
