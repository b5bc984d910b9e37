"""Ana Ruiz, nine days into her engagement: the agreement signed, two goals set, the 360 ahead."""

from __future__ import annotations

from datetime import date, time, timedelta

from coachkit.demo.parts import agreement, demo_client, measured_goal, planned_session
from coachkit.model import Action, Client, Engagement, Goal, InitialMeeting, Record, Session, Sponsor


def just_contracted(today: date) -> tuple[Client, list[Record]]:
    """Ana's client record and everything held about her on ``today``."""
    start = today - timedelta(days=9)
    client = demo_client("Ana Ruiz", "ana.ruiz@example.org", "Head of Operations", "Northwind Logistics")
    records: list[Record] = [
        Sponsor(id="sp1", name="Daniel Okafor", email="d.okafor@example.org", role="COO", relationship="manager"),
        Engagement(start=start, planned_end=start + timedelta(days=182), planned_sessions=12, status="active", phase=2),
        InitialMeeting(
            held_on=start - timedelta(days=7),
            objectives="Step up from running operations to leading the operations leadership team.",
            expectations="Honest challenge; practical tools; fortnightly rhythm.",
            confidentiality_discussed=True,
            notes="Ana asked how the sponsor updates work; agreed progress-only reports.",
        ),
        agreement(start, 12, "Ana Ruiz"),
        measured_goal(
            "g1",
            "Delegate operational decisions to the three site leads",
            ("Hours a week on site-level decisions", "12 hours", "4 hours"),
            start + timedelta(days=150),
            why="Ana spends most evenings on decisions her leads could make.",
        ),
        Goal(
            id="g2",
            objective="Run leadership meetings that end in clear decisions",
            why="Meetings overrun and decisions get revisited.",
            target_date=start + timedelta(days=160),
        ),
        Session(
            id="1",
            number=1,
            held_on=start,
            agenda="Goals and the 360 plan",
            reflection="Ana sees that her quick fixes keep the team dependent.",
            private_notes="Energy high; watch the pull to solve everything herself.",
        ),
        planned_session(
            2,
            today + timedelta(days=5),
            time(14, 0),
            "360 nominations",
            "Video call: https://meet.example.org/ana-ruiz",
        ),
        Action(
            id="a1", title="Nominate six 360 raters", owner="client", due=today + timedelta(days=3), session_number=1
        ),
    ]
    return client, records
