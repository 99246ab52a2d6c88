"""Command-line options derived from `keypoints.settings.Settings`: each knob's flag,
bounds, help and default are written once, there.

    points: PointsOption = DEFAULTS.n_points
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from keypoints.errors import InputNotFoundError, InputTooLargeError, NoUsableRecordsError
from keypoints.evaluation.gold import GoldRecord
from keypoints.io.charsets import check_encoding
from keypoints.io.files import decode
from keypoints.settings import Settings, knob


def knob_option(name: str, **extra: Any) -> Any:
    """The typer Option of the setting `name`: its flag, short flag, bounds and help."""
    spec = knob(name)
    flags = [spec.flag, *([spec.short] if spec.short else [])]
    return typer.Option(*flags, help=spec.help, min=spec.min, max=spec.max, **extra)


PointsOption = Annotated[int, knob_option("n_points")]
MaxCharsOption = Annotated[int, knob_option("max_chars")]
ParseReachOption = Annotated[float, knob_option("parse_reach")]
TermsOption = Annotated[Path | None, knob_option("terms", show_default=False)]


def _encoding_name(name: str) -> str:
    try:
        return check_encoding(name)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def encoding_option(help: str) -> Any:
    """The --encoding option (its value checked: an unknown name is a usage error)."""
    return typer.Option("--encoding", callback=_encoding_name, help=help)


def max_bytes_option(help: str) -> Any:
    return typer.Option("--max-bytes", min=1, help=help)


EncodingOption = Annotated[
    str,
    encoding_option(
        "Encoding of the article (cp932, euc-jp, iso-2022-jp, utf-16, utf-8 or another "
        "Python codec). auto: UTF-8, else detected among UTF-16, Shift_JIS (read as cp932), "
        "EUC-JP and ISO-2022-JP, with a note on stderr."
    ),
]
MaxBytesOption = Annotated[
    int,
    max_bytes_option(
        "The most bytes the article may have; more is refused (exit 65) before it fills memory."
    ),
]


GoldFilesArgument = Annotated[
    list[Path],
    typer.Argument(
        help="Gold JSONL files with human-written points (id, title, text, points, summary).",
        show_default=False,
        metavar="GOLD",
    ),
]
FoldsOption = Annotated[
    int, typer.Option(min=2, max=20, help="Grouped cross-validation folds (by article).")
]


def model_output_option() -> Any:
    return typer.Option("--output", "-o", help="Where to write the model (joblib).")


def read_gold_files(paths: list[Path]) -> list[GoldRecord]:
    """The records of the gold files a training command learns from; their problems are
    listed on stderr, and no record at all is an error."""
    from keypoints.cli.app import err
    from keypoints.evaluation.gold import load_gold
    from keypoints.evaluation.report import print_problems

    records: list[GoldRecord] = []
    for path in paths:
        loaded, report = load_gold(path)
        print_problems(report.problems, err)
        records += loaded
    if not records:
        raise NoUsableRecordsError("no gold record to train on")
    return records


def settings_of(points: int, max_chars: int, parse_reach: float, terms: Path | None) -> Settings:
    """The Settings of a command's knob options (the terms read from their file)."""
    return Settings(
        n_points=points,
        max_chars=max_chars,
        parse_reach=parse_reach,
        terms=tuple(read_terms(terms)) if terms else (),
    )


# A terms file is a list of words: more than this is the wrong file (or /dev/zero).
MAX_TERMS_BYTES = 1_000_000


def read_terms(path: Path) -> list[str]:
    """One term per line; blank lines and lines starting with # are ignored.

    A file that cannot be used says why: not found, a directory, unreadable, over
    MAX_TERMS_BYTES, or not UTF-8 text. Pipes work too (`--terms <(echo 新制度)`).

    A file "# 用語\n新制度\n\n情報伝達\n" gives ['新制度', '情報伝達'].
    """
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_TERMS_BYTES + 1)
    except FileNotFoundError:
        raise InputNotFoundError(f"{path}: terms file not found") from None
    except IsADirectoryError:
        raise InputNotFoundError(f"{path}: terms file is a directory, not a file") from None
    except PermissionError:
        raise InputNotFoundError(f"{path}: terms file cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputNotFoundError(f"{path}: terms file cannot be read ({exc.strerror})") from None
    if len(data) > MAX_TERMS_BYTES:
        raise InputTooLargeError(
            f"{path}: terms file is too large (over {MAX_TERMS_BYTES // 1_000_000} MB)"
        )
    lines = decode(data, f"{path}: terms file").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


class InputFormat(str, Enum):
    auto = "auto"
    text = "text"
    markdown = "markdown"
    html = "html"
    json = "json"


class OutputFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"
