"""Rule 4a′, quote_list (after the explanatory parentheticals): while over `max_chars`,
a list of quoted reactions goes with the particle that ties it to the sentence, as an
editor writes a point: 「最高」「また行きたい」など、称賛の声が寄せられた → 称賛の声が寄せられた.

Only a run of two quotes or more, at the top level, followed by など, などと, といった,
との, などの or と: a single quote is what someone said and stays (a point never
misquotes, and the quote is shortened only by whole sentences, `shorten_quotes`). A
run tied right before a verb (「A」「B」と語った, 「A」「B」などと話した) stays too: the verb
would be left without what was said.
"""

from __future__ import annotations

import re

from keypoints.stages.compress.parse import Draft, Parse
from keypoints.stages.compress.rules.base import DropWhileTooLong
from keypoints.stages.compress.rules.long_parenthetical import bracket_spans
from keypoints.text.chars import COMMAS, QUOTE_CLOSING, QUOTE_OPENING

# What ties a list of quotes to the rest of the sentence.
_TIE_RE = re.compile(r"(?:などと|などの|など|といった|との|と)")
# A verb (or auxiliary) right after the tie takes the quotes as what was said.
_PREDICATE_POS = frozenset({"VERB", "AUX"})
MIN_QUOTES = 2


def quote_runs(parse: Parse, draft: Draft) -> list[list[int]]:
    """Token indices of each run of MIN_QUOTES or more top-level quotes still in the
    draft (「A」「B」, 「A」、「B」), each with the particle that ties it (など, と,
    といった…) and a comma after it."""
    kept = [t for t in parse.tokens if t.i not in draft.dropped]
    position = {t.i: n for n, t in enumerate(kept)}
    # (first, last) kept positions of each run of adjacent quotes, and how many it holds.
    groups: list[tuple[int, int, int]] = []
    for span in bracket_spans(parse, draft, QUOTE_OPENING, QUOTE_CLOSING):
        first, last = position[span[0]], position[span[-1]]
        if groups and _adjacent(kept, groups[-1][1], first):
            start, _, quotes = groups.pop()
            groups.append((start, last, quotes + 1))
        else:
            groups.append((first, last, 1))
    runs = []
    for first, last, quotes in groups:
        if quotes >= MIN_QUOTES and (tied := _tie(kept, last + 1)) is not None:
            runs.append([t.i for t in kept[first:tied]])
    return runs


def _adjacent(kept: list, last: int, first: int) -> bool:
    """Whether a quote starting at `first` follows the one ending at `last` directly or
    after a comma: 「A」「B」, 「A」、「B」."""
    return first == last + 1 or (first == last + 2 and kept[last + 1].text in COMMAS)


def _tie(kept: list, start: int) -> int | None:
    """The index after the tying particle at `start` (and a comma after it), or None."""
    text, ends = "", {}
    for k in range(start, min(start + 4, len(kept))):
        text += kept[k].text
        ends[len(text)] = k + 1
    match = _TIE_RE.match(text)
    if match is None or match.end() not in ends:
        return None
    after = ends[match.end()]
    if after < len(kept) and kept[after].text in COMMAS:
        return after + 1
    if after >= len(kept) or kept[after].pos_ in _PREDICATE_POS:
        return None
    return after


class QuoteList(DropWhileTooLong):
    name = "quote_list"

    def candidates(self, parse: Parse, draft: Draft) -> list[list[int]]:
        return quote_runs(parse, draft)
