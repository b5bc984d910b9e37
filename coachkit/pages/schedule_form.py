"""A small form in the session and progress workbooks: plan the next session (date and time in
the practice's zone, length, room or video link), with the sessions already planned listed
above it. It plans exactly as ``coachkit session plan`` does."""

from __future__ import annotations

import logging

import ipywidgets as W

from coachkit.errors import CoachkitError, ValidationError
from coachkit.forms.base import Field, Form
from coachkit.home.schedule import parse_local_time
from coachkit.home.settings import load_settings
from coachkit.pages.phases.base import display
from coachkit.practice import Practice, open_existing_practice
from coachkit.services import engagements
from coachkit.services import home as home_service

log = logging.getLogger(__name__)


class PlanSessionForm:
    """The form and the list of planned sessions for one client (keeps the practice open)."""

    def __init__(self, home: str, client_id: str) -> None:
        self.client_id = client_id
        self.practice: Practice | None = None
        self.problem = ""
        minutes = 60
        try:
            self.practice = open_existing_practice(home)
            self.practice.require_client(client_id)
            self.zone = load_settings(self.practice.home).zone
            engagement = engagements.load(self.practice, client_id).engagement
            minutes = engagement.session_minutes if engagement else minutes
        except CoachkitError as exc:
            self.problem = str(exc)
        self.planned = W.Label()
        self.planned.add_class("coachkit-planned-sessions")
        self.form = Form(
            "Plan the next session",
            [
                Field("at", "Date and time", placeholder="YYYY-MM-DD HH:MM", help_text="in the practice's time zone"),
                Field("minutes", "Minutes", "int", value=minutes, lo=15, hi=480),
                Field("where", "Room or video link", placeholder="Room 2, or https://..."),
            ],
            self._save,
            save_label="Plan session",
        )
        self._list()

    @property
    def widget(self) -> W.VBox:
        """The list and the form."""
        if self.problem:
            return W.VBox([W.Label(value=self.problem)])
        return W.VBox([self.planned, self.form.widget])

    def _list(self) -> None:
        if self.practice is None or self.problem:
            return
        sessions = home_service.planned_sessions(self.practice, self.client_id)
        shown = []
        for s in sessions:
            when = f"{s.starts_at.astimezone(self.zone):%Y-%m-%d %H:%M}" if s.starts_at else s.held_on.isoformat()
            shown.append(f"session {s.number} on {when}" + (f" ({s.place})" if s.place else ""))
        self.planned.value = "Planned: " + "; ".join(shown) if shown else "No session is planned yet."

    def _save(self, values: dict[str, object]) -> str:
        if self.practice is None:
            raise ValidationError("at", self.problem or "the practice could not be opened.")
        at = values["at"]
        if not isinstance(at, str) or not at.strip():
            raise ValidationError("at", "is required: write the date and time as YYYY-MM-DD HH:MM.")
        starts = parse_local_time(at, self.zone, field="at")
        minutes = values["minutes"]
        where = values["where"]
        session = home_service.plan_session(
            self.practice,
            self.client_id,
            starts,
            zone=self.zone,
            minutes=minutes if isinstance(minutes, int) else None,
            where=where if isinstance(where, str) else "",
        )
        self._list()
        self.form["at"].set("")
        return f"Session {session.number} planned for {starts.astimezone(self.zone):%Y-%m-%d %H:%M} ✓"


def plan_next_part(client_id: str, home: str = ".") -> W.Widget:
    """The plan-a-session form for ``client_id`` as a widget (a workbook shows it through
    ``workbook.part``, which leaves it out where the workbook has no client)."""
    return PlanSessionForm(home, client_id).widget


def plan_next(client_id: str, home: str = ".") -> PlanSessionForm:
    """Display the plan-a-session form for ``client_id`` (returned for tests)."""
    form = PlanSessionForm(home, client_id)
    display(form.widget)
    return form
