"""`nlp.add_pipe("keypoints")`: the ポイント of a Doc, set as `doc._.keypoints`.

Added to a GiNZA pipeline, the component reuses the Doc's own entities
instead of parsing the text a second time:

    nlp = spacy.load("ja_ginza")
    nlp.add_pipe("keypoints", config={"n_points": 3})
    doc = nlp(text)
    doc._.keypoints.points[0].text

Its config is the `Settings` knobs a component needs, with their defaults.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from keypoints.pipeline import Summarizer
from keypoints.settings import DEFAULTS, Settings

# The Settings a component is configured with; each default comes from Settings.
COMPONENT_SETTINGS = ("n_points", "max_chars", "parse_reach", "terms")

if not Doc.has_extension("keypoints"):
    Doc.set_extension("keypoints", default=None)


class KeypointsComponent:
    """A spaCy pipeline component that summarizes each Doc into points."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        n_points: int,
        max_chars: int,
        parse_reach: float,
        terms: list[str],
    ) -> None:
        self.name = name
        settings = Settings(
            n_points=n_points, max_chars=max_chars, parse_reach=parse_reach, terms=tuple(terms)
        )
        self.summarizer = Summarizer(settings)

    def __call__(self, doc: Doc) -> Doc:
        # A Doc from a pipeline with NER already has entities: reuse them.
        reuse = doc if doc.has_annotation("ENT_IOB") else None
        doc._.keypoints = self.summarizer.summarize_text(doc.text, format="text", doc=reuse)
        return doc


@Language.factory(
    "keypoints",
    default_config={
        name: list(value) if isinstance(value, tuple) else value
        for name in COMPONENT_SETTINGS
        for value in [getattr(DEFAULTS, name)]
    },
)
def make_keypoints(
    nlp: Language,
    name: str,
    n_points: int,
    max_chars: int,
    parse_reach: float,
    terms: list[str],
) -> KeypointsComponent:
    return KeypointsComponent(nlp, name, n_points, max_chars, parse_reach, terms)
