"""The output and errors files of a batch: appended and synced chunk by chunk, and read
back by `--resume` (`recover`), which refuses to continue a run made with other options."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from keypoints.batch.job import Job
from keypoints.batch.records import Record
from keypoints.errors import OutputError, OutputLockedError
from keypoints.io.jsonl import object_problem, parse_line
from keypoints.settings import recorded_as_flags


class Appender:
    """An append-only JSONL file; every `write` is flushed and fsync'ed (crash safety).

    With `lock`, the file is held under an exclusive `flock` for as long as it is open:
    a second `keypoints batch` on the same output gets `OutputLockedError` and writes
    nothing. The kernel drops the lock when its process dies, so a crashed run never
    blocks `--resume`."""

    def __init__(self, path: Path, *, lock: bool = False) -> None:
        self.path = path
        parent = path.parent
        if parent.exists() and not parent.is_dir():
            raise OutputError(f"{path}: {parent} is not a directory")
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self.handle = open(path, "ab")
        except OSError as exc:
            raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
        if lock:
            self._lock()

    def _lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # not POSIX: no advisory locks to take
            return
        try:
            fcntl.flock(self.handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise OutputLockedError(
                f"{self.path} is being written by another keypoints batch: wait for it to "
                "end (then --resume), or write to another file"
            ) from None

    def write(self, lines: list[str]) -> None:
        if not lines:
            return
        try:
            self.handle.write("".join(line + "\n" for line in lines).encode("utf-8"))
            self.handle.flush()
            os.fsync(self.handle.fileno())
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot write ({exc.strerror or exc})") from None

    def close(self) -> None:
        self.handle.close()


@dataclass
class Done:
    """What earlier runs finished: ids, and the lines of id-less errors (invalid JSON...)."""

    ids: set[str] = field(default_factory=set)
    lines: set[int] = field(default_factory=set)
    error_lines: set[int] = field(default_factory=set)  # input lines in the errors file
    cut: dict[Path, int] = field(default_factory=dict)  # bytes of partial lines to cut off
    # Broken lines with valid ones after them (1-based line numbers): set aside.
    broken: dict[Path, list[int]] = field(default_factory=dict)
    options: list[dict[str, Any]] = field(default_factory=list)  # distinct, of output lines

    def __contains__(self, record: Record) -> bool:
        return record.id in self.ids if record.id is not None else record.line in self.lines


def recover(path: Path, done: Done) -> None:
    """Add the entries of a JSONL file written by an earlier run to `done`, and note in
    `done.cut` what follows its last valid line: a crash mid-write leaves a partial
    line there, which would otherwise glue itself to the next line appended
    (`cut_partial_tails` removes it, once the run is sure to go on)."""
    if not path.exists():
        return
    good_end = 0
    broken: list[int] = []
    with open(path, "rb") as handle:
        offset = 0
        for number, raw in enumerate(handle, start=1):
            offset += len(raw)
            entry = _json_object(raw) if raw.endswith(b"\n") else None
            if entry is None:
                broken.append(number)  # cut off below if nothing valid follows it
                continue
            good_end = offset
            broken = [*done.broken.get(path, []), *broken]
            if broken:
                done.broken[path] = broken
                broken = []
            if "error" in entry and isinstance(entry.get("line"), int):
                done.error_lines.add(entry["line"])
            if isinstance(entry.get("options"), dict) and entry["options"] not in done.options:
                done.options.append(entry["options"])
            if entry.get("id") is not None:
                done.ids.add(str(entry["id"]))
            elif isinstance(entry.get("line"), int):
                done.lines.add(entry["line"])
    if good_end < offset:
        done.cut[path] = offset - good_end


def set_aside_broken(done: Done) -> list[str]:
    """Move each broken line that `recover` found among valid ones into `PATH.broken`
    (a crash cannot leave one there; a disk fault or a hand edit can), so that the
    output holds valid lines only; the record it held runs again. What was moved, for
    the user."""
    moved = []
    for path, numbers in done.broken.items():
        with open(path, "rb+") as handle:
            lines = handle.read().splitlines(keepends=True)
            aside = [lines[n - 1] for n in numbers]
            with open(path.with_name(path.name + ".broken"), "ab") as side:
                side.write(b"".join(raw if raw.endswith(b"\n") else raw + b"\n" for raw in aside))
                side.flush()
                os.fsync(side.fileno())
            drop = set(numbers)
            handle.seek(0)
            handle.write(b"".join(raw for n, raw in enumerate(lines, start=1) if n not in drop))
            handle.truncate()
            handle.flush()
            os.fsync(handle.fileno())
        shown = ", ".join(str(n) for n in numbers[:5]) + (" …" if len(numbers) > 5 else "")
        moved.append(f"{len(numbers)} broken line(s) of {path} (line {shown}) → {path.name}.broken")
    return moved


def cut_partial_tails(done: Done) -> None:
    """Truncate each file `recover` found a partial last line in after its valid lines."""
    for path, size in done.cut.items():
        with open(path, "rb+") as handle:
            handle.truncate(path.stat().st_size - size)
            os.fsync(handle.fileno())


def _json_object(raw: bytes) -> dict[str, Any] | None:
    line = parse_line(raw, 0)
    return line.value if object_problem(line) is None else None


def check_fresh(paths: Iterable[Path]) -> None:
    """Without --resume, never append to (or clobber) the results of another run."""
    for path in paths:
        if path.is_dir():
            raise OutputError(f"{path}: is a directory")
        if path.exists() and path.stat().st_size > 0:
            raise OutputError(
                f"{path} already exists and is not empty: use --resume to "
                "continue that run, or remove it"
            )


def check_same_options(job: Job, done: Done) -> None:
    """--resume continues a run only with its options: one output, one way of making points."""
    wanted = job.settings.recorded()
    for earlier in done.options:
        if earlier != wanted:
            raise OutputError(
                f"{job.output} was written with {recorded_as_flags(earlier)}, not "
                f"{recorded_as_flags(wanted)}: resume with the same options, or write "
                "to a new file"
            )
