"""`Settings`: the one place where a knob of the pipeline and its default live.

Everything else is derived from it: the CLI options of `summarize` and `batch`
(`keypoints.cli.options`), the options each batch line records and `--resume`
checks (`Settings.recorded`), the spaCy component's config and the defaults of
`keypoints.extract`. A knob a user sets from the command line carries its flag,
bounds and help text in its field's metadata (`Knob`); `Settings` checks the
bounds when it is made, so a bad value fails the same way everywhere.

    >>> Settings(n_points=2, max_chars=50).recorded()
    {'points': 2, 'max_chars': 50, 'parse_reach': 2.2}
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# A point shorter than this is a fragment, not a fact: the least --max-chars allowed.
MIN_POINT_CHARS = 15


@dataclass(frozen=True)
class Knob:
    """How a setting appears to users: its CLI flag, bounds and help, and the key under
    which batch output records it (None: not recorded)."""

    flag: str
    help: str
    short: str | None = None
    min: float | None = None
    max: float | None = None
    record: str | None = None


def _knob(default: Any, **knob: Any) -> Any:
    return field(default=default, metadata={"knob": Knob(**knob)})


@dataclass(frozen=True)
class Settings:
    """What a user can tune; every default is the documented behaviour.

    Frozen and hashable, so that a batch worker keeps one Summarizer per Settings.
    """

    n_points: int = _knob(
        3, flag="--points", short="-n", min=1, max=20, record="points",
        help="How many points to write per article.",
    )  # fmt: skip
    max_chars: int = _knob(
        70, flag="--max-chars", min=MIN_POINT_CHARS, record="max_chars",
        help="Longest point in characters. Long sentences are compressed to fit; when "
        "too few fit, fewer points are written.",
    )  # fmt: skip
    # GiNZA parses a picked sentence for compression only up to this many times
    # max_chars (Compressor.within_reach). Lower is faster and makes fewer long
    # sentences into points; 1.0 parses none over max_chars, 0 none at all. 2.2 since
    # 0.7.0 (why: Compressor.within_reach; figures: README, Benchmarks).
    parse_reach: float = _knob(
        2.2, flag="--parse-reach", min=0.0, record="parse_reach",
        help="GiNZA parses a picked sentence to compress it only when it is at most this "
        "many times --max-chars long. Lower is faster, and fewer long sentences become "
        "points: 1.0 parses none over --max-chars (about twice as fast on livedoor news; "
        "against 1.7, ROUGE-2 0.7 to 2.1 points lower on the PoliInfo dev sets), 0 parses "
        "none.",
    )  # fmt: skip
    # Domain terms that count as entities (the CLI reads them from --terms FILE).
    terms: tuple[str, ...] = _knob(
        (), flag="--terms", record="terms",
        help="A UTF-8 file of domain terms, one per line, counted as entities when "
        "scoring (lines starting with # are comments).",
    )  # fmt: skip
    # How many of the best sentences by cheap (SudachiPy) features GiNZA parses
    # for entities; the rest keep their rule-based entities. None parses every
    # sentence. 0 (default): rule entities only. benchmarks/cascade.py measured no
    # loss against parsing every sentence on the dev sets, at a quarter of the time.
    parse_top: int | None = 0
    # MMR runs over this many best sentences, so long articles stay fast.
    candidate_pool: int = 60
    # MMR's λ (salience against redundancy) and its weight for the organisations, dates
    # and terms a sentence adds to the points (keypoints.stages.mmr), for news prose;
    # a speech-like article gets choose.SPEECH_MMR (λ 0.7, no coverage).
    mmr_lambda: float = 0.9
    entity_coverage: float = 0.4
    # Compress points with GiNZA's parse (plain endings, no frames); False keeps
    # the source sentence apart from leading connectives.
    compression: bool = True

    def __post_init__(self) -> None:
        # A list of terms (the spaCy config gives one) becomes a tuple: Settings stays hashable.
        object.__setattr__(self, "terms", tuple(self.terms))
        for name, knob in knobs():
            value = getattr(self, name)
            if knob.min is not None and value < knob.min:
                raise ValueError(f"{name} must be at least {knob.min:g}")
            if knob.max is not None and value > knob.max:
                raise ValueError(f"{name} must be at most {knob.max:g}")

    def recorded(self) -> dict[str, Any]:
        """The options each batch output line records, by their CLI names. Terms are
        recorded (as a digest) only when there are some."""
        recorded: dict[str, Any] = {}
        for name, knob in knobs():
            value = getattr(self, name)
            if knob.record == "terms":
                if value:
                    recorded["terms"] = "sha256:" + terms_digest(value)
            elif knob.record is not None:
                recorded[knob.record] = value
        return recorded

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def knobs() -> Iterator[tuple[str, Knob]]:
    """(field name, Knob) of every setting a user can give on the command line."""
    for f in dataclasses.fields(Settings):
        if "knob" in f.metadata:
            yield f.name, f.metadata["knob"]


def knob(name: str) -> Knob:
    """The Knob of the setting `name`."""
    return dict(knobs())[name]


def terms_digest(terms: tuple[str, ...]) -> str:
    return hashlib.sha256("\n".join(terms).encode("utf-8")).hexdigest()[:16]


def recorded_as_flags(recorded: dict[str, Any]) -> str:
    """`{"points": 3, "max_chars": 70}` as the flags a user types: `--points 3 --max-chars 70`."""
    flags = {k.record: k.flag for _, k in knobs() if k.record}
    return " ".join(f"{flags.get(key, '--' + key)} {value}" for key, value in recorded.items())


# The defaults, for signatures that must show them (keypoints.extract, the CLI).
DEFAULTS = Settings()
