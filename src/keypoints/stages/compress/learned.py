"""The learned drop rule: which phrases (bunsetu subtrees) of a parsed sentence an editor
leaves out, by a scikit-learn model trained on source sentences and the reference
points written from them (`keypoints.training.compression`).

A candidate is the subtree of a bunsetu's head: the bunsetu with everything that
depends on it, so that dropping it leaves no modifier hanging. The root's bunsetu,
the subject and object (the core) and negations are never candidates; phrases with
an entity or a number are candidates only once nothing else is left to drop.
`LearnedDrop` drops the likeliest candidate, one at a time, while the point is over
`max_chars` (and, with `prune`, any phrase the model is sure an editor would drop),
each kept only if it breaks no guard.

A candidate's features (`PhraseFeatures`) are a flat dict, for a DictVectorizer.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from keypoints.errors import ModelError
from keypoints.resources import check_sklearn_version, newest_model, sklearn_version
from keypoints.stages.compress.cleanup import finish
from keypoints.stages.compress.guards import no_worse
from keypoints.stages.compress.parse import (
    SUBJECT_DEPS,
    Draft,
    Parse,
    cuts_a_unit,
    has_subject,
    is_closed_phrase,
    is_formal_noun,
    is_topic,
    needs_its_modifier,
    starts_a_phrase,
)
from keypoints.stages.compress.rules.adverb import DROPPABLE_ADVERBS
from keypoints.stages.compress.rules.base import DropRule
from keypoints.stages.compress.rules.frame_clause import FRAME_END_RE
from keypoints.text.chars import COMMAS, DIGIT_RE, PAREN_OPENING, is_balanced

MODEL_PREFIX, MODEL_SUFFIX = "compression-", ".joblib"
PhraseFeatures = dict[str, float | str]

# Phrases that say what the predicate is about, set a condition, or quote.
_TOPIC_RE = re.compile(r"(?:について|に関して|に対して|に対し|をめぐって|をめぐり)[、，,]?$")
_CONDITION_RE = re.compile(r"(?:ば|たら|なら|ても|でも|のに|けれど|ものの)[、，,]?$")
# While the point is too long, a phrase with an entity or a number goes when the model
# is at least this sure an editor would drop it, after every unprotected phrase. 0:
# any of them, the least likely to be kept first; measured on the news dev set
# (cross-validated), 0 gave ROUGE-2 28.9 and all points on 96.9% of the articles,
# 0.5 gave 28.1 and 95.3% (a sentence whose entities all stay often never fits).
PROTECTED_DROP = 0.0
_AUXILIARY_VERBS = frozenset(
    "くる 来る いく 行く いる 居る ある おく 置く しまう みる 見る もらう くれる あげる".split()
)
_NUMERAL_RE = re.compile(r"[0-9０-９〇一二三四五六七八九十百千万億兆]+(?:[.,．，][0-9０-９]+)*")
_ARGUMENT_PARTICLES = frozenset({"を", "が", "に", "と", "へ"})
_REPORTED_RE = re.compile(r"(?:と|とも|などと)(?:し|述べ|語り|話し|明らかにし|説明し)")
# The subject or object of a clause inside the sentence (the root's own are the core),
# and the の-marked subject of an adjective or verb: without it the clause says something
# else (若者に人気の高い → 若者に高い, 新製品を発表した同社 → 発表した同社).
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubj:pass", "obj"})


@dataclass(frozen=True)
class Candidate:
    """A droppable phrase: the kept token indices of a bunsetu head's subtree."""

    indices: tuple[int, ...]
    head: int  # token index of the bunsetu's head
    protected: bool  # holds an entity, a number or a proper noun


def candidates(parse: Parse, draft: Draft) -> list[Candidate]:
    """Every contiguous bunsetu subtree still in the draft that the rule may drop."""
    tokens = parse.tokens
    found: dict[tuple[int, ...], Candidate] = {}
    for span in parse.bunsetu:
        inside = {t.i for t in span}
        heads = [t for t in span if t.head.i not in inside or t.head.i == t.i]
        if not heads:
            continue
        head = heads[-1]
        if head.i == parse.root.i or head.i in parse.core or _is_argument(head):
            continue
        subtree = draft.kept(sorted(t.i for t in tokens[head.i].subtree))
        if not draft.is_contiguous(subtree):
            continue
        if any(i in parse.core or i == parse.root.i for i in subtree):
            continue
        if cuts_a_unit(parse, subtree):
            continue
        if any(tokens[i].norm_ in {"ない", "無い", "ぬ", "ず"} for i in subtree):
            continue  # a negation stays
        if subtree[0] == 0 and len(subtree) == len(tokens):
            continue
        text = "".join(tokens[i].text for i in subtree)
        if not is_balanced(text) or not _whole(parse, draft, subtree):
            continue
        protected = any(i in parse.protected for i in subtree)
        found.setdefault(tuple(subtree), Candidate(tuple(subtree), head.i, protected))
    return list(found.values())


def _is_argument(head: Any) -> bool:
    """Whether a bunsetu head is an argument its clause needs (`_ARGUMENT_DEPS`, or
    人気の in 人気の高い), or what its noun needs (審判の in 審判のもとへ: `needs_its_modifier`)."""
    return (
        head.dep_ in _ARGUMENT_DEPS
        or (head.dep_ == "nmod" and head.head.pos_ in {"ADJ", "VERB"})
        or needs_its_modifier(head)
    )


def _whole(parse: Parse, draft: Draft, indices: Sequence[int]) -> bool:
    """Whether dropping `indices` leaves whole words and phrases: it starts after a comma
    or a particle, ends where a bunsetu ends, nothing else leans on it, it is not an
    argument the verb right after it needs, and a subject is left."""
    tokens = parse.tokens
    after = next((i for i in range(indices[-1] + 1, len(tokens)) if i not in draft.dropped), None)
    if after is not None and parse.bunsetu_of.get(after) == parse.bunsetu_of.get(indices[-1]):
        return False
    # An argument marked by a case particle right before its verb is part of the
    # predicate: 話題に|なる, 原則と|なる, 結論を|出す.
    if (
        tokens[indices[-1]].text in _ARGUMENT_PARTICLES
        and after is not None
        and tokens[after].pos_ in {"VERB", "AUX"}
        and any(tokens[i].head.i == after for i in indices)
    ):
        return False
    # A て form before an auxiliary verb is one predicate with it, whatever the bunsetu
    # say: dropping 伝わって from 伝わって|くる leaves くる hanging (and 〜ままで from
    # 〜したままで|おる leaves おる; SudachiPy normalizes おる to 居る).
    if (
        tokens[indices[-1]].text in {"て", "で"}
        and after is not None
        and (tokens[after].lemma_ in _AUXILIARY_VERBS or tokens[after].norm_ in _AUXILIARY_VERBS)
    ):
        return False
    # The clause before a formal noun is its content: 〜を掲載したもの|だ, 〜を示している|ため.
    if (
        after is not None
        and is_formal_noun(tokens[after])
        and any(tokens[i].head.i == after for i in indices)
    ):
        return False
    # A number goes with its counter, however GiNZA splits them: 三百六十五|日体制 must
    # not become 日体制.
    if (
        after is not None
        and _NUMERAL_RE.fullmatch(tokens[indices[-1]].text)
        and tokens[after].pos_ in {"NOUN", "PROPN"}
    ):
        return False
    if has_subject(parse, draft) and not has_subject(parse, draft.without(indices)):
        return False
    if _orphans_a_relative_clause(parse, draft, indices):
        return False
    return starts_a_phrase(parse, draft, indices[0]) and is_closed_phrase(parse, draft, indices)


# The phrases of a clause that say something of its verb (not its endings or punctuation).
_CLAUSE_PHRASE_DEPS = frozenset(
    {"nsubj", "nsubj:pass", "obj", "iobj", "obl", "advcl", "advmod", "ccomp", "nmod"}
)


def _orphans_a_relative_clause(parse: Parse, draft: Draft, indices: Sequence[int]) -> bool:
    """Whether dropping `indices` leaves a relative clause's verb with none of its
    phrases: 〜で|知られていた|この端末は would become 知られていたこの端末は. Such a clause
    keeps one of its phrases or goes whole (it is a candidate of its own)."""
    inside = set(indices)
    exits = [parse.tokens[i] for i in indices if parse.tokens[i].head.i not in inside]
    if len(exits) != 1:
        return False
    verb = exits[0].head
    if verb.dep_ != "acl" or verb.pos_ != "VERB" or verb.i in inside:
        return False
    phrases = [
        c.i for c in verb.children if c.dep_ in _CLAUSE_PHRASE_DEPS and c.i not in draft.dropped
    ]
    return bool(phrases) and all(i in inside for i in phrases)


def ends_on_comma(parse: Parse, candidate: Candidate) -> bool:
    """Whether the phrase ends on 、 (11日、, 東京都内で、): a setting of the whole predicate."""
    return parse.tokens[candidate.indices[-1]].text in COMMAS


def phrase_features(parse: Parse, draft: Draft, candidate: Candidate) -> PhraseFeatures:
    """What the model knows of a candidate: its dependency, place, size and content."""
    tokens = parse.tokens
    head = tokens[candidate.head]
    words = [tokens[i] for i in candidate.indices if tokens[i].text not in COMMAS]
    text = "".join(tokens[i].text for i in candidate.indices)
    sentence_chars = max(len(draft.text), 1)
    depth, node = 0, head
    while node.i != parse.root.i and node.head.i != node.i and depth < 8:
        node, depth = node.head, depth + 1
    last = words[-1] if words else head
    return {
        "dep": head.dep_,
        "pos": head.pos_,
        "head_pos": head.head.pos_,
        "head_dep": head.head.dep_,
        "last": last.text if last.pos_ in {"ADP", "SCONJ", "AUX", "PART"} else last.pos_,
        "ends_comma": float(ends_on_comma(parse, candidate)),
        "depth": float(depth),
        "on_root": float(head.head.i == parse.root.i),
        "before_root": float(candidate.indices[-1] < parse.root.i),
        "position": candidate.indices[0] / max(len(tokens), 1),
        "share": len(text) / sentence_chars,
        "log_chars": math.log1p(len(text)),
        "sentence_log_chars": math.log1p(sentence_chars),
        "bunsetu": float(len({parse.bunsetu_of.get(i) for i in candidate.indices})),
        "protected": float(candidate.protected),
        "digits": float(bool(DIGIT_RE.search(text))),
        "proper": float(any(t.tag_.startswith("名詞-固有名詞") for t in words)),
        "quote": float("「" in text),
        "paren": float(any(c in PAREN_OPENING for c in text)),
        "subject_like": float(head.dep_ in SUBJECT_DEPS or is_topic(head)),
        "frame": float(bool(FRAME_END_RE.search(text.rstrip("、，,")))),
        "topic": float(bool(_TOPIC_RE.search(text))),
        "condition": float(bool(_CONDITION_RE.search(text))),
        "reported": float(bool(_REPORTED_RE.search(text))),
        "adverb": float(text.rstrip("、，,") in DROPPABLE_ADVERBS),
        "verb": float(any(t.pos_ == "VERB" for t in words)),
    }


@dataclass
class CompressionModel:
    """A fitted scikit-learn pipeline (DictVectorizer → classifier) saying how likely an
    editor drops a phrase, and the thresholds decoding uses."""

    pipeline: Any
    # Drop phrases this likely to go even when the point already fits (1.0: never).
    prune: float = 1.0
    card: dict[str, Any] = field(default_factory=dict)
    name: str = "compression"

    def drop_probabilities(self, rows: Sequence[PhraseFeatures]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        return self.pipeline.predict_proba(list(rows))[:, 1]

    def save(self, path: Path) -> None:
        import joblib

        path.parent.mkdir(parents=True, exist_ok=True)
        card = {**self.card, "sklearn_version": sklearn_version()}
        joblib.dump(
            {"pipeline": self.pipeline, "prune": self.prune, "card": card}, path, compress=3
        )


def load_compression_model(path: Path) -> CompressionModel:
    import joblib

    if not path.is_file():
        raise ModelError(f"compression model not found: {path}")
    try:
        payload = joblib.load(path)
    except Exception as error:  # unpickling fails in many ways; all mean "unusable"
        raise ModelError(f"cannot load compression model {path}: {error}") from error
    check_sklearn_version(path, payload.get("card", {}))
    return CompressionModel(payload["pipeline"], payload["prune"], payload["card"], path.stem)


@functools.cache
def default_compression_model() -> CompressionModel | None:
    """The shipped model (models/compression-*.joblib, the highest version), or None."""
    path = newest_model(MODEL_PREFIX, MODEL_SUFFIX)
    return load_compression_model(path) if path else None


class LearnedDrop(DropRule):
    """Drop the phrases the model says an editor drops: while over `max_chars` the
    likeliest first (unprotected phrases before protected ones), and with `prune` < 1
    also any phrase at least that likely, each only if it breaks no guard."""

    name = "learned"

    def __init__(self, model: CompressionModel) -> None:
        self.model = model

    def apply(self, parse: Parse, draft: Draft, source: str, max_chars: int) -> Draft:
        tried: set[tuple[int, ...]] = set()
        # Each phrase is scored once, in the sentence as it came: one prediction per
        # sentence, not one per drop.
        probability: dict[tuple[int, ...], float] = {}
        while True:
            found = [c for c in candidates(parse, draft) if c.indices not in tried]
            if not found:
                return draft
            new = [c for c in found if c.indices not in probability]
            scores = self.model.drop_probabilities([phrase_features(parse, draft, c) for c in new])
            probability.update((c.indices, float(p)) for c, p in zip(new, scores, strict=True))
            too_long = len(finish(draft.text)) > max_chars
            # Unprotected phrases first, the likeliest to go first, then the longest.
            ranked = sorted(
                found,
                key=lambda c: (c.protected, -probability[c.indices], -len(c.indices)),
            )
            choice = next(
                (
                    c
                    for c in ranked
                    if (too_long and (not c.protected or probability[c.indices] >= PROTECTED_DROP))
                    or probability[c.indices] >= self.model.prune
                ),
                None,
            )
            if choice is None:
                return draft
            tried.add(choice.indices)
            candidate = draft.without(choice.indices)
            if no_worse(candidate.text, draft.text, source):
                draft = candidate
