"""Phase 4 forms: one coaching session, in the order it happens.

The review of the last session's actions, the agenda, the work of the session (reflection,
problems, skills, feedback, perspectives), new actions, the coach's private notes and the
summary. Every part saves into the same :class:`~coachkit.model.Session` record and writes
only its own fields (a :class:`~coachkit.forms.editor.Part`), so the parts never overwrite each
other; a part someone else changed since it was read is refused with an offer to reload.

The coach's private notes are hidden by default: they are not in the page at all until the
coach presses "Show private notes", and a re-run or reopened workbook starts hidden again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from coachkit.errors import StaleEdit, ValidationError
from coachkit.forms.base import Field, Form
from coachkit.forms.basis import Basis
from coachkit.forms.editor import Found, Part, RecordEditor, SaveRecord, SaveRecords, day, short
from coachkit.forms.private import Hidden
from coachkit.model import Action, CaseFile, Edit, Record, Session
from coachkit.model.progress import SESSION_STATUSES

LoadSession = Callable[[], Found[Session]]
"""Reads the session with its revision (None when it is not saved yet)."""

WORK_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("reflection", "Your reflection", "What happened since we last met? What did you notice?"),
    ("problems", "Problems worked on", ""),
    ("skills", "Skills practised", ""),
    ("feedback", "Feedback given", ""),
    ("perspectives", "New perspectives", "What do you see differently now?"),
)


def new_session(number: int, today: date) -> Session:
    """The record a session starts as when a workbook first saves it: held today."""
    return Session(id=str(number), number=number, held_on=today)


def _part(number: int, load: LoadSession, today: date) -> Part[Session]:
    return Part(load, lambda: new_session(number, today))


def details_form(number: int, save: SaveRecord, load: LoadSession, today: date) -> Form:
    """When the session is, how long, whether it was held, and the agenda."""
    part = _part(number, load, today)
    s = part.record
    fields = [
        Field("held_on", "Date", "date", value=s.held_on),
        Field("duration_minutes", "Minutes", "int", lo=5, hi=480, value=s.duration_minutes),
        Field("status", "Status", "choice", options=SESSION_STATUSES, value=s.status),
        Field("agenda", "Agenda", "textarea", value=s.agenda, placeholder="What do we want from today?"),
    ]

    def on_save(values: dict[str, Any]) -> str:
        if values["held_on"] is None:
            raise ValidationError("held_on", "is required: please pick the session's date.")
        part.save(save, values)
        return f"Session {number}: date and agenda saved ✓"

    return part.form(f"Session {number}: date and agenda", fields, on_save, save_label="Save agenda")


def work_form(number: int, save: SaveRecord, load: LoadSession, today: date) -> Form:
    """The client's reflection, problems worked, skills practised, feedback, new perspectives."""
    part = _part(number, load, today)
    s = part.record
    fields = [Field(name, label, "textarea", value=getattr(s, name), placeholder=ph) for name, label, ph in WORK_FIELDS]

    def on_save(values: dict[str, Any]) -> str:
        part.save(save, values)
        return "Session notes saved ✓"

    return part.form("The session", fields, on_save, save_label="Save notes")


def summary_form(number: int, save: SaveRecord, load: LoadSession, today: date) -> Form:
    """The summary both agree on at the end."""
    part = _part(number, load, today)
    fields = [Field("summary", "Summary", "textarea", value=part.record.summary, placeholder="What we take away")]

    def on_save(values: dict[str, Any]) -> str:
        part.save(save, values)
        return "Summary saved ✓"

    return part.form("Session summary", fields, on_save, save_label="Save summary")


def private_notes_form(number: int, save: SaveRecord, load: LoadSession, today: date) -> Form:
    """The coach's private notes: never shown on a client, sponsor or rater page. The form holds
    no text until it is read from the store by :class:`PrivateNotes` when the coach opens it."""
    part = _part(number, load, today)
    fields = [Field("private_notes", "Private notes", "textarea", value=part.record.private_notes)]

    def on_save(values: dict[str, Any]) -> str:
        part.save(save, values)
        return "Private notes saved ✓ (coach only)"

    form = part.form(
        "Coach's private notes",
        fields,
        on_save,
        save_label="Save private notes",
        intro="Private to the coach: these notes never appear on the client's, sponsor's or any report page.",
    )
    form.widget.add_class("coachkit-private")
    return form


def private_notes(number: int, save: SaveRecord, load: LoadSession, today: date) -> Hidden:
    """The coach's private notes, hidden until the coach presses “Show private notes”."""
    return Hidden("private notes", lambda: private_notes_form(number, save, load, today))


def actions_to_review(file: CaseFile, number: int) -> list[Action]:
    """Actions agreed before session ``number`` that are still open, or that were agreed in the
    session just before it."""
    earlier = [s.number for s in file.sessions if s.number < number]
    previous = max(earlier, default=None)
    return [
        a
        for a in file.actions
        if a.session_number is not None
        and a.session_number < number
        and (a.done_on is None or a.session_number == previous)
    ]


def action_review_form(file: CaseFile, number: int, save_all: SaveRecords, load: LoadSession, today: date) -> Form:
    """For each action to review: done or not, and what got in the way; plus a note."""
    actions = {a.id: a for a in actions_to_review(file, number)}
    part = _part(number, load, today)
    s = part.record
    fields: list[Field] = []
    for a in actions.values():
        fields.append(
            Field(
                f"done:{a.id}",
                short(a.title, 28),
                "bool",
                value=a.done_on is not None,
                help_text=f"{short(a.title, 90)} — {a.owner}, due {day(a.due)}",
            )
        )
        fields.append(Field(f"obstacles:{a.id}", "What got in the way?", "text", value=a.obstacles))
    fields.append(Field("action_review", "Notes on the review", "textarea", value=s.action_review))

    def on_save(values: dict[str, Any]) -> str:
        changed: list[Edit] = []
        for action_id, a in list(actions.items()):
            done = bool(values[f"done:{action_id}"])
            done_on = (a.done_on or today) if done else None
            updated = dataclasses.replace(a, done_on=done_on, obstacles=values[f"obstacles:{action_id}"])
            if updated != a:
                changed.append(basis.edit(updated, owns=("done_on", "obstacles")))
        session = dataclasses.replace(part.record, action_review=values["action_review"])
        edits = [*changed, part.basis.edit(session, owns=("action_review",))]
        revisions = save_all(edits)
        basis.saved_all(changed, revisions[: len(changed)] if isinstance(revisions, list) else None)
        part.basis.saved_all(edits[-1:], revisions[-1:] if isinstance(revisions, list) else None)
        part.record = session
        for edit in changed:
            assert isinstance(edit.record, Action)
            actions[edit.record.id] = edit.record
        done_count = sum(1 for a in actions.values() if a.done_on is not None)
        return f"Review saved ✓ ({done_count} of {len(actions)} actions done)"

    intro = (
        "The actions agreed last time, and any still open from before."
        if actions
        else "There are no actions from earlier sessions to review."
    )

    def on_reload(exc: StaleEdit) -> dict[str, Any]:
        current = basis.origins.get((exc.kind, exc.record_id)) or part.basis.origins.get((exc.kind, exc.record_id))
        if isinstance(current, Action) and current.id in actions:
            actions[current.id] = current
            return {f"done:{current.id}": current.done_on is not None, f"obstacles:{current.id}": current.obstacles}
        if isinstance(current, Session):
            part.record = current
            return {"action_review": current.action_review}
        return {}

    basis = Basis.of(file, actions.values())
    form = Form(
        "Since last time: the actions", fields, on_save, save_label="Save review", intro=intro, on_reload=on_reload
    )
    form.basis = _Both(basis, part.basis)
    return form


class _Both(Basis):
    """The review form's two bases (the actions' and the session's) as one for its Reload."""

    def __init__(self, actions: Basis, session: Basis) -> None:
        super().__init__()
        self.parts = (actions, session)

    def reloaded(self, exc: StaleEdit) -> Record | None:
        """Hand the refusal to the basis that holds its entry."""
        key = (exc.kind, exc.record_id)
        for basis in self.parts:
            if key in basis.origins:
                return basis.reloaded(exc)
        return None


def action_editor(file: CaseFile, number: int, save: SaveRecord, today: date) -> RecordEditor[Action]:
    """Actions agreed in this session: what, who, by when, towards which goal."""
    cadence = file.engagement.cadence_weeks if file.engagement else 2
    goals = [("No particular goal", "")] + [(short(g.objective, 50), g.id) for g in file.goals]
    fields = [
        Field("title", "Action", "text", placeholder="What exactly will be done?"),
        Field("owner", "Who", "text", value="client"),
        Field("due", "Due", "date"),
        Field("goal_id", "Towards goal", "choice", options=goals),
    ]
    mine = [a for a in file.actions if a.session_number == number]

    def fill(a: Action | None) -> dict[str, Any]:
        if a is None:
            return {"title": "", "owner": "client", "due": today + timedelta(weeks=cadence), "goal_id": ""}
        return {"title": a.title, "owner": a.owner, "due": a.due, "goal_id": a.goal_id}

    def build(a: Action | None, action_id: str, values: dict[str, Any]) -> Action:
        base = a or Action(id=action_id, title="", session_number=number)
        return dataclasses.replace(base, **values)

    return RecordEditor(
        "New actions",
        "action",
        mine,
        lambda a: f"{short(a.title, 50)} ({a.owner}, due {day(a.due)})",
        fields,
        fill,
        build,
        save,
        save_label="Save action",
        revisions=file.revisions,
        intro="Agree each action with its owner and a due date; it is reviewed at the start of the next session.",
    )
