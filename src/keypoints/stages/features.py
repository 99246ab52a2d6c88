"""Stage 4, features: interpretable features of every sentence, each in [0, 1].

`sentence_features` turns an article's analysed sentences into a `FeatureTable`
(one dict per sentence, and the TF-IDF vectors MMR reuses); the salience stage
maps it to a score per sentence.

    >>> from keypoints.stages.analyze import analyze
    >>> from keypoints.stages.segment import split_sentences
    >>> from keypoints.idf import IdfTable
    >>> table = sentence_features(analyze(split_sentences("厚労省は新制度を発表した。詳細は後日。")), IdfTable.uniform())
    >>> table.rows[0]["cue_verb"], table.rows[1]["position"]
    (1.0, 0.5)
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse

from keypoints.idf import IdfTable, default_idf
from keypoints.stages.analyze import add_ginza_entities
from keypoints.stages.base import ArticleStage, ArticleState
from keypoints.stages.salience import LinearScorer
from keypoints.structures import AnalyzedSentence, FeatureTable
from keypoints.text.chars import depths
from keypoints.text.entities import DENSITY_LABELS
from keypoints.text.lexicon import CREDIT_SEPARATORS, CREDIT_WORDS_RE
from keypoints.text.sudachi import tokenize

# Every feature the score stage computes, grouped for ablation studies. The
# default weights use some; the learned model (keypoints train) uses all.
FEATURE_GROUPS: dict[str, tuple[str, ...]] = {
    "centrality": ("centrality",),
    "position": (
        "position",
        "paragraph_position",
        "paragraph_start",
        "section_start",
        "section_end",
        "section_position",
    ),
    "title": ("title_overlap", "section_title_overlap"),
    "tfidf": ("tfidf",),
    "entities": ("entity_density", "has_org", "has_date", "has_quantity", "has_term"),
    "cues": ("cue_verb", "ends_past", "ends_commitment"),
    "form": ("question", "quote", "caption", "fragment", "section_intro", "length", "bullet"),
    # Whole-article style: lets a learned model treat a polite speech and a news
    # article differently (lead sentences matter in news, late ones in questions).
    "genre": ("doc_polite",),
}
FEATURES: tuple[str, ...] = tuple(name for group in FEATURE_GROUPS.values() for name in group)

# Verbs that announce a news fact or a decision (SudachiPy normalized forms).
CUE_VERBS = frozenset(
    "発表 締結 公表 決定 開始 発足 合意 導入 実施 承認 策定 設立 提出 成立 可決 就任 "
    "発売 開発 判明 明らか 示す 求める 決める 始める 目指す 計上 創設 強化 拡充 推進 支援".split()
)
# Endings that commit to future action (assembly answers, policy statements).
_COMMITMENT_RE = re.compile(
    r"(?:まいります|まいる|いきます|いく|てまいりたい|たいと考えて|方針だ|方針である|予定だ|予定である|計画だ)[。．]?$"
)
# A short line that only announces the next topic: "〜についてのお尋ねでございます。",
# "〜についてでございますが、" (speeches, Q&A, interviews).
_SECTION_INTRO_RE = re.compile(
    r"(?:について|に関して|に関する|につきまして|につきましては)(?:の)?"
    r"(?:お尋ね|ご質問|質問|ご提案|ご意見|ご指摘|お問い合わせ)?(?:で|が)?"
    r"(?:ございます|ございました|あります|ありました|です)?(?:が)?[。．]?$"
)
SECTION_INTRO_MAX_CHARS = 60
# Polite sentence endings (です・ます調, ございます): speeches and answers, not news.
_POLITE_END_RE = re.compile(
    r"(?:です|ます|ました|ません|ございます|ございました|でしょう)(?:か|ね|が)?[。．？?]?$"
)
_PAST_RE = re.compile(r"(?:た|だ|ました)[。．]?$")

_QUESTION_MARK_RE = re.compile(r"[?？]$")
_CAPTION_RE = re.compile(
    rf"[(（](?:{CREDIT_WORDS_RE})[{re.escape(CREDIT_SEPARATORS)}]|写真はイメージ|^(?:写真|図|表)\d*[:：]"
)
# A sentence ends in a predicate: a verb, adjective or auxiliary, then 。 or a quote.
_PREDICATE_POS = {"動詞", "形容詞", "助動詞", "形状詞"}
_FINAL_PUNCT = {"補助記号"}


def tfidf_vectors(
    lemma_lists: Sequence[Sequence[str]], idf: IdfTable
) -> tuple[sparse.csr_matrix, dict[str, int]]:
    """L2-normalised TF-IDF rows, weighted by the background IDF table.

    Built straight as CSR with sorted columns: the arithmetic of
    `sklearn.preprocessing.normalize`, without its input checks and the COO
    round trip, which cost more than the sums for sentence-sized rows."""
    vocabulary: dict[str, int] = {}
    indptr, indices, values = [0], [], []
    for lemmas in lemma_lists:
        row = sorted(
            (vocabulary.setdefault(lemma, len(vocabulary)), count * idf[lemma])
            for lemma, count in Counter(lemmas).items()
        )
        norm = _l2_norm(value for _, value in row)
        indices += [col for col, _ in row]
        values += [value / norm if norm else value for _, value in row]
        indptr.append(len(indices))
    matrix = sparse.csr_matrix(
        (np.array(values, dtype=np.float64), np.array(indices, dtype=np.int32), indptr),
        shape=(len(lemma_lists), max(len(vocabulary), 1)),
    )
    return matrix, vocabulary


def _l2_norm(values: Iterable[float]) -> float:
    # Summed in order, as scikit-learn's normalize does, so the vectors are the same.
    total = 0.0
    for value in values:
        total += value * value
    return math.sqrt(total)


def _is_fragment(item: AnalyzedSentence) -> bool:
    """Too short, or no predicate at the end: a heading, label or cut-off line."""
    words = [t for t in item.tokens if t.pos[0] not in _FINAL_PUNCT and t.pos[0] != "空白"]
    if len(item.sentence.text) < 12 or not words:
        return True
    tail = words[-1]
    if tail.pos[0] == "助詞" and tail.pos[1] == "終助詞" and len(words) > 1:
        tail = words[-2]
    return tail.pos[0] not in _PREDICATE_POS and not item.sentence.text.endswith("。")


def _is_question(item: AnalyzedSentence) -> bool:
    """Ends in ？, or in the particle か (明らか。 is not a question: か is part of a word)."""
    if _QUESTION_MARK_RE.search(item.sentence.text):
        return True
    words = [t for t in item.tokens if t.pos[0] not in _FINAL_PUNCT and t.pos[0] != "空白"]
    return bool(words) and words[-1].surface == "か" and words[-1].pos[0] == "助詞"


def _quote_share(text: str) -> float:
    """Share of characters inside 「」 quotes."""
    inside = sum(
        1
        for char, depth in zip(text, depths(text, "「", "」"), strict=True)
        if depth and char not in "「」"
    )
    return inside / max(len(text), 1)


def _is_section_intro(text: str) -> bool:
    return len(text) <= SECTION_INTRO_MAX_CHARS and bool(_SECTION_INTRO_RE.search(text))


def _sections(boundaries: Sequence[bool]) -> list[tuple[float, float, float]]:
    """(start, end, position) of each sentence within its section.

    A section is a run of sentences between boundaries (headings, topic intros).
    Boundary sentences themselves get (0, 0, 0).
    """
    result = [(0.0, 0.0, 0.0)] * len(boundaries)
    i = 0
    while i < len(boundaries):
        if boundaries[i]:
            i += 1
            continue
        j = i
        while j < len(boundaries) and not boundaries[j]:
            j += 1
        length = j - i
        for k in range(i, j):
            position = 1.0 - (k - i) / length
            result[k] = (float(k == i), float(k == j - 1), position)
        i = j
    return result


def _section_title_overlap(
    lemmas: Sequence[Sequence[str]], boundaries: Sequence[bool], title: set[str]
) -> list[float]:
    """Share of the title's words found in each sentence's section.

    A section counts its heading or topic intro too: in a Q&A answer the intro
    names the topic, and the title says which topics matter.
    """
    if not title:
        return [0.0] * len(lemmas)
    result = [0.0] * len(lemmas)
    i = 0
    while i < len(lemmas):
        j = i
        while j < len(lemmas) and (j == i or not boundaries[j]):
            j += 1
        words = {w for k in range(i, j) for w in lemmas[k]}
        share = len(words & title) / len(title)
        for k in range(i, j):
            result[k] = share
        i = j
    return result


def _scaled(values: np.ndarray) -> np.ndarray:
    top = values.max() if len(values) else 0.0
    return values / top if top > 0 else values


def sentence_features(
    analyzed: Sequence[AnalyzedSentence], idf: IdfTable, title: str | None = None
) -> FeatureTable:
    """The feature table for one article's sentences."""
    lemmas = [a.content_lemmas for a in analyzed]
    vectors, vocabulary = tfidf_vectors(lemmas, idf)
    n = len(analyzed)
    centroid = np.asarray(vectors.sum(axis=0)).ravel()
    norm = _l2_norm(centroid[centroid != 0])
    centrality = _scaled(vectors @ (centroid / norm if norm else centroid))
    title_lemmas = {t.normalized for t in tokenize(title) if t.is_content} if title else set()
    mean_tfidf = _scaled(np.array([np.mean([idf[w] for w in ws]) if ws else 0.0 for ws in lemmas]))
    density = _scaled(
        np.array(
            [
                len({e.text for e in a.entities if e.label in DENSITY_LABELS})
                / max(len(words), 4) ** 0.5
                for a, words in zip(analyzed, lemmas, strict=True)
            ]
        )
    )
    n_paragraphs = max((a.sentence.paragraph for a in analyzed), default=0) + 1
    intros = [_is_section_intro(a.sentence.text) for a in analyzed]
    fragments = [_is_fragment(a) for a in analyzed]
    polite_share = sum(bool(_POLITE_END_RE.search(a.sentence.text)) for a in analyzed) / n
    boundaries = [i or f for i, f in zip(intros, fragments, strict=True)]
    sections = _sections(boundaries)
    section_title = _section_title_overlap(lemmas, boundaries, title_lemmas)
    rows = []
    for i, item in enumerate(analyzed):
        text = item.sentence.text
        shared = title_lemmas & set(lemmas[i])
        labels = {e.label for e in item.entities}
        previous = analyzed[i - 1].sentence.paragraph if i else -1
        rows.append(
            {
                "centrality": float(centrality[i]),
                "position": 1.0 - i / n,
                "paragraph_position": 1.0 - item.sentence.paragraph / n_paragraphs,
                "paragraph_start": float(item.sentence.paragraph != previous),
                "section_start": sections[i][0],
                "section_end": sections[i][1],
                "section_position": sections[i][2],
                "title_overlap": len(shared) / len(title_lemmas) if title_lemmas else 0.0,
                "section_title_overlap": section_title[i],
                "tfidf": float(mean_tfidf[i]),
                "entity_density": float(density[i]),
                "has_org": float("ORG" in labels),
                "has_date": float("DATE" in labels),
                "has_quantity": float("QUANTITY" in labels),
                "has_term": float("TERM" in labels),
                "cue_verb": float(bool(CUE_VERBS & set(lemmas[i]))),
                "ends_past": float(bool(_PAST_RE.search(text))),
                "ends_commitment": float(bool(_COMMITMENT_RE.search(text))),
                "question": float(_is_question(item)),
                "quote": float(_quote_share(text) > 0.5),
                "caption": float(bool(_CAPTION_RE.search(text))),
                "fragment": float(fragments[i]),
                "section_intro": float(intros[i]),
                "length": min(len(text) / 150, 1.0),
                "bullet": float(item.sentence.is_bullet),
                "doc_polite": polite_share,
            }
        )
    section_ids, current = [], 0
    for i, row in enumerate(rows):
        if row["section_start"] and i:
            current += 1
        section_ids.append(current)
    return FeatureTable(rows, vectors, vocabulary, section_ids)


# Ranks sentences on cheap features to decide which ones GiNZA parses (parse_top).
CASCADE_SCORER = LinearScorer()


class Features(ArticleStage):
    """Stage 4: the feature table of each article (see `sentence_features`).

    Cascade: the features come from SudachiPy and rules. Only when `parse_top`
    asks for it (default 0: never) do the default linear weights rank the
    sentences and GiNZA parse the `parse_top` best (None: all), whose entities then
    join the features. An article that came with a parsed Doc has its entities.
    """

    name = "features"

    def __init__(self, idf: IdfTable | None = None, parse_top: int | None = 0) -> None:
        self.idf = idf if idf is not None else default_idf()
        self.parse_top = parse_top

    def process(self, state: ArticleState) -> None:
        assert state.article is not None
        title = state.article.title
        if state.doc is None and (self.parse_top is None or self.parse_top > 0):
            table = sentence_features(state.analyzed, self.idf, title)
            cheap = CASCADE_SCORER.score(state.analyzed, table)
            best = sorted(cheap, key=lambda s: -s.score)[: self.parse_top]
            add_ginza_entities([s.analyzed for s in best])
        state.table = sentence_features(state.analyzed, self.idf, title)
