"""Rule 2, attribution: a frame clause before the main predicate goes.

'関係者によると、同社は…' → '同社は…'; '〜が進む中、厚労省は…' → '厚労省は…'
(〜によると、 〜の発表では、 〜として、 〜中、 〜を受けて、 〜に向けて、 〜ため、 ...), only
when the rest keeps its subject and its root, and never one holding a date, an
organisation, a number or a negation.
"""

from __future__ import annotations

import re

from keypoints.stages.compress.parse import (
    Draft,
    Parse,
    has_subject,
    is_closed_phrase,
    top_level_segments,
)
from keypoints.stages.compress.rules.base import RepeatedDrop
from keypoints.text.chars import COMMAS

# Frame clauses (rule 2) end like this: 〜によると、 〜の発表では、 〜が進む中、
FRAME_END_RE = re.compile(
    r"(?:によると|によれば|によりますと|の発表では|発表によると|としては|として|といたしましては|としましては|"
    r"中|なか|を受けて|を受け|に向けて|に向け|ため|ために|に伴い|に伴って|を踏まえ|を踏まえて|"
    r"にあたり|に当たり|にあたって|に当たって|の結果|結果|ことから)$"
)

# Words that refer back to earlier text; a frame they point at must stay.
_DEMONSTRATIVE_RE = re.compile(r"その|それ|この|これ|こうした|そうした|こうして|同様")


def drop_frame_clause(parse: Parse, draft: Draft) -> Draft:
    """Rule 2: '関係者によると、同社は…' → '同社は…'; '〜が進む中、厚労省は…' → '厚労省は…'.

    A comma-delimited phrase before the root is dropped when it ends like a frame
    (by FRAME_END_RE), forms one closed phrase, holds no protected token (a
    date, organisation, number or negation: 2025年7月20日、 同社は、 stay) and is not
    the subject; the rest must still have a subject and the root.
    """
    for segment in top_level_segments(parse, draft):
        if segment[-1] >= parse.root.i or parse.tokens[segment[-1]].text not in COMMAS:
            continue
        words = "".join(parse.tokens[i].text for i in segment[:-1])
        if not FRAME_END_RE.search(words):
            continue
        if any(i in parse.protected or i in parse.core for i in segment):
            continue
        if not is_closed_phrase(parse, draft, segment):
            continue
        candidate = draft.without(segment)
        if _DEMONSTRATIVE_RE.search(candidate.text):
            continue  # その中心に: the rest points back at the clause we would drop
        if has_subject(parse, candidate):
            return candidate
    return draft


class FrameClause(RepeatedDrop):
    name = "attribution"

    def drop_one(self, parse: Parse, draft: Draft) -> Draft:
        return drop_frame_clause(parse, draft)
