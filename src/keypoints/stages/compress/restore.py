"""The last step of the drops: give back the names, dates and numbers the point still has room for.

The drop rules take one phrase at a time until the point fits, the likeliest first,
and so can take more than the length needed: several short phrases may go before
the one long phrase that alone would have been enough. The short ones are often a
date or a name, what a reader of a ポイント box looks for first. With `max_chars` 46,

    青葉町の山田町長は8日、町議会の定例会で、2025年度から町立の小中学校5校の給食費を
    無償にする方針を、保護者への説明会の日程とあわせて明らかにした。

came to 39 characters, without the town and without the date:
山田町長は小中学校5校の給食費を無償にする方針を、日程とあわせて明らかにした。

`RestoreProtected` puts back each dropped phrase (a bunsetu subtree, as the learned
rule's candidates) that holds a protected token, an entity, a number or a proper
noun, the longest first (a whole phrase before its parts), when the word it
modifies is still there (or the phrase ends on 、 and so sets the scene of the whole
predicate), the point stays within `max_chars`, and it breaks no guard it did not
break already. A parenthetical inside the phrase stays out. Here: 青葉町の山田町長は8日、
小中学校5校の給食費を無償にする方針を、日程とあわせて明らかにした。 (46 characters).
"""

from __future__ import annotations

from keypoints.stages.compress.cleanup import finish
from keypoints.stages.compress.guards import no_worse
from keypoints.stages.compress.learned import candidates, ends_on_comma
from keypoints.stages.compress.parse import Draft, Parse
from keypoints.stages.compress.rules.base import DropRule
from keypoints.stages.compress.rules.long_parenthetical import bracket_spans


class RestoreProtected(DropRule):
    """Give back the dropped phrases with an entity, a number or a proper noun that
    still fit, the longest first, without their parentheticals."""

    name = "restored"

    def apply(self, parse: Parse, draft: Draft, source: str, max_chars: int) -> Draft:
        if not draft.dropped & parse.protected:
            return draft  # only a phrase with a dropped protected token can come back
        whole = Draft(draft.pieces)
        # A parenthetical stays out: rules 3 and 4a dropped it as a note or an
        # explanation, and its room is better spent on a date or a name.
        bracketed = {i for span in bracket_spans(parse, whole) for i in span}
        phrases = sorted(
            (
                (phrase, indices)
                for phrase in candidates(parse, whole)
                if (indices := [i for i in phrase.indices if i not in bracketed])
                and any(i in parse.protected for i in indices)
            ),
            key=lambda pair: (-len(pair[1]), pair[1]),
        )
        for phrase, indices in phrases:
            if not draft.dropped.issuperset(phrase.indices):
                continue  # not dropped, or partly given back already
            # What it modifies is gone: it would modify the wrong word. A phrase ending on
            # 、 (〇〇は11日、…) sets the scene of the whole predicate, whatever word the
            # parse hung it on.
            if parse.tokens[phrase.head].head.i in draft.dropped and not ends_on_comma(
                parse, phrase
            ):
                continue
            restored = draft.restoring(indices)
            if len(finish(restored.text)) <= max_chars and no_worse(
                restored.text, draft.text, source
            ):
                draft = restored
        return draft
