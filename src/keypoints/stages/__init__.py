"""The pipeline's stages, one module each, in order:

ingest → segment → analyze → features → salience → choose (MMR ⇄ compress) → render

Each stage is a class with a `name`, called with the `ArticleState`s of a chunk of
articles (`base.Stage`); `keypoints.pipeline.Summarizer` runs them in order.
"""

from keypoints.stages.base import STAGE_NAMES, ArticleInput, ArticleStage, ArticleState, Stage

__all__ = ["STAGE_NAMES", "ArticleInput", "ArticleStage", "ArticleState", "Stage"]
