"""Background IDF table: how rare each word is across a news archive.

Built once by `keypoints build-idf` from a JSONL archive (livedoor news in
this project) and shipped as a small gzip TSV under models/.
"""

from __future__ import annotations

import functools
import gzip
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from keypoints.errors import ModelError
from keypoints.io.jsonl import JsonLine, object_problem, read_jsonl
from keypoints.resources import model_path
from keypoints.text.sudachi import tokenize

DEFAULT_IDF_PATH = model_path("idf-ldcc.tsv.gz")


@dataclass(frozen=True)
class IdfTable:
    """Smoothed IDF, log((1 + N) / (1 + df)) + 1, as scikit-learn computes it."""

    idf: dict[str, float]
    n_documents: int

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
    return IdfTable(idf, n)


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


@functools.cache
def default_idf() -> IdfTable:
    """The shipped table, loaded once per process."""
    return load_idf()


def save_idf(table: IdfTable, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write(f"#documents\t{table.n_documents}\n")
        for word, value in sorted(table.idf.items(), key=lambda kv: kv[1]):
            out.write(f"{word}\t{value:.4f}\n")


def load_idf(path: Path = DEFAULT_IDF_PATH) -> IdfTable:
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
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot read IDF table {path}: {error}") from error
    return IdfTable(idf, n)
