"""Phase 5 forms: goal adjustments, recorded with their reason and never overwritten.

The check-in and the sponsor release switch come from :mod:`coachkit.forms.between`.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from coachkit.errors import StaleEdit, ValidationError
from coachkit.forms.action_plan import goal_choices
from coachkit.forms.base import Field, Form
from coachkit.forms.basis import Basis
from coachkit.forms.editor import SaveRecords, day, short
from coachkit.model import GOAL_STATUSES, CaseFile, Edit, Goal, GoalAdjustment, new_id

ADJUSTABLE: tuple[tuple[str, str], ...] = (
    ("objective", "Objective"),
    ("measure", "Measure"),
    ("target", "Target"),
    ("target_date", "Target date"),
    ("status", "Status"),
)


def describe_changes(old: Goal, new: Goal) -> str:
    """What differs between two versions of a goal, in one plain sentence per field."""
    parts = []
    for name, label in ADJUSTABLE:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            if isinstance(before, date) or isinstance(after, date) or before is None or after is None:
                before, after = day(before, "none"), day(after, "none")
            parts.append(f"{label}: “{before}” → “{after}”.")
    return " ".join(parts)


def adjustment_form(file: CaseFile, save_all: SaveRecords, today: date) -> Form:
    """Change a goal and say why: saves a GoalAdjustment and the revised Goal together."""
    goals = {g.id: g for g in file.goals}
    basis = Basis.of(file, goals.values())
    fields = [
        Field("goal", "Goal", "choice", options=goal_choices(file) or [("No goals yet", "")]),
        Field("objective", "Objective", "textarea"),
        Field("measure", "Measure", "text"),
        Field("target", "Target", "text"),
        Field("target_date", "Target date", "date"),
        Field("status", "Status", "choice", options=GOAL_STATUSES),
        Field("reason", "Why the change", "textarea", placeholder="What happened that makes this the right change?"),
        Field("what_changed", "What changed", "textarea", help_text="Leave empty to have it written for you."),
    ]
    last_saved: dict[str, Any] = {}

    def show(goal_id: str) -> None:
        goal = goals.get(goal_id)
        if goal is None:
            return
        for name, _ in ADJUSTABLE:
            form[name].set(getattr(goal, name))
        if goal.target_date is None:
            form["target_date"].widget.value = None

    def on_save(values: dict[str, Any]) -> str:
        goal = goals.get(values["goal"])
        if goal is None:
            raise ValidationError("goal", "choose the goal to adjust (goals are set in the action plan).")
        revised = dataclasses.replace(goal, **{name: values[name] for name, _ in ADJUSTABLE})
        what = describe_changes(goal, revised)
        if not what:
            if last_saved == values:
                return "Already saved ✓"
            raise ValidationError("goal", "nothing has changed yet: change the goal above, then say why.")
        adjustment = GoalAdjustment(
            id=new_id(),
            goal_id=goal.id,
            made_on=today,
            what_changed=str(values["what_changed"]).strip() or what,
            reason=values["reason"],
        )
        edits = [Edit.new(adjustment), basis.edit(revised, owns=[name for name, _ in ADJUSTABLE])]
        basis.saved_all(edits, save_all(edits))
        goals[goal.id] = revised
        last_saved.clear()
        last_saved.update(values)
        return f"Adjustment to “{short(goal.objective, 40)}” saved ✓ (the earlier version stays in the history)"

    def on_reload(exc: StaleEdit) -> dict[str, Any]:
        current = basis.origins.get((exc.kind, exc.record_id))
        if isinstance(current, Goal):
            goals[current.id] = current
            return {name: getattr(current, name) for name, _ in ADJUSTABLE}
        return {}

    form = Form(
        "Adjust a goal",
        fields,
        on_save,
        save_label="Save adjustment",
        basis=basis,
        on_reload=on_reload,
        intro="A change to a goal is recorded with its reason; the earlier version is kept.",
    )
    form["goal"].widget.observe(lambda change: show(change["new"]), names="value")
    show(form["goal"].widget.value)
    return form
