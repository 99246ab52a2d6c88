"""The console entry point (`keypoints`): Ctrl-C and SIGTERM are taken over before the
command line and the pipeline are imported, so that even the first second of a run
ends in one line, not a traceback (`keypoints.interrupts`)."""

from __future__ import annotations

import sys


def main() -> None:
    from keypoints.interrupts import Interrupted, ignore_signals, raise_on_signals

    raise_on_signals()
    try:
        try:
            from keypoints.cli import main as command_line
        except Interrupted as stop:  # while the command line was still being imported
            if "batch" in sys.argv[1:2]:  # nothing read or written yet
                stop.message = stop.after_records(0)
            print(stop.message, file=sys.stderr)
            sys.exit(stop.exit_code)
        command_line()
    finally:
        # The run is over and its last line written: a signal now has nothing left to
        # stop. Python's shutdown would put back the default action of a signal that
        # has a Python handler, and a Ctrl-C at that moment would kill the exit itself.
        ignore_signals()
