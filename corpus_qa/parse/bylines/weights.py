"""The byline ranker's weights, in one typed table.

Every score, bonus and distance :class:`corpus_qa.parse.bylines.rank.Ranker` uses is a
field of :data:`WEIGHTS`; the ranker reads them from there and nowhere else, so a
change to the ranking is a change to this table (and ``make accuracy`` measures it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


def _frozen(mapping: dict[str, float]) -> Mapping[str, float]:
    return MappingProxyType(mapping)


@dataclass(frozen=True)
class Weights:
    """Scores per kind of evidence, position scores and bonuses (see the fields)."""

    #: Base score per kind of evidence (see :class:`~corpus_qa.parse.bylines.rank.Candidate`).
    kind_score: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {
                "marker": 70.0,
                "link": 66.0,
                "box": 34.0,
                "poster": 50.0,
                "portrait": 34.0,
                "bio": 30.0,
                "meta": 34.0,
                "alone": 34.0,
                "dated_tail": 34.0,
                "timed": 28.0,
                "profile": 26.0,
                "echoed_profile": 26.0,
                "sign_off": 24.0,
                "copyright": 14.0,
                "owner": 14.0,
            }
        )
    )
    #: Kinds whose only evidence is where a name stands: they need a known given name.
    weak: frozenset[str] = frozenset(
        ["box", "portrait", "bio", "alone", "dated_tail", "profile", "echoed_profile", "sign_off", "copyright", "owner"]
    )  # fmt: skip
    #: Kinds found on the metadata lines next to the title, where a desk may sign.
    beside_date: frozenset[str] = frozenset(["meta", "alone", "timed", "dated_tail"])
    #: Evidence only a person has (a bio, a portrait, an author or user box): one of
    #: the two that vouch for a name must be such.
    personal: frozenset[str] = frozenset(["bio", "portrait", "box", "poster"])
    #: Kinds that one finder proposes: their agreement is no second piece of evidence.
    finder: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType(
            {"echoed_profile": "profile", "alone": "meta", "timed": "meta", "dated_tail": "meta"}
        )
    )
    #: Kinds that belong to the page's footer, where weak evidence otherwise never counts.
    footer: frozenset[str] = frozenset(["copyright", "owner"])
    #: Kinds that count only when the page repeats the name elsewhere.
    echoed: frozenset[str] = frozenset(["echoed_profile"])
    #: Kinds with a date or time on the name's own line: an unknown given name costs.
    dated: frozenset[str] = frozenset(["meta", "timed"])

    #: Lines between two candidates that vouch for each other (closer ones are one box).
    apart: int = 4
    #: Non-blank lines after the article's end where an author box may stand.
    box_lines: int = 40

    #: Position inside the article: ``inside_top`` at the title, less ``inside_step``
    #: a line down to ``inside_reach`` lines, ``inside_far`` below.
    inside_top: float = 40.0
    inside_step: float = 0.5
    inside_reach: int = 25
    inside_far: float = 15.0
    #: Position after the article: ``after_top`` less ``after_step`` a line, never below 0.
    after_top: float = 14.0
    after_step: float = 0.2
    #: Position above the title: ``above_top`` less ``above_step`` a line, at least ``above_floor``.
    above_top: float = 38.0
    above_step: float = 1.5
    above_floor: float = 4.0
    #: Added to the position of a candidate inside the comments.
    in_comments: float = -50.0

    #: Bonus for a name that opens with a known given name (or a desk, or is vouched for).
    known_name: float = 6.0
    #: Added for an unknown given name on a dated line.
    unknown_dated: float = -10.0
    #: Bonus per repetition of the name next to it, counted up to ``echo_max`` times.
    echo: float = 3.0
    echo_max: int = 3


#: The table the ranker reads.
WEIGHTS = Weights()
