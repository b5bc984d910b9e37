"""Phases 2 and 3: the self-assessment, goals, milestones, actions and goal adjustments."""

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
    check_text,
    check_texts,
)

VALUE_CHOICES: tuple[str, ...] = (
    "Achievement",
    "Autonomy",
    "Balance",
    "Collaboration",
    "Courage",
    "Creativity",
    "Family",
    "Fairness",
    "Growth",
    "Health",
    "Honesty",
    "Influence",
    "Learning",
    "Loyalty",
    "Recognition",
    "Respect",
    "Responsibility",
    "Security",
    "Service",
    "Trust",
)

COMPETENCY_CHOICES: tuple[str, ...] = (
    "Setting direction",
    "Communicating with clarity",
    "Developing others",
    "Delegating",
    "Making decisions",
    "Building relationships",
    "Managing conflict",
    "Leading change",
    "Executing with focus",
    "Self-awareness",
)

BALANCE_AREAS: tuple[str, ...] = (
    "Work and career",
    "Money",
    "Health and energy",
    "Family",
    "Friends and community",
    "Personal growth",
    "Fun and rest",
    "Home and surroundings",
)


@dataclasses.dataclass
class CompetencyRating:
    """A competency rated now and wanted, 1-5."""

    name: str
    current: int
    desired: int


@dataclasses.dataclass
class BalanceRating:
    """One area of the life-balance wheel rated now and wanted, 1-10."""

    area: str
    now: int
    wanted: int


SELF_ASSESSMENT_ID = "self-assessment"


@dataclasses.dataclass(kw_only=True)
class SelfAssessment(Record):
    """The client's own view: strengths, development areas, values, aspirations, ratings."""

    KIND: ClassVar[str] = "self_assessment"
    id: str = SELF_ASSESSMENT_ID
    strengths: list[str] = dataclasses.field(default_factory=list)
    development_areas: list[str] = dataclasses.field(default_factory=list)
    values: list[str] = dataclasses.field(default_factory=list)
    career_aspirations: str = ""
    competencies: list[CompetencyRating] = dataclasses.field(default_factory=list)
    balance: list[BalanceRating] = dataclasses.field(default_factory=list)

    def validate(self) -> None:
        super().validate()
        check_texts("strengths", self.strengths)
        check_texts("development_areas", self.development_areas)
        check_texts("values", self.values, max_items=20, max_len=100)
        if len({v.casefold() for v in self.values}) != len(self.values):
            raise ValidationError("values", "lists a value twice; keep each value once.")
        check_text("career_aspirations", self.career_aspirations)
        seen: set[str] = set()
        for c in check_items("competencies", self.competencies, CompetencyRating):
            check_text("competencies", c.name, max_len=SHORT_TEXT, required=True)
            check_int(f"competencies ({c.name}: current)", c.current, 1, 5)
            check_int(f"competencies ({c.name}: desired)", c.desired, 1, 5)
            if c.name in seen:
                raise ValidationError("competencies", f"rates {c.name!r} twice.")
            seen.add(c.name)
        for b in check_items("balance", self.balance, BalanceRating):
            check_text("balance", b.area, max_len=SHORT_TEXT, required=True)
            check_int(f"balance ({b.area}: now)", b.now, 1, 10)
            check_int(f"balance ({b.area}: wanted)", b.wanted, 1, 10)


GOAL_STATUSES = ("active", "achieved", "on-hold", "dropped")


@dataclasses.dataclass(kw_only=True)
class Goal(Record):
    """A coaching goal: a specific objective with its measure, baseline, target and date."""

    KIND: ClassVar[str] = "goal"
    objective: str
    why: str = ""
    measure: str = ""
    baseline: str = ""
    target: str = ""
    target_date: date | None = None
    status: str = "active"
    findings: list[str] = dataclasses.field(default_factory=list)
    resources: str = ""
    released_to_sponsor: bool = False
    released_on: date | None = None

    def validate(self) -> None:
        super().validate()
        check_text("objective", self.objective, max_len=2_000, required=True)
        for name in ("why", "measure", "baseline", "target", "resources"):
            check_text(name, getattr(self, name))
        check_date("target_date", self.target_date, required=False)
        check_choice("status", self.status, GOAL_STATUSES)
        check_texts("findings", self.findings, max_len=2_000)
        check_bool("released_to_sponsor", self.released_to_sponsor)
        check_date("released_on", self.released_on, required=False)
        if self.released_to_sponsor and self.released_on is None:
            raise ValidationError("released_on", "is required when the goal is released to the sponsor.")


@dataclasses.dataclass(kw_only=True)
class Milestone(Record):
    """A measurable marker of progress on a goal, with a target date and, once met, evidence."""

    KIND: ClassVar[str] = "milestone"
    goal_id: str
    title: str
    target_date: date | None = None
    done_on: date | None = None
    evidence: str = ""

    def validate(self) -> None:
        super().validate()
        check_text("goal_id", self.goal_id, max_len=200, required=True)
        check_text("title", self.title, max_len=2_000, required=True)
        check_date("target_date", self.target_date, required=False)
        check_date("done_on", self.done_on, required=False)
        check_text("evidence", self.evidence)


@dataclasses.dataclass(kw_only=True)
class Action(Record):
    """Something someone agreed to do before a due date, usually agreed in a session."""

    KIND: ClassVar[str] = "action"
    title: str
    owner: str = "client"
    due: date | None = None
    done_on: date | None = None
    goal_id: str = ""
    session_number: int | None = None
    obstacles: str = ""

    def validate(self) -> None:
        super().validate()
        check_text("title", self.title, max_len=2_000, required=True)
        check_text("owner", self.owner, max_len=SHORT_TEXT, required=True)
        check_date("due", self.due, required=False)
        check_date("done_on", self.done_on, required=False)
        check_text("goal_id", self.goal_id, max_len=200)
        check_int("session_number", self.session_number, 1, 1_000, required=False)
        check_text("obstacles", self.obstacles)


@dataclasses.dataclass(kw_only=True)
class GoalAdjustment(Record):
    """A change to a goal, with what changed and why; adjustments are only ever added."""

    KIND: ClassVar[str] = "goal_adjustment"
    goal_id: str
    made_on: date
    what_changed: str
    reason: str

    def validate(self) -> None:
        super().validate()
        check_text("goal_id", self.goal_id, max_len=200, required=True)
        check_date("made_on", self.made_on)
        check_text("what_changed", self.what_changed, required=True)
        check_text("reason", self.reason, required=True)
