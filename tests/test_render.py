"""Tests for keypoints.render: plain bullets, Markdown and JSON (with --explain)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import keypoints
from keypoints.render import (
    FORMATS,
    point_to_dict,
    render,
    render_json,
    render_markdown,
    render_text,
    result_to_dict,
)
from keypoints.stages.features import FEATURES
from keypoints.structures import Entity, Point, Result

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "article_business.txt"
TEXT = FIXTURE.read_text(encoding="utf-8")

RESULT_KEYS = {"title", "points", "existing_points", "offsets", "model", "version"}
POINT_KEYS = {"text", "sentence_ids", "spans", "score", "entities"}
EXPLAIN_KEYS = {"source", "features", "contributions"}


@pytest.fixture(scope="module")
def result() -> Result:
    return keypoints.extract(TEXT, n=3)


def hand_made(title: str | None = "見出し", points: int = 2, id: str | None = None) -> Result:
    made = [
        Point(
            text=f"{i + 1}つ目のポイントの文である。",
            sentence_ids=[i],
            spans=[(i * 20, i * 20 + 15)],
            score=0.123456789 * (i + 1),
            entities=[Entity("東西電機", "ORG", 0, 4)],
            source_text=f"また、{i + 1}つ目のポイントの文である。",
            features={name: 0.5 for name in FEATURES},
            contributions={name: 0.1 for name in FEATURES},
        )
        for i in range(points)
    ]
    return Result(title, made, ["既存のポイント"], "linear-default", "0.1.0", "input", id)


# --- text ------------------------------------------------------------------------------


def test_text_has_one_bullet_line_per_point(result):
    lines = render_text(result).split("\n")
    assert len(lines) == len(result.points) == 3
    assert lines == [f"・{p.text}" for p in result.points]


def test_text_of_no_points_is_empty():
    assert render_text(hand_made(points=0)) == ""


# --- markdown --------------------------------------------------------------------------


def test_markdown_has_heading_and_bullets(result):
    markdown = render_markdown(result)
    lines = markdown.split("\n")
    assert "ポイント" in markdown
    assert lines[0] == f"## {result.title}"
    bullets = [line for line in lines if line.startswith("- ")]
    assert bullets == [f"- {p.text}" for p in result.points]
    assert lines.index("**ポイント**") < lines.index(bullets[0])


def test_markdown_without_title_starts_with_the_box():
    markdown = render_markdown(hand_made(title=None))
    assert markdown.startswith("**ポイント**")
    assert "##" not in markdown


# --- json ------------------------------------------------------------------------------


def test_json_has_the_documented_keys(result):
    data = json.loads(render_json(result))
    assert set(data) == RESULT_KEYS
    assert data["title"] == result.title
    assert data["offsets"] == "input"
    assert data["model"] == result.model and data["version"] == keypoints.__version__
    assert data["existing_points"] == []
    assert len(data["points"]) == 3
    for point, rendered in zip(result.points, data["points"], strict=True):
        assert set(rendered) == POINT_KEYS
        assert rendered["text"] == point.text
        assert rendered["sentence_ids"] == point.sentence_ids
        assert rendered["spans"] == [list(span) for span in point.spans]
        assert rendered["score"] == pytest.approx(point.score, abs=1e-4)
        assert rendered["entities"] == [{"text": e.text, "label": e.label} for e in point.entities]


def test_json_spans_point_into_the_input(result):
    data = json.loads(render_json(result))
    for rendered in data["points"]:
        for start, end in rendered["spans"]:
            assert rendered["text"].removesuffix("…") in TEXT[start:end].replace("\n", "")


def test_json_keeps_japanese_readable(result):
    rendered = render_json(result)
    assert result.points[0].text in rendered
    assert "\\u" not in rendered


def test_json_explain_adds_features_and_contributions():
    from keypoints.pipeline import Summarizer
    from keypoints.settings import Settings
    from keypoints.stages.salience import LinearScorer

    # The default weights: contributions are value × weight and add up to the score.
    linear = Summarizer(Settings(n_points=3), scorer=LinearScorer()).summarize_text(TEXT)
    data = json.loads(render_json(linear, explain=True))
    for point, rendered in zip(linear.points, data["points"], strict=True):
        assert set(rendered) == POINT_KEYS | EXPLAIN_KEYS
        assert rendered["source"] == point.source_text
        assert set(rendered["features"]) == set(FEATURES)
        assert set(rendered["contributions"]) == set(FEATURES)
        assert all(0.0 <= v <= 1.0 for v in rendered["features"].values())
        assert sum(rendered["contributions"].values()) == pytest.approx(rendered["score"], abs=1e-3)


def test_explain_fills_contributions_of_the_learned_model():
    from keypoints.pipeline import Summarizer
    from keypoints.settings import Settings

    summarizer = Summarizer(Settings(n_points=2))
    result = summarizer.summarize_text(TEXT)
    assert all(not p.contributions for p in result.points)  # computed only on request
    summarizer.explain(result)
    for rendered in json.loads(render_json(result, explain=True))["points"]:
        assert set(rendered["contributions"]) == set(FEATURES)


def test_json_without_explain_has_no_features(result):
    for rendered in json.loads(render_json(result))["points"]:
        assert not EXPLAIN_KEYS & set(rendered)


def test_json_includes_id_only_when_set():
    assert "id" not in result_to_dict(hand_made())
    data = json.loads(render_json(hand_made(id="art-1")))
    assert data["id"] == "art-1"
    assert list(data)[0] == "id"
    assert data["existing_points"] == ["既存のポイント"]


def test_json_scores_are_rounded():
    data = point_to_dict(hand_made().points[1])
    assert data["score"] == round(0.123456789 * 2, 4)


def test_json_compact_indent():
    compact = render_json(hand_made(), indent=None)
    assert "\n" not in compact
    assert json.loads(compact) == json.loads(render_json(hand_made()))


# --- dispatch --------------------------------------------------------------------------


def test_render_dispatches_on_format(result):
    assert render(result) == render_text(result)
    assert render(result, "text") == render_text(result)
    assert render(result, "markdown") == render_markdown(result)
    assert json.loads(render(result, "json")) == json.loads(render_json(result))
    assert json.loads(render(result, "json", explain=True)) == json.loads(
        render_json(result, explain=True)
    )
    assert set(FORMATS) == {"text", "markdown", "json"}


def test_unknown_format_is_refused(result):
    with pytest.raises(ValueError, match="unknown format"):
        render(result, "yaml")


def test_a_fallback_point_says_so_in_json_and_a_usual_one_has_no_warnings_field():
    usual = Point(
        "厚労省は新制度を発表した。", [0], [(0, 13)], 0.5, [], "厚労省は新制度を発表した。"
    )
    fallback = Point(
        "都は取り組みを誘導した。",
        [1],
        [(14, 40)],
        0.4,
        [],
        "都は、…",
        warnings=["from_first_clause"],
    )
    assert "warnings" not in point_to_dict(usual)
    assert point_to_dict(fallback)["warnings"] == ["from_first_clause"]
    result = Result("見出し", [usual, fallback], [], "m", "0")
    assert json.loads(render_json(result))["points"][1]["warnings"] == ["from_first_clause"]
