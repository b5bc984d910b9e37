"""Mei Tanaka, whose engagement closed two hundred days ago: goals evaluated, the closure and
transition plan written, two follow-ups held."""

from __future__ import annotations

from datetime import date, timedelta

from coachkit.demo.parts import agreement, demo_client, measured_goal, milestones
from coachkit.model import (
    CheckIn,
    Client,
    ClosureReflection,
    Engagement,
    GoalChange,
    GoalEvaluation,
    GoalProgress,
    Record,
    Session,
    Sponsor,
    TransitionPlan,
)
from coachkit.model.rules import schedule_follow_ups


def closed(today: date) -> tuple[Client, list[Record]]:
    """Mei's client record and everything held about her on ``today``."""
    end = today - timedelta(days=200)
    start = end - timedelta(days=180)
    client = demo_client("Mei Tanaka", "mei.tanaka@example.org", "Chief Financial Officer", "Harbour Health")
    records: list[Record] = [
        Sponsor(id="sp1", name="Grace Adeyemi", email="grace@example.org", role="CEO", relationship="manager"),
        Engagement(start=start, planned_end=end, planned_sessions=12, status="closed", phase=7, ended_on=end),
        agreement(start, 12, "Mei Tanaka"),
        measured_goal(
            "g1",
            "Present strategy to the board with confidence",
            ("Board feedback score (1-5)", "2.8", "4.0"),
            end,
            status="achieved",
            released_on=start + timedelta(days=20),
        ),
        measured_goal(
            "g2",
            "Build trust with the clinical directors",
            ("Joint decisions a quarter", "1", "4"),
            end,
            status="achieved",
        ),
        *milestones(
            start,
            ("m1", "g1", "Rehearsed board pack with the coach", 60, 58, ""),
            ("m2", "g2", "Monthly round-table with clinical directors", 90, 95, ""),
        ),
    ]
    for n in range(1, 13):
        records.append(
            Session(
                id=str(n),
                number=n,
                held_on=start + timedelta(days=15 * (n - 1)),
                agenda=f"Session {n}",
                summary=f"Session {n} held.",
                private_notes=f"Coach only: Mei session {n}.",
            )
        )
    for i in range(6):
        records.append(
            CheckIn(
                id=f"c{i + 1}",
                on=start + timedelta(days=30 * i + 10),
                confidence=5 + i // 2,
                progress=[GoalProgress("g1", 2 + i * 2 if i < 4 else 9), GoalProgress("g2", 1 + i)],
            )
        )
    records += [
        GoalEvaluation(
            id="g1",
            goal_id="g1",
            baseline="2.8",
            end_value="4.2",
            outcome="exceeded",
            evidence="Board chair's feedback after the annual strategy day.",
            learning="Preparation beats improvisation; one story per slide.",
        ),
        GoalEvaluation(
            id="g2",
            goal_id="g2",
            baseline="1",
            end_value="4",
            outcome="met",
            evidence="Four joint budget decisions this quarter.",
        ),
        ClosureReflection(
            successes="Board presentation landed; new working rhythm with directors.",
            learning="Asking before proposing builds trust faster.",
            how_changed="Listens first, speaks to the decision needed.",
            client_evaluation="Very useful; would have liked the 360 earlier.",
            client_rating=9,
        ),
        TransitionPlan(
            keep_doing="Monthly round-table; rehearse every board pack with a peer.",
            warning_signs="Skipping the round-table twice; late nights before board meetings.",
            support="Peer CFO network; quarterly check-in with the CEO.",
        ),
    ]
    return client, records + _follow_ups(end)


def _follow_ups(end: date) -> list[Record]:
    follow_ups = schedule_follow_ups(end)
    for follow_up, days, changes, notes in (
        (follow_ups[0], 31, (2, 2), "Gains holding; board pack rehearsed as planned."),
        (follow_ups[1], 92, (2, 1), "Round-table slipped once during budget season."),
    ):
        follow_up.held, follow_up.held_on = True, end + timedelta(days=days)
        follow_up.changes = [GoalChange("g1", changes[0]), GoalChange("g2", changes[1])]
        follow_up.notes = notes
    return list(follow_ups)
