"""Rules with no I/O: progress, what is overdue, stalls, the realism check, follow-up dates."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from coachkit.errors import Conflict
from coachkit.model.base import Record
from coachkit.model.casefile import CaseFile
from coachkit.model.closure import FollowUp
from coachkit.model.engagement import Agreement, check_agreement_change
from coachkit.model.feedback360 import check_feedback_change
from coachkit.model.plan import Action, Goal, GoalAdjustment, Milestone
from coachkit.model.pulse import check_pulse_change

STALL_DAYS = 21
MAX_ACTIVE_GOALS = 5
FOLLOW_UP_DAYS: tuple[int, ...] = (30, 90, 180)


def latest_progress(file: CaseFile, goal_id: str) -> int | None:
    """The most recent check-in progress (0-10) for a goal, or None if never rated."""
    for check_in in reversed(file.check_ins):
        for p in check_in.progress:
            if p.goal_id == goal_id:
                return p.progress
    return None


def progress_series(file: CaseFile, goal_id: str) -> list[tuple[date, int]]:
    """(date, progress) for every check-in that rated the goal, oldest first."""
    return [(c.on, p.progress) for c in file.check_ins for p in c.progress if p.goal_id == goal_id]


def milestones_done(file: CaseFile, goal_id: str) -> tuple[int, int]:
    """(met, planned) milestones of a goal."""
    ms = file.milestones_of(goal_id)
    return sum(1 for m in ms if m.done_on is not None), len(ms)


def milestones_due_by(file: CaseFile, on: date) -> tuple[int, int]:
    """(met by ``on``, planned to be met by ``on``) over all goals: milestones met vs planned."""
    planned = sum(1 for m in file.milestones if m.target_date is not None and m.target_date <= on)
    met = sum(1 for m in file.milestones if m.done_on is not None and m.done_on <= on)
    return met, planned


def overdue_actions(file: CaseFile, today: date) -> list[Action]:
    """Open actions whose due date has passed."""
    return [a for a in file.actions if a.done_on is None and a.due is not None and a.due < today]


def open_actions(file: CaseFile) -> list[Action]:
    """Actions not yet done, by due date."""
    return [a for a in file.actions if a.done_on is None]


def overdue_milestones(file: CaseFile, today: date) -> list[Milestone]:
    """Milestones not met whose target date has passed."""
    return [m for m in file.milestones if m.done_on is None and m.target_date is not None and m.target_date < today]


def active_goals(file: CaseFile) -> list[Goal]:
    """Goals still being worked on."""
    return [g for g in file.goals if g.status == "active"]


def sessions_held(file: CaseFile) -> int:
    """How many sessions took place."""
    return sum(1 for s in file.sessions if s.status == "held")


def next_session_number(file: CaseFile) -> int:
    """The number the next new session gets."""
    return max((s.number for s in file.sessions), default=0) + 1


def next_planned_session(file: CaseFile, today: date) -> date | None:
    """The date of the next planned session on or after today."""
    dates = [s.held_on for s in file.sessions if s.status == "planned" and s.held_on >= today]
    return min(dates, default=None)


def last_session_date(file: CaseFile) -> date | None:
    """When the most recent held session took place."""
    return max((s.held_on for s in file.sessions if s.status == "held"), default=None)


def is_stalled(file: CaseFile, today: date) -> bool:
    """An active engagement with no session for three weeks and none planned."""
    engagement = file.engagement
    if engagement is None or engagement.status not in ("active", "closing"):
        return False
    if next_planned_session(file, today) is not None:
        return False
    last = last_session_date(file) or engagement.start
    return (today - last).days >= STALL_DAYS


def realism_warnings(file: CaseFile) -> list[str]:
    """Plain warnings about the plan; they never block a save."""
    warnings: list[str] = []
    active = active_goals(file)
    if len(active) > MAX_ACTIVE_GOALS:
        warnings.append(
            f"There are {len(active)} active goals; more than {MAX_ACTIVE_GOALS} at once is hard to "
            "keep up. Consider putting some on hold."
        )
    for goal in file.goals:
        if not goal.measure.strip() or not goal.target.strip():
            warnings.append(f"Goal “{goal.objective}” has no measurable target yet: add a measure and a target.")
        for m in file.milestones_of(goal.id):
            if goal.target_date and m.target_date and m.target_date > goal.target_date:
                warnings.append(
                    f"Milestone “{m.title}” is due {m.target_date.isoformat()}, after its goal's "
                    f"target date {goal.target_date.isoformat()}."
                )
    engagement = file.engagement
    if engagement is not None:
        for goal in active:
            if goal.target_date and goal.target_date > engagement.planned_end + timedelta(days=180):
                warnings.append(
                    f"Goal “{goal.objective}” is due long after the engagement's planned end "
                    f"({engagement.planned_end.isoformat()})."
                )
    return warnings


def schedule_follow_ups(end: date, days: tuple[int, ...] = FOLLOW_UP_DAYS) -> list[FollowUp]:
    """Follow-ups ``days`` after ``end`` (30, 90 and 180 days by default), ids ``d30``, ``d90``..."""
    return [FollowUp(id=f"d{d}", due=end + timedelta(days=d), days_after_end=d) for d in sorted(set(days))]


def due_follow_ups(file: CaseFile, today: date) -> list[FollowUp]:
    """Follow-ups due by today and not yet held."""
    return [f for f in file.follow_ups if not f.held and f.due <= today]


def sustainment_series(file: CaseFile, goal_id: str) -> list[tuple[int, int]]:
    """(days after end, change -3..+3) for each held follow-up that rated the goal."""
    return [(f.days_after_end, c.change) for f in file.follow_ups if f.held for c in f.changes if c.goal_id == goal_id]


def with_release(goal: Goal, released: bool, today: date) -> Goal:
    """The goal with its sponsor release switched on (dated today) or off."""
    return dataclasses.replace(goal, released_to_sponsor=released, released_on=today if released else None)


def check_change(old: Record | None, new: Record) -> None:
    """Refuse a change that must not happen: an accepted agreement edited, an adjustment rewritten."""
    if isinstance(new, Agreement):
        check_agreement_change(old if isinstance(old, Agreement) else None, new)
    if isinstance(new, GoalAdjustment) and old is not None and old.to_data() != new.to_data():
        raise Conflict("A goal adjustment is part of the goal's history and cannot change; add a new one.")
    check_feedback_change(old, new)
    check_pulse_change(old, new)


def session_to_prepare(file: CaseFile) -> int:
    """The session a new session workbook is for: the earliest one still planned, else the next
    new number."""
    planned = [s.number for s in file.sessions if s.status == "planned"]
    return min(planned) if planned else next_session_number(file)
