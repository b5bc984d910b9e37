"""Jonas Becker, four months into his engagement: self-assessment, three goals with milestones,
eight sessions held and the ninth booked, fortnightly check-ins, a goal adjusted."""

from __future__ import annotations

from datetime import date, time, timedelta

from coachkit.demo.parts import agreement, demo_client, measured_goal, milestones, planned_session
from coachkit.model import (
    Action,
    BalanceRating,
    CheckIn,
    Client,
    CompetencyRating,
    Engagement,
    GoalAdjustment,
    GoalProgress,
    InitialMeeting,
    Record,
    Reflection,
    SelfAssessment,
    Session,
    Sponsor,
)

TOPICS = (
    "Goals and the 360 plan",
    "360 debrief",
    "Delegation map",
    "Feedback practice",
    "Feedback practice II",
    "Mid-point review",
    "Leads as a team",
    "Energy and boundaries",
)
BALANCE = (
    ("Work and career", 8, 7),
    ("Money", 7, 7),
    ("Health and energy", 4, 8),
    ("Family", 5, 9),
    ("Friends and community", 4, 6),
    ("Personal growth", 6, 8),
    ("Fun and rest", 3, 7),
    ("Home and surroundings", 7, 7),
)


def mid_engagement(today: date) -> tuple[Client, list[Record]]:
    """Jonas's client record and everything held about him on ``today``."""
    start = today - timedelta(days=120)
    client = demo_client("Jonas Becker", "jonas.becker@example.org", "VP Engineering", "Brightline Software")
    records: list[Record] = [
        Sponsor(id="sp1", name="Priya Natarajan", email="priya@example.org", role="CTO", relationship="manager"),
        Sponsor(
            id="sp2", name="Tom Lindqvist", email="tom.l@example.org", role="HR Business Partner", relationship="hr"
        ),
        Engagement(start=start, planned_end=start + timedelta(days=210), planned_sessions=14, status="active", phase=5),
        InitialMeeting(
            held_on=start - timedelta(days=10),
            objectives="Lead a department that doubled in a year; build a leadership bench.",
            expectations="Direct feedback, a structured plan, measurable progress.",
            confidentiality_discussed=True,
        ),
        agreement(start, 14, "Jonas Becker", manager_separate=True),
        _self_assessment(),
        *_goals(start),
    ]
    for n, topic in enumerate(TOPICS, 1):
        records.append(
            Session(
                id=str(n),
                number=n,
                held_on=start + timedelta(days=14 * (n - 1)),
                agenda=topic,
                reflection=f"Reflection on {topic.lower()}.",
                problems="Who owns which decision.",
                skills="Delegation conversation" if n % 2 else "Feedback (situation, behaviour, impact)",
                feedback="Clearer asks; still rescues too early.",
                perspectives="Escalations are a signal about the system.",
                summary=f"Session {n}: {topic}.",
                private_notes=f"Coach only: session {n}, over-functioning again; explore the fear of looking absent.",
            )
        )
    records.append(
        planned_session(
            9,
            today + timedelta(days=4),
            time(9, 30),
            "Closing the gap on escalations",
            "Brightline office, meeting room 3",
        )
    )
    for i in range(8):
        records.append(
            CheckIn(
                id=f"c{i + 1}",
                on=start + timedelta(days=14 * i + 7),
                confidence=min(10, 4 + i // 2),
                progress=[
                    GoalProgress("g1", min(10, 1 + i)),
                    *([GoalProgress("g2", min(10, 2 + i))] if i < 7 else []),  # the last check-in skipped g2
                    GoalProgress("g3", max(0, i - 3)),
                ],
                blockers="Release crunch" if i in (3, 4) else "",
                note="",
            )
        )
    return client, records + _actions(start, today)


def _self_assessment() -> SelfAssessment:
    return SelfAssessment(
        strengths=["Technical judgement", "Calm under pressure", "Fairness"],
        development_areas=["Delegating", "Giving hard feedback early"],
        values=["Fairness", "Learning", "Trust", "Family"],
        career_aspirations="Ready for a CTO role within three years.",
        competencies=[
            CompetencyRating("Delegating", 2, 4),
            CompetencyRating("Developing others", 3, 5),
            CompetencyRating("Communicating with clarity", 3, 4),
            CompetencyRating("Making decisions", 4, 4),
            CompetencyRating("Managing conflict", 2, 4),
        ],
        balance=[BalanceRating(area, now, wanted) for area, now, wanted in BALANCE],
    )


def _goals(start: date) -> list[Record]:
    released = start + timedelta(days=30)
    return [
        measured_goal(
            "g1",
            "Build a bench of three leads who can run their teams without escalation",
            ("Escalations reaching Jonas per week", "15", "5"),
            start + timedelta(days=200),
            why="Jonas is the bottleneck for 40 engineers.",
            findings=("360: delegation is the largest gap between self and others",),
            released_on=released,
        ),
        measured_goal(
            "g2",
            "Give clear, timely feedback to direct reports",
            ("Feedback conversations a month", "1", "6"),
            start + timedelta(days=180),
            why="Feedback comes late, at review time.",
            released_on=released,
        ),
        measured_goal(
            "g3",
            "Protect two evenings a week for family",
            ("Evenings off a week", "0", "2"),
            start + timedelta(days=160),
            why="Health and family are at the bottom of the balance wheel.",
        ),
        *milestones(
            start,
            ("m1", "g1", "Each lead owns a quarterly plan", 60, 66, "Plans presented at the staff meeting."),
            ("m2", "g1", "Escalations down to 8 a week", 120, None, ""),
            ("m3", "g1", "Leads run the incident review without Jonas", 180, None, ""),
            ("m4", "g2", "Feedback model practised in three sessions", 45, 42, "Role-plays in sessions 3 to 5."),
            ("m5", "g2", "Monthly feedback one-to-ones in place", 100, 96, ""),
            ("m6", "g3", "Two evenings in the calendar for four weeks running", 90, None, ""),
        ),
    ]


def _actions(start: date, today: date) -> list[Record]:
    return [
        GoalAdjustment(
            id="adj1",
            goal_id="g3",
            made_on=start + timedelta(days=70),
            what_changed="Target date moved out by six weeks; target kept at two evenings.",
            reason="Release crunch in month two; agreed to restart after it.",
        ),
        *_planned_actions(start, today),
        Reflection(
            id="r1",
            on=today - timedelta(days=10),
            text="When I stayed out of the incident call, the leads handled it fine. That stung a little.",
        ),
    ]


def _planned_actions(start: date, today: date) -> list[Action]:
    day = timedelta(days=1)
    rows = (
        ("Map every recurring decision and its owner", start + 28 * day, start + 27 * day, "g1", 2, ""),
        ("Hold one feedback conversation a week", start + 70 * day, start + 68 * day, "g2", 4, ""),
        (
            "Let leads chair the incident review twice",
            today - 3 * day,
            None,
            "g1",
            8,
            "Two incidents hit the same week.",
        ),
        ("Block Tuesday and Thursday evenings", today + 6 * day, None, "g3", 8, ""),
    )
    return [
        Action(id=f"a{n}", title=title, due=due, done_on=done, goal_id=goal, session_number=number, obstacles=obstacles)
        for n, (title, due, done, goal, number, obstacles) in enumerate(rows, 1)
    ]
