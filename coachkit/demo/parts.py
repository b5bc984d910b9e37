"""Pieces every demo engagement is built from: the coaching agreement, milestones and sessions
written one to a line, their dates counted in days from the engagement's start."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from coachkit.model import Agreement, Client, Goal, Milestone, Session, accept_agreement


def agreement(start: date, sessions: int, accepted_by: str, *, manager_separate: bool = False) -> Agreement:
    """The demo's agreement for ``sessions`` sessions from ``start``, accepted by the client."""
    draft = Agreement(
        id="1",
        version=1,
        objectives="Grow as a leader of the team through the goals set together in the first weeks.",
        expectations="Both come prepared; the client does the agreed actions between sessions; "
        "the coach challenges and supports.",
        roles="Coach: runs sessions, keeps records, holds confidentiality. Client: owns the goals and "
        "the actions. Sponsor: supports the goals and joins the three-way meetings.",
        timeline=f"{sessions} sessions of 60 minutes, every two weeks, from {start.isoformat()}; "
        "a mid-point review and a closing review with the sponsor.",
        scope="Leadership behaviour at work. Therapy, legal and financial advice are out of scope.",
        confidentiality="What is said in sessions stays between coach and client.",
        confidentiality_limits="Risk of serious harm to the client or others, illegal acts, or a court order.",
        sponsor_sees="Progress on the goals the client chooses to release; never session content.",
        terms="Sessions cancelled with less than 48 hours' notice count as held. Either side may end "
        "the engagement with two weeks' notice. Records are deleted a year after the end.",
        manager_shown_separately=manager_separate,
    )
    return accept_agreement(draft, accepted_by, datetime.combine(start, time(10, 0), tzinfo=UTC))


def demo_client(name: str, email: str, role: str, organisation: str) -> Client:
    """A demo client's details, to be saved under an id made from the name."""
    return Client(id="new", name=name, email=email, role=role, organisation=organisation)


def measured_goal(
    goal_id: str,
    objective: str,
    scale: tuple[str, str, str],
    due: date,
    *,
    why: str = "",
    status: str = "active",
    findings: tuple[str, ...] = (),
    released_on: date | None = None,
) -> Goal:
    """A goal with its ``scale`` (measure, baseline, target) due on ``due``; released to the
    sponsor on ``released_on`` when that is given."""
    measure, baseline, target = scale
    return Goal(
        id=goal_id,
        objective=objective,
        why=why,
        measure=measure,
        baseline=baseline,
        target=target,
        target_date=due,
        status=status,
        findings=list(findings),
        released_to_sponsor=released_on is not None,
        released_on=released_on,
    )


def milestones(start: date, *rows: tuple[str, str, str, int, int | None, str]) -> list[Milestone]:
    """Milestones from rows of (id, goal id, title, days to the target date, days until it was met
    or None, evidence), the days counted from ``start``."""
    return [
        Milestone(
            id=milestone_id,
            goal_id=goal_id,
            title=title,
            target_date=start + timedelta(days=due),
            done_on=None if done is None else start + timedelta(days=done),
            evidence=evidence,
        )
        for milestone_id, goal_id, title, due, done, evidence in rows
    ]


def planned_session(number: int, on: date, at: time, agenda: str, place: str) -> Session:
    """The next session, booked for ``at`` (UTC) on ``on`` at ``place``."""
    return Session(
        id=str(number),
        number=number,
        held_on=on,
        status="planned",
        agenda=agenda,
        starts_at=datetime.combine(on, at, tzinfo=UTC),
        place=place,
    )
