"""Baselines: the same sentences for everyone, deterministic, in document order."""

from __future__ import annotations

import pytest

from keypoints.errors import NoJapaneseError
from keypoints.evaluation.gold import GoldRecord
from keypoints.evaluation.metrics import rouge_n, sudachi_tokens
from keypoints.evaluation.systems import (
    SYSTEMS,
    KeypointsSystem,
    LeadBaseline,
    LexRankBaseline,
    OracleBaseline,
    RandomBaseline,
    TextRankBaseline,
    base,
    body_sentences,
    make_systems,
)
from keypoints.settings import Settings

TITLE = "東京都が子育て支援策を拡充"
SENTENCES = [
    "東京都は来年度から子育て支援策を大幅に拡充すると発表した。",
    "第二子以降の保育料を所得にかかわらず無償化する。",
    "対象となる世帯は都内でおよそ二十万世帯にのぼる見込みだ。",
    "財源には都の基金を充て、年間で約四百億円を見込む。",
    "知事は記者会見で少子化対策は待ったなしだと強調した。",
    "区市町村との連携を強め、保育所の整備も加速させる。",
    "一方で財政の持続性を疑問視する声も都議会から出ている。",
    "専門家は保育士の確保が課題になると指摘している。",
    "都は保育士の処遇改善に向けた補助も拡充する方針だ。",
    "新制度は来年四月から始まる予定である。",
]
# The title repeated as the first line: ingest must take it off the body.
TEXT = TITLE + "\n" + "\n".join(SENTENCES)
RECORD = GoldRecord(
    id="doc-1",
    title=TITLE,
    text=TEXT,
    references=["第二子以降の保育料を所得にかかわらず無償化", "保育士の処遇改善に向けた補助も拡充"],
)
SHORT = GoldRecord(
    "short",
    "短い記事",
    "短い記事\n保育料を無償化する。\n新制度は来年四月から始まる。",
    ["保育料を無償化"],
)
FAST = ["lead", "lexrank", "textrank", "random", "oracle"]


def _is_in_order(chosen: list[str]) -> bool:
    positions = [SENTENCES.index(s) for s in chosen]
    return positions == sorted(positions)


def test_body_sentences_leave_out_title_and_non_japanese() -> None:
    record = GoldRecord("x", TITLE, TEXT + "\nSee https://example.com for more.", ["p"])
    assert body_sentences(record) == SENTENCES
    with pytest.raises(NoJapaneseError):
        body_sentences(GoldRecord("e", None, "English only.", ["p"]))


def test_lead_gives_the_first_n() -> None:
    assert LeadBaseline().summarize(RECORD, 3) == SENTENCES[:3]
    assert LeadBaseline().summarize(RECORD, 0) == []


@pytest.mark.parametrize("system", [LexRankBaseline, TextRankBaseline])
def test_graph_baselines(system: type) -> None:
    first = system().summarize(RECORD, 3)
    base.content_words.cache_clear()
    second = system().summarize(RECORD, 3)
    assert first == second
    assert len(first) == 3 and len(set(first)) == 3
    assert all(s in SENTENCES for s in first)
    assert _is_in_order(first)


@pytest.mark.parametrize("system", [LexRankBaseline, TextRankBaseline])
def test_graph_baselines_survive_degenerate_input(system: type) -> None:
    # Sentences without content words, duplicates, and a two-sentence text
    # (LexRank's idf is then zero for every word).
    odd = GoldRecord(
        "odd", None, "はい。\nそうです。\n保育料を無償化する。\n保育料を無償化する。\nええ。", ["p"]
    )
    chosen = system().summarize(odd, 2)
    assert len(chosen) == 2 and len(set(chosen)) == 2
    two = GoldRecord("two", None, "保育料を無償化する。\n新制度は四月に始まる。\nはい。", ["p"])
    assert len(system().summarize(two, 2)) == 2
    assert system().summarize(two, 1) in (["保育料を無償化する。"], ["新制度は四月に始まる。"])


def test_random_is_reproducible_per_seed() -> None:
    first = RandomBaseline(seed=0).summarize(RECORD, 3)
    assert first == RandomBaseline(seed=0).summarize(RECORD, 3)
    assert len(set(first)) == 3 and _is_in_order(first)
    picks = {tuple(RandomBaseline(seed=s).summarize(RECORD, 3)) for s in range(5)}
    assert len(picks) > 1


def test_oracle_scores_at_least_lead() -> None:
    reference = sudachi_tokens("\n".join(RECORD.references))

    def rouge2(chosen: list[str]) -> float:
        return rouge_n(sudachi_tokens("\n".join(chosen)), reference, 2).fmeasure

    oracle = OracleBaseline().summarize(RECORD, 3)
    assert 1 <= len(oracle) <= 3 and _is_in_order(oracle)
    assert rouge2(oracle) >= rouge2(LeadBaseline().summarize(RECORD, 3))
    assert SENTENCES[1] in oracle and SENTENCES[8] in oracle


@pytest.mark.parametrize("name", FAST)
def test_no_title_and_n_larger_than_the_text(name: str) -> None:
    system = make_systems([name])[0]
    assert system.name == name
    for n in (1, 3):
        assert TITLE not in system.summarize(RECORD, n)
    many = system.summarize(SHORT, 10)
    assert "短い記事" not in many
    assert set(many) <= {"保育料を無償化する。", "新制度は来年四月から始まる。"}
    if name != "oracle":  # the oracle stops when nothing improves ROUGE-2
        assert len(many) == 2


@pytest.mark.parametrize("name", FAST)
def test_an_unreadable_article_is_refused_with_its_reason(name: str) -> None:
    """The runner reports the refusal (and scores the article as no points)."""
    record = GoldRecord("en", None, "No Japanese here at all.", ["要点"])
    with pytest.raises(NoJapaneseError):
        make_systems([name])[0].summarize(record, 3)


def test_keypoints_system() -> None:
    system = KeypointsSystem(Settings(parse_top=0))  # no GiNZA: fast
    points = system.summarize(RECORD, 3)
    assert len(points) == 3 and TITLE not in points
    assert system.summarize(RECORD, 2) and set(system._summarizers) == {2, 3}
    with pytest.raises(NoJapaneseError):
        system.summarize(GoldRecord("en", None, "English only.", ["p"]), 3)


def test_registry() -> None:
    assert set(SYSTEMS) == {"keypoints", "lead", "lexrank", "textrank", "random", "oracle"}
    assert [s.name for s in make_systems(["oracle", "lead"])] == ["oracle", "lead"]
    with pytest.raises(ValueError, match="known: keypoints, lead"):
        make_systems(["lead", "bm25"])
