"""Rule 4b, adverb: while over `max_chars`, emphasis adverbs go (非常に, さらに, 引き続き,
〜的に); adverbs of time, count, firsts and limits (まだ, 初めて, 再び) always stay."""

from __future__ import annotations

import re

from keypoints.stages.compress.parse import Draft, Parse
from keypoints.stages.compress.rules.base import DropWhileTooLong
from keypoints.text.chars import COMMAS

# Adverbs that add emphasis or continuity, not facts (rule 4).
DROPPABLE_ADVERBS = frozenset({
    "非常に", "大きく", "さらに", "更に", "引き続き", "引き続いて", "一層", "より一層", "いっそう",
    "着実に", "しっかり", "しっかりと", "改めて", "あらためて", "極めて", "きわめて", "とても",
    "かなり", "大変", "たいへん", "順次", "今後とも", "ますます", "一段と", "いよいよ", "全力で",
})  # fmt: skip

_TEKI_NI_RE = re.compile(r"^\w+的に$")  # 積極的に, 段階的に, 本格的に

# Adverbs that carry meaning (time, counts, firsts, limits): never dropped.
KEEP_ADVERBS = frozenset({
    "まだ", "初めて", "再び", "既に", "すでに", "必ず", "唯一", "最も", "もっとも", "ほぼ",
    "少なくとも", "全く", "決して", "もう", "ともに", "共に", "一緒に", "直ちに", "近く", "当面",
})  # fmt: skip


def _adverb_candidates(parse: Parse, draft: Draft) -> list[list[int]]:
    """Bunsetu that are only a droppable adverb (非常に, 引き続き, 積極的に, ...)."""
    found = []
    for span in parse.bunsetu:
        indices = draft.kept(t.i for t in span)
        words = [parse.tokens[i] for i in indices if parse.tokens[i].text not in COMMAS]
        if not words:
            continue
        surface = "".join(t.text for t in words)
        head = max(words, key=lambda t: t.i if t.head.i not in {w.i for w in words} else -1)
        plain_adverb = (
            len(words) == 1
            and head.pos_ == "ADV"
            and head.dep_ == "advmod"
            and head.head.i == parse.root.i
            and surface not in KEEP_ADVERBS
        )
        if surface in DROPPABLE_ADVERBS or _TEKI_NI_RE.match(surface) or plain_adverb:
            if not any(i in parse.protected or i in parse.core for i in indices):
                found.append(indices)
    return found


class Adverb(DropWhileTooLong):
    name = "adverb"

    def candidates(self, parse: Parse, draft: Draft) -> list[list[int]]:
        return _adverb_candidates(parse, draft)
