"""The last step of the drops: give back the names, dates and numbers the point still has room for.

The drop rules take one phrase at a time until the point fits, the likeliest first,
and so can take more than the length needed: several short phrases may go before
the one long phrase that alone would have been enough. The short ones are often a
date or a name, what a reader of a ポイント box looks for first. With `max_chars` 52,

    東西通信社(TNA)の英語版は、29日、北京五輪柔道男子73キロの準決勝で山田一郎と
    キム・ミンス(韓国)の試合の判定が変わった経緯を伝えている。

came to 41 characters, without 29日 and without one of the two players:
東西通信社の英語版は、準決勝でキム・ミンスの試合の判定が変わった経緯を伝えている。

`RestoreProtected` puts back each dropped phrase (a bunsetu subtree, as the learned
rule's candidates) that holds a protected token, an entity, a number or a proper
noun, the longest first (a whole phrase before its parts), when the word it
modifies is still there, the point stays within `max_chars`, and it breaks no guard
it did not break already: here 東西通信社の英語版は、29日、準決勝で山田一郎とキム・ミンスの
試合の判定が変わった経緯を伝えている。 (50 characters).
"""

from __future__ import annotations

from keypoints.stages.compress.cleanup import finish
from keypoints.stages.compress.guards import no_worse
from keypoints.stages.compress.learned import candidates
from keypoints.stages.compress.parse import Draft, Parse
from keypoints.stages.compress.rules.base import DropRule


class RestoreProtected(DropRule):
    """Give back the dropped phrases with an entity, a number or a proper noun that
    still fit, the longest first."""

    name = "restored"

    def apply(self, parse: Parse, draft: Draft, source: str, max_chars: int) -> Draft:
        if not draft.dropped:
            return draft
        whole = Draft(draft.pieces)
        phrases = sorted(
            (c for c in candidates(parse, whole) if c.protected),
            key=lambda c: (-len(c.indices), c.indices),
        )
        for phrase in phrases:
            if not draft.dropped.issuperset(phrase.indices):
                continue  # not dropped, or partly given back already
            if parse.tokens[phrase.head].head.i in draft.dropped:
                continue  # what it modifies is gone: it would modify the wrong word
            restored = draft.restoring(phrase.indices)
            if len(finish(restored.text)) <= max_chars and no_worse(
                restored.text, draft.text, source
            ):
                draft = restored
        return draft
