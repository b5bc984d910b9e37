"""Phase 4 forms: one coaching session, in the order it happens.

The review of the last session's actions, the agenda, the work of the session (reflection,
problems, skills, feedback, perspectives), new actions, the coach's private notes and the
summary. Every part saves into the same :class:`~coachkit.model.Session` record (read fresh
through ``load`` before each save), so the parts never overwrite each other.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from coachkit.errors import ValidationError
from coachkit.forms.base import Field, Form
from coachkit.forms.editor import RecordEditor, SaveRecord, SaveRecords, day, short
from coachkit.model import Action, CaseFile, Session
from coachkit.model.progress import SESSION_STATUSES

LoadSession = Callable[[], Session | None]

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


def _saver(number: int, save: SaveRecord, load: LoadSession, today: date) -> Callable[[dict[str, Any]], Session]:
    def save_fields(values: dict[str, Any]) -> Session:
        session = dataclasses.replace(load() or new_session(number, today), **values)
        save(session)
        return session

    return save_fields


def details_form(number: int, save: SaveRecord, load: LoadSession, today: date) -> Form:
    """When the session is, how long, whether it was held, and the agenda."""
    s = load() or new_session(number, today)
    fields = [
        Field("held_on", "Date", "date", value=s.held_on),
        Field("duration_minutes", "Minutes", "int", lo=5, hi=480, value=s.duration_minutes),
        Field("status", "Status", "choice", options=SESSION_STATUSES, value=s.status),
        Field("agenda", "Agenda", "textarea", value=s.agenda, placeholder="What do we want from today?"),
    ]
    store = _saver(number, save, load, today)

    def on_save(values: dict[str, Any]) -> str:
        if values["held_on"] is None:
            raise ValidationError("held_on", "is required: please pick the session's date.")
        store(values)
        return f"Session {number}: date and agenda saved ✓"

    return Form(f"Session {number}: date and agenda", fields, on_save, save_label="Save agenda")


def work_form(number: int, save: SaveRecord, load: LoadSession, today: date) -> Form:
    """The client's reflection, problems worked, skills practised, feedback, new perspectives."""
    s = load() or new_session(number, today)
    fields = [Field(name, label, "textarea", value=getattr(s, name), placeholder=ph) for name, label, ph in WORK_FIELDS]
    store = _saver(number, save, load, today)

    def on_save(values: dict[str, Any]) -> str:
        store(values)
        return "Session notes saved ✓"

    return Form("The session", fields, on_save, save_label="Save notes")


def summary_form(number: int, save: SaveRecord, load: LoadSession, today: date) -> Form:
    """The summary both agree on at the end."""
    s = load() or new_session(number, today)
    fields = [Field("summary", "Summary", "textarea", value=s.summary, placeholder="What we take away")]
    store = _saver(number, save, load, today)

    def on_save(values: dict[str, Any]) -> str:
        store(values)
        return "Summary saved ✓"

    return Form("Session summary", fields, on_save, save_label="Save summary")


def private_notes_form(number: int, save: SaveRecord, load: LoadSession, today: date) -> Form:
    """The coach's private notes: never shown on a client, sponsor or rater page."""
    s = load() or new_session(number, today)
    fields = [Field("private_notes", "Private notes", "textarea", value=s.private_notes)]
    store = _saver(number, save, load, today)

    def on_save(values: dict[str, Any]) -> str:
        store(values)
        return "Private notes saved ✓ (coach only)"

    form = Form(
        "Coach's private notes",
        fields,
        on_save,
        save_label="Save private notes",
        intro="Private to the coach: these notes never appear on the client's, sponsor's or any report page.",
    )
    form.widget.add_class("coachkit-private")
    return form


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
    s = load() or new_session(number, today)
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
        changed: list[Any] = []
        for action_id, a in list(actions.items()):
            done = bool(values[f"done:{action_id}"])
            done_on = (a.done_on or today) if done else None
            updated = dataclasses.replace(a, done_on=done_on, obstacles=values[f"obstacles:{action_id}"])
            if updated != a:
                changed.append(updated)
                actions[action_id] = updated
        session = dataclasses.replace(load() or new_session(number, today), action_review=values["action_review"])
        save_all([*changed, session])
        done_count = sum(1 for a in actions.values() if a.done_on is not None)
        return f"Review saved ✓ ({done_count} of {len(actions)} actions done)"

    intro = (
        "The actions agreed last time, and any still open from before."
        if actions
        else "There are no actions from earlier sessions to review."
    )
    return Form("Since last time: the actions", fields, on_save, save_label="Save review", intro=intro)


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
        intro="Agree each action with its owner and a due date; it is reviewed at the start of the next session.",
    )
