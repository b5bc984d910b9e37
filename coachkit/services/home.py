"""The coach's home as a page or a command uses it: the agenda, the calendar, planning,
moving and cancelling sessions, sending mail once, and reminders. The rules are in
:mod:`coachkit.home`; most services here are its verbs taking the practice (their first
argument) instead of the store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from coachkit.home import schedule
from coachkit.home.agenda import build_agenda
from coachkit.home.calendar_ics import practice_calendar
from coachkit.home.outbox import Delivery, Pending, deliver, sending_lock
from coachkit.home.remind import due_reminders, set_preferences
from coachkit.home.settings import HomeSettings
from coachkit.model import Session
from coachkit.practice import Practice
from coachkit.services.binding import on_practice

agenda = on_practice(build_agenda, module=__name__)
calendar = on_practice(practice_calendar, module=__name__)
plan_session = on_practice(schedule.plan_session, module=__name__)
reschedule_session = on_practice(schedule.reschedule_session, module=__name__)
cancel_session = on_practice(schedule.cancel_session, module=__name__)
reminders_due = on_practice(due_reminders, module=__name__)
set_reminders = on_practice(set_preferences, module=__name__)


def planned_sessions(practice: Practice, client_id: str) -> list[Session]:
    """The client's sessions that are planned and not yet held."""
    return [s for s in practice.store.load(client_id).sessions if s.status == "planned"]


def send(
    practice: Practice, pending: Sequence[Pending], *, settings: HomeSettings, now: datetime, dry_run: bool = False
) -> Delivery:
    """Send every pending message not sent before, one sender at a time for the practice (or,
    with ``dry_run``, say what would go and issue nothing)."""
    with sending_lock(practice.data_dir):
        return deliver(practice.store, pending, settings=settings, now=now, dry_run=dry_run)
