"""Forms a client uses between sessions (in the dashboard) and a coach uses in the workbooks:
check in, write a reflection, mark an action done, note a milestone's evidence, and choose
which goals the sponsor may follow.

Each builder takes the client's :class:`~coachkit.model.CaseFile`, a ``save`` callable that
stores one record or :class:`~coachkit.model.Edit` and returns its revision (the caller binds
it to the store, the client and the author) and today's date; it returns a
:class:`~coachkit.forms.Form`. A check-in or reflection form creates a new entry on every save;
the other forms write only the fields they own, based on the revision they read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from coachkit.errors import StaleEdit, ValidationError
from coachkit.forms.base import Field, Form
from coachkit.forms.basis import Basis
from coachkit.forms.editor import short
from coachkit.model import Action, CaseFile, CheckIn, Edit, Goal, GoalProgress, Milestone, Record, Reflection, new_id
from coachkit.model.rules import active_goals, latest_progress, open_actions, with_release

SaveRecord = Callable[[Record | Edit], object]
RELEASE_FIELDS = ("released_to_sponsor", "released_on")


def check_in_form(file: CaseFile, save: SaveRecord, today: date, *, by: str = "client") -> Form:
    """Progress 0-10 on each active goal, confidence, blockers and a note. Every save adds a
    new check-in."""
    goals = active_goals(file)
    fields = [Field("on", "Date", "date", value=today)]
    for g in goals:
        fields.append(
            Field(
                f"progress:{g.id}",
                short(g.objective, 28),
                "slider",
                lo=0,
                hi=10,
                value=latest_progress(file, g.id) or 0,
                help_text=f"Progress on: {short(g.objective, 90)}",
            )
        )
    fields += [
        Field(
            "confidence",
            "Confidence (0-10)",
            "slider",
            lo=0,
            hi=10,
            value=5,
            help_text="How sure are you of reaching your goals?",
        ),
        Field("blockers", "What is in the way?", "textarea"),
        Field("note", "Anything else", "textarea"),
    ]

    def on_save(values: dict[str, Any]) -> str:
        check_in = CheckIn(
            id=new_id(),
            on=values["on"],
            progress=[GoalProgress(g.id, values[f"progress:{g.id}"]) for g in goals],
            confidence=values["confidence"],
            blockers=values["blockers"],
            note=values["note"],
            by=by,
        )
        save(Edit.new(check_in))
        return f"Check-in of {check_in.on.isoformat()} saved ✓"

    intro = "" if goals else "There are no active goals yet: the check-in records confidence and blockers."
    return Form("Check in", fields, on_save, save_label="Save check-in", intro=intro)


def reflection_form(save: SaveRecord, today: date) -> Form:
    """A free-text reflection, dated. Every save adds a new reflection."""
    fields = [
        Field("on", "Date", "date", value=today),
        Field("text", "Reflection", "textarea", placeholder="What did you notice, try, learn?"),
    ]

    def on_save(values: dict[str, Any]) -> str:
        save(Edit.new(Reflection(id=new_id(), on=values["on"], text=values["text"])))
        return "Reflection saved ✓"

    return Form("Write a reflection", fields, on_save, save_label="Save reflection")


def action_done_form(file: CaseFile, save: SaveRecord, today: date) -> Form:
    """Mark an open action done (with the date), or note what got in the way."""
    actions = {a.id: a for a in open_actions(file)}
    basis = Basis.of(file, actions.values())
    options = [(f"{short(a.title)} (due {a.due.isoformat() if a.due else 'no date'})", a.id) for a in actions.values()]
    fields = [
        Field("action", "Action", "choice", options=options or [("No open actions", "")]),
        Field("done", "Done", "bool", value=True),
        Field("done_on", "Done on", "date", value=today),
        Field("obstacles", "What got in the way?", "textarea"),
    ]

    def on_save(values: dict[str, Any]) -> str:
        action = actions.get(values["action"])
        if action is None:
            raise ValidationError("action", "choose an action from the list.")
        done_on = values["done_on"] if values["done"] else None
        if values["done"] and done_on is None:
            raise ValidationError("done_on", "is required when the action is done: please pick a date.")
        action = basis.origin(Action, action.id) or action
        changes = {"done_on": done_on, "obstacles": values["obstacles"] or action.obstacles}
        actions[action.id] = basis.save_values(save, action, changes, owns=tuple(changes))
        return f"“{short(action.title, 40)}” marked {'done' if done_on else 'not done'} ✓"

    def on_reload(exc: StaleEdit) -> dict[str, Any]:
        current = basis.current(Action, exc, actions)
        if current is None:
            return {}
        return {
            "done": current.done_on is not None,
            "done_on": current.done_on or today,
            "obstacles": current.obstacles,
        }

    return Form("Mark an action done", fields, on_save, save_label="Save action", basis=basis, on_reload=on_reload)


def milestone_evidence_form(file: CaseFile, save: SaveRecord, today: date) -> Form:
    """Record that a milestone was met, when, and the evidence for it."""
    milestones = {m.id: m for m in file.milestones}
    basis = Basis.of(file, milestones.values())
    options = [(short(m.title), m.id) for m in milestones.values()]
    fields = [
        Field("milestone", "Milestone", "choice", options=options or [("No milestones yet", "")]),
        Field("done_on", "Met on", "date", value=today),
        Field("evidence", "Evidence", "textarea", placeholder="What shows it was met?"),
    ]

    def on_save(values: dict[str, Any]) -> str:
        milestone = milestones.get(values["milestone"])
        if milestone is None:
            raise ValidationError("milestone", "choose a milestone from the list.")
        if values["done_on"] is None:
            raise ValidationError("done_on", "is required: please pick the date it was met.")
        if not str(values["evidence"]).strip():
            raise ValidationError("evidence", "is required: say briefly what shows it was met.")
        changes = {"done_on": values["done_on"], "evidence": values["evidence"]}
        milestone = milestones[milestone.id] = basis.save_values(save, milestone, changes, owns=tuple(changes))
        return f"Milestone “{short(milestone.title, 40)}” met ✓"

    def on_reload(exc: StaleEdit) -> dict[str, Any]:
        current = basis.current(Milestone, exc, milestones)
        if current is None:
            return {}
        return {"done_on": current.done_on or today, "evidence": current.evidence}

    return Form(
        "Note a milestone's evidence", fields, on_save, save_label="Save milestone", basis=basis, on_reload=on_reload
    )


def release_form(file: CaseFile, save: SaveRecord, today: date) -> Form:
    """One switch per goal: may the sponsor follow this goal's progress? Only switched goals'
    progress measures reach the sponsor's view; never reflections, notes or assessments. It
    writes only the release fields of a goal, never its target or date."""
    goals = {g.id: g for g in file.goals}
    basis = Basis.of(file, goals.values())
    fields = [
        Field(
            f"release:{g.id}",
            short(g.objective, 28),
            "bool",
            value=g.released_to_sponsor,
            help_text=short(g.objective, 90),
        )
        for g in goals.values()
    ]

    def on_save(values: dict[str, Any]) -> str:
        changed = 0
        for goal_id in list(goals):
            goal = basis.origin(Goal, goal_id) or goals[goal_id]
            wanted = bool(values[f"release:{goal_id}"])
            if wanted != goal.released_to_sponsor:
                edit = basis.edit(with_release(goal, wanted, today), owns=RELEASE_FIELDS, checks=RELEASE_FIELDS[:1])
                basis.saved(edit, save(edit))
                goals[goal_id] = with_release(goal, wanted, today)
                changed += 1
        shared = sum(1 for g in goals.values() if g.released_to_sponsor)
        return f"Saved ✓ The sponsor can follow {shared} of {len(goals)} goals ({changed} changed)."

    def on_reload(exc: StaleEdit) -> dict[str, Any]:
        current = basis.current(Goal, exc, goals)
        if current is None:
            return {}
        return {f"release:{current.id}": current.released_to_sponsor}

    intro = "Your sponsor sees progress only on the goals you switch on here, never your notes or reflections."
    return Form(
        "What your sponsor may see",
        fields,
        on_save,
        save_label="Save choices",
        intro=intro,
        basis=basis,
        on_reload=on_reload,
    )
