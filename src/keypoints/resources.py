"""Where the shipped models live: `models/` in a checkout, `keypoints/models` in a wheel.

>>> version_of("salience-0.10.0.joblib", "salience-", ".joblib")
<Version('0.10.0')>
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import platform
from datetime import date
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from keypoints.errors import ModelError

_PACKAGE_DIR = Path(__file__).resolve().parent


def models_dir() -> Path:
    for candidate in (_PACKAGE_DIR / "models", _PACKAGE_DIR.parents[1] / "models"):
        if candidate.is_dir():
            return candidate
    return _PACKAGE_DIR.parents[1] / "models"


def model_path(name: str) -> Path:
    return models_dir() / name


def version_of(name: str, prefix: str, suffix: str) -> Version | None:
    """The version in a model file name `<prefix><version><suffix>`, or None."""
    if not (name.startswith(prefix) and name.endswith(suffix)):
        return None
    try:
        return Version(name[len(prefix) : len(name) - len(suffix)])
    except InvalidVersion:
        return None


def newest_model(prefix: str, suffix: str) -> Path | None:
    """The model file of the highest version (0.10.0 after 0.9.0), or None when there is none."""
    found = [
        (version, path)
        for path in models_dir().glob(f"{prefix}*{suffix}")
        if (version := version_of(path.name, prefix, suffix)) is not None
    ]
    return max(found)[1] if found else None


def sklearn_version() -> str:
    return importlib.metadata.version("scikit-learn")


def check_sklearn_version(path: Path, card: dict[str, Any]) -> None:
    """A pickled estimator is only reliable under the scikit-learn minor version that
    wrote it: a clear ModelError for any other."""
    trained_with = str(card.get("sklearn_version", "unknown"))
    installed = sklearn_version()
    if trained_with.split(".")[:2] != installed.split(".")[:2]:
        raise ModelError(
            f"{path.name} was trained with scikit-learn {trained_with}, but {installed} "
            f"is installed: install scikit-learn=={trained_with} (pip install "
            f"'scikit-learn=={trained_with}') or retrain with `keypoints train`"
        )


@functools.cache
def code_digest(*parts: str) -> bytes:
    """A digest of the source files under `parts` (paths inside the package, files or
    folders): part of a cache key, so that nothing cached before that code changed
    (a boilerplate rule, say) is ever reused.

        >>> len(code_digest("text"))
        32
    """
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for part in parts:
        path = package / part
        for source in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(source.relative_to(package).as_posix().encode())
            digest.update(source.read_bytes())
    return digest.digest()


def provenance() -> dict[str, str]:
    """The first fields of a model card: which keypoints and Python made it, and when."""
    from keypoints.version import __version__

    return {
        "keypoints_version": __version__,
        "trained_on": date.today().isoformat(),
        "python": platform.python_version(),
    }
