"""Planning sessions: a start time (stored in UTC), a duration and a place.

Times are given and shown in the practice's time zone. Moving or cancelling a session saves a
new revision of its record, so the store keeps every earlier plan; :func:`session_sequence`
counts those revisions for the calendar's SEQUENCE.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from coachkit.errors import Conflict, NotFound, ValidationError
from coachkit.model import Edit, Session
from coachkit.model.rules import next_session_number
from coachkit.store import Store

AT_FORMAT = "%Y-%m-%d %H:%M"
PLAN_FIELDS = ("starts_at", "held_on", "duration_minutes", "place", "status")
"""The fields planning writes; a session's notes, written in its workbook meanwhile, are kept."""


def parse_local_time(text: str, zone: ZoneInfo, *, field: str = "--at") -> datetime:
    """``YYYY-MM-DD HH:MM`` in ``zone``, as an aware UTC datetime. A time that does not exist
    in the zone (skipped when clocks go forward) is refused."""
    try:
        naive = datetime.strptime(text.strip(), AT_FORMAT)
    except ValueError as exc:
        raise ValidationError(field, f"{text!r} is not a date and time; write it as YYYY-MM-DD HH:MM.") from exc
    local = naive.replace(tzinfo=zone)
    back = local.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != naive:
        raise ValidationError(field, f"{text} does not exist in {zone.key} (the clocks change); pick another time.")
    return local.astimezone(UTC)


def local_day(starts_at: datetime, zone: ZoneInfo) -> date:
    """The calendar day a start time falls on in the practice's zone."""
    return starts_at.astimezone(zone).date()


def plan_session(
    store: Store,
    client_id: str,
    starts_at: datetime,
    *,
    zone: ZoneInfo,
    minutes: int | None = None,
    where: str = "",
    number: int | None = None,
) -> Session:
    """Plan a new session (the next number unless ``number`` names a planned one without a time)."""
    file = store.load(client_id)
    if file.engagement is None:
        raise ValidationError("engagement", f"{client_id} has no engagement yet; set it up in 01-relationship first.")
    length = minutes if minutes is not None else file.engagement.session_minutes
    if number is not None:
        existing = file.one(Session, str(number))
        if existing is None:
            raise NotFound(f"No session {number} for {client_id}.")
        if existing.status != "planned":
            raise Conflict(f"Session {number} is {existing.status}; plan a new one instead.")
        return reschedule_session(store, client_id, number, starts_at, zone=zone, minutes=length, where=where)
    session = Session(
        id=str(next_session_number(file)),
        number=next_session_number(file),
        held_on=local_day(starts_at, zone),
        duration_minutes=length,
        status="planned",
        starts_at=starts_at,
        place=where.strip(),
    )
    session.validate()
    store.save(client_id, Edit.new(session))  # refused if the number was taken meanwhile
    return session


def reschedule_session(
    store: Store,
    client_id: str,
    number: int,
    starts_at: datetime,
    *,
    zone: ZoneInfo,
    minutes: int | None = None,
    where: str | None = None,
) -> Session:
    """Move a planned session to ``starts_at`` (and a new length or place when given)."""
    session, revision = _planned(store, client_id, number)
    moved = dataclasses.replace(
        session,
        starts_at=starts_at,
        held_on=local_day(starts_at, zone),
        duration_minutes=session.duration_minutes if minutes is None else minutes,
        place=session.place if where is None else where.strip(),
    )
    moved.validate()
    store.save(client_id, Edit.fields(moved, revision, session, PLAN_FIELDS))
    return moved


def cancel_session(store: Store, client_id: str, number: int) -> Session:
    """Cancel a planned session; its record (and every earlier plan) stays in the history."""
    session, revision = _planned(store, client_id, number)
    cancelled = dataclasses.replace(session, status="cancelled")
    store.save(client_id, Edit.fields(cancelled, revision, session, PLAN_FIELDS))
    return cancelled


def session_sequence(store: Store, client_id: str, number: int) -> int:
    """How many times a session's plan (time, length, place or status) changed after it was
    first saved: 0 for a new one. Edits to the session's notes do not count."""
    plans: list[tuple[object, ...]] = []
    for revision in store.history(client_id, Session, str(number)):
        s = revision.record
        if isinstance(s, Session):
            plan = (s.starts_at, s.held_on, s.duration_minutes, s.place, s.status)
            if not plans or plans[-1] != plan:
                plans.append(plan)
    return max(0, len(plans) - 1)


def _planned(store: Store, client_id: str, number: int) -> tuple[Session, int]:
    found = store.find_revision(client_id, Session, str(number))
    if found is None:
        raise NotFound(f"No session {number} for {client_id}.")
    session, revision = found
    if session.status != "planned":
        raise Conflict(f"Session {number} is {session.status}; only a planned session can be moved or cancelled.")
    return session, revision
