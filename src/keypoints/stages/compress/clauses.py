"""Rule 1 and the clause fallback: what opens a sentence, and its first clauses.

`compress(text)` is the cheap rule-only step (no parser): it strips list markers,
bullet labels (課題→) and leading connectives (一方で、 また、 ...). `first_clause`
makes a point of the first clauses of a chained sentence that nothing else brings
under the limit.

    >>> compress("一方で、厚労省は新制度を発表した。")
    '厚労省は新制度を発表した。'
    >>> first_clause("都は、取り組みを適切に誘導し、業務の効率化を図った。", 70)
    '都は、取り組みを適切に誘導した。'

`main_clause` keeps instead the last clauses, from the main clause's own subject on.
"""

from __future__ import annotations

import re

from keypoints.settings import MIN_POINT_CHARS
from keypoints.stages.compress.cleanup import cleanup, finish
from keypoints.stages.compress.guards import check_point
from keypoints.stages.compress.polite import (
    joined,
    plain_clauses,
    plain_verb,
    split_period,
    surfaces_end_with,
)
from keypoints.text.chars import CLOSING, COMMAS, OPENING, WHITESPACE
from keypoints.text.conjugate import conjugate
from keypoints.text.lexicon import BULLET_RE
from keypoints.text.sudachi import morphemes_of

# Openers that tie a sentence to the previous one; a ポイント line stands alone.
LEADING_CONNECTIVES = (
    "一方で", "一方", "同日", "そうした中で", "そうした中", "こうした中で", "こうした中", "その中で",
    "今回", "また", "さらに", "なお", "ただし", "しかし", "しかしながら", "そのため", "このため",
    "これにより", "その上で", "そこで", "まず", "次に", "加えて", "これに対し", "同時に",
    "ところが", "とはいえ", "つまり", "実際", "特に", "現在", "具体的には", "その後", "あわせて",
    "併せて", "そして", "すると", "だが", "でも", "ただ", "それでも", "しかも", "だから",
    "そんな中で", "そんな中", "そんな折", "このように", "こうして",
)  # fmt: skip
# Conjunctions that open a sentence, comma or not (しかし同社は…, そして今回…): none of
# them starts a word that could open a point (unlike ただ in ただ一人, でも in でも同じ).
SENTENCE_CONJUNCTIONS = ("しかしながら", "しかし", "ところが", "そして", "すると", "だが")


def _opener_re(words: tuple[str, ...], comma: str) -> re.Pattern[str]:
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(f"^(?:{alternatives}){comma}\\s*")


_CONNECTIVE_RE = _opener_re(LEADING_CONNECTIVES, "[、，,]")
_CONJUNCTION_RE = _opener_re(SENTENCE_CONJUNCTIONS, "[、，,]?")

# "・課題→..." style bullet labels: keep what follows the arrow. Only on bullet
# lines, and never a label with digits (80億円→95億円 is a change, not a label).
_LABEL_ARROW_RE = re.compile(r"^[^。、→0-9０-９]{1,15}→\s*")


def compress(text: str) -> str:
    """`text` without list markers, leading connectives and outer spaces."""
    text = text.strip(WHITESPACE)
    if BULLET_RE.match(text):
        text = BULLET_RE.sub("", text, count=1)
        text = _LABEL_ARROW_RE.sub("", text, count=1)
    previous = None
    while previous != text:
        previous = text
        text = _CONNECTIVE_RE.sub("", text, count=1).strip(WHITESPACE)
        text = _CONJUNCTION_RE.sub("", text, count=1).strip(WHITESPACE)
    return text


def plain_point(text: str) -> str:
    """The point a sentence makes without the parser: rule 1, polite forms made
    plain throughout (`plain_clauses`), rules 5 and 6. What the full `Compressor`
    writes, less the parse-based drops."""
    plain = plain_clauses(text.strip(WHITESPACE))
    stripped = compress(plain) or plain  # after: あわせまして、 is あわせて、 by now
    return finish(stripped)


def first_clause(text: str, max_chars: int) -> str | None:
    """The first clauses of a chained sentence as a point of at most `max_chars`.

    '都は、取り組みを適切に誘導し、業務の…を図った。' → '都は、取り組みを適切に誘導した。';
    also 〜を行うとともに、 and 〜したほか、. The clause break kept is the last one
    that fits; the verb before it takes the tense of the sentence's final predicate.
    None when there is no such break or the result fails a guard. For a sentence
    no rule can bring under `max_chars`: a whole first fact beats a cut one.
    """
    body, _ = split_period(text.strip(WHITESPACE))
    m = morphemes_of(body)
    if not m:
        return None
    form = "past" if m[-1].pos == "助動詞" and m[-1].lemma == "た" else "plain"
    best = None
    length = 0
    for i, x in enumerate(m[:-1]):
        length += len(x.surface)
        if length >= max_chars:
            break
        if m[i + 1].surface not in COMMAS:
            continue
        candidate = None
        if x.pos == "動詞" and x.conj_form.startswith("連用形"):
            plain = plain_verb(m[:i], x, form)  # 誘導し、 → 誘導した; 把握しており、 → 把握している
            candidate = None if plain is None else joined(m[:i]) + plain
        elif surfaces_end_with(m[: i + 1], "と", "とも", "に") and i >= 3:
            verb = m[i - 3]  # 行うとともに、 → 行う / 行った
            if verb.pos == "動詞" and verb.conj_form.startswith("終止形"):
                plain = conjugate(verb.lemma, verb.conj_type, form)
                candidate = None if plain is None else joined(m[: i - 3]) + plain
        elif x.surface == "ほか" and i >= 1 and m[i - 1].pos in {"動詞", "助動詞"}:
            candidate = joined(m[:i])  # 受講したほか、 → 受講した
        if candidate is not None:
            point = cleanup(candidate + "。")
            if MIN_POINT_CHARS <= len(point) <= max_chars and not check_point(point, text):
                best = point
    return best


def main_clause(text: str, max_chars: int) -> str | None:
    """The main clause of a sentence as a point of at most `max_chars`: the longest
    ending of it, after a comma outside brackets, that has a subject of its own (a
    は or が outside brackets) and passes the guards.

    For a sentence whose side clauses (a long quote, a chain of reasons) nothing
    else brings under the limit. What goes with the side clauses, a negation
    included, is not in the point; the point is marked for a reviewer.

    >>> main_clause("「今季は最高の一年でした」と話す監督に、主将の田中選手は「感謝しかない」と応じた。", 40)
    '主将の田中選手は「感謝しかない」と応じた。'
    >>> main_clause("同社は20日、新製品を発表した。", 40) is None  # no subject after the comma
    True
    """
    m = morphemes_of(text.strip(WHITESPACE))
    depth, starts, subjects = 0, [], []
    offset = 0
    for i, x in enumerate(m):
        offset += len(x.surface)
        if depth == 0 and x.surface in COMMAS and i + 1 < len(m):
            starts.append((i + 1, offset))
        if depth == 0 and (
            (x.surface == "は" and x.pos1 == "係助詞") or (x.surface == "が" and x.pos1 == "格助詞")
        ):
            subjects.append(i)
        depth += sum(c in OPENING for c in x.surface) - sum(c in CLOSING for c in x.surface)
    body = text.strip(WHITESPACE)
    for first, at in starts:  # the earliest break that fits keeps the most
        if not any(j >= first for j in subjects):
            continue
        clause = body[at:].strip(WHITESPACE)
        point = plain_point(clause)
        if MIN_POINT_CHARS <= len(point) <= max_chars and not check_point(point, clause):
            return point
    return None


# A quote in 「」 or in 『』 (magazines and interviews quote with both).
_ONE_QUOTE = r"「[^「」]*」|『[^『』]*』"
_QUOTE_RE = re.compile(_ONE_QUOTE)
# A run of quotes: 「A」「B」「C」 (a list of reactions).
_QUOTE_RUN_RE = re.compile(rf"({_ONE_QUOTE})(?:[、，]?(?:{_ONE_QUOTE}))+")


def shortened_quotes(text: str) -> str:
    """`text` with a run of quotes cut to its first (「A」「B」「C」など → 「A」など) and each
    quote cut to its first sentence (「A。B。」 → 「A」); the rest as it is.

    >>> shortened_quotes("「最高」「また見たい」「感動した」などの声が寄せられた。")
    '「最高」などの声が寄せられた。'
    >>> shortened_quotes("監督は『勝てて良かった。次も頑張る』と語った。")
    '監督は『勝てて良かった』と語った。'
    """

    def first_sentence(match: re.Match[str]) -> str:
        quote = match.group(0)
        inside = quote[1:-1]
        head = inside.split("。")[0].strip(WHITESPACE)
        return f"{quote[0]}{head}{quote[-1]}" if head and head != inside.strip("。") else quote

    return _QUOTE_RE.sub(first_sentence, _QUOTE_RUN_RE.sub(r"\1", text.strip(WHITESPACE)))


def shorten_quotes(text: str, max_chars: int) -> str | None:
    """A point from a sentence carried by a long quote: each quote cut to its first
    sentence (〜は「A。B。C」と述べた。 → 〜は「A」と述べた。). None when no quote has a
    second sentence, or the point is still too long or fails a guard.

    >>> shorten_quotes("監督は「勝てて良かった。次も頑張る。」と述べた。", 70)
    '監督は「勝てて良かった」と述べた。'
    """

    shortened = shortened_quotes(text)
    if shortened == text.strip(WHITESPACE):
        return None
    point = plain_point(shortened)
    if MIN_POINT_CHARS <= len(point) <= max_chars and not check_point(point, text):
        return point
    return None
