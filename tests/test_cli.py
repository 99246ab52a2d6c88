"""The `keypoints` command as a user runs it: real processes, real exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLES, without_idf_warning
from keypoints.errors import (
    EmptyInputError,
    ExitCode,
    InputNotFoundError,
    InvalidRecordError,
    NoJapaneseError,
    UndecodableInputError,
)

SAMPLE = SAMPLES / "medical_regulation.txt"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "keypoints", *args],
        input=stdin,
        capture_output=True,
        timeout=300,
    )


def assert_clean_error(result: subprocess.CompletedProcess, code: int) -> str:
    stderr = result.stderr.decode()
    assert result.returncode == code, stderr
    assert "Traceback" not in stderr
    assert stderr.strip().startswith("error:")
    return stderr


@pytest.mark.slow
def test_summarize_prints_one_bullet_per_point():
    result = run("summarize", str(SAMPLE), "--points", "2")
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode().strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith("・") for line in lines)


@pytest.mark.slow
def test_summarize_json_points_trace_back_to_the_input(tmp_path: Path):
    result = run("summarize", str(SAMPLE), "--format", "json", "--max-chars", "60")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    source = SAMPLE.read_text(encoding="utf-8")
    assert data["offsets"] == "input"
    assert len(data["points"]) == 3
    from keypoints.text.sudachi import tokenize

    for point in data["points"]:
        assert len(point["text"]) <= 60
        start, end = point["spans"][0]
        # Compression drops phrases and finishes the ending: every word is its sentence's.
        sentence = source[start:end].replace("\n", "")
        words = [t.surface for t in tokenize(point["text"]) if t.is_content]
        assert words and all(word in sentence for word in words)


@pytest.mark.slow
def test_explain_shows_features_of_each_point():
    result = run("summarize", str(SAMPLE), "--explain", "--format", "json")
    data = json.loads(result.stdout)
    for point in data["points"]:
        assert set(point["features"]) >= {"centrality", "position", "entity_density"}
        # Every feature gets a contribution, and some of them move the score.
        assert set(point["contributions"]) == set(point["features"])
        assert any(abs(v) > 0 for v in point["contributions"].values())
    table = run("summarize", str(SAMPLE), "--explain").stdout.decode()
    assert "centrality" in table and "entity_density" in table


@pytest.mark.slow
def test_markdown_and_stdin():
    text = SAMPLE.read_bytes()
    result = run("summarize", "-", "--format", "markdown", stdin=text)
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "ポイント" in out and out.count("\n- ") == 3


@pytest.mark.slow
def test_terms_file_marks_terms_as_entities(tmp_path: Path):
    terms = tmp_path / "terms.txt"
    terms.write_text("# domain terms\n情報伝達\n", encoding="utf-8")
    data = json.loads(
        run("summarize", str(SAMPLE), "-f", "json", "-n", "5", "--terms", str(terms)).stdout
    )
    texts = [p for p in data["points"] if "情報伝達" in p["text"]]
    for point in texts:
        assert {"text": "情報伝達", "label": "TERM"} in point["entities"]


@pytest.mark.slow
def test_every_command_has_help():
    for args in (["--help"], ["summarize", "--help"], ["build-idf", "--help"]):
        result = run(*args)
        assert result.returncode == 0
        assert "Usage" in result.stdout.decode()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("content", "name", "error"),
    [
        (b"", "empty.txt", EmptyInputError),
        (b" \n\t\n\xe3\x80\x80\n", "blank.txt", EmptyInputError),
        (b"Hello world. Only English here 123.", "english.txt", NoJapaneseError),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "image.txt", UndecodableInputError),
        (b"\xe3\x81\xe3\x81", "broken.txt", UndecodableInputError),
        (b'{"id": "a1"}', "record.json", InvalidRecordError),
        (b'{"id": "a1", "text": ', "truncated.json", InvalidRecordError),
    ],
)
def test_bad_input_gets_one_line_and_its_own_exit_code(tmp_path, content, name, error):
    path = tmp_path / name
    path.write_bytes(content)
    stderr = assert_clean_error(run("summarize", str(path)), error.exit_code)
    assert len(stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_missing_file_and_directory(tmp_path: Path):
    assert_clean_error(run("summarize", str(tmp_path / "nope.txt")), InputNotFoundError.exit_code)
    assert_clean_error(run("summarize", str(tmp_path)), InputNotFoundError.exit_code)
    assert_clean_error(
        run("summarize", str(SAMPLE), "--terms", str(tmp_path / "none.txt")),
        InputNotFoundError.exit_code,
    )


def test_exit_codes_are_distinct():
    codes = [
        e.exit_code
        for e in (
            EmptyInputError,
            InputNotFoundError,
            InvalidRecordError,
            NoJapaneseError,
            UndecodableInputError,
        )
    ]
    assert len(set(codes)) == len(codes) and 0 not in codes and 2 not in codes


@pytest.mark.slow
def test_usage_errors_exit_2_without_traceback():
    result = run("summarize", str(SAMPLE), "--points", "0")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr.decode()


@pytest.mark.slow
def test_one_megabyte_article_gets_points(tmp_path: Path):
    paragraph = SAMPLE.read_text(encoding="utf-8").split("\n\n", 1)[1]
    body = ""
    i = 0
    while len(body.encode()) < 1_000_000:
        body += paragraph.replace("厚生労働省", f"厚生労働省第{i}課") + "\n\n"
        i += 1
    path = tmp_path / "long.txt"
    path.write_text("長い記事の見出し\n\n" + body, encoding="utf-8")
    result = run("summarize", str(path), "-f", "json")
    assert result.returncode == 0, result.stderr.decode()
    assert len(json.loads(result.stdout)["points"]) == 3


MARKUP_ARTICLE = (
    "港町市の山田市長は12日、路面電車を新港地区まで延伸する計画を「:warning:最優先の事業」と"
    "位置づけて発表した。\n\n延伸区間は約2.4キロで、停留所を[bold]6か所[/bold]新たに設ける"
    "計画だ。\n\n市は2030年度の開業を目指し、来年度には\x1b[31m工事に着手\x1b[0mする方針を示した。\n"
)


# Our own short article, in characters every encoding below has.
TRAM = (
    "港町市、路面電車「みなと線」を来春開業へ\n\n"
    "港町市は１日、市の中心部と港を結ぶ路面電車「みなと線」を２０２７年４月に開業すると"
    "発表した。全長は約７．５キロで、停留所は１２か所を設ける。\n"
    "市長は記者会見で「通勤や観光の足として、港町のにぎわいを取り戻したい」と述べた。"
    "運賃は大人１８０円とし、交通系ＩＣカードも使えるようにする。\n"
)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_the_cli_writes_exactly_what_the_library_returns(tmp_path: Path, fmt: str):
    from keypoints.pipeline import Summarizer
    from keypoints.render import render

    article = tmp_path / "markup.txt"
    article.write_text(MARKUP_ARTICLE, encoding="utf-8")
    result = run("summarize", str(article), "--format", fmt)
    assert result.returncode == 0, result.stderr
    expected = render(Summarizer().summarize_text(MARKUP_ARTICLE, format="text"), fmt)
    stdout = result.stdout.decode()
    assert stdout == expected + "\n"
    assert ":warning:" in stdout and "[bold]" in stdout


@pytest.mark.slow
def test_messages_quote_user_text_as_it_is(tmp_path: Path):
    missing = tmp_path / "[/bold]:warning:.txt"
    stderr = assert_clean_error(run("summarize", str(missing)), ExitCode.NO_INPUT)
    assert "[/bold]:warning:.txt" in stderr


def test_summarize_reads_the_encodings_of_newsrooms_and_says_which(tmp_path: Path):
    quick = ("--points", "2", "--parse-reach", "0")  # parse-reach 0: no GiNZA, a quick run
    utf8 = tmp_path / "utf8.txt"
    utf8.write_text(TRAM, encoding="utf-8")
    expected = run("summarize", str(utf8), *quick)
    assert expected.returncode == 0 and without_idf_warning(expected.stderr) == "", expected.stderr
    for codec, label in [
        ("cp932", "Shift_JIS (cp932)"),
        ("euc_jp", "EUC-JP (euc-jp)"),
        ("iso2022_jp", "ISO-2022-JP (iso-2022-jp)"),
        ("utf_16", "UTF-16 (utf-16)"),
    ]:
        path = tmp_path / f"{codec}.txt"
        path.write_bytes(TRAM.encode(codec))
        result = run("summarize", str(path), *quick)
        assert result.returncode == 0, result.stderr.decode()
        assert result.stdout == expected.stdout
        assert without_idf_warning(result.stderr) == (
            f"note: {path} read as {label}; pass --encoding to choose another\n"
        )
    forced = run("summarize", str(tmp_path / "euc_jp.txt"), "--encoding", "euc-jp", *quick)
    assert (forced.returncode, forced.stdout) == (0, expected.stdout)
    assert without_idf_warning(forced.stderr) == ""


@pytest.mark.slow
def test_encoding_and_size_errors_are_one_line_each(tmp_path: Path):
    """These fail before any model loads, so they are quick."""
    euc = tmp_path / "euc.txt"
    euc.write_bytes(TRAM.encode("euc_jp"))
    usage = run("summarize", str(euc), "--encoding", "cp932x")
    stderr = " ".join(usage.stderr.decode().replace("│", "").split())  # typer's box, unwrapped
    assert usage.returncode == 2 and "Traceback" not in stderr
    assert "Invalid value for '--encoding': 'cp932x' is not a text encoding Python knows" in stderr
    stderr = assert_clean_error(run("summarize", str(euc), "--encoding", "cp932"), 65)
    assert "not cp932 text" in stderr
    short = tmp_path / "short.txt"
    short.write_bytes("港町市の路面電車".encode("euc_jp"))
    stderr = assert_clean_error(run("summarize", str(short)), 65)
    assert "cannot tell its encoding" in stderr and "--encoding euc-jp" in stderr
    result = run("summarize", "/dev/zero", "--max-bytes", "100000")
    stderr = assert_clean_error(result, 65)
    assert stderr.strip() == "error: /dev/zero: over the --max-bytes limit of 100,000 bytes"
    piped = run("summarize", "-", "--max-bytes", "10", stdin=TRAM.encode())
    assert "standard input: over the --max-bytes limit of 10 bytes" in assert_clean_error(piped, 65)
