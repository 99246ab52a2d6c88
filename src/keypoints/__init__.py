"""keypoints: a ポイント box (three short, traceable points) for Japanese articles.

>>> import keypoints
>>> result = keypoints.extract("見出し\\n\\n厚労省は12日、新制度を発表した。…")  # doctest: +SKIP
>>> [point.text for point in result.points]  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from keypoints.settings import DEFAULTS, Settings
from keypoints.version import __version__

if TYPE_CHECKING:
    from keypoints.errors import KeypointsError
    from keypoints.pipeline import Summarizer
    from keypoints.structures import Article, Entity, Point, Result, Sentence

# Loaded at first use (PEP 562): `import keypoints` stays cheap, so that the command
# line can take over Ctrl-C before the pipeline's imports (numpy, scikit-learn) run.
_LAZY = {
    "KeypointsError": "keypoints.errors",
    "Summarizer": "keypoints.pipeline",
    **dict.fromkeys(("Article", "Entity", "Point", "Result", "Sentence"), "keypoints.structures"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'keypoints' has no attribute {name!r}")


__all__ = [
    "Article",
    "Entity",
    "KeypointsError",
    "Point",
    "Result",
    "Sentence",
    "Settings",
    "Summarizer",
    "__version__",
    "extract",
]


def extract(
    text: str,
    title: str | None = None,
    n: int = DEFAULTS.n_points,
    *,
    max_chars: int = DEFAULTS.max_chars,
    terms: list[str] | tuple[str, ...] = DEFAULTS.terms,
    format: str = "auto",
) -> Result:
    """The ポイント of a Japanese article: `n` points, each traceable to its sentences.

    `text` may be plain text, Markdown, HTML or a JSON record (`format="auto"`
    sniffs it). Raises a `KeypointsError` subclass on bad input.
    """
    from keypoints.pipeline import Summarizer

    summarizer = Summarizer(Settings(n_points=n, max_chars=max_chars, terms=tuple(terms)))
    return summarizer.summarize_text(text, title=title, format=format)
