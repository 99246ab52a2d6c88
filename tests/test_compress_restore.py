"""The restore step: dropped names, dates and numbers come back when the point has room."""

from __future__ import annotations

import pytest

from conftest import LONG_SENTENCE
from keypoints.stages.compress import Compressor
from keypoints.stages.compress.cleanup import finish
from keypoints.stages.compress.learned import default_compression_model
from keypoints.stages.compress.parse import Draft, parse_info
from keypoints.stages.compress.restore import RestoreProtected

pytestmark = pytest.mark.slow  # GiNZA parses

SENTENCE = LONG_SENTENCE


@pytest.fixture(scope="module")
def nlp():
    from keypoints.text.ginza import ginza_nlp

    return ginza_nlp()


@pytest.fixture(scope="module")
def parse(nlp):
    return parse_info(nlp(SENTENCE))


def dropping(parse, *phrases: str) -> Draft:
    """The sentence's draft with each of `phrases` (whole bunsetu, as written) dropped."""
    draft = Draft(tuple(t.text_with_ws for t in parse.tokens))
    for phrase in phrases:
        start = draft.text.index(phrase)
        offsets, at = [], 0
        for i, piece in enumerate(draft.pieces):
            if start <= at < start + len(phrase):
                offsets.append(i)
            at += len(piece)
        draft = draft.without(offsets)
    return draft


def test_a_dropped_date_comes_back_when_it_fits(parse) -> None:
    draft = dropping(parse, "12日、", "老朽化が進む")
    restored = RestoreProtected().apply(parse, draft, SENTENCE, max_chars=200)
    assert "12日、" in restored.text
    assert "老朽化が進む" not in restored.text  # no entity, no number: it stays out


def test_nothing_comes_back_past_max_chars(parse) -> None:
    draft = dropping(parse, "12日、", "老朽化が進む")
    limit = len(finish(draft.text))
    assert RestoreProtected().apply(parse, draft, SENTENCE, max_chars=limit) == draft


def test_a_modifier_never_comes_back_without_the_word_it_modifies(parse) -> None:
    # 市議会の modifies 全員協議会: alone it would modify the next word left, 老朽化.
    draft = dropping(parse, "市議会の全員協議会で、")
    restored = RestoreProtected().apply(parse, draft, SENTENCE, max_chars=len(SENTENCE) - 6)
    assert "市議会の" not in restored.text


def test_the_whole_phrase_comes_back_before_its_parts(parse) -> None:
    draft = dropping(parse, "市議会の全員協議会で、")
    restored = RestoreProtected().apply(parse, draft, SENTENCE, max_chars=200)
    assert restored.text == Draft(draft.pieces).text


def test_the_compressor_restores_last_with_or_without_a_model() -> None:
    model = default_compression_model()
    assert model is not None
    for compressor in (Compressor(max_chars=70, model=model), Compressor(max_chars=70)):
        assert isinstance(compressor.rules[-1], RestoreProtected)
        assert compressor.rules[-1].name == "restored"


def test_the_shipped_compressor_gives_the_town_and_the_date_back() -> None:
    # The module docstring's example: the drops overshoot 46 characters, losing the
    # town (青葉町の) and 8日; both come back.
    sentence = (
        "青葉町の山田町長は8日、町議会の定例会で、2025年度から町立の小中学校5校の給食費を"
        "無償にする方針を、保護者への説明会の日程とあわせて明らかにした。"
    )
    compression = Compressor(max_chars=46, model=default_compression_model())(sentence)
    assert compression.text == (
        "青葉町の山田町長は8日、小中学校5校の給食費を無償にする方針を、日程とあわせて明らかにした。"
    )
    assert "restored" in compression.steps
    assert not compression.violations


def test_a_parenthetical_inside_a_phrase_stays_out(nlp) -> None:
    # A phrase comes back without a parenthetical in it: 港町大学(MU)の → 港町大学の.
    sentence = "港町大学(MU)の研究チームは、7日、新しい電池の試作に成功したと発表した。"
    parsed = parse_info(nlp(sentence))
    draft = Draft(tuple(t.text_with_ws for t in parsed.tokens))
    team = next(t for t in parsed.tokens if t.text == "大学")
    dropped = draft.without(sorted(t.i for t in team.subtree))
    restored = RestoreProtected().apply(parsed, dropped, sentence, max_chars=200)
    assert "港町大学の" in restored.text and "(MU)" not in restored.text


def test_a_date_ending_on_a_comma_comes_back_whatever_the_parse_hung_it_on(parse) -> None:
    # 12日、 sets the scene of the whole predicate; even when the word the parse hung
    # it on is gone, it comes back.
    draft = dropping(parse, "12日、")
    day = next(t for t in parse.tokens if t.text == "日" and t.i in draft.dropped)
    head = day.head  # GiNZA hangs it on the first verb (延伸), not on 発表した
    assert head.i != parse.root.i and head.i not in draft.dropped
    without_head = draft.without([head.i])
    restored = RestoreProtected().apply(parse, without_head, SENTENCE, max_chars=200)
    assert "12日、" in restored.text
