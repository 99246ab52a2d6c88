"""What a drop rule is: a named way to drop tokens from a parsed point.

Two kinds, each a base class here:
- `RepeatedDrop`: a rule that drops one phrase where it applies (a frame clause, a
  repeated parenthetical), applied again until it finds nothing more to drop;
- `DropWhileTooLong`: a rule that lists droppable phrases (`candidates`), dropped
  one at a time while the point is over `max_chars`, the farthest from the main
  predicate first, each kept only if it breaks no guard.

The compressor runs the rules in the order of `keypoints.stages.compress.rules.DROP_RULES`
and keeps a rule's result only when it adds no guard violation.
"""

from __future__ import annotations

from typing import ClassVar

from keypoints.stages.compress.cleanup import finish
from keypoints.stages.compress.guards import no_worse
from keypoints.stages.compress.parse import Draft, Parse, cuts_a_unit


class DropRule:
    """A named rule: `apply` returns the draft with what the rule drops dropped."""

    name: ClassVar[str]

    def apply(self, parse: Parse, draft: Draft, source: str, max_chars: int) -> Draft:
        raise NotImplementedError


class RepeatedDrop(DropRule):
    """A rule that drops one phrase at a time (`drop_one`), until it drops nothing more."""

    def drop_one(self, parse: Parse, draft: Draft) -> Draft:
        raise NotImplementedError

    def apply(self, parse: Parse, draft: Draft, source: str, max_chars: int) -> Draft:
        while True:
            candidate = self.drop_one(parse, draft)
            dropping = candidate.dropped - draft.dropped
            if not dropping or cuts_a_unit(parse, dropping):
                return draft
            draft = candidate


class DropWhileTooLong(DropRule):
    """A rule that drops its `candidates` while the point is over `max_chars`."""

    def candidates(self, parse: Parse, draft: Draft) -> list[list[int]]:
        raise NotImplementedError

    def apply(self, parse: Parse, draft: Draft, source: str, max_chars: int) -> Draft:
        """Drop candidates farthest from the root first, one at a time, while too long."""
        tried: set[tuple[int, ...]] = set()
        while len(finish(draft.text)) > max_chars:
            candidates = [
                c
                for c in self.candidates(parse, draft)
                if c and tuple(c) not in tried and not cuts_a_unit(parse, c)
            ]
            if not candidates:
                break
            best = max(candidates, key=lambda c: abs(parse.root.i - c[-1]))
            tried.add(tuple(best))
            candidate = draft.without(best)
            if no_worse(candidate.text, draft.text, source):
                draft = candidate
        return draft
