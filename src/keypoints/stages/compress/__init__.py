"""Compression, the other half of the choose stage: a chosen sentence in ポイント style.

`compress(text)` is the cheap rule-only step (no parser): it strips list
markers, bullet labels (課題→) and leading connectives (一方で、 また、 ...).

`Compressor` goes further with GiNZA's dependency parse and SudachiPy. It
applies these rules in order, and keeps a rule's result only when it adds no
guard violation (`guards.check_point`):

1. connective      (`clauses`) list markers, label→ on bullets, leading connectives,
                   after polite forms inside the sentence are made plain (`polite`).
2.-4. drop rules   (`rules/`, one per file, in the order of `rules.DROP_RULES`) on
                   GiNZA's parse (`parse`): frame clauses (〜によると、), repeated or
                   note parentheticals, and only while the point is over `max_chars`,
                   explanatory parentheticals, lists of quoted reactions
                   (「A」「B」など、…の声), emphasis adverbs, setting phrases and
                   side clauses, describing modifiers; then the learned drop rule
                   (`learned`), with a model. Never the subject, the object, the root
                   or negation; entities and numbers only when nothing else is left,
                   and those that still fit are given back at the end (`restore`).
5. finding,        (`polite`) 〜ことが分かった and a press release's 〜ことをお知らせします
   notice,         (〜ましたのでお知らせいたします) → the clause before こと (ので); polite and
   polite_to_plain hedged endings of the final predicate → plain ones (しました→した,
                   取り組みます→取り組む, ております→ている, です→だ, ...), with the
                   conjugation table of `keypoints.text.conjugate`.
6. cleanup         (`cleanup`) doubled 、, 、 before 。, spaces, a final 。 after a predicate.

When no sentence fits whole, `clauses.first_clause` makes a point of the first
clauses of one of the best, or `clauses.main_clause` of its main clause (from its own
subject on). A point never loses its final predicate, or a negation of what it
keeps, so its meaning stays the source sentence's, only shorter.

    >>> compress("また、厚労省は新制度を発表した。")
    '厚労省は新制度を発表した。'
"""

from __future__ import annotations

from keypoints.stages.compress.clauses import (
    LEADING_CONNECTIVES,
    compress,
    first_clause,
    main_clause,
    plain_point,
    shorten_quotes,
    shortened_quotes,
)
from keypoints.stages.compress.cleanup import cleanup, truncate
from keypoints.stages.compress.compressor import Compression, Compressor
from keypoints.stages.compress.guards import (
    GUARDS,
    MIN_POINT_CHARS,
    check_point,
    count_negations,
)
from keypoints.stages.compress.polite import drop_finding_frame, plain_clauses, polite_to_plain

__all__ = [
    "GUARDS",
    "LEADING_CONNECTIVES",
    "MIN_POINT_CHARS",
    "Compression",
    "Compressor",
    "check_point",
    "cleanup",
    "compress",
    "count_negations",
    "drop_finding_frame",
    "first_clause",
    "main_clause",
    "plain_clauses",
    "plain_point",
    "polite_to_plain",
    "shorten_quotes",
    "shortened_quotes",
    "truncate",
]
