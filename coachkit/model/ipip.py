"""The 50-item IPIP representation of the Goldberg (1992) Big-Five markers: the client's answers
and their scoring.

A ``+`` keyed item scores its answer (1-5), a ``-`` keyed item scores 6 minus its answer; a
factor's score is the sum of its ten item scores (10-50), also given as their mean (1-5). A
profile is scored only when all 50 items are answered. No population norms exist for this
inventory, so none are invented: scores stay on their range, and once a practice holds enough
completed profiles a client's position among them can be given as a percentile within the
practice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date
from typing import ClassVar

from coachkit.errors import ValidationError
from coachkit.instruments import IPIP50_FACTORS, ipip50_items
from coachkit.model.base import Record, check_date, check_int, check_text

IPIP_ID = "ipip50"
PERCENTILE_MINIMUM = 30
"""Completed profiles a practice needs before a percentile within it means anything."""


@dataclasses.dataclass(kw_only=True)
class IpipResponse(Record):
    """The client's answers (item code -> 1-5); partly answered is fine. ``completed_on`` is set
    when the 50th answer is saved."""

    KIND: ClassVar[str] = "ipip_response"
    id: str = IPIP_ID
    answers: dict[str, int] = dataclasses.field(default_factory=dict)
    started_on: date | None = None
    completed_on: date | None = None

    def validate(self) -> None:
        super().validate()
        if not isinstance(self.answers, dict):
            raise ValidationError("answers", "must map item codes to answers.")
        codes = {i.code for i in ipip50_items()}
        for code, value in self.answers.items():
            check_text("answers", code, max_len=40, required=True)
            if code not in codes:
                raise ValidationError("answers", f"{code!r} is not an item of the IPIP-50.")
            check_int(f"answers ({code})", value, 1, 5)
        check_date("started_on", self.started_on, required=False)
        check_date("completed_on", self.completed_on, required=False)
        if self.completed_on is not None and len(self.answers) < len(codes):
            raise ValidationError("completed_on", f"is set but only {len(self.answers)} of 50 items are answered.")

    @property
    def complete(self) -> bool:
        """True when all 50 items are answered."""
        return len(self.answers) == len(ipip50_items())


@dataclasses.dataclass(frozen=True)
class FactorScore:
    """One factor: the sum of its ten item scores (10-50) and their mean (1-5)."""

    factor: str
    score: int
    mean: float


@dataclasses.dataclass(frozen=True)
class IpipProfile:
    """The five factor scores, in the instrument's order."""

    scores: tuple[FactorScore, ...]

    def score(self, factor: str) -> FactorScore:
        """The score of one factor."""
        return next(s for s in self.scores if s.factor == factor)


def item_score(keyed: int, answer: int) -> int:
    """The answer for a ``+`` keyed item, 6 minus it for a ``-`` keyed one."""
    return answer if keyed > 0 else 6 - answer


def score_ipip50(answers: Mapping[str, int]) -> IpipProfile | None:
    """The profile, or None while any of the 50 items is unanswered."""
    items = ipip50_items()
    if any(i.code not in answers for i in items):
        return None
    scores = []
    for factor in IPIP50_FACTORS:
        values = [item_score(i.keyed, answers[i.code]) for i in items if i.factor == factor]
        scores.append(FactorScore(factor, sum(values), sum(values) / len(values)))
    return IpipProfile(tuple(scores))


def practice_percentiles(
    profile: IpipProfile, population: Sequence[IpipProfile], *, minimum: int = PERCENTILE_MINIMUM
) -> dict[str, float] | None:
    """The profile's percentile (0-100) on each factor among ``population`` (the practice's
    completed profiles, this one included): the share scoring lower plus half of those scoring
    the same. None while the population holds fewer than ``minimum`` profiles."""
    if len(population) < minimum:
        return None
    out = {}
    for s in profile.scores:
        others = [p.score(s.factor).score for p in population]
        below = sum(1 for v in others if v < s.score)
        same = sum(1 for v in others if v == s.score)
        out[s.factor] = round(100.0 * (below + same / 2) / len(others), 1)
    return out
