"""Rule 4a, long_parenthetical: while over `max_chars`, explanatory parentheticals
without numbers go: (本社・大阪市), (EV), (SSB); the name outside stays."""

from __future__ import annotations

from keypoints.stages.compress.parse import Draft, Parse
from keypoints.stages.compress.rules.base import DropWhileTooLong
from keypoints.text.chars import DIGIT_RE, PAREN_CLOSING, PAREN_OPENING, depths


def bracket_spans(
    parse: Parse, draft: Draft, opening: str = PAREN_OPENING, closing: str = PAREN_CLOSING
) -> list[list[int]]:
    """Token indices of each outermost （）/() pair still in the draft, brackets included
    (or of the pairs of `opening` and `closing`: 「」『』“” for quotes)."""
    kept = [t for t in parse.tokens if t.i not in draft.dropped]
    spans: list[list[int]] = []
    current: list[int] = []
    before = 0
    for token, depth in zip(kept, depths((t.text for t in kept), opening, closing), strict=True):
        if depth or before:  # inside, or the bracket that closes the pair
            current.append(token.i)
        if before and not depth:
            spans.append(current)
            current = []
        before = depth
    return spans


def _parenthetical_candidates(parse: Parse, draft: Draft) -> list[list[int]]:
    """Parentheticals without numbers: (本社・大阪市), (EV), (SSB) — the name outside stays."""
    return [
        span
        for span in bracket_spans(parse, draft)
        if not any(DIGIT_RE.search(parse.tokens[i].text) for i in span)
        and span[0] > 0  # a point never starts with what it explains
    ]


class LongParenthetical(DropWhileTooLong):
    name = "long_parenthetical"

    def candidates(self, parse: Parse, draft: Draft) -> list[list[int]]:
        return _parenthetical_candidates(parse, draft)
