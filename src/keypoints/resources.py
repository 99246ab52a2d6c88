"""Where the shipped models live: `models/` in a checkout, `keypoints/models` in a wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def models_dir() -> Path:
    for candidate in (_PACKAGE_DIR / "models", _PACKAGE_DIR.parents[1] / "models"):
        if candidate.is_dir():
            return candidate
    return _PACKAGE_DIR.parents[1] / "models"


def model_path(name: str) -> Path:
    return models_dir() / name
