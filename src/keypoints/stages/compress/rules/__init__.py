"""The drop rules of the compressor, one per file, and their order.

Rules 2-4 of `keypoints.stages.compress` work on GiNZA's parse; the compressor runs
them in the order of `DROP_RULES`, each kept only if it adds no guard violation.
The first two always apply; the others only while the point is over `max_chars`.
To add a rule: a subclass of `RepeatedDrop` or `DropWhileTooLong` in a file of its
own, put where it belongs in this tuple.
"""

from __future__ import annotations

from keypoints.stages.compress.rules.adverb import Adverb
from keypoints.stages.compress.rules.base import DropRule, DropWhileTooLong, RepeatedDrop
from keypoints.stages.compress.rules.frame_clause import FrameClause
from keypoints.stages.compress.rules.long_parenthetical import LongParenthetical
from keypoints.stages.compress.rules.modifier import Modifier
from keypoints.stages.compress.rules.parenthetical import Parenthetical
from keypoints.stages.compress.rules.phrase import Phrase
from keypoints.stages.compress.rules.quote_list import QuoteList

DROP_RULES: tuple[DropRule, ...] = (
    FrameClause(),
    Parenthetical(),
    LongParenthetical(),
    QuoteList(),
    Adverb(),
    Phrase(),
    Modifier(),
)

__all__ = ["DROP_RULES", "DropRule", "DropWhileTooLong", "RepeatedDrop"]
