"""Which shipped model is loaded: the highest version, compared as versions."""

from __future__ import annotations

from pathlib import Path

from keypoints import resources
from keypoints.stages.salience import MODEL_PREFIX, MODEL_SUFFIX


def test_the_newest_model_is_chosen_by_version_not_by_string(tmp_path: Path, monkeypatch):
    for name in ("salience-0.9.0.joblib", "salience-0.10.0.joblib", "salience-0.3.0.joblib"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "salience-notes.joblib").write_bytes(b"")  # no version: never chosen
    monkeypatch.setattr(resources, "models_dir", lambda: tmp_path)
    newest = resources.newest_model(MODEL_PREFIX, MODEL_SUFFIX)
    assert newest == tmp_path / "salience-0.10.0.joblib"  # a string sort picks 0.9.0


def test_no_model_gives_none(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(resources, "models_dir", lambda: tmp_path)
    assert resources.newest_model(MODEL_PREFIX, MODEL_SUFFIX) is None
