"""Background IDF table: how rare each word is across a news archive.

Built by `keypoints build-idf` from a JSONL archive of news articles into
`models/idf.tsv.gz` (`make setup` builds it from ../shared/data/bulk_ldcc.jsonl when
that archive is there; the table is made from the data, so it is not committed).
`KEYPOINTS_IDF` names another table. Without one, every word weighs the same
(`IdfTable.uniform`) and a `MissingIdfWarning` says so: the points still come (on the
news dev set, cross-validated, R-2 30.51 against 30.67 with the table).

    >>> IdfTable.uniform()["細胞外小胞"]
    1.0
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import io
import math
import os
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from keypoints.errors import KeypointsWarning, ModelError, OutputError
from keypoints.io.jsonl import JsonLine, object_problem, read_jsonl
from keypoints.resources import model_path
from keypoints.text.sudachi import tokenize

DEFAULT_IDF_PATH = model_path("idf.tsv.gz")
IDF_ENVIRONMENT_VARIABLE = "KEYPOINTS_IDF"


class MissingIdfWarning(KeypointsWarning):
    """No IDF table was found: words are weighed uniformly."""


@dataclass(frozen=True)
class IdfTable:
    """Smoothed IDF, log((1 + N) / (1 + df)) + 1, as scikit-learn computes it."""

    idf: dict[str, float]
    n_documents: int
    # Where the table came from: a file name, "built" in memory, "" for the uniform one.
    source: str = ""

    @classmethod
    def uniform(cls) -> IdfTable:
        """No background archive: with N = 0, every word's IDF is 1."""
        return cls({}, 0)

    @functools.cached_property
    def unseen_idf(self) -> float:
        # A word missing from the table is rarer than every kept word. Cached: the
        # score stage looks up hundreds of words an article.
        return math.log((1 + self.n_documents) / 1) + 1

    def __getitem__(self, word: str) -> float:
        return self.idf.get(word, self.unseen_idf)


def document_frequencies(texts: Iterable[str]) -> tuple[Counter[str], int]:
    counts: Counter[str] = Counter()
    n = 0
    for text in texts:
        counts.update({t.normalized for t in tokenize(text) if t.is_content})
        n += 1
    return counts, n


def build_idf(texts: Iterable[str], min_df: int = 3) -> IdfTable:
    counts, n = document_frequencies(texts)
    idf = {w: math.log((1 + n) / (1 + df)) + 1 for w, df in counts.items() if df >= min_df}
    return IdfTable(idf, n, source="built")


def iter_jsonl_texts(
    path: Path, field: str = "text", problems: list[JsonLine] | None = None
) -> Iterator[str]:
    """Title and text of every record of a JSONL archive (plain or gzip'd); a line that
    is not a JSON object is skipped, and kept in `problems` when given."""
    for line in read_jsonl(path):
        problem = object_problem(line)
        if problem is not None:
            if problems is not None:
                problems.append(JsonLine(line.number, problem=problem))
            continue
        record = line.value
        yield f"{record.get('title') or ''}\n{record.get(field) or ''}"


def default_idf_path() -> Path:
    """`$KEYPOINTS_IDF` when it is set, else `models/idf.tsv.gz`."""
    named = os.environ.get(IDF_ENVIRONMENT_VARIABLE)
    return Path(named) if named else DEFAULT_IDF_PATH


@functools.cache
def default_idf() -> IdfTable:
    """The installed table, loaded once per process; the uniform one, with a
    `MissingIdfWarning`, when there is none. A table that is there but unreadable
    is a `ModelError`, never silently replaced."""
    path = default_idf_path()
    if not path.exists():
        warnings.warn(
            f"no IDF table at {path}: every word weighs the same, which can choose "
            f"sentences a little less well; build one with `keypoints build-idf ARCHIVE.jsonl` "
            f"(make setup does, from ../shared/data/bulk_ldcc.jsonl) or set "
            f"{IDF_ENVIRONMENT_VARIABLE}",
            MissingIdfWarning,
            stacklevel=2,
        )
        return IdfTable.uniform()
    return load_idf(path)


def save_idf(table: IdfTable, path: Path) -> None:
    """Write `table` to `path` as gzip TSV. Written beside it and then renamed, so that
    an interrupted build never leaves half a table where `default_idf` would read it."""
    partial = path.with_name(path.name + ".partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # No name and mtime 0 in the gzip header: the same archive gives the same bytes.
        with (
            partial.open("wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as packed,
            io.TextIOWrapper(packed, "utf-8") as out,
        ):
            out.write(f"#documents\t{table.n_documents}\n")
            # Ties broken by the word, for the same reason.
            for word, value in sorted(table.idf.items(), key=lambda kv: (kv[1], kv[0])):
                out.write(f"{word}\t{value:.4f}\n")
        os.replace(partial, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise OutputError(f"cannot write IDF table {path}: {error}") from error


def load_idf(path: Path | None = None) -> IdfTable:
    """The table saved at `path` (default: `default_idf_path()`); a `ModelError` when it
    is missing or unreadable."""
    path = path if path is not None else default_idf_path()
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            header = handle.readline().rstrip("\n").split("\t")
            if header[0] != "#documents":
                raise ModelError(f"{path}: not an IDF table (bad header)")
            n = int(header[1])
            idf = {}
            for line in handle:
                word, value = line.rstrip("\n").split("\t")
                idf[word] = float(value)
    except (OSError, ValueError, IndexError) as error:
        raise ModelError(f"cannot read IDF table {path}: {error}") from error
    return IdfTable(idf, n, source=path.name)
