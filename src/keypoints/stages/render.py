"""Stage 7, render: the chosen sentences of each article become its `Result`.

Each point carries the sentence it came from (id, text and character span in the
input, or in the extracted body for HTML and Markdown), its score, entities and
features. How a Result is written out (・ bullets, Markdown, JSON) is
`keypoints.render`'s job.
"""

from __future__ import annotations

from keypoints.stages.base import ArticleStage, ArticleState
from keypoints.stages.compress import truncate
from keypoints.structures import Article, Point, Result, ScoredSentence
from keypoints.version import __version__


class Render(ArticleStage):
    """Stage 7: `state.result`, the article's points in document order."""

    name = "render"

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars

    def process(self, state: ArticleState) -> None:
        article = state.article
        assert article is not None
        points = [
            self._to_point(item, state.texts[item.analyzed.sentence.id], article)
            for item in state.chosen
        ]
        for point in points:
            point.warnings = list(state.warnings.get(point.sentence_ids[0], []))
        state.result = Result(
            title=article.title,
            points=points,
            existing_points=article.existing_points,
            model=state.model,
            version=__version__,
            offsets=article.offsets_refer_to,
            id=article.id,
        )

    def _to_point(self, item: ScoredSentence, text: str, article: Article) -> Point:
        sentence = item.analyzed.sentence
        span = article.input_span(sentence)
        text = truncate(text, self.max_chars)
        return Point(
            text=text,
            sentence_ids=[sentence.id],
            spans=[span],
            score=item.score,
            # The sentence's entities the point still names, not those compression dropped.
            entities=[e for e in item.analyzed.entities if e.text in text],
            source_text=sentence.text,
            features=item.features,
            contributions=item.contributions,
        )
