"""The compressor: sentences → ポイント lines, by the rules of `keypoints.stages.compress`.

GiNZA parses only the sentences whose result its parse can change (`needs_parse`)
into a point that may pass (`within_reach`, `end_beyond_repair`), in batches.

    >>> Compressor(max_chars=70, reach=0)("一方で、厚労省は新制度を導入いたしました。").text
    '厚労省は新制度を導入した。'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from keypoints.settings import DEFAULTS
from keypoints.stages.compress.clauses import compress
from keypoints.stages.compress.cleanup import ENDING_RULES, finish
from keypoints.stages.compress.guards import check_point, no_worse
from keypoints.stages.compress.learned import CompressionModel, LearnedDrop
from keypoints.stages.compress.parse import Draft, parse_info
from keypoints.stages.compress.polite import plain_clauses
from keypoints.stages.compress.restore import RestoreProtected
from keypoints.stages.compress.rules import DROP_RULES, DropRule
from keypoints.stages.compress.rules.frame_clause import FRAME_END_RE
from keypoints.stages.compress.rules.parenthetical import is_repeat_or_note, parentheses
from keypoints.text.chars import CLOSING, WHITESPACE
from keypoints.text.ginza import ginza_nlp


@dataclass
class Compression:
    """One compressed point and how it was made."""

    text: str  # the compressed point
    source: str  # the sentence it came from
    steps: list[str] = field(default_factory=list)  # rules applied, in order
    violations: list[str] = field(default_factory=list)  # guard violations of `text`


# Guards about the end of the point; rules 2-4 keep the end (end_beyond_repair).
_END_GUARDS = frozenset({"no_final_period", "no_final_predicate", "dangling_particle"})

_ENDS_ON_PARENTHETICAL_RE = re.compile(
    rf"[）)][{re.escape(CLOSING)}{WHITESPACE}]*。?[{WHITESPACE}]*$"
)


class Compressor:
    """Sentences → ポイント lines, by the rules listed in the module docstring.

    `nlp` is a GiNZA pipeline (default: `analyze.ginza_nlp()`, loaded once, at
    the first sentence to parse).
    `max_chars` only decides whether rule 4 drops modifiers; a point that is
    still longer is returned as it is, for the caller to cut. GiNZA parses no
    sentence over `reach` × max_chars (`within_reach`): lower is faster, and
    fewer long sentences become points.
    """

    def __init__(
        self,
        max_chars: int = DEFAULTS.max_chars,
        nlp: Any = None,
        reach: float = DEFAULTS.parse_reach,
        model: CompressionModel | None = None,
    ) -> None:
        if reach < 0:
            raise ValueError("reach must be at least 0")
        self.max_chars = max_chars
        self.reach = reach
        self._nlp = nlp
        # The learned drop rule runs after DROP_RULES (None: the rules alone); then
        # the protected phrases that still fit are given back.
        learned = [LearnedDrop(model)] if model else []
        self.rules: tuple[DropRule, ...] = (*DROP_RULES, *learned, RestoreProtected())
        self.model = model

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            self._nlp = ginza_nlp()
        return self._nlp

    def __call__(self, sentence: str) -> Compression:
        return self.many([sentence])[0]

    def many(self, sentences: Sequence[str], batch_size: int = 64) -> list[Compression]:
        """Compress every sentence; GiNZA parses, in batches with `nlp.pipe`, only
        those whose result the parse can change (`needs_parse`) into a point that
        may pass (`within_reach`, `end_beyond_repair`)."""
        starts = [self.strip_connectives(s) for s in sentences]
        rules_only = [
            self._compress(source, text, steps, None)
            for source, (text, steps) in zip(sentences, starts, strict=True)
        ]
        parsed = [
            i
            for i, (text, _) in enumerate(starts)
            if self.needs_parse(text)
            and self.within_reach(text)
            and not self.end_beyond_repair(text, rules_only[i])
        ]
        docs = dict(
            zip(parsed, self._parse([starts[i][0] for i in parsed], batch_size), strict=True)
        )
        return [
            self._compress(source, text, steps, docs[i]) if i in docs else rules_only[i]
            for i, (source, (text, steps)) in enumerate(zip(sentences, starts, strict=True))
        ]

    def _parse(self, texts: list[str], batch_size: int) -> Iterable:
        """GiNZA's parses of `texts`; nothing to parse loads no GiNZA (reach 0 never does)."""
        if not texts:
            return []
        # GiNZA's NER is a third of the parse time; the rule entities and the
        # proper nouns of SudachiPy's dictionary protect the same facts (_parse_info).
        skip = [name for name in ("ner",) if name in self.nlp.pipe_names]
        return self.nlp.pipe(texts, batch_size=batch_size, disable=skip)

    def needs_parse(self, text: str) -> bool:
        """Whether rules 2-4 could change `text`: it is over max_chars once made
        plain (rule 4), has a parenthesis that repeats or notes (rule 3), or a
        comma phrase ending like a frame (rule 2). Otherwise the parse would
        change nothing, and is skipped."""
        if len(finish(text)) > self.max_chars:
            return True
        if self.model is not None and self.model.prune < 1:
            return True  # the learned rule may prune a point that fits
        for content, earlier in parentheses(text):
            # The parse's tokens may or may not keep the spaces: try both.
            if is_repeat_or_note(content, earlier) or is_repeat_or_note(
                content, re.sub(r"\s", "", earlier)
            ):
                return True
        pieces = re.split("[、，,]", text)[:-1]
        return any(FRAME_END_RE.search(piece.strip(WHITESPACE)) for piece in pieces)

    def within_reach(self, text: str) -> bool:
        """Whether rules 2-4 could bring `text` under max_chars: not when it is over
        `reach` × max_chars once made plain. They drop side phrases, never the
        subject, object or predicate. Since 0.7.0 (a phrase is a candidate again once
        an earlier drop left a gap in it) the learned drops bring many lead sentences of
        up to twice max_chars under it: at the default 2.2 the news dev set's entity
        recall is 67.0, against 65.0 at 1.7, and 3.0 measures as 2.2. A sentence out
        of reach is not parsed, and its point fails the length check."""
        return len(finish(text)) <= self.reach * self.max_chars

    @staticmethod
    def end_beyond_repair(text: str, rules_only: Compression) -> bool:
        """Whether `text` fails an end guard that rules 2-4 cannot mend, so that its
        point fails with or without them. `rules_only` is its compression without
        the parse. The drops keep the main predicate's bunsetu and what follows it,
        so a sentence that ends without 。, without a predicate (体言止め) or on a
        case particle still does after them; only a （）/() parenthetical at the
        very end, closing brackets aside (〜を展示している（写真）。, 〜ました（笑）」。),
        may go (rules 3 and 4a), so such a sentence is parsed. Of the 1,914
        over-long picks in the dev sets and 1,000 livedoor articles, 236 ended
        beyond repair, and none of them made a point with the parse."""
        return bool(_END_GUARDS.intersection(rules_only.violations)) and not (
            _ENDS_ON_PARENTHETICAL_RE.search(text)
        )

    @staticmethod
    def strip_connectives(source: str) -> tuple[str, list[str]]:
        """Rule 1: polite forms inside the sentence made plain (あわせまして、 →
        あわせて、), then the cheap `compress` (markers, labels, connectives),
        before the parse sees it."""
        text, steps = source.strip(WHITESPACE), []
        for name, rule in (("polite_clauses", plain_clauses), ("connective", compress)):
            candidate = rule(text)
            if candidate != text and candidate and no_worse(candidate, text, source):
                text = candidate
                steps.append(name)
        return text, steps

    def _compress(self, source: str, text: str, steps: list[str], doc) -> Compression:
        steps = list(steps)
        if doc is not None and len(doc) and text == doc.text:
            text = self._drop(source, doc, steps)
        for name, rule in ENDING_RULES:
            candidate = rule(text)
            if candidate != text and no_worse(candidate, text, source):
                text = candidate
                steps.append(name)
        return Compression(text, source, steps, check_point(text, source))

    def _drop(self, source: str, doc: Any, steps: list[str]) -> str:
        """Rules 2-4 on the parse, in the order of DROP_RULES; each draft is kept only
        if it breaks no guard."""
        parse = parse_info(doc)
        draft = Draft(tuple(t.text_with_ws for t in parse.tokens))
        for rule in self.rules:
            candidate = rule.apply(parse, draft, source, self.max_chars)
            if candidate.dropped != draft.dropped and no_worse(candidate.text, draft.text, source):
                draft = candidate
                steps.append(rule.name)
        return draft.text
