"""Gold and prediction loading: every bad line is a counted, explained problem."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from keypoints.errors import InputNotFoundError
from keypoints.evaluation.gold import (
    GoldRecord,
    LoadReport,
    load_gold,
    load_predictions,
    pair_up,
)

TEXT = "東京都は新しい子育て支援策を発表した。来年度から保育料を無償化する。"


def _line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _reasons(report: LoadReport) -> dict[int, str]:
    return {p.line: p.reason for p in report.problems}


def test_every_kind_of_problem_is_counted(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "gold.jsonl",
        [
            _line(id="a", title="子育て", text=TEXT, points=["保育料を無償化"]),  # 1 ok
            "",  # 2 blank: ignored
            '{"id": "b", "text": "壊れた行" "points": []}',  # 3 invalid JSON
            '["not", "an", "object"]',  # 4 not an object
            _line(title="t", text=TEXT, points=["p"]),  # 5 missing id
            _line(id="", text=TEXT, points=["p"]),  # 6 empty id
            _line(id="a", text=TEXT, points=["p"]),  # 7 duplicate of line 1
            _line(id="c", title="t", points=["p"]),  # 8 missing text
            _line(id="d", text="   ", points=["p"]),  # 9 empty text
            _line(id="e", text=TEXT, points=[], summary=None),  # 10 empty references
            _line(id="f", text=TEXT, points=["", "  "], summary=""),  # 11 empty references
            "   ",  # 12 blank: ignored
            _line(id="g", text=TEXT, points=None, summary="要約です。"),  # 13 ok (summary)
        ],
    )
    records, report = load_gold(path)

    assert [r.id for r in records] == ["a", "g"]
    assert report.lines == 11 and report.loaded == 2 and len(report.problems) == 9
    assert report.lines == report.loaded + len(report.problems)
    reasons = _reasons(report)
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert reasons[3].startswith("invalid JSON (Expecting ','")
    assert reasons[4].startswith("not a JSON object")
    assert reasons[5] == "missing id"
    assert reasons[6] == "empty id"
    assert reasons[7] == "duplicate id 'a' (first on line 1)"
    assert reasons[8] == "missing text"
    assert reasons[9] == "empty text"
    assert reasons[10].startswith("empty references")
    assert reasons[11].startswith("empty references")
    duplicate = next(p for p in report.problems if p.line == 7)
    assert duplicate.id == "a" and duplicate.file == str(path)
    assert str(duplicate) == f"{path} line 7: duplicate id 'a' (first on line 1)"


def test_source_is_the_records_field_else_the_file_name(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "assembly.jsonl",
        [
            _line(id="a", text=TEXT, points=["一つ目"], source="poliinfo"),
            _line(id="b", text=TEXT, points=["一つ目"]),
            _line(id="c", text=TEXT, points=["一つ目"], source=7),
        ],
    )
    records, _ = load_gold(path)
    assert [r.source for r in records] == ["poliinfo", "assembly", "assembly"]


def test_points_as_list_as_repr_string_and_summary_fallback(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "gold.jsonl",
        [
            _line(id="list", title="題", text=TEXT, points=["一つ目", " 二つ目 "], summary="無視"),
            _line(id="pyrepr", title=None, text=TEXT, points="['一つ目', '二つ目']"),
            _line(id="jsonrepr", text=TEXT, points='["一つ目", "二つ目"]'),
            _line(id="plain", text=TEXT, points="ただの一文です。"),
            _line(id="summary", text=TEXT, points=None, summary=" 要約です。 "),
            _line(id="empty-list", text=TEXT, points=[], summary="要約です。"),
            _line(id="objects", text=TEXT, points=[{"text": "一つ目"}]),
        ],
    )
    records, report = load_gold(path)
    assert report.problems == []
    by_id = {r.id: r for r in records}
    assert by_id["list"] == GoldRecord("list", "題", TEXT, ["一つ目", "二つ目"], source="gold")
    assert by_id["pyrepr"].references == ["一つ目", "二つ目"]
    assert by_id["pyrepr"].title is None
    assert by_id["jsonrepr"].references == ["一つ目", "二つ目"]
    assert by_id["plain"].references == ["ただの一文です。"]
    assert by_id["summary"].references == ["要約です。"]
    assert by_id["empty-list"].references == ["要約です。"]
    assert by_id["objects"].references == ["一つ目"]


def test_bad_points_type_is_a_problem(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "gold.jsonl",
        [
            _line(id="n", text=TEXT, points=3),
            _line(id="m", text=TEXT, points=["ok", 5]),
        ],
    )
    records, report = load_gold(path)
    assert records == []
    assert "points must be" in report.problems[0].reason
    assert report.problems[1].reason.startswith("points[1] must be")


def test_missing_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError):
        load_gold(tmp_path / "absent.jsonl")
    with pytest.raises(InputNotFoundError):
        load_predictions(tmp_path / "absent.jsonl")
    bad = tmp_path / "latin1.jsonl"
    good = _line(id="y", text=TEXT, points=["要点"])
    bad.write_bytes(_line(id="x", text="caf\xe9").encode("latin-1") + b"\n" + good.encode())
    records, report = load_gold(bad)  # the one reader: a broken line is a numbered problem
    assert [r.id for r in records] == ["y"]
    assert [(p.line, p.reason) for p in report.problems] == [(1, "not UTF-8 text")]


def test_gzip_input(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(_line(id="z", text=TEXT, points=["要点"]) + "\n")
    records, report = load_gold(path)
    assert [r.id for r in records] == ["z"] and report.problems == []
    # gzip is known by its magic bytes, not by the name: a plain file named .gz reads.
    not_gzip = tmp_path / "plain.jsonl.gz"
    not_gzip.write_text(_line(id="z", text=TEXT, points=["要点"]), encoding="utf-8")
    assert [r.id for r in load_gold(not_gzip)[0]] == ["z"]
    broken = tmp_path / "broken.jsonl.gz"
    lines = "".join(_line(id=f"w{i}", text=TEXT, points=["要点"]) + "\n" for i in range(200))
    broken.write_bytes(gzip.compress(lines.encode())[:-12])  # the end of the stream is lost
    records, report = load_gold(broken)
    assert 100 < len(records) < 200  # what came before the damage is read
    assert report.problems[-1].reason.startswith("damaged gzip input (cut off)")


def test_load_predictions(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "pred.jsonl",
        [
            _line(id="a", points=[{"text": "一つ目", "score": 1.0}, {"text": "二つ目"}]),
            _line(id="b", points=["文字列の点"]),
            _line(id="c", points=[]),  # zero points: loaded, not a problem
            "",
            "{oops",
            _line(id="a", points=[]),  # duplicate
            _line(id="d"),  # missing points
            _line(id="e", points=[{"score": 1}]),  # a point without text
            _line(points=["p"]),  # missing id
        ],
    )
    predictions, report = load_predictions(path)
    assert predictions == {"a": ["一つ目", "二つ目"], "b": ["文字列の点"], "c": []}
    assert report.lines == 8 and report.loaded == 3
    reasons = _reasons(report)
    assert reasons[5].startswith("invalid JSON")
    assert reasons[6] == "duplicate id 'a' (first on line 1)"
    assert reasons[7] == "missing points"
    assert reasons[8].startswith("points[0] must be")
    assert reasons[9] == "missing id"


def test_pair_up_reports_ids_on_one_side_only() -> None:
    gold = [GoldRecord(i, None, TEXT, ["p"]) for i in ("a", "b", "c")]
    predictions = {"c": ["x"], "a": ["y"], "z": ["w"]}
    pairs, problems = pair_up(gold, predictions)
    assert [(g.id, p) for g, p in pairs] == [("a", ["y"]), ("c", ["x"])]
    assert [(p.id, p.reason) for p in problems] == [
        ("b", "missing prediction"),
        ("z", "no gold record"),
    ]


SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
GOLD_FILES = {
    "gold_seed.jsonl": 1,
    "gold_poliinfo2020_answers.jsonl": 48,
    "gold_poliinfo14_train.jsonl": 526,
}


@pytest.mark.shared_data
def test_shared_gold_files_load_cleanly() -> None:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} not available")
    for name, expected in GOLD_FILES.items():
        records, report = load_gold(SHARED / name)
        for problem in report.problems:
            print(problem)
        assert report.problems == []
        assert len(records) == report.loaded == expected
        assert all(r.references and all(r.references) for r in records)
