"""The background IDF table: built from an archive, never committed, and optional.

The articles here are sentences written for these tests.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import SAMPLES
from keypoints.errors import ModelError, OutputError
from keypoints.idf import (
    IDF_ENVIRONMENT_VARIABLE,
    IdfTable,
    MissingIdfWarning,
    build_idf,
    default_idf,
    load_idf,
    save_idf,
)

ARTICLES = [
    "港町市は路面電車の延伸を決めた。",
    "港町市の議会は予算案を可決した。",
    "東西電機は蓄電池の量産を始めた。",
    "路面電車の新しい停留所が完成した。",
]


@pytest.fixture
def idf_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Point `KEYPOINTS_IDF` at a path; `default_idf` is cached, so cleared around it."""

    def point(path: Path) -> None:
        monkeypatch.setenv(IDF_ENVIRONMENT_VARIABLE, str(path))
        default_idf.cache_clear()

    yield point
    default_idf.cache_clear()


def test_build_weighs_rare_words_higher():
    table = build_idf(ARTICLES, min_df=1)
    assert table.n_documents == 4
    assert table["港町"] < table["量産"]  # two articles against one
    assert table["見たことのない語"] > table["量産"]  # unseen: rarer than every kept word


def test_save_then_load_gives_the_same_table_and_the_same_bytes(tmp_path: Path):
    table = build_idf(ARTICLES, min_df=1)
    shuffled = IdfTable(dict(reversed(list(table.idf.items()))), table.n_documents)
    save_idf(table, tmp_path / "a.tsv.gz")
    save_idf(shuffled, tmp_path / "b.tsv.gz")
    assert (tmp_path / "a.tsv.gz").read_bytes() == (tmp_path / "b.tsv.gz").read_bytes()
    loaded = load_idf(tmp_path / "a.tsv.gz")
    assert loaded.n_documents == 4
    assert loaded.source == "a.tsv.gz"
    assert loaded.idf == pytest.approx(table.idf, abs=1e-4)
    assert not list(tmp_path.glob("*.partial"))


def test_an_unwritable_output_is_an_output_error(tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(OutputError, match="cannot write IDF table"):
        save_idf(build_idf(ARTICLES, min_df=1), blocker / "idf.tsv.gz")


@pytest.mark.parametrize("content", [b"not gzip", gzip.compress(b"#documents\n")])
def test_a_damaged_table_is_a_model_error_not_a_fallback(tmp_path: Path, idf_at, content):
    path = tmp_path / "idf.tsv.gz"
    path.write_bytes(content)
    with pytest.raises(ModelError, match="IDF table"):
        load_idf(path)
    idf_at(path)
    with pytest.raises(ModelError):
        default_idf()


def test_without_a_table_every_word_weighs_the_same_and_a_warning_says_so(tmp_path, idf_at):
    idf_at(tmp_path / "missing.tsv.gz")
    with pytest.warns(MissingIdfWarning, match="keypoints build-idf"):
        table = default_idf()
    assert table == IdfTable.uniform()
    assert table["港町"] == table["量産"] == 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        default_idf()  # loaded once per process: no second warning


def test_keypoints_idf_names_the_table(tmp_path: Path, idf_at):
    save_idf(build_idf(ARTICLES, min_df=1), tmp_path / "mine.tsv.gz")
    idf_at(tmp_path / "mine.tsv.gz")
    assert default_idf().source == "mine.tsv.gz"
    assert default_idf().n_documents == 4


def _keypoints(*args: str, idf: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, IDF_ENVIRONMENT_VARIABLE: str(idf)}
    return subprocess.run(
        [sys.executable, "-m", "keypoints", *args], capture_output=True, env=env, timeout=300
    )


@pytest.mark.slow
def test_build_idf_writes_where_summarize_reads(tmp_path: Path):
    archive = tmp_path / "archive.jsonl"
    archive.write_text(
        "".join(
            json.dumps({"id": str(i), "title": "", "text": t}) + "\n"
            for i, t in enumerate(ARTICLES)
        )
        + "not json\n",
        encoding="utf-8",
    )
    table = tmp_path / "tables" / "idf.tsv.gz"
    built = _keypoints("build-idf", str(archive), "--min-df", "1", idf=table)
    assert built.returncode == 0, built.stderr.decode()
    assert "line 5" in built.stderr.decode() and "from 4 articles" in built.stderr.decode()
    assert load_idf(table).n_documents == 4
    result = _keypoints("summarize", str(SAMPLES / "medical_regulation.txt"), idf=table)
    assert result.returncode == 0 and "warning" not in result.stderr.decode()


@pytest.mark.slow
def test_summarize_and_batch_without_a_table_warn_once_and_still_give_points(tmp_path: Path):
    missing = tmp_path / "missing.tsv.gz"
    result = _keypoints("summarize", str(SAMPLES / "medical_regulation.txt"), idf=missing)
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr
    assert stderr.startswith("warning: no IDF table") and stderr.count("warning:") == 1
    assert "Traceback" not in stderr and result.stdout.decode().count("・") == 3

    records = tmp_path / "in.jsonl"
    text = (SAMPLES / "medical_regulation.txt").read_text(encoding="utf-8")
    records.write_text(
        "".join(
            json.dumps({"id": str(i), "text": text}, ensure_ascii=False) + "\n" for i in range(4)
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    batch = _keypoints("batch", str(records), "-o", str(out), "--workers", "2", idf=missing)
    stderr = batch.stderr.decode()
    assert batch.returncode == 0, stderr
    assert stderr.count("warning: no IDF table") == 1  # not once more per worker
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4
