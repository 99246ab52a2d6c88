"""Tests for keypoints.select: MMR choice of non-redundant sentences."""

from __future__ import annotations

import random

import numpy as np
import pytest

from keypoints.idf import default_idf
from keypoints.stages.analyze import analyze
from keypoints.stages.features import sentence_features
from keypoints.stages.mmr import REDUNDANT_SIMILARITY, mmr_select
from keypoints.stages.salience import LinearScorer
from keypoints.stages.segment import split_sentences
from keypoints.structures import FeatureTable, ScoredSentence

# Sentences 0-2 say the same thing; 3-7 are about different things.
ARTICLE = "\n".join(
    [
        "東西電機は新型蓄電池の量産を滋賀県の新工場で始めると発表した。",
        "東西電機は新型蓄電池の量産を滋賀県の新工場で始めると正式に発表した。",
        "東西電機が新型蓄電池の量産を滋賀県の新工場で始めると発表した。",
        "投資額は約120億円で、年間5万台の生産を見込む。",
        "家庭用蓄電池の市場は電気料金の高騰を背景に拡大が続いている。",
        "経済産業省は国内生産を支援する補助金制度を設けている。",
        "中国や韓国のメーカーとの価格競争は激しさを増している。",
        "山田社長は品質と安全性で選ばれる製品にしたいと述べた。",
    ]
)
DUPLICATES = {0, 1, 2}


@pytest.fixture(scope="module")
def article():
    analyzed = analyze(split_sentences(ARTICLE), article_text=ARTICLE, parse=())
    table = sentence_features(analyzed, default_idf(), "東西電機が蓄電池を量産")
    scored = LinearScorer().score(analyzed, table)
    similarity = np.asarray((table.vectors @ table.vectors.T).todense())
    return scored, table.vectors, similarity


def rescored(scored: list[ScoredSentence], scores: list[float]) -> list[ScoredSentence]:
    return [
        ScoredSentence(s.analyzed, score, s.features, s.contributions)
        for s, score in zip(scored, scores, strict=True)
    ]


def ids(chosen: list[ScoredSentence]) -> list[int]:
    return [c.analyzed.sentence.id for c in chosen]


def test_fixture_has_near_duplicates_and_distinct_sentences(article):
    _, _, similarity = article
    for i in DUPLICATES:
        for j in DUPLICATES - {i}:
            assert similarity[i, j] >= REDUNDANT_SIMILARITY
    for j in range(3, len(similarity)):
        assert similarity[0, j] < REDUNDANT_SIMILARITY


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 20])
def test_at_most_n_in_document_order_without_redundancy(article, n):
    scored, vectors, similarity = article
    chosen = ids(mmr_select(scored, vectors, n))
    assert 1 <= len(chosen) <= n
    assert chosen == sorted(chosen)
    assert len(set(chosen)) == len(chosen)
    for a in chosen:
        for b in chosen:
            if a != b:
                assert similarity[a, b] < REDUNDANT_SIMILARITY


def test_only_one_near_duplicate_is_taken(article):
    scored, vectors, _ = article
    chosen = ids(mmr_select(scored, vectors, len(scored)))
    assert len(DUPLICATES & set(chosen)) == 1
    assert set(range(3, len(scored))) <= set(chosen)


@pytest.mark.parametrize("n", [0, -1])
def test_non_positive_n_gives_nothing(article, n):
    scored, vectors, _ = article
    assert mmr_select(scored, vectors, n) == []


def test_no_candidates_gives_nothing(article):
    _, vectors, _ = article
    assert mmr_select([], vectors, 3) == []


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("lambda_", [0.3, 0.7, 1.0])
def test_highest_scoring_candidate_is_always_chosen(article, seed, lambda_):
    scored, vectors, _ = article
    rng = random.Random(seed)
    scores = [rng.uniform(-1.0, 1.0) for _ in scored]
    candidates = rescored(scored, scores)
    best = max(candidates, key=lambda c: c.score)
    for n in (1, 2, 3):
        chosen = mmr_select(candidates, vectors, n, lambda_=lambda_, coverage=0.0)
        assert best in chosen


def test_entity_coverage_prefers_a_sentence_with_a_new_organisation(article):
    scored, vectors, _ = article
    # Sentence 4 is the most salient; sentence 5, nearly as salient, names 経済産業省.
    scores = [0.0] * len(scored)
    scores[4], scores[5] = 1.0, 0.95
    candidates = rescored(scored, scores)
    assert ids(mmr_select(candidates, vectors, 1, coverage=0.0)) == [4]
    assert ids(mmr_select(candidates, vectors, 1, coverage=0.4)) == [5]


COVERED = "\n".join(
    [
        "南海精機は4月1日から新しい料金表を導入する。",
        "新しい料金表は家庭向けの契約が対象になる。",
        "南海精機の担当者は4月1日以降の問い合わせに電話で応じるとした。",
        "経済産業省は料金の説明を丁寧にするよう求めている。",
    ]
)


def test_an_entity_a_point_already_carries_earns_nothing():
    analyzed = analyze(split_sentences(COVERED), article_text=COVERED, parse=())
    table = sentence_features(analyzed, default_idf(), None)
    scored = rescored(LinearScorer().score(analyzed, table), [0.0, 0.0, 1.0, 0.9])
    candidates = [scored[2], scored[3], scored[1]]  # 4月1日; 経済産業省; nothing
    # Both add an entity, and sentence 2 is the more salient.
    assert ids(mmr_select(candidates, table.vectors, 1, lambda_=1.0)) == [2]
    # Once the point of sentence 0 carries 4月1日, only sentence 3 adds one.
    chosen = mmr_select(candidates, table.vectors, 1, lambda_=1.0, already_chosen=[scored[0]])
    assert ids(chosen) == [3]


@pytest.mark.parametrize("doc_polite", [0.0, 0.3, 0.5, 0.9])
def test_speech_like_articles_get_plain_mmr(doc_polite):
    from scipy import sparse

    from keypoints.settings import Settings
    from keypoints.stages.choose import SPEECH_MMR, MMRWeights, mmr_weights

    table = FeatureTable(rows=[{"doc_polite": doc_polite}], vectors=sparse.csr_matrix((1, 1)))
    settings = Settings(mmr_lambda=0.8, entity_coverage=0.3)
    expected = SPEECH_MMR if doc_polite >= 0.5 else MMRWeights(0.8, 0.3)
    assert mmr_weights(table, settings) == expected
    assert SPEECH_MMR.coverage == 0.0
