"""Ctrl-C (SIGINT) and SIGTERM at any moment: one line and exit 130 or 143, never a
traceback.

`keypoints.entry.main` installs `raise_on_signals` before anything heavy is imported
(this module imports only the standard library and `keypoints.errors`); the first
signal raises `Interrupted` in the main thread, where the command may add what it
knows (`keypoints batch`: how many records were done) before `main` prints it. Later
signals are ignored while the command winds down (workers shut down, files synced),
so that a second Ctrl-C cannot break the shutdown halfway.

    >>> int(Interrupted(2).exit_code), int(Interrupted(15).exit_code)
    (130, 143)
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from keypoints.errors import ExitCode

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived; `message` is the line to print."""

    def __init__(self, signum: int, message: str | None = None) -> None:
        super().__init__(signum)
        self.signum = signum
        self.message = message or self.what

    @property
    def what(self) -> str:
        return "interrupted" if self.signum == signal.SIGINT else "terminated"

    def after_records(self, done: int, total: int | None = None) -> str:
        """The line a batch ends with: 'interrupted after 3 of 40 records; run again
        with --resume to continue'."""
        of = f" of {total:,}" if total is not None else ""
        return f"{self.what} after {done:,}{of} records; run again with --resume to continue"

    @property
    def exit_code(self) -> int:
        return ExitCode.INTERRUPTED if self.signum == signal.SIGINT else ExitCode.TERMINATED


_deferring = 0  # depth of `deferred_signals` blocks (main thread only)
_pending: list[int] = []  # a signal that came during one


def ignore_signals() -> None:
    """SIGINT and SIGTERM do nothing from now on (main thread only)."""
    if threading.current_thread() is threading.main_thread():
        for each in SIGNALS:
            signal.signal(each, signal.SIG_IGN)


def _raise(signum: int, frame: FrameType | None) -> None:
    ignore_signals()  # once: let the shutdown finish
    if _deferring:
        _pending.append(signum)  # raised when the block ends
        return
    raise Interrupted(signum)


def raise_on_signals() -> None:
    """SIGINT and SIGTERM raise `Interrupted` (in the main thread only, where Python
    delivers signals)."""
    if threading.current_thread() is threading.main_thread():
        for each in SIGNALS:
            signal.signal(each, _raise)


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done: starting worker processes must
    not be cut in half (a worker then finds its pool's semaphores gone, and says so in
    a traceback). The signal is noted by the handler and raised as the block ends."""
    global _deferring
    _deferring += 1
    try:
        yield
    finally:
        _deferring -= 1
        if not _deferring and _pending:  # even when the block failed: the user asked first
            raise Interrupted(_pending.pop())
