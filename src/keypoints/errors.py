"""Errors a user can cause, each with its own exit code for the CLI."""

from __future__ import annotations


class KeypointsError(Exception):
    """Base class: a one-line message and a distinct process exit code."""

    exit_code = 1


class InputNotFoundError(KeypointsError):
    exit_code = 66  # EX_NOINPUT


class UndecodableInputError(KeypointsError):
    """Invalid UTF-8 or a binary file."""

    exit_code = 65  # EX_DATAERR


class EmptyInputError(KeypointsError):
    exit_code = 3


class NoJapaneseError(KeypointsError):
    exit_code = 4


class InvalidRecordError(KeypointsError):
    """A JSON record that is malformed or lacks `text`."""

    exit_code = 5


class NoUsableRecordsError(KeypointsError):
    """An evaluation or batch input in which not one record could be used."""

    exit_code = 6


class ModelError(KeypointsError):
    """A shipped model or table is missing or incompatible."""

    exit_code = 70  # EX_SOFTWARE
