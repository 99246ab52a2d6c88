"""`--terms FILE`: the terms a file lists, and a message that says what is wrong with it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLES
from keypoints.cli.options import read_terms
from keypoints.errors import InputNotFoundError, InputTooLargeError, UndecodableInputError


def test_terms_are_read_one_a_line(tmp_path: Path):
    path = tmp_path / "terms.txt"
    path.write_text("# 用語\n新制度\n\n  情報伝達  \n", encoding="utf-8")
    assert read_terms(path) == ["新制度", "情報伝達"]


def test_missing_file_is_not_found(tmp_path: Path):
    with pytest.raises(InputNotFoundError, match="terms file not found"):
        read_terms(tmp_path / "none.txt")


def test_directory_is_named_a_directory(tmp_path: Path):
    with pytest.raises(InputNotFoundError, match="is a directory") as caught:
        read_terms(tmp_path)
    assert "not found" not in str(caught.value)


def test_binary_file_is_not_text(tmp_path: Path):
    path = tmp_path / "terms.bin"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    with pytest.raises(UndecodableInputError, match="terms file: not text"):
        read_terms(path)


def test_a_shift_jis_file_is_read_like_an_article(tmp_path: Path):
    # The encodings of keypoints.io.charsets apply to terms files too.
    path = tmp_path / "terms.txt"
    path.write_bytes("新制度\n細胞外小胞\n".encode("shift_jis"))
    assert read_terms(path) == ["新制度", "細胞外小胞"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_is_too_large_and_ends():
    with pytest.raises(InputTooLargeError, match="too large"):
        read_terms(Path("/dev/zero"))


def test_file_over_the_cap_is_too_large(tmp_path: Path):
    path = tmp_path / "terms.txt"
    path.write_bytes("新制度\n".encode() * 200_000)  # 2 MB of terms
    with pytest.raises(InputTooLargeError, match="too large"):
        read_terms(path)


def test_unreadable_file_says_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "terms.txt"
    path.write_text("新制度\n", encoding="utf-8")

    def denied(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(InputNotFoundError, match="permission denied"):
        read_terms(path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_on_disk_says_permission(tmp_path: Path):
    path = tmp_path / "terms.txt"
    path.write_text("新制度\n", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(InputNotFoundError, match="permission denied"):
        read_terms(path)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_cli_dev_zero_terms_is_one_line_not_not_found():
    result = subprocess.run(
        [sys.executable, "-m", "keypoints", "summarize", str(SAMPLES / "medical_regulation.txt")]
        + ["--terms", "/dev/zero"],
        capture_output=True,
        timeout=120,
    )
    stderr = result.stderr.decode()
    assert result.returncode == InputTooLargeError.exit_code, stderr
    assert "Traceback" not in stderr
    assert stderr.strip().startswith("error:") and len(stderr.strip().splitlines()) == 1
    assert "too large" in stderr and "not found" not in stderr
