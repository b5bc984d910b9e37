"""Calendar files (RFC 5545, written with the ``icalendar`` package) for sessions, follow-ups and
milestone dates.

Each event's UID is stable (the client, the kind and the record's id), so a calendar program
that imports a newer file updates the event it already has: a moved session keeps its UID and
raises SEQUENCE, a cancelled one arrives with STATUS:CANCELLED. Timed events carry the practice's
TZID. Only dates, times, places and titles go in: never session content or the coach's notes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from coachkit.home.schedule import session_sequence
from coachkit.model import CaseFile, Session
from coachkit.store import Store

PRODID = "-//coachkit//practice calendar//EN"


def event_uid(client_id: str, kind: str, record_id: str) -> str:
    """The stable UID of one event (no client name in it: the UID is not for reading)."""
    digest = hashlib.sha256(f"{client_id}\x1f{kind}\x1f{record_id}".encode()).hexdigest()[:24]
    return f"{kind}-{digest}@coachkit"


def practice_calendar(
    store: Store, client_ids: Sequence[str], *, zone: ZoneInfo, now: datetime, coach_name: str = ""
) -> bytes:
    """One calendar holding the events of ``client_ids`` (only theirs), as .ics bytes."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-timezone", zone.key)
    for client_id in client_ids:
        file = store.load(client_id)
        for event in client_events(store, file, zone=zone, now=now, coach_name=coach_name):
            cal.add_component(event)
    cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data


def client_events(
    store: Store, file: CaseFile, *, zone: ZoneInfo, now: datetime, coach_name: str = ""
) -> list[icalendar.Event]:
    """The events of one client: sessions with a time (and planned ones with a date only),
    follow-ups, and milestones still to be met."""
    client = file.client
    with_whom = f" with {coach_name}" if coach_name else ""
    events = []
    for session in file.sessions:
        if session.starts_at is None and session.status != "planned":
            continue  # a session recorded with a date only is history, not an appointment
        event = _event(client.id, "session", session.id, now)
        event.add("summary", f"Coaching session {session.number}{with_whom} ({client.name})")
        _when(event, session, zone)
        if session.place:
            event.add("location", session.place)
        event.add("sequence", session_sequence(store, client.id, session.number))
        event.add("status", {"planned": "CONFIRMED", "held": "CONFIRMED", "cancelled": "CANCELLED"}[session.status])
        events.append(event)
    for follow_up in file.follow_ups:
        event = _event(client.id, "follow-up", follow_up.id, now)
        event.add("summary", f"{follow_up.days_after_end}-day follow-up{with_whom} ({client.name})")
        _all_day(event, follow_up.due)
        event.add("status", "CONFIRMED")
        events.append(event)
    for milestone in file.milestones:
        if milestone.target_date is None or milestone.done_on is not None:
            continue
        event = _event(client.id, "milestone", milestone.id, now)
        event.add("summary", f"Milestone due: {milestone.title} ({client.name})")
        _all_day(event, milestone.target_date)
        events.append(event)
    return events


def _event(client_id: str, kind: str, record_id: str, now: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", event_uid(client_id, kind, record_id))
    event.add("dtstamp", now)
    return event


def _when(event: icalendar.Event, session: Session, zone: ZoneInfo) -> None:
    if session.starts_at is None:
        _all_day(event, session.held_on)
        return
    start = session.starts_at.astimezone(zone)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=session.duration_minutes))


def _all_day(event: icalendar.Event, day: date) -> None:
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
