"""keypoints: a ポイント box (three short, traceable points) for Japanese articles."""

from __future__ import annotations

__version__ = "0.3.0"

from keypoints.types import Article, Entity, Point, Result, Sentence  # noqa: E402

__all__ = ["Article", "Entity", "Point", "Result", "Sentence", "__version__", "extract"]


def extract(
    text: str,
    title: str | None = None,
    n: int = 3,
    *,
    max_chars: int = 70,
    terms: list[str] | tuple[str, ...] = (),
    format: str = "auto",
) -> Result:
    """The ポイント of a Japanese article: `n` points, each traceable to its sentences.

    `text` may be plain text, Markdown, HTML or a JSON record (`format="auto"`
    sniffs it). Raises a `keypoints.errors.KeypointsError` subclass on bad input.
    """
    from keypoints.pipeline import Settings, Summarizer

    summarizer = Summarizer(Settings(n_points=n, max_chars=max_chars, terms=tuple(terms)))
    return summarizer.summarize_text(text, title=title, format=format)
