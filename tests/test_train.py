"""Training the salience model and loading it back, on our own small gold set."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import joblib
import numpy as np
import pytest

from conftest import SAMPLES
from keypoints.errors import ModelError
from keypoints.evaluation.gold import GoldRecord, load_samples
from keypoints.pipeline import Summarizer
from keypoints.settings import Settings
from keypoints.stages.features import FEATURES
from keypoints.stages.salience import LinearScorer, SalienceModel, load_model
from keypoints.training.cross_validated import CrossValidatedKeypoints
from keypoints.training.examples import make_examples, sentence_labels
from keypoints.training.selection import choose_points, fold_ids, train


def sample_gold() -> list[GoldRecord]:
    return load_samples(SAMPLES / "points.jsonl")


@pytest.fixture(scope="module")
def examples():
    return make_examples(sample_gold(), Summarizer(scorer=LinearScorer()))


def test_labels_rank_the_sentence_a_point_was_written_from_first():
    references = ["青葉県は保育料を10月から無償化する。"]
    sentences = [
        "青葉県は2026年6月12日、保育料を10月1日から無償化すると発表した。",
        "県内では保育士不足が続いている。",
        "天気は晴れだった。",
    ]
    labels = sentence_labels(sentences, references)
    assert labels.argmax() == 0 and labels[2] < labels[0]
    assert np.all(labels >= 0)


def test_labels_score_a_sentence_as_its_point_reads():
    # The compress stage makes speech plain; a polite sentence is not penalised
    # for the politeness it will lose, and scores as its plain twin does.
    references = ["都は関係機関と連携して検査体制を強化する。"]
    polite = "都は関係機関と連携いたしまして、検査体制を強化してまいります。"
    plain = "都は関係機関と連携して、検査体制を強化していく。"
    labels = sentence_labels([polite, plain, "天気は晴れだった。"], references)
    assert labels[0] == pytest.approx(labels[1])
    assert labels[0] > labels[2]


def test_examples_have_one_label_per_sentence(examples):
    assert len(examples) == len(sample_gold())
    for example in examples:
        assert len(example.labels) == len(example.rows) > 0
        assert set(example.rows[0]) == set(FEATURES)


def test_folds_never_split_an_article(examples):
    folds = fold_ids(examples, 5)
    assert sorted(set(folds)) == list(range(5))
    assert len(folds) == len(examples)


def test_train_records_its_card_and_round_trips(examples, tmp_path: Path):
    model, scores = train(examples, folds=5, sources=["samples"])
    assert model.card["estimator"] in scores and "default_weights" in scores
    assert model.card["articles"] == len(examples)
    assert model.card["hyperparameters"] and model.card["seed"] == 0
    path = tmp_path / "salience-test.joblib"
    model.save(path)
    loaded = load_model(path)
    rows = [row for e in examples for row in e.rows]
    assert np.allclose(loaded.predict(rows), model.predict(rows))
    assert loaded.name == "salience-test"
    points = choose_points(loaded, examples[0], Settings(compression=False), n=3)
    assert len(points) == 3


def test_selection_gives_each_gold_set_the_same_weight(examples):
    from keypoints.training.selection import _macro_average

    # Three articles of a large set score 0.3, one of a small set 0.1: the
    # article mean would be 0.25, the mean over sets is 0.2.
    tagged = [
        dataclasses.replace(e, source="small" if i == 0 else "large")
        for i, e in enumerate(examples[:4])
    ]
    scores = {
        e.id: {"rouge1": v, "rouge2": v, "rougeL": v}
        for e, v in zip(tagged, (0.1, 0.3, 0.3, 0.3), strict=True)
    }
    assert _macro_average(tagged, scores)["rouge2"] == pytest.approx(0.2)


def test_contributions_explain_a_linear_model_exactly(examples):
    from sklearn.linear_model import LinearRegression

    model = SalienceModel(LinearRegression(), FEATURES)
    x = model.matrix([r for e in examples for r in e.rows])
    model.estimator.fit(x, np.concatenate([e.labels for e in examples]))
    model.feature_means = tuple(x.mean(axis=0))
    row = examples[0].rows[0]
    parts = model.contributions(row)
    base = model.predict([dict(zip(FEATURES, model.feature_means, strict=True))])[0]
    assert sum(parts.values()) == pytest.approx(model.predict([row])[0] - base)


def test_a_model_from_another_scikit_learn_is_refused(examples, tmp_path: Path):
    model, _ = train(examples, folds=2)
    path = tmp_path / "salience-old.joblib"
    model.save(path)
    payload = joblib.load(path)
    payload["card"]["sklearn_version"] = "0.24.2"
    joblib.dump(payload, path)
    with pytest.raises(ModelError, match=r"scikit-learn 0\.24\.2.*(install|retrain)"):
        load_model(path)
    (tmp_path / "broken.joblib").write_bytes(b"not a model")
    with pytest.raises(ModelError):
        load_model(tmp_path / "broken.joblib")
    with pytest.raises(ModelError):
        load_model(tmp_path / "missing.joblib")


def test_cross_validated_system_summarizes_held_out_and_new_articles(examples):
    system = CrossValidatedKeypoints(examples, folds=5, settings=Settings(compression=False))
    record = sample_gold()[0]
    assert len(system.summarize(record, 2)) == 2
    stranger = GoldRecord("new", None, record.text, record.references)
    assert len(system.summarize(stranger, 2)) == 2


def test_the_shipped_model_is_the_default_and_loads():
    from keypoints.stages.salience import default_model_path

    path = default_model_path()
    assert path is not None, "models/ should ship a salience model"
    model = load_model(path)
    assert set(model.features) <= set(FEATURES)
    assert Summarizer().scorer.name == path.stem


@pytest.mark.slow
def test_train_command_writes_a_model(tmp_path: Path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        "\n".join(
            json.dumps({"id": r.id, "text": r.text, "points": r.references}, ensure_ascii=False)
            for r in sample_gold()
        ),
        encoding="utf-8",
    )
    out = tmp_path / "salience-x.joblib"
    done = subprocess.run(
        [sys.executable, "-m", "keypoints", "train", str(gold), "-o", str(out), "--folds", "2"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "chosen" in done.stdout and out.is_file()
    assert load_model(out).card["articles"] == len(sample_gold())


def test_score_many_predicts_as_score_article_by_article():
    # summarize_many scores a chunk's sentences in one prediction; the saliences
    # must be those of scoring each article alone.
    from keypoints.stages.ingest import ingest
    from keypoints.stages.salience import score_many

    summarizer = Summarizer()
    assert hasattr(summarizer.scorer, "score_many")
    articles = [ingest(p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.txt"))]
    features = [(s.analyzed, s.table) for s in summarizer.run(articles, until="features")]
    together = score_many(summarizer.scorer, features)
    alone = [summarizer.scorer.score(analyzed, table) for analyzed, table in features]
    assert [[s.score for s in scored] for scored in together] == [
        [s.score for s in scored] for scored in alone
    ]
    assert [len(scored) for scored in together] == [len(analyzed) for analyzed, _ in features]
    # A scorer without score_many is called article by article.
    linear = LinearScorer()
    assert [[s.score for s in scored] for scored in score_many(linear, features)] == [
        [s.score for s in linear.score(analyzed, table)] for analyzed, table in features
    ]


@pytest.mark.parametrize("name", ["ridge", "gradient_boosting", "bagged_boosting"])
def test_every_candidate_scores_a_sentence_as_it_would_alone(examples, name):
    # A batch of articles must score each sentence exactly as that article alone.
    from keypoints.stages.salience import row_stable_predict
    from keypoints.training.selection import candidate_estimators, fit

    estimator, _ = candidate_estimators()[name]
    model = fit(estimator, examples, FEATURES)
    x = model.matrix([row for e in examples for row in e.rows])
    together = row_stable_predict(model.estimator, x)
    alone = [row_stable_predict(model.estimator, x[i : i + 1])[0] for i in range(len(x))]
    assert together.tolist() == alone
