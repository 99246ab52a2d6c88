"""The whole pipeline on the real seed article and on the bundled samples.

Properties only: the output is not pinned, so the model can change.
"""

from __future__ import annotations

import json
import re

import pytest

import keypoints
from conftest import SAMPLES
from keypoints.pipeline import Summarizer
from keypoints.settings import Settings
from keypoints.stages.ingest import ingest

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("n", "max_chars"), [(3, 70), (2, 50), (5, 80)])
def test_seed_article_points(seed_record, n, max_chars):
    title, text = seed_record["title"], seed_record["text"]
    result = keypoints.extract(text, title=title, n=n, max_chars=max_chars)
    article = ingest(text, title=title)

    texts = [p.text for p in result.points]
    assert len(texts) == n and len(set(texts)) == n
    for point in result.points:
        assert len(point.text) <= max_chars
        # Taken from the article body: not the title, a caption or the banner.
        assert point.source_text.replace("\n", "") in article.body.replace("\n", "")
        assert point.source_text not in title
        assert "写真" not in point.text and "出典" not in point.text
        assert "ヒフコNEWS" not in point.text
        start, end = point.spans[0]
        assert text[start:end].replace("\n", "") == point.source_text
    assert result.title == title
    if (n, max_chars) == (3, 70):  # the default ポイント box names an organisation
        assert any(e.label == "ORG" for p in result.points for e in p.entities)


def test_seed_points_name_an_organisation_in_their_text(seed_record):
    result = keypoints.extract(seed_record["text"], title=seed_record["title"])
    orgs = [e.text for p in result.points for e in p.entities if e.label == "ORG"]
    assert any(org in p.text for org in orgs for p in result.points)


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")) + sorted(SAMPLES.glob("*.md")))
def test_samples_give_distinct_body_points(path):
    expected = {
        json.loads(line)["file"]: json.loads(line)
        for line in open(SAMPLES / "points.jsonl", encoding="utf-8")
    }[path.name]
    text = path.read_text(encoding="utf-8")
    result = keypoints.extract(text, n=3)
    assert result.title == expected["title"]
    assert len({p.text for p in result.points}) == 3
    for point in result.points:
        assert len(point.text) <= 70
        assert point.text not in result.existing_points
    if path.suffix == ".md":  # its own ポイント box is set aside, never reused as a point
        assert result.existing_points == expected["points"]


@pytest.mark.parametrize("max_chars", [70, 40])
def test_space_between_full_width_words_is_kept(max_chars):
    text = (
        "新しい決済サービス\n\n"
        "大手通信各社は、新しい決済サービス「ＡＢＣ Ｐａｙ」を来月から全国で始めると発表した。"
        "利用者は初年度に百万人を超える見込みだという。\n"
        "同社は 新制度にも対応する。"
    )
    result = Summarizer(Settings(n_points=3, max_chars=max_chars)).summarize_text(
        text, format="text"
    )
    points = [p.text for p in result.points]
    assert any("Ｐａｙ" in p for p in points), points
    for point in points:
        assert "ＡＢＣＰａｙ" not in point
        assert "Ｐａｙ" not in point or "ＡＢＣ Ｐａｙ" in point
        assert "同社は 新制度" not in point  # a stray space between Japanese still goes


@pytest.mark.parametrize("blank", [" ", "\u3000", "\u2003", "\t"])
def test_point_spans_are_the_sentence_as_written(blank):
    """For plain text, `text[start:end]` is the point's source sentence: no blank or newline
    at either end, and a wrapped sentence's line break (and blanks around it) only inside."""
    text = (
        f"市の新制度\n\n{blank}市は新しい子育て支援制度を来年四月から始めると発表した。{blank}\n"
        f"{blank}対象は市内に住む全ての世帯で、{blank}\n{blank}所得の制限は設けない。{blank}\n\n"
        f"{blank}申請は来月から市役所の窓口で受け付けるという。{blank}\n"
    )
    result = Summarizer(Settings(n_points=3)).summarize_text(text, format="text")
    assert result.offsets == "input" and result.points
    for point in result.points:
        (start, end), *_ = point.spans
        written = text[start:end]
        assert written == written.strip(), repr(written)
        assert re.sub(r"\s*\n\s*", "", written) == point.source_text
