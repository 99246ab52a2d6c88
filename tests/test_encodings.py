"""Hostile input, fast: the encodings of Japanese newsrooms, binaries, bytes whose
encoding cannot be told, and input without end (/dev/zero, an endless JSONL line).

The article is our own text, encoded in each encoding here (no binary fixture files)."""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path

import pytest

from keypoints.batch.records import count_records, read_records
from keypoints.errors import InputTooLargeError, UndecodableInputError
from keypoints.io.charsets import check_encoding, decode_bytes
from keypoints.io.files import read_article, read_bytes
from keypoints.io.jsonl import read_jsonl

# A short news article of our own: kanji, kana, full-width digits and 「」 quotes, in
# characters every encoding below has.
ARTICLE = (
    "港町市、路面電車「みなと線」を来春開業へ\n\n"
    "港町市は１日、市の中心部と港を結ぶ路面電車「みなと線」を２０２７年４月に開業すると"
    "発表した。全長は約７．５キロで、停留所は１２か所を設ける。総事業費は約１２０億円を"
    "見込む。\n"
    "市長は記者会見で「通勤や観光の足として、港町のにぎわいを取り戻したい」と述べた。"
    "運賃は大人１８０円とし、交通系ＩＣカードも使えるようにする。\n"
)

ENCODINGS = [
    # (how the bytes are made, what the note names)
    ("cp932", "Shift_JIS (cp932)"),
    ("shift_jis", "Shift_JIS (cp932)"),
    ("euc_jp", "EUC-JP (euc-jp)"),
    ("iso2022_jp", "ISO-2022-JP (iso-2022-jp)"),
    ("utf_16", "UTF-16 (utf-16)"),  # with a BOM
    ("utf_16_le", "UTF-16LE (utf-16-le)"),  # without one
    ("utf_16_be", "UTF-16BE (utf-16-be)"),
]


@pytest.mark.parametrize(("codec", "label"), ENCODINGS)
def test_each_encoding_reads_as_the_same_text_and_says_which(codec: str, label: str):
    decoded = decode_bytes(ARTICLE.encode(codec), "article.txt")
    assert decoded.text == ARTICLE
    assert decoded.detected and decoded.label == label
    assert decoded.note == f"article.txt read as {label}; pass --encoding to choose another"


@pytest.mark.parametrize("data", [ARTICLE.encode(), "\ufeff".encode() + ARTICLE.encode()])
def test_utf8_is_read_first_with_no_note(data: bytes):
    decoded = decode_bytes(data, "article.txt")
    assert (decoded.text, decoded.encoding, decoded.note) == (ARTICLE, "utf-8", None)


def test_a_forced_encoding_is_used_as_given():
    euc = ARTICLE.encode("euc_jp")
    forced = decode_bytes(euc, "a.txt", "EUC-JP")
    assert forced.text == ARTICLE and forced.note is None
    assert decode_bytes(ARTICLE.encode("utf_16_le"), "a.txt", "utf-16-le").text == ARTICLE
    with pytest.raises(
        UndecodableInputError,
        match=r"^a\.txt: not euc_jp text \(byte 0x8d at offset 0\); pass another --encoding",
    ):
        decode_bytes(ARTICLE.encode("cp932"), "a.txt", "euc-jp")
    with pytest.raises(UndecodableInputError, match="NUL characters"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00", "a.png", "latin-1")


def test_encoding_names_are_checked():
    assert check_encoding("Shift_JIS") == "shift_jis"
    assert check_encoding("euc-jp") == "euc_jp"
    assert check_encoding("AUTO") == "auto"
    for bad in ("sjis-x", "base64", "rot13", ""):
        with pytest.raises(ValueError, match="not a text encoding Python knows"):
            check_encoding(bad)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",  # NULs, and not UTF-16
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00>\x00",
        bytes(range(128, 256)) * 4,  # no NUL, but text in no encoding
    ],
)
def test_binaries_are_refused_with_the_encoding_hint(data: bytes):
    with pytest.raises(UndecodableInputError, match=r"\(a binary file\?\).*--encoding cp932"):
        decode_bytes(data, "x.bin")


def test_bytes_whose_encoding_cannot_be_told_are_refused_with_a_hint():
    """Eight characters of EUC-JP read as well (to charset-normalizer) in cp932 half-width
    katakana and in UTF-16: no reading is clearly best, and each gives other text."""
    short = "港町市の路面電車".encode("euc_jp")
    with pytest.raises(UndecodableInputError) as raised:
        decode_bytes(short, "short.txt")
    message = str(raised.value)
    assert message.startswith(
        "short.txt: cannot tell its encoding: it reads as 「港町市の路面電車」"
    )
    assert message.endswith("pass one, e.g. --encoding euc-jp")
    # Forced, the same bytes read; with a sentence more, detection tells by itself.
    assert decode_bytes(short, "short.txt", "euc-jp").text == "港町市の路面電車"
    longer = "港町市の路面電車が来春に開業する。停留所は１２か所。".encode("euc_jp")
    assert decode_bytes(longer, "longer.txt").encoding == "euc_jp"


def test_readings_that_agree_are_not_ambiguous():
    """ASCII reads the same in cp932, EUC-JP and ISO-2022-JP: UTF-8 takes it first."""
    assert decode_bytes(b"Minatomachi 2027", "a.txt").encoding == "utf-8"


def test_an_html_page_in_utf16_is_known_as_html(tmp_path: Path):
    page = "<!doctype html><html><body><p>港町市の路面電車が開業する。</p></body></html>"
    path = tmp_path / "page.dat"
    path.write_bytes(page.encode("utf_16"))
    decoded, fmt = read_article(str(path))
    assert (decoded.text, fmt) == (page, "html")


def test_dev_zero_ends_at_the_limit_at_once():
    started = time.monotonic()
    with pytest.raises(
        InputTooLargeError, match=r"^/dev/zero: over the --max-bytes limit of 1,000 bytes$"
    ):
        read_bytes("/dev/zero", max_bytes=1000)
    assert time.monotonic() - started < 5
    with pytest.raises(InputTooLargeError, match="standard input: over"):
        read_bytes("-", stdin_bytes=b"x" * 11, max_bytes=10)
    assert read_bytes("-", stdin_bytes=b"x" * 10, max_bytes=10) == b"x" * 10


def test_a_jsonl_line_over_the_limit_is_a_numbered_problem_and_the_rest_reads():
    long_line = b'{"id": "long", "text": "' + "港".encode() * 400 + b'"}\n'
    data = b'{"id": "a"}\n' + long_line + b"\n" + b'{"id": "b"}\n' + b'{"id": "c"}'
    lines = list(read_jsonl(io.BytesIO(data), max_bytes=100))
    assert [(line.number, line.value, line.too_large) for line in lines] == [
        (1, {"id": "a"}, False),
        (2, None, True),
        (4, {"id": "b"}, False),
        (5, {"id": "c"}, False),
    ]
    assert lines[1].problem == "line over the --max-bytes limit of 100 bytes"
    # A line exactly at the limit (its line break not counted) is read.
    exact = b'{"id": "' + b"x" * 90 + b'"}'
    assert len(exact) == 100
    assert [line.value for line in read_jsonl(io.BytesIO(exact + b"\n"), max_bytes=100)] == [
        {"id": "x" * 90}
    ]


def test_batch_records_of_an_endless_line_and_of_a_large_file(tmp_path: Path):
    source = tmp_path / "in.jsonl"
    lines = ['{"id": "a", "text": "本文"}', "0" * 5000, '{"id": "b", "text": "本文"}']
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = list(read_records(str(source), max_bytes=1000))
    assert [(r.line, r.id, r.error and r.error[0]) for r in records] == [
        (1, "a", None),
        (2, None, "InputTooLargeError"),
        (3, "b", None),
    ]
    assert count_records(str(source), max_bytes=1000) == 3
    root = tmp_path / "articles"
    root.mkdir()
    (root / "big.txt").write_bytes("港".encode() * 1000)
    (root / "sjis.txt").write_bytes(ARTICLE.encode("cp932"))
    big, sjis = read_records(str(root), max_bytes=2000)
    assert big.error == ("InputTooLargeError", "big.txt: over the --max-bytes limit of 2,000 bytes")
    assert (sjis.text, sjis.detected) == (ARTICLE, "Shift_JIS (cp932)")
    (forced,) = [r for r in read_records(str(root), encoding="cp932") if r.id == "sjis.txt"]
    assert (forced.text, forced.detected) == (ARTICLE, None)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_not_counted(tmp_path: Path):
    """Counting for the progress bar would read a FIFO's records away from the batch."""
    fifo = tmp_path / "records.jsonl"
    os.mkfifo(fifo)
    assert count_records(str(fifo)) is None


class _Terminal:
    """Standard input on a terminal, holding what the user types."""

    def __init__(self, typed: bytes) -> None:
        self.buffer = io.BytesIO(typed)

    def isatty(self) -> bool:
        return True


def test_summarize_says_it_reads_a_terminal_and_which_encoding(monkeypatch, capsys):
    from keypoints.cli.summarize import read_article_saying_so

    monkeypatch.setattr(sys, "stdin", _Terminal(ARTICLE.encode("euc_jp")))
    decoded, fmt = read_article_saying_so("-", "auto", 10**6)
    assert (decoded.text, fmt) == (ARTICLE, "text")
    assert capsys.readouterr().err.splitlines() == [
        "reading the article from standard input (Ctrl-D to end)",
        "note: standard input read as EUC-JP (euc-jp); pass --encoding to choose another",
    ]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode())))
    read_article_saying_so("-", "auto", 10**6)
    assert capsys.readouterr().err == ""
