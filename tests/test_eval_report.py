"""`keypoints eval` end to end: runner, reports and the command, on our own small gold set."""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLES
from keypoints.evaluation.gold import GoldRecord, load_samples
from keypoints.evaluation.report import markdown_tables, write_reports
from keypoints.evaluation.runner import HEADLINE_METRICS, evaluate_dataset, score_article
from keypoints.evaluation.systems import make_systems


def sample_gold() -> list[GoldRecord]:
    return load_samples(SAMPLES / "points.jsonl")


def write_gold(path: Path, records: list[GoldRecord]) -> Path:
    lines = [
        json.dumps(
            {"id": r.id, "title": r.title, "text": r.text, "points": r.references},
            ensure_ascii=False,
        )
        for r in records
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def result():
    systems = make_systems(["lead", "random", "oracle"], seed=3)
    return evaluate_dataset("samples", sample_gold(), systems, n=3, seed=3, n_resamples=300)


def test_every_system_gets_every_metric_with_an_interval(result):
    assert [s.system for s in result.systems] == ["lead", "random", "oracle"]
    assert result.reference_system == "lead"  # no keypoints system: the first one
    for summary in result.systems:
        for metric in HEADLINE_METRICS:
            interval = summary.metrics[metric]
            if not math.isnan(interval.mean):
                assert interval.low - 1e-12 <= interval.mean <= interval.high + 1e-12
        if summary.system == "lead":
            assert summary.p_values == {}
        else:
            assert all(0 < p <= 1 for p in summary.p_values.values())
    assert len(result.articles) == 3 * len(sample_gold())


def test_oracle_bounds_lead_and_random_on_rouge2(result):
    means = {s.system: s.metrics["rouge2_f"].mean for s in result.systems}
    assert means["oracle"] >= means["lead"] and means["oracle"] >= means["random"]


def test_seeded_run_is_reproducible(result):
    again = evaluate_dataset(
        "samples",
        sample_gold(),
        make_systems(["lead", "random", "oracle"], seed=3),
        n=3,
        seed=3,
        n_resamples=300,
    )
    assert [(a.system, a.points) for a in again.articles] == [
        (a.system, a.points) for a in result.articles
    ]
    for first, second in zip(result.systems, again.systems, strict=True):
        assert first.metrics == second.metrics and first.p_values == second.p_values


def test_identical_points_score_one_and_empty_points_zero():
    refs = ["東西電機は新工場の建設を発表した。", "投資額は約300億円となる。"]
    perfect = score_article(refs, refs)
    assert perfect["rouge2_f"] == pytest.approx(1.0) and perfect["rougeL_char_f"] == pytest.approx(
        1.0
    )
    assert perfect["align_matched_share"] == 1.0
    empty = score_article([], refs)
    assert empty["rouge1_f"] == 0.0 and empty["points"] == 0.0


def test_reports_are_written_and_valid(result, tmp_path: Path):
    written = write_reports([result], tmp_path)
    names = {p.name for p in written}
    assert {"results.json", "results.csv", "report.md", "report.html", "chart-samples.png"} <= names
    data = json.loads((tmp_path / "results.json").read_text("utf-8"))  # strict JSON: no NaN
    assert data[0]["dataset"] == "samples"
    with open(tmp_path / "results.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(result.articles)
    report = (tmp_path / "report.md").read_text("utf-8")
    assert "best article" in report and "worst article" in report and "chart-samples.png" in report
    page = (tmp_path / "report.html").read_text("utf-8")
    assert "data:image/png;base64," in page and "human points" in page
    assert (tmp_path / "chart-samples.png").read_bytes()[:4] == b"\x89PNG"
    assert "| lead |" in markdown_tables([result])


def run_eval(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "keypoints", "eval", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.slow
def test_cli_scores_predictions_like_the_same_system_in_process(tmp_path: Path):
    gold = write_gold(tmp_path / "gold.jsonl", sample_gold())
    lead = make_systems(["lead"])[0]
    pred = tmp_path / "lead_pred.jsonl"
    pred.write_text(
        "\n".join(
            json.dumps(
                {"id": r.id, "points": [{"text": t} for t in lead.summarize(r, 3)]},
                ensure_ascii=False,
            )
            for r in sample_gold()
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    done = run_eval(
        str(gold), "--pred", str(pred), "--systems", "lead", "-n", "3", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    summaries = {
        s["system"]: s for s in json.loads((out / "results.json").read_text("utf-8"))[0]["systems"]
    }
    assert set(summaries) == {"pred:lead_pred", "lead"}
    assert summaries["pred:lead_pred"]["metrics"] == summaries["lead"]["metrics"]


@pytest.mark.slow
def test_cli_reports_every_bad_line_and_unpaired_id(tmp_path: Path):
    records = sample_gold()[:2]
    gold = write_gold(tmp_path / "gold.jsonl", records)
    with open(gold, "a", encoding="utf-8") as handle:
        handle.write("{not json\n")
        handle.write(
            json.dumps({"id": records[0].id, "text": "重複した記録です。", "points": ["重複。"]})
            + "\n"
        )
        handle.write(
            json.dumps({"id": "no-ref", "text": "参照のない記事です。", "points": []}) + "\n"
        )
    pred = tmp_path / "pred.jsonl"
    pred.write_text(
        json.dumps({"id": records[0].id, "points": [{"text": "予測の一文です。"}]})
        + "\n"
        + json.dumps({"id": "stranger", "points": []})
        + "\n",
        encoding="utf-8",
    )
    done = run_eval(str(gold), "--pred", str(pred), "-n", "3")
    assert done.returncode == 0, done.stderr
    output = done.stdout + done.stderr
    assert "invalid JSON" in output
    assert "duplicate id" in output
    assert "empty reference" in output
    assert records[1].id in output and "stranger" in output  # one side only
    assert "5 problem(s)" in output


@pytest.mark.slow
def test_cli_bad_usage_and_unusable_input(tmp_path: Path):
    unknown = run_eval(str(SAMPLES / "points.jsonl"), "--systems", "lead,gpt")
    assert unknown.returncode == 2 and "gpt" in unknown.stderr and "Traceback" not in unknown.stderr
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{oops\n", encoding="utf-8")
    done = run_eval(str(broken), "--systems", "lead")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "invalid JSON" in done.stdout + done.stderr
    missing = run_eval(str(tmp_path / "missing.jsonl"))
    assert missing.returncode == 66 and missing.stderr.startswith("error:")


def test_an_article_a_system_rejects_is_reported_and_scored_as_no_points():
    """keypoints (and the baselines, on the same sentences) cannot read an article with no
    Japanese: it counts as no points for them, and the result says so."""
    from keypoints.evaluation.systems import KeypointsSystem
    from keypoints.settings import Settings

    readable = load_samples(SAMPLES / "points.jsonl")[0]
    english = GoldRecord("english", None, "Only English words here.", ["要点"])
    systems = [KeypointsSystem(Settings(compression=False)), *make_systems(["lead"])]
    result = evaluate_dataset("mixed", [readable, english], systems, n=3, n_resamples=100)
    (problem,) = result.problems
    assert problem.id == "english"
    assert problem.reason.startswith("scored as no points: keypoints, lead rejected it")
    assert "NoJapaneseError" in problem.reason
    scores = {(a.id, a.system): a for a in result.articles}
    assert scores["english", "keypoints"].points == [] and scores["english", "lead"].points == []
    assert scores["english", "keypoints"].metrics["rouge2_f"] == 0.0


def test_all_points_counts_the_articles_that_got_every_point_they_could():
    from keypoints.evaluation.runner import points_owed

    two = GoldRecord("two", None, "見出し\n\n港町市は延伸を決めた。工事は来年始まる。", ["要点"])
    assert points_owed(two, 3) == 2  # only two sentences of prose
    assert points_owed(GoldRecord("en", None, "English only.", ["p"]), 3) == 0
    refs = ["港町市は延伸を決めた。"]
    assert score_article(["a。", "b。"], refs, owed=2)["all_points"] == 1.0
    assert score_article(["a。"], refs, owed=2)["all_points"] == 0.0
    assert math.isnan(score_article(["a。"], refs)["all_points"])
