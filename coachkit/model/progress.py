"""Phases 4 and 5: sessions, check-ins and the client's reflections."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import ClassVar

from coachkit.errors import ValidationError
from coachkit.model.base import (
    SHORT_TEXT,
    Record,
    check_choice,
    check_date,
    check_datetime,
    check_int,
    check_items,
    check_text,
)

SESSION_STATUSES = ("planned", "held", "cancelled")


@dataclasses.dataclass(kw_only=True)
class Session(Record):
    """One coaching session. ``private_notes`` are the coach's alone: no client, sponsor or
    rater page ever shows them. The ``id`` is the session number as text."""

    KIND: ClassVar[str] = "session"
    number: int
    held_on: date
    duration_minutes: int = 60
    status: str = "held"
    agenda: str = ""
    reflection: str = ""
    problems: str = ""
    skills: str = ""
    feedback: str = ""
    perspectives: str = ""
    action_review: str = ""
    summary: str = ""
    private_notes: str = ""
    starts_at: datetime | None = None
    """When a planned session begins, in UTC (None for sessions recorded with a date only)."""
    place: str = ""
    """Where it happens: a room or a video link."""

    def validate(self) -> None:
        super().validate()
        check_int("number", self.number, 1, 1_000)
        check_datetime("starts_at", self.starts_at, required=False)
        if self.starts_at is not None and self.starts_at.utcoffset() is None:
            raise ValidationError("starts_at", "must carry its time zone (it is stored in UTC).")
        check_text("place", self.place, max_len=SHORT_TEXT)
        if self.id != str(self.number):
            raise ValidationError("number", "must match the record id.")
        check_date("held_on", self.held_on)
        check_int("duration_minutes", self.duration_minutes, 5, 480)
        check_choice("status", self.status, SESSION_STATUSES)
        for name in (
            "agenda",
            "reflection",
            "problems",
            "skills",
            "feedback",
            "perspectives",
            "action_review",
            "summary",
            "private_notes",
        ):
            check_text(name, getattr(self, name))


@dataclasses.dataclass
class GoalProgress:
    """Progress on one goal in a check-in, 0 (not started) to 10 (achieved)."""

    goal_id: str
    progress: int


@dataclasses.dataclass(kw_only=True)
class CheckIn(Record):
    """A check-in between sessions: progress per goal, confidence, what is in the way."""

    KIND: ClassVar[str] = "check_in"
    on: date
    progress: list[GoalProgress] = dataclasses.field(default_factory=list)
    confidence: int = 5
    blockers: str = ""
    note: str = ""
    by: str = "client"

    def validate(self) -> None:
        super().validate()
        check_date("on", self.on)
        seen: set[str] = set()
        for p in check_items("progress", self.progress, GoalProgress):
            check_text("progress", p.goal_id, max_len=200, required=True)
            check_int("progress", p.progress, 0, 10)
            if p.goal_id in seen:
                raise ValidationError("progress", "rates the same goal twice.")
            seen.add(p.goal_id)
        check_int("confidence", self.confidence, 0, 10)
        check_text("blockers", self.blockers)
        check_text("note", self.note)
        check_choice("by", self.by, ("client", "coach"))


@dataclasses.dataclass(kw_only=True)
class Reflection(Record):
    """Something the client wrote down between sessions."""

    KIND: ClassVar[str] = "reflection"
    on: date
    text: str

    def validate(self) -> None:
        super().validate()
        check_date("on", self.on)
        check_text("text", self.text, required=True)
