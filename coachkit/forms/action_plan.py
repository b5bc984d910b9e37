"""Phase 3 forms (and the first goals of phase 1): goals linked to what the assessment showed,
and milestones that are added, edited and completed with evidence."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from coachkit.errors import ValidationError
from coachkit.forms.base import Field
from coachkit.forms.editor import PickListField, RecordEditor, SaveRecord, day, short
from coachkit.model import GOAL_STATUSES, CaseFile, Goal, Milestone

GOAL_DETAILS = ("measure", "baseline", "target", "target_date", "status", "findings", "resources")


def findings_of(file: CaseFile) -> list[str]:
    """What phase 2 showed, as lines a goal can link to: development areas and competency gaps
    (largest first)."""
    found: list[str] = []
    sa = file.self_assessment
    if sa is not None:
        found += [f"Development area: {area}" for area in sa.development_areas]
        gaps = sorted((c for c in sa.competencies if c.desired > c.current), key=lambda c: c.current - c.desired)
        found += [f"Competency gap: {c.name} ({c.current} now, {c.desired} wanted)" for c in gaps]
    for goal in file.goals:
        found += [f for f in goal.findings if f not in found]
    return found


def goal_label(goal: Goal) -> str:
    """How a goal is named in a dropdown."""
    return short(goal.objective, 60) + ("" if goal.status == "active" else f" ({goal.status})")


def goal_editor(file: CaseFile, save: SaveRecord, today: date, *, brief: bool = False) -> RecordEditor[Goal]:
    """Add or edit a goal. ``brief`` (phase 1's first goals) asks only what and why; the full
    form (phase 3) adds the measure, baseline, target, date, status, findings and resources."""
    fields = [
        Field("objective", "Objective", "textarea", placeholder="What exactly will be different?"),
        Field("why", "Why it matters", "textarea"),
    ]
    if not brief:
        fields += [
            Field("measure", "Measure", "text", placeholder="How will we know? e.g. hours a week on …"),
            Field("baseline", "Baseline", "text", placeholder="Where it stands today"),
            Field("target", "Target", "text", placeholder="Where it should be"),
            Field("target_date", "Target date", "date"),
            Field("status", "Status", "choice", options=GOAL_STATUSES),
            PickListField(
                "findings",
                "Linked to",
                findings_of(file),
                help_text="What the assessment showed that this goal answers (one a line).",
            ),
            Field("resources", "Resources", "textarea", placeholder="People, time, budget, training… that will help"),
        ]
    names = [f.name for f in fields]

    def fill(goal: Goal | None) -> dict[str, Any]:
        g = goal or Goal(objective="")
        return {name: getattr(g, name) for name in names}

    def build(goal: Goal | None, goal_id: str, values: dict[str, Any]) -> Goal:
        base = goal or Goal(id=goal_id, objective="")
        return dataclasses.replace(base, **values)

    title = "First goals" if brief else "Goals"
    intro = (
        "A first sketch of what you want to work on; we make each one specific in the action plan."
        if brief
        else "Each goal: a specific objective, why it matters, how we measure it, from where to where, by when."
    )
    return RecordEditor(
        title,
        "goal",
        file.goals,
        goal_label,
        fields,
        fill,
        build,
        save,
        save_label="Save goal",
        intro=intro,
        revisions=file.revisions,
    )


def milestone_label(milestone: Milestone, goals: dict[str, Goal]) -> str:
    """How a milestone is named in a dropdown."""
    goal = goals.get(milestone.goal_id)
    done = " ✓" if milestone.done_on else ""
    return f"{short(milestone.title, 40)}{done} — {short(goal.objective, 24) if goal else 'no goal'}"


def goal_choices(file: CaseFile) -> list[tuple[str, str]]:
    """(label, id) of every goal."""
    return [(goal_label(g), g.id) for g in file.goals]


def milestone_editor(file: CaseFile, save: SaveRecord, today: date) -> RecordEditor[Milestone]:
    """Add, edit or complete a milestone: once it has a "met on" date, evidence is required."""
    goals = {g.id: g for g in file.goals}
    fields = [
        Field("goal_id", "Goal", "choice", options=goal_choices(file) or [("Add a goal first", "")]),
        Field("title", "Milestone", "text", placeholder="A visible marker on the way"),
        Field("target_date", "Target date", "date"),
        Field("done_on", "Met on", "date", help_text="Leave empty until it is met."),
        Field("evidence", "Evidence", "textarea", placeholder="What shows it was met?"),
    ]

    def fill(m: Milestone | None) -> dict[str, Any]:
        if m is None:
            return {"title": "", "target_date": None, "done_on": None, "evidence": ""}
        return {
            "goal_id": m.goal_id,
            "title": m.title,
            "target_date": m.target_date,
            "done_on": m.done_on,
            "evidence": m.evidence,
        }

    def build(m: Milestone | None, milestone_id: str, values: dict[str, Any]) -> Milestone:
        if not values["goal_id"]:
            raise ValidationError("goal_id", "choose the goal this milestone belongs to (add a goal first).")
        if values["done_on"] is not None and not str(values["evidence"]).strip():
            raise ValidationError("evidence", "is required once the milestone is met: say what shows it.")
        base = m or Milestone(id=milestone_id, goal_id=values["goal_id"], title="")
        return dataclasses.replace(base, **values)

    return RecordEditor(
        "Milestones",
        "milestone",
        file.milestones,
        lambda m: milestone_label(m, goals),
        fields,
        fill,
        build,
        save,
        save_label="Save milestone",
        revisions=file.revisions,
        intro="Milestones make progress visible. Complete one by giving the date it was met and the evidence.",
    )


def describe_goal(goal: Goal) -> str:
    """One line about a goal: measure, from, to, by."""
    parts = []
    if goal.measure:
        parts.append(goal.measure)
    if goal.baseline or goal.target:
        parts.append(f"from {goal.baseline or '?'} to {goal.target or '?'}")
    parts.append(f"by {day(goal.target_date)}")
    return ", ".join(parts)
