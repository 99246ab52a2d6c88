"""Salience by register: news (plain prose) and speeches (polite) each get their model."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from sklearn.dummy import DummyRegressor

from conftest import SAMPLES
from keypoints.evaluation.gold import load_samples
from keypoints.pipeline import Summarizer
from keypoints.stages.compress import Compressor
from keypoints.stages.features import FEATURES
from keypoints.stages.register import POLITE_REGISTER, RegisterRouter
from keypoints.stages.salience import LinearScorer, SalienceModel, load_default_model
from keypoints.training import registers
from keypoints.training.examples import make_examples
from keypoints.training.registers import (
    compressed_point_labels,
    fit_plain,
    fit_routed,
    plain_register,
    routed,
)
from keypoints.training.selection import candidate_estimators, fit

POLITE = FEATURES.index("doc_polite")


def constant(value: float) -> DummyRegressor:
    return DummyRegressor(strategy="constant", constant=value).fit([[0.0]], [value])


def rows_with(polite: float) -> np.ndarray:
    x = np.zeros((2, len(FEATURES)))
    x[:, POLITE] = polite
    return x


def test_the_router_sends_each_article_to_the_model_of_its_register():
    router = RegisterRouter(column=POLITE, plain=constant(1.0), polite=constant(2.0)).fit(None)
    assert router.predict(rows_with(0.0)).tolist() == [1.0, 1.0]
    assert router.predict(rows_with(POLITE_REGISTER)).tolist() == [2.0, 2.0]
    mixed = np.vstack([rows_with(0.1), rows_with(0.9)])
    assert router.predict(mixed).tolist() == [1.0, 1.0, 2.0, 2.0]
    assert router.predict(np.zeros((0, len(FEATURES)))).shape == (0,)


def test_a_router_refuses_what_cannot_predict():
    with pytest.raises(TypeError, match="fitted regressor"):
        RegisterRouter(column=0, plain=object(), polite=constant(1.0)).fit(None)


def test_the_shipped_model_routes_by_register():
    model = load_default_model()
    assert model is not None and isinstance(model.estimator, RegisterRouter)
    assert model.card["by_register"]["estimator"] == registers.PLAIN_ESTIMATOR
    # The same sentence scores by another model once its article is polite.
    plain_row = dict.fromkeys(FEATURES, 0.5) | {"doc_polite": 0.0}
    polite_row = plain_row | {"doc_polite": 1.0}
    router = model.estimator
    x = model.matrix([plain_row, polite_row])
    assert model.predict([plain_row])[0] == pytest.approx(router.plain.predict(x[:1])[0])
    assert model.predict([polite_row])[0] == pytest.approx(router.polite.predict(x[1:])[0])


@pytest.fixture(scope="module")
def examples():
    return make_examples(load_samples(SAMPLES / "points.jsonl"), Summarizer(scorer=LinearScorer()))


def test_our_samples_are_plain_register_news(examples):
    assert examples and all(plain_register(e) for e in examples)


def test_with_too_few_plain_articles_the_general_model_serves_all(examples):
    assert len(examples) < registers.MIN_PLAIN_ARTICLES
    assert fit_plain(examples, None) is None
    general = fit(candidate_estimators()["ridge"][0], examples, FEATURES)
    assert routed(general, None) is general


def test_labels_score_each_sentence_as_its_compressed_point(examples):
    compressor = Compressor(70, model=None)
    example = examples[0]
    labels = compressed_point_labels(example, compressor)
    assert labels.shape == (len(example.sentences),) and np.all(labels >= 0)
    # With one of its sentences as the only reference, that sentence scores the most.
    k = 1
    alone = dataclasses.replace(example, references=[example.sentences[k]])
    assert compressed_point_labels(alone, compressor).argmax() == k


def test_a_routed_model_uses_its_plain_model_on_news(examples, monkeypatch):
    monkeypatch.setattr(registers, "MIN_PLAIN_ARTICLES", 1)
    plain = fit_plain(examples, None)
    assert isinstance(plain, SalienceModel)
    general = fit(candidate_estimators()["ridge"][0], examples, FEATURES)
    model = routed(general, plain)
    rows = [row for e in examples for row in e.rows]
    assert np.allclose(model.predict(rows), plain.predict(rows))
    assert model.feature_means == general.feature_means


def test_a_routed_model_reads_the_general_models_features(examples, monkeypatch):
    # The ablations drop feature groups: the plain model reads the same features, and
    # without doc_polite there is nothing to route by.
    monkeypatch.setattr(registers, "MIN_PLAIN_ARTICLES", 1)
    fewer = tuple(f for f in FEATURES if f != "centrality")
    general = fit(candidate_estimators()["ridge"][0], examples, fewer)
    model = fit_routed(general, examples, None)
    assert model.features == fewer and isinstance(model.estimator, RegisterRouter)
    blind = tuple(f for f in FEATURES if f != "doc_polite")
    general = fit(candidate_estimators()["ridge"][0], examples, blind)
    assert fit_routed(general, examples, None) is general
