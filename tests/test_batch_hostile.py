"""`keypoints batch` against hostile input and interrupted runs (issue #16): damaged
gzip archives, two writers on one output, signals at any moment, ids and --resume."""

from __future__ import annotations

import gzip
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import without_idf_warning
from keypoints.errors import ExitCode
from test_batch import dumps, good_records, read_jsonl, run_cli

pytestmark = pytest.mark.slow  # the command in a process, GiNZA in its workers


def gzip_of(records: list[dict]) -> bytes:
    # Random ids make the stream hard to compress, so damage in its middle is early enough
    # that the records after it are lost.
    return gzip.compress("".join(dumps(r) + "\n" for r in records).encode(), mtime=0)


def damaged_records(n: int = 40) -> list[dict]:
    rng = random.Random(0)
    return [
        {**r, "note": "".join(rng.choice("abcdefghijklmnop") for _ in range(300))}
        for r in good_records(n)
    ]


@pytest.mark.parametrize("damage", ["corrupt", "truncated"])
def test_a_damaged_gzip_keeps_every_record_before_the_damage_and_fails(tmp_path: Path, damage):
    records = damaged_records()
    data = bytearray(gzip_of(records))
    if damage == "corrupt":
        middle = len(data) // 2
        data[middle : middle + 64] = bytes(64)  # zeros in the deflate stream
    else:
        data = data[: int(len(data) * 0.6)]
    source = tmp_path / "in.jsonl.gz"
    source.write_bytes(bytes(data))
    out = tmp_path / "out.jsonl"
    result = run_cli(str(source), "-o", str(out), "--workers", "1", "--points", "2", "-q")
    stderr = result.stderr.decode()
    assert result.returncode == ExitCode.DATA_ERROR, stderr
    assert "damaged gzip input" in stderr and "not a complete run" in stderr
    assert "Traceback" not in stderr
    written = [row["id"] for row in read_jsonl(out)]
    assert written and written == [r["id"] for r in records[: len(written)]]
    assert len(written) < len(records)
    errors = read_jsonl(tmp_path / "out.errors.jsonl")
    damage_lines = [e for e in errors if e["error"] == "DamagedInputError"]
    assert len(damage_lines) == 1 and "byte" in damage_lines[0]["reason"]
    # Every line that could be decompressed is accounted for: written or in the errors.
    accounted = len(written) + len([e for e in errors if e["error"] != "DamagedInputError"])
    assert accounted == damage_lines[0]["line"] - 1
    # A resumed run of a damaged input is not a clean run either, and repeats nothing.
    again = run_cli(str(source), "-o", str(out), "--resume", "--workers", "1", "--points", "2")
    assert again.returncode == ExitCode.DATA_ERROR
    assert [row["id"] for row in read_jsonl(out)] == written


def jsonl_input(tmp_path: Path, n: int) -> Path:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(dumps(r) + "\n" for r in good_records(n)), encoding="utf-8")
    return source


def start_batch(*args: str, stdin: bool = False) -> subprocess.Popen[bytes]:
    """`keypoints batch ARGS` in the background; `stdin`: its input is a pipe to write."""
    return subprocess.Popen(
        [sys.executable, "-m", "keypoints", "batch", *args, "--points", "2", "-q"],
        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a shell gives a job
    )


def wait_for_lines(
    path: Path, n: int, process: subprocess.Popen[bytes], limit: float = 120
) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and process.poll() is None:
        if path.exists() and path.read_bytes().count(b"\n") >= n:
            return
        time.sleep(0.05)


@pytest.mark.parametrize("second", ["fresh", "resume"])
def test_a_second_writer_on_the_same_output_is_refused(tmp_path: Path, second: str):
    # The first run reads its records from a pipe this test holds open, so it is still
    # running (waiting for input) when the second starts, however fast the machine.
    records = 20
    source, out = jsonl_input(tmp_path, records), tmp_path / "out.jsonl"
    lines = source.read_bytes().splitlines(keepends=True)
    first = start_batch("-", "-o", str(out), "--workers", "1", "--chunk-size", "1", stdin=True)
    assert first.stdin is not None
    first.stdin.write(lines[0])
    first.stdin.flush()
    wait_for_lines(out, 1, first)
    extra = ["--resume"] if second == "resume" else []
    other = run_cli(str(source), "-o", str(out), "--workers", "1", *extra, timeout=120)
    assert first.poll() is None, first.stderr.read() if first.stderr else ""
    assert other.returncode == ExitCode.LOCKED, other.stderr
    assert "being written by another keypoints batch" in other.stderr.decode()
    first.stdin.write(b"".join(lines[1:]))
    first.stdin.close()
    assert first.wait(timeout=300) == 0, first.stderr.read() if first.stderr else ""
    ids = [row["id"] for row in read_jsonl(out)]
    assert sorted(ids) == sorted(set(ids)) and len(ids) == records


def test_a_killed_run_leaves_no_lock_behind(tmp_path: Path):
    source, out = jsonl_input(tmp_path, 40), tmp_path / "out.jsonl"
    first = start_batch(str(source), "-o", str(out), "--workers", "1")
    wait_for_lines(out, 1, first)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    again = run_cli(str(source), "-o", str(out), "--resume", "--workers", "1", "--points", "2")
    assert again.returncode == 0, again.stderr
    ids = [row["id"] for row in read_jsonl(out)]
    assert sorted(ids) == [r["id"] for r in good_records(40)]


STOPPED = (
    r"^(interrupted|terminated) after [\d,]+( of [\d,]+)? records; "
    r"run again with --resume to continue$"
)


@pytest.mark.parametrize(
    ("when", "signum"),
    [
        ("start", signal.SIGINT),
        ("middle", signal.SIGINT),
        ("end", signal.SIGINT),
        ("middle", signal.SIGTERM),
    ],
)
def test_a_signal_at_any_moment_ends_in_one_line_and_resume_finishes(
    tmp_path: Path, when: str, signum: int
):
    import re

    records = 40
    source, out = jsonl_input(tmp_path, records), tmp_path / "out.jsonl"
    run = start_batch(str(source), "-o", str(out), "--workers", "2", "--chunk-size", "2")
    if when == "start":
        time.sleep(0.3)  # imports, model loading, the pool starting
    else:
        wait_for_lines(out, 6 if when == "middle" else records, run)
    if signum == signal.SIGINT:
        os.killpg(run.pid, signal.SIGINT)  # as Ctrl-C in a terminal: the whole job
    else:
        os.kill(run.pid, signal.SIGTERM)  # as `kill PID`
    code = run.wait(timeout=120)
    stderr = without_idf_warning(run.stderr.read())
    assert "Traceback" not in stderr and "leaked" not in stderr and "Error" not in stderr
    if code == 0:
        assert when == "end"  # it was done before the signal came
    else:
        assert code == 128 + signum, stderr
        lines = [line for line in stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and re.match(STOPPED, lines[0]), stderr
    again = run_cli(str(source), "-o", str(out), "--resume", "--workers", "1", "--points", "2")
    assert again.returncode == 0, again.stderr
    ids = [row["id"] for row in read_jsonl(out)]
    assert sorted(ids) == [r["id"] for r in good_records(records)]


def run_job(source: Path, out: Path, *, resume: bool = False):
    from keypoints import batch
    from keypoints.settings import Settings

    return batch.run(
        batch.Job(str(source), out, settings=Settings(n_points=2), workers=1, resume=resume)
    )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (True, "not a boolean"),
        (1.0, "not a number (1.0)"),
        ({"a": 1}, "not an object"),
        ([1], "not an array"),
        ("  ", "has no 'id'"),
    ],
)
def test_ids_are_strings_or_integers_and_nothing_else(value, problem):
    from keypoints.batch.records import record_of
    from keypoints.io.jsonl import JsonLine

    record = record_of(JsonLine(1, {"id": value, "text": "本文。"}))
    assert record.id is None and record.error is not None
    assert record.error[0] == "InvalidRecordError" and problem in record.error[1]
    assert record_of(JsonLine(2, {"id": 42, "text": "本文。"})).id == "42"


def test_42_and_the_string_42_are_one_id(tmp_path: Path):
    first, second = good_records(2)
    source = tmp_path / "in.jsonl"
    source.write_text(dumps({**first, "id": 42}) + "\n" + dumps({**second, "id": "42"}) + "\n")
    out = tmp_path / "out.jsonl"
    counts = run_job(source, out)
    assert (counts.written, counts.failed) == (1, 1)
    (error,) = read_jsonl(tmp_path / "out.errors.jsonl")
    assert (error["id"], error["error"], error["line"]) == ("42", "DuplicateIdError", 2)


def test_a_repeated_id_is_an_error_even_after_a_crash(tmp_path: Path):
    a, b, c = good_records(3)
    source = tmp_path / "in.jsonl"
    source.write_text("".join(dumps(r) + "\n" for r in (a, b, a, c)), encoding="utf-8")
    out, errors = tmp_path / "out.jsonl", tmp_path / "out.errors.jsonl"
    run_job(source, out)
    # As if the run had died after writing a's points, before anything else.
    out.write_text(out.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")
    errors.unlink()
    run_job(source, out, resume=True)
    assert sorted(row["id"] for row in read_jsonl(out)) == sorted([a["id"], b["id"], c["id"]])
    (error,) = read_jsonl(errors)
    assert (error["id"], error["error"], error["line"]) == (a["id"], "DuplicateIdError", 3)
    run_job(source, out, resume=True)  # and a second resume adds nothing
    assert len(read_jsonl(errors)) == 1 and len(read_jsonl(out)) == 3


def test_resume_sets_a_broken_middle_line_aside_and_runs_its_record_again(tmp_path: Path):
    records = good_records(3)
    source = tmp_path / "in.jsonl"
    source.write_text("".join(dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run_job(source, out)
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = '{"id": "r001", "points": [壊れた\n'
    out.write_text("".join(lines), encoding="utf-8")
    counts = run_job(source, out, resume=True)
    assert counts.set_aside and "line 2" in counts.set_aside[0]
    assert sorted(row["id"] for row in read_jsonl(out)) == [r["id"] for r in records]
    assert (tmp_path / "out.jsonl.broken").read_text(encoding="utf-8") == lines[1]


def test_a_signal_after_the_run_is_done_cannot_kill_its_exit(monkeypatch):
    """Python's shutdown puts back the default action of a signal with a Python handler:
    a Ctrl-C as a finished batch exits would kill it (exit -2) with its work done. Once
    the command returns, the entry point ignores both signals."""
    import keypoints.cli
    from keypoints import entry

    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    monkeypatch.setattr(keypoints.cli, "main", lambda: None)
    try:
        entry.main()
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_IGN
    finally:
        for each, handler in saved.items():
            signal.signal(each, handler)
