"""What is due across the practice: one function, :func:`build_agenda`, returning typed items.

The CLI (``coachkit agenda``) prints them; the practice notebook lists, filters and draws them
on a calendar. Items come only from what the coach may see; they name the workbook (relative to
the practice folder) where each one is dealt with. A closed engagement contributes only its
follow-ups that are still to be held.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from coachkit.model import PHASES, CaseFile
from coachkit.model.access import Link
from coachkit.model.feedback360 import Rater, RaterResponse
from coachkit.model.phase import current_phase
from coachkit.model.pulse import PulseResponse, PulseRound, pulse_response_id
from coachkit.model.rules import (
    STALL_DAYS,
    active_goals,
    is_stalled,
    last_session_date,
    overdue_actions,
    session_to_prepare,
)
from coachkit.store import Store

KINDS: tuple[str, ...] = (
    "phase",
    "session",
    "overdue-action",
    "action-due",
    "stalled",
    "stalled-goal",
    "check-in-missing",
    "raters-not-answered",
    "pulse-open",
    "follow-up",
    "link-expiring",
    "agreement-not-accepted",
)
"""Every kind of agenda item, in the order items of one day are listed."""

PHASE_WORKBOOKS: dict[int, str] = {
    1: "01-relationship.ipynb",
    2: "02-assessment.ipynb",
    3: "03-action-plan.ipynb",
    4: "04-session.ipynb",
    5: "05-progress-review.ipynb",
    6: "06-closure.ipynb",
    7: "07-follow-up.ipynb",
}
"""The workbook of each phase (the names :mod:`coachkit.render` writes)."""
PRACTICE_WORKBOOK = "00-practice.ipynb"
DEFAULT_DAYS = 14
CLOSED = ("closed", "ended-early")


@dataclasses.dataclass(frozen=True)
class AgendaItem:
    """One thing that needs the coach: when, for whom, what, and where it is dealt with."""

    on: date
    client_id: str
    client: str
    kind: str
    text: str
    workbook: str
    """Path of the workbook, relative to the practice folder (``workbooks/<client>/...``)."""

    def line(self) -> str:
        """The item as one line of plain text."""
        return f"{self.on.isoformat()}  {self.kind:<22} {self.text}  [{self.workbook}]"


def session_workbook(number: int) -> str:
    """The workbook name of one session (``04-session-07.ipynb``)."""
    return f"04-session-{number:02d}.ipynb"


def build_agenda(
    store: Store, *, today: date, days: int = DEFAULT_DAYS, zone: ZoneInfo | None = None, now: datetime | None = None
) -> list[AgendaItem]:
    """Every item due by ``today + days`` (overdue ones included) for every client, sorted by
    client then date. ``zone`` is the practice's time zone (for session times)."""
    zone = zone or ZoneInfo("UTC")
    now = now or datetime.combine(today, time(12, 0), tzinfo=zone)
    horizon = today + timedelta(days=days)
    links_by_client: dict[str, list[Link]] = {}
    for link in store.links():
        links_by_client.setdefault(link.client_id, []).append(link)
    items: list[AgendaItem] = []
    for client, _engagement in store.roster():
        file = store.load(client.id)
        found = client_items(file, today=today, horizon=horizon, zone=zone)
        found += _link_items(file, links_by_client.get(client.id, []), now=now, horizon=horizon)
        items += found
    order = {kind: i for i, kind in enumerate(KINDS)}
    items.sort(key=lambda i: (i.client.casefold(), i.client_id, i.on, order[i.kind], i.text))
    return items


def client_items(file: CaseFile, *, today: date, horizon: date, zone: ZoneInfo) -> list[AgendaItem]:
    """The agenda items of one client's case file (links aside)."""
    engagement = file.engagement
    folder = f"workbooks/{file.client.id}/"

    def item(on: date, kind: str, text: str, workbook: str) -> AgendaItem:
        return AgendaItem(on, file.client.id, file.client.name, kind, text, folder + workbook)

    out: list[AgendaItem] = []
    for follow_up in file.follow_ups:
        if not follow_up.held and follow_up.due <= horizon:
            when = "due" if follow_up.due > today else "overdue" if follow_up.due < today else "due today"
            out.append(
                item(
                    follow_up.due,
                    "follow-up",
                    f"{follow_up.days_after_end}-day follow-up {when}",
                    PHASE_WORKBOOKS[7],
                )
            )
    if engagement is None or engagement.status in CLOSED:
        return out
    phase = current_phase(file)
    out.append(item(today, "phase", f"Phase {phase}: {PHASES[phase]}", _phase_book(file, phase)))
    upcoming = [s for s in file.sessions if s.status == "planned" and s.held_on >= today]
    if upcoming:
        nxt = min(upcoming, key=lambda s: (s.held_on, s.number))
        if nxt.held_on <= horizon:
            out.append(
                item(
                    nxt.held_on,
                    "session",
                    _session_text(nxt.number, nxt.starts_at, nxt.place, zone),
                    session_workbook(nxt.number),
                )
            )
    review = session_workbook(session_to_prepare(file))
    for action in overdue_actions(file, today):
        assert action.due is not None
        out.append(item(action.due, "overdue-action", f"Action overdue: {action.title} ({action.owner})", review))
    for action in file.actions:
        if action.done_on is None and action.due is not None and today <= action.due <= horizon:
            out.append(item(action.due, "action-due", f"Action due: {action.title} ({action.owner})", review))
    if is_stalled(file, today):
        last = last_session_date(file) or engagement.start
        out.append(
            item(
                today,
                "stalled",
                f"No session for {(today - last).days} days and none booked",
                session_workbook(session_to_prepare(file)),
            )
        )
    for _goal_id, objective, quiet in stalled_goals(file, today):
        out.append(
            item(
                today,
                "stalled-goal",
                f"Goal stalled: {objective} (no progress for {quiet} days, nothing booked)",
                PHASE_WORKBOOKS[5],
            )
        )
    missing = missing_check_in(file, today)
    if missing is not None:
        out.append(
            item(
                missing[0],
                "check-in-missing",
                f"No check-in for {missing[1]} days (cadence {engagement.cadence_weeks} weeks)",
                PHASE_WORKBOOKS[5],
            )
        )
    out += [item(on, kind, text, book) for on, kind, text, book in _assessment_items(file)]
    agreement = file.agreement
    if agreement is not None and not agreement.accepted:
        out.append(
            item(
                today,
                "agreement-not-accepted",
                f"Agreement version {agreement.version} not accepted yet",
                PHASE_WORKBOOKS[1],
            )
        )
    return out


def _phase_book(file: CaseFile, phase: int) -> str:
    return session_workbook(session_to_prepare(file)) if phase == 4 else PHASE_WORKBOOKS[phase]


def _session_text(number: int, starts_at: datetime | None, place: str, zone: ZoneInfo) -> str:
    text = f"Session {number}"
    if starts_at is not None:
        text += f" at {starts_at.astimezone(zone):%H:%M}"
    return f"{text} ({place})" if place else text


def stalled_goals(file: CaseFile, today: date) -> list[tuple[str, str, int]]:
    """(goal id, objective, days quiet) for each active goal of a running engagement with no
    progress recorded for three weeks (no check-in rating, no milestone met) and nothing booked
    for it (no open action, no milestone ahead). A goal of a stalled engagement is not listed
    again: the engagement's stall says it."""
    engagement = file.engagement
    if engagement is None or engagement.status not in ("active", "closing") or is_stalled(file, today):
        return []
    out = []
    for goal in active_goals(file):
        booked = any(a.goal_id == goal.id and a.done_on is None for a in file.actions) or any(
            m.done_on is None and m.target_date is not None and m.target_date >= today
            for m in file.milestones_of(goal.id)
        )
        if booked:
            continue
        moments = [c.on for c in file.check_ins for p in c.progress if p.goal_id == goal.id]
        moments += [m.done_on for m in file.milestones_of(goal.id) if m.done_on is not None]
        last = max(moments, default=engagement.start)
        quiet = (today - last).days
        if quiet >= STALL_DAYS:
            out.append((goal.id, goal.objective, quiet))
    return out


def missing_check_in(file: CaseFile, today: date) -> tuple[date, int] | None:
    """(the day a check-in was due, days since the last one) when the client has not checked in
    for longer than the engagement's cadence; None otherwise."""
    engagement = file.engagement
    if engagement is None or engagement.status not in ("active", "closing"):
        return None
    last = max((c.on for c in file.check_ins if c.by == "client"), default=engagement.start)
    due = last + timedelta(weeks=engagement.cadence_weeks)
    return (due, (today - last).days) if due < today else None


def _assessment_items(file: CaseFile) -> Iterable[tuple[date, str, str, str]]:
    responses = {r.id: r for r in file.all(RaterResponse)}
    waiting = [
        r
        for r in file.all(Rater)
        if r.approved and r.invited_on is not None and (responses.get(r.id) is None or not responses[r.id].submitted_at)
    ]
    if waiting:
        since = min(r.invited_on for r in waiting if r.invited_on is not None)
        names = ", ".join(r.name for r in waiting)
        count = f"{len(waiting)} rater{'s' if len(waiting) != 1 else ''}"
        yield since, "raters-not-answered", f"360: {count} invited, not answered: {names}", PHASE_WORKBOOKS[2]
    pulses = {r.id: r for r in file.all(PulseResponse)}
    for round_ in file.all(PulseRound):
        open_ = [
            rid
            for rid in round_.rater_ids
            if (resp := pulses.get(pulse_response_id(round_.id, rid))) is None or resp.submitted_at is None
        ]
        if open_:
            yield (
                round_.opened_on,
                "pulse-open",
                f"Pulse {round_.title}: {len(open_)} of {len(round_.rater_ids)} not answered",
                PHASE_WORKBOOKS[5],
            )


def _link_items(file: CaseFile, links: list[Link], *, now: datetime, horizon: date) -> list[AgendaItem]:
    """Client and sponsor links still valid that expire by ``horizon`` (a rater link ending is
    part of the 360's own item)."""
    engagement = file.engagement
    if engagement is None or engagement.status in CLOSED:
        return []
    out = []
    for link in links:
        if link.audience == "rater" or not link.is_valid(now) or link.expires_at.date() > horizon:
            continue
        out.append(
            AgendaItem(
                link.expires_at.date(),
                file.client.id,
                file.client.name,
                "link-expiring",
                f"The {link.audience}'s link {link.id} expires {link.expires_at:%Y-%m-%d}",
                f"workbooks/{file.client.id}/{PHASE_WORKBOOKS[1]}",
            )
        )
    return out


def agenda_text(items: list[AgendaItem]) -> str:
    """The agenda as plain text: one block per client, one line per item, by date."""
    if not items:
        return "Nothing due.\n"
    lines: list[str] = []
    current = None
    for it in items:
        if it.client_id != current:
            if lines:
                lines.append("")
            lines.append(f"{it.client} ({it.client_id})")
            current = it.client_id
        lines.append("  " + it.line())
    return "\n".join(lines) + "\n"
