"""Phase 7 forms: follow-ups scheduled after the end, and at each one whether the gains held."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from typing import Any

from coachkit.errors import ValidationError
from coachkit.forms.base import Field, Form
from coachkit.forms.basis import Basis
from coachkit.forms.editor import RecordEditor, SaveRecord, SaveRecords, short
from coachkit.model import CaseFile, Edit, FollowUp, GoalChange
from coachkit.model.rules import FOLLOW_UP_DAYS, schedule_follow_ups


def end_of(file: CaseFile) -> date | None:
    """When the engagement ended (or is planned to end)."""
    e = file.engagement
    return None if e is None else e.ended_on or e.planned_end


def parse_days(text: str) -> tuple[int, ...]:
    """``"30, 90, 180"`` -> (30, 90, 180); ValidationError("days") for anything else."""
    parts = [p for p in re.split(r"[,\s;]+", text.strip()) if p]
    if not parts or not all(p.isdigit() for p in parts):
        raise ValidationError("days", "list whole numbers of days after the end, like: 30, 90, 180.")
    days = tuple(sorted({int(p) for p in parts}))
    if days[0] < 1 or days[-1] > 3650:
        raise ValidationError("days", "each must be from 1 to 3650 days after the end.")
    return days


def schedule_form(file: CaseFile, save_all: SaveRecords, today: date) -> Form:
    """Schedule follow-ups some days after the end; a follow-up already held is never changed."""
    existing = {f.id: f for f in file.follow_ups}
    basis = Basis.of(file, existing.values())
    days_now = sorted({f.days_after_end for f in existing.values()}) or list(FOLLOW_UP_DAYS)
    fields = [
        Field("end", "Engagement end", "date", value=end_of(file)),
        Field("days", "Days after the end", "text", value=", ".join(str(d) for d in days_now)),
    ]

    def on_save(values: dict[str, Any]) -> str:
        days = parse_days(str(values["days"]))
        end = values["end"]
        if end is None:
            raise ValidationError("end", "is required: pick the date the engagement ended.")
        changed = []
        for planned in schedule_follow_ups(end, days):
            old = existing.get(planned.id)
            if old is not None and old.held:
                continue
            if old is None:
                changed.append(Edit.new(planned))
            elif old.due != planned.due:
                changed.append(basis.edit(dataclasses.replace(old, due=planned.due), owns=("due",)))
        if changed:
            basis.saved_all(changed, save_all(changed))
            for edit in changed:
                assert isinstance(edit.record, FollowUp)
                existing[edit.record.id] = edit.record
        return f"Follow-ups at {', '.join(str(d) for d in days)} days after {end.isoformat()} scheduled ✓"

    return Form(
        "Schedule the follow-ups",
        fields,
        on_save,
        save_label="Schedule",
        basis=basis,
        intro="Short check-ins after the end keep the gains alive; 30, 90 and 180 days is a good rhythm.",
    )


def follow_up_label(f: FollowUp) -> str:
    """How a follow-up is named in a dropdown."""
    state = f"held {f.held_on.isoformat()}" if f.held and f.held_on else f"due {f.due.isoformat()}"
    return f"{f.days_after_end} days after the end ({state})"


def follow_up_editor(file: CaseFile, save: SaveRecord, today: date) -> RecordEditor[FollowUp]:
    """Record a follow-up: held when, and for each goal whether the gains held (-3..+3)."""
    goals = [g for g in file.goals if g.status != "dropped"]
    fields = [
        Field("held", "Held", "bool"),
        Field("held_on", "Held on", "date"),
    ]
    fields += [
        Field(
            f"change:{g.id}",
            short(g.objective, 28),
            "slider",
            lo=-3,
            hi=3,
            help_text=f"{short(g.objective, 80)}: -3 much worse, 0 as at the end, +3 much better",
        )
        for g in goals
    ]
    fields.append(Field("notes", "Notes", "textarea"))

    def fill(f: FollowUp | None) -> dict[str, Any]:
        if f is None:
            return {}
        changes = {c.goal_id: c.change for c in f.changes}
        values: dict[str, Any] = {"held": bool(f.held), "held_on": f.held_on or today, "notes": f.notes}
        values.update({f"change:{g.id}": changes.get(g.id, 0) for g in goals})
        return values

    def build(f: FollowUp | None, _id: str, values: dict[str, Any]) -> FollowUp:
        if f is None:
            raise ValidationError("pick", "schedule the follow-ups first.")
        held = bool(values["held"])
        changes = [GoalChange(g.id, int(values[f"change:{g.id}"])) for g in goals] if held else f.changes
        return dataclasses.replace(
            f, held=held, held_on=values["held_on"] if held else None, changes=changes, notes=values["notes"]
        )

    return RecordEditor(
        "A follow-up",
        "follow-up",
        file.follow_ups,
        follow_up_label,
        fields,
        fill,
        build,
        save,
        save_label="Save follow-up",
        allow_new=False,
        revisions=file.revisions,
        intro="Did the gains hold? For each goal: 0 = as at the end; above 0 better since; below 0 slipping.",
    )
