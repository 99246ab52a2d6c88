"""keypoints: a ポイント box (three short, traceable points) for Japanese articles.

>>> import keypoints
>>> result = keypoints.extract("見出し\\n\\n厚労省は12日、新制度を発表した。…")  # doctest: +SKIP
>>> [point.text for point in result.points]  # doctest: +SKIP
"""

from __future__ import annotations

from keypoints.errors import KeypointsError
from keypoints.pipeline import Summarizer
from keypoints.settings import DEFAULTS, Settings
from keypoints.structures import Article, Entity, Point, Result, Sentence
from keypoints.version import __version__

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
    summarizer = Summarizer(Settings(n_points=n, max_chars=max_chars, terms=tuple(terms)))
    return summarizer.summarize_text(text, title=title, format=format)
