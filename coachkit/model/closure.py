"""Phases 6 and 7: closure evaluation, the transition plan, follow-ups, and hand-entered results."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import ClassVar

from coachkit.errors import ValidationError
from coachkit.model.base import (
    SHORT_TEXT,
    Record,
    check_bool,
    check_choice,
    check_date,
    check_int,
    check_items,
    check_number,
    check_text,
)

OUTCOMES = ("not-met", "partly-met", "met", "exceeded")


@dataclasses.dataclass(kw_only=True)
class GoalEvaluation(Record):
    """At closure, one goal judged against its baseline, with evidence. ``id`` is the goal's id."""

    KIND: ClassVar[str] = "goal_evaluation"
    goal_id: str
    baseline: str = ""
    end_value: str = ""
    outcome: str = "partly-met"
    evidence: str = ""
    learning: str = ""

    def validate(self) -> None:
        super().validate()
        check_text("goal_id", self.goal_id, max_len=200, required=True)
        if self.id != self.goal_id:
            raise ValidationError("goal_id", "must match the record id.")
        check_text("baseline", self.baseline)
        check_text("end_value", self.end_value)
        check_choice("outcome", self.outcome, OUTCOMES)
        check_text("evidence", self.evidence)
        check_text("learning", self.learning)


CLOSURE_ID = "closure"


@dataclasses.dataclass(kw_only=True)
class ClosureReflection(Record):
    """What the engagement achieved and taught. ``client_evaluation`` is private to the coach."""

    KIND: ClassVar[str] = "closure"
    id: str = CLOSURE_ID
    successes: str = ""
    learning: str = ""
    how_changed: str = ""
    client_evaluation: str = ""
    client_rating: int | None = None

    def validate(self) -> None:
        super().validate()
        for name in ("successes", "learning", "how_changed", "client_evaluation"):
            check_text(name, getattr(self, name))
        check_int("client_rating", self.client_rating, 1, 10, required=False)


TRANSITION_ID = "transition"


@dataclasses.dataclass(kw_only=True)
class TransitionPlan(Record):
    """How the client keeps the gains after the engagement ends."""

    KIND: ClassVar[str] = "transition_plan"
    id: str = TRANSITION_ID
    keep_doing: str = ""
    warning_signs: str = ""
    support: str = ""

    def validate(self) -> None:
        super().validate()
        for name in ("keep_doing", "warning_signs", "support"):
            check_text(name, getattr(self, name))


@dataclasses.dataclass
class GoalChange:
    """At a follow-up, whether a goal's gains held: -3 (much worse) to +3 (much better)."""

    goal_id: str
    change: int


@dataclasses.dataclass(kw_only=True)
class FollowUp(Record):
    """A check-in scheduled after the end (30, 90, 180 days by default)."""

    KIND: ClassVar[str] = "follow_up"
    due: date
    days_after_end: int = 30
    held: bool | None = None
    held_on: date | None = None
    changes: list[GoalChange] = dataclasses.field(default_factory=list)
    notes: str = ""

    def validate(self) -> None:
        super().validate()
        check_date("due", self.due)
        check_int("days_after_end", self.days_after_end, 0, 3_650)
        check_bool("held", self.held, required=False)
        check_date("held_on", self.held_on, required=False)
        if self.held and self.held_on is None:
            raise ValidationError("held_on", "is required once the follow-up is held.")
        seen: set[str] = set()
        for c in check_items("changes", self.changes, GoalChange):
            check_text("changes", c.goal_id, max_len=200, required=True)
            check_int("changes", c.change, -3, 3)
            if c.goal_id in seen:
                raise ValidationError("changes", "rates the same goal twice.")
            seen.add(c.goal_id)
        check_text("notes", self.notes)


@dataclasses.dataclass(kw_only=True)
class AssessmentResult(Record):
    """Scores from an instrument coachkit cannot ship (DiSC, Hogan...), entered by hand."""

    KIND: ClassVar[str] = "assessment_result"
    instrument: str
    taken_on: date | None = None
    scores: dict[str, float] = dataclasses.field(default_factory=dict)
    summary: str = ""

    def validate(self) -> None:
        super().validate()
        check_text("instrument", self.instrument, max_len=SHORT_TEXT, required=True)
        check_date("taken_on", self.taken_on, required=False)
        if not isinstance(self.scores, dict):
            raise ValidationError("scores", "must map scale names to numbers.")
        for name, score in self.scores.items():
            check_text("scores", name, max_len=SHORT_TEXT, required=True)
            check_number(f"scores ({name})", score, -1e6, 1e6)
        check_text("summary", self.summary)
