"""Reminders that are due now, each sent once: safe to run from cron every hour.

- ``check-ins``: the client has not checked in for longer than the engagement's cadence (one
  nudge per gap, keyed by the last check-in).
- ``raters``: a rater invited to the 360 or a pulse round who has not answered after
  ``rater_reminder_days`` (one reminder per invitation).
- ``follow-ups``: a follow-up due within ``follow_up_notice_days`` (one per follow-up and date).
- ``sessions``: a planned session tomorrow in the practice's zone (one per session and time).

Each kind can be switched off per engagement, and a recipient muted, with
:class:`~coachkit.model.outreach.ReminderPreferences`. Reminders carry no link and no content
of the engagement: dates, times and places only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime, timedelta

from coachkit.errors import ValidationError
from coachkit.home.agenda import CLOSED, missing_check_in
from coachkit.home.invites import compose
from coachkit.home.mail import Draft
from coachkit.home.outbox import Pending
from coachkit.home.schedule import local_day
from coachkit.home.settings import HomeSettings
from coachkit.model import CaseFile, Edit
from coachkit.model.feedback360 import Rater, RaterResponse
from coachkit.model.outreach import REMINDER_KINDS, REMINDERS_ID, ReminderPreferences, message_key
from coachkit.model.pulse import PulseResponse, PulseRound, pulse_response_id
from coachkit.store import Store

Add = Callable[[str, str, str, str, str, list[str]], None]
"""Adds one reminder: kind, purpose key, name, address, subject, paragraphs."""


def preferences(store: Store, client_id: str) -> ReminderPreferences:
    """The engagement's reminder preferences (everything on, no one muted, until changed)."""
    return store.find(client_id, ReminderPreferences, REMINDERS_ID) or ReminderPreferences()


def set_preferences(
    store: Store,
    client_id: str,
    *,
    on: list[str] | None = None,
    off: list[str] | None = None,
    mute: list[str] | None = None,
    unmute: list[str] | None = None,
) -> ReminderPreferences:
    """Switch reminder kinds on or off and mute or unmute addresses for one engagement."""
    found = store.find_revision(client_id, ReminderPreferences, REMINDERS_ID)
    prefs, revision = found if found is not None else (ReminderPreferences(), None)
    for kind in [*(on or []), *(off or [])]:
        if kind not in REMINDER_KINDS:
            raise ValidationError(
                "reminder kind", f"{kind!r} is not a reminder; choose from {', '.join(REMINDER_KINDS)}."
            )
    switched = [k for k in prefs.off if k not in (on or [])] + [k for k in off or [] if k not in prefs.off]
    lowered = {u.casefold() for u in unmute or []}
    muted = [m for m in prefs.muted if m.casefold() not in lowered]
    muted += [m for m in mute or [] if m.casefold() not in {x.casefold() for x in muted}]
    updated = dataclasses.replace(prefs, off=switched, muted=muted)
    store.save(client_id, Edit(updated, revision))
    return updated


def due_reminders(store: Store, settings: HomeSettings, *, now: datetime) -> list[Pending]:
    """Every reminder due at ``now`` across the practice (those sent before are filtered when
    delivering)."""
    zone = settings.zone
    today = now.astimezone(zone).date()
    out: list[Pending] = []
    for client, _ in store.roster():
        file = store.load(client.id)
        prefs = preferences(store, client.id)
        for pending in _client_reminders(file, settings, today=today):
            if prefs.allows(pending.kind.removeprefix("reminder:"), pending.to):
                out.append(pending)
    return out


def _client_reminders(file: CaseFile, settings: HomeSettings, *, today: date) -> list[Pending]:
    client = file.client
    engagement = file.engagement
    out: list[Pending] = []

    def add(kind: str, key: str, name: str, to: str, subject: str, paragraphs: list[str]) -> None:
        if not to:
            return

        def make(dry: bool) -> Draft:
            return compose(key, f"reminder:{kind}", name, to, subject, paragraphs, settings)

        out.append(Pending(client.id, key, f"reminder:{kind}", name, to, subject, make))

    notice = timedelta(days=settings.follow_up_notice_days)
    for follow_up in file.follow_ups:
        if not follow_up.held and today <= follow_up.due <= today + notice:
            add(
                "follow-ups",
                message_key("follow-up", client.id, follow_up.id, follow_up.due.isoformat()),
                client.name,
                client.email,
                "Your coaching follow-up is coming up",
                [
                    f"Your {follow_up.days_after_end}-day follow-up is due on {follow_up.due:%A %d %B %Y}. "
                    "I will be in touch to find a time; a quick look at your transition plan beforehand helps."
                ],
            )
    if engagement is None or engagement.status in CLOSED:
        return out
    missing = missing_check_in(file, today)
    if missing is not None:
        last = missing[0] - timedelta(weeks=engagement.cadence_weeks)
        add(
            "check-ins",
            message_key("check-in", client.id, last.isoformat()),
            client.name,
            client.email,
            "Time for a check-in",
            [
                f"It has been {missing[1]} days since your last check-in. A few minutes on your dashboard "
                "(progress on each goal, your confidence, anything in the way) keeps our next session focused."
            ],
        )
    tomorrow = today + timedelta(days=1)
    for session in file.sessions:
        planned = session.status == "planned" and session.starts_at is not None
        if planned and session.starts_at is not None and local_day(session.starts_at, settings.zone) == tomorrow:
            local = session.starts_at.astimezone(settings.zone)
            where = f" ({session.place})" if session.place else ""
            add(
                "sessions",
                message_key("session", client.id, session.id, session.starts_at.isoformat()),
                client.name,
                client.email,
                f"Coaching session tomorrow at {local:%H:%M}",
                [
                    f"A reminder of our session tomorrow, {local:%A %d %B} at {local:%H:%M}{where}, "
                    f"for {session.duration_minutes} minutes."
                ],
            )
    _rater_reminders(file, settings, today, add)
    return out


def _rater_reminders(file: CaseFile, settings: HomeSettings, today: date, add: Add) -> None:
    client = file.client
    wait = timedelta(days=settings.rater_reminder_days)
    responses = {r.id: r for r in file.all(RaterResponse)}
    for rater in file.all(Rater):
        answered = (resp := responses.get(rater.id)) is not None and resp.submitted_at is not None
        if rater.approved and rater.invited_on is not None and not answered and rater.invited_on + wait <= today:
            add(
                "raters",
                message_key("remind-rater", client.id, rater.id, rater.invited_on.isoformat()),
                rater.name,
                rater.email,
                f"A reminder: your feedback for {client.name}",
                [
                    f"On {rater.invited_on:%d %B} you were invited to give feedback to {client.name}. If you "
                    "can, please answer in the next few days with the private link from that invitation."
                ],
            )
    pulses = {r.id: r for r in file.all(PulseResponse)}
    for round_ in file.all(PulseRound):
        if round_.opened_on + wait > today:
            continue
        for rid in round_.rater_ids:
            pulse = pulses.get(pulse_response_id(round_.id, rid))
            invited = file.one(Rater, rid)
            if invited is None or (pulse is not None and pulse.submitted_at is not None):
                continue
            add(
                "raters",
                message_key("remind-pulse", client.id, round_.id, rid),
                invited.name,
                invited.email,
                f"A reminder: the pulse for {client.name}",
                [
                    f"A short pulse for {client.name} is still waiting for your answers; please use the "
                    "private link from the invitation."
                ],
            )
