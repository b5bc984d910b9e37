"""The demo practice: three realistic engagements at different stages, the same every time for
the same ``today``, plus any number of synthetic clients for benchmarks."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from coachkit.demo_assessments import add_assessments
from coachkit.model import (
    Action,
    Agreement,
    BalanceRating,
    CheckIn,
    Client,
    ClosureReflection,
    CompetencyRating,
    Engagement,
    Goal,
    GoalAdjustment,
    GoalChange,
    GoalEvaluation,
    GoalProgress,
    InitialMeeting,
    Milestone,
    Record,
    Reflection,
    SelfAssessment,
    Session,
    Sponsor,
    TransitionPlan,
    accept_agreement,
)
from coachkit.model.rules import schedule_follow_ups
from coachkit.practice import Practice

DEMO_CLIENTS = ("Ana Ruiz", "Jonas Becker", "Mei Tanaka")


def build_demo(practice: Practice, *, today: date, synthetic: int = 0) -> list[str]:
    """Add the demo clients (skipping any that exist by name) and ``synthetic`` generated ones;
    returns the ids of the demo clients followed by the synthetic ones."""
    existing = {c.name: c.id for c, _ in practice.store.roster()}
    ids: list[str] = []
    for name, builder in zip(DEMO_CLIENTS, (_just_contracted, _mid_engagement, _closed), strict=True):
        if name in existing:
            ids.append(existing[name])
            continue
        client, records = builder(today)
        saved = practice.store.add_client(client)
        practice.store.save_all(saved.id, records)
        ids.append(saved.id)
    add_assessments(practice, ids, today)
    for n in range(1, synthetic + 1):
        name = f"Synthetic Client {n:04d}"
        if name in existing:
            ids.append(existing[name])
            continue
        client, records = synthetic_engagement(name, today, seed=n)
        saved = practice.store.add_client(client)
        practice.store.save_all(saved.id, records)
        ids.append(saved.id)
    return ids


def _agreement(start: date, sessions: int, accepted_by: str, manager_separate: bool) -> Agreement:
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


def _just_contracted(today: date) -> tuple[Client, list[Record]]:
    start = today - timedelta(days=9)
    client = Client(
        id="new",
        name="Ana Ruiz",
        email="ana.ruiz@example.org",
        role="Head of Operations",
        organisation="Northwind Logistics",
    )
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
        _agreement(start, 12, "Ana Ruiz", manager_separate=False),
        Goal(
            id="g1",
            objective="Delegate operational decisions to the three site leads",
            why="Ana spends most evenings on decisions her leads could make.",
            measure="Hours a week on site-level decisions",
            baseline="12 hours",
            target="4 hours",
            target_date=start + timedelta(days=150),
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
        Session(
            id="2",
            number=2,
            held_on=today + timedelta(days=5),
            status="planned",
            agenda="360 nominations",
            starts_at=datetime.combine(today + timedelta(days=5), time(14, 0), tzinfo=UTC),
            place="Video call: https://meet.example.org/ana-ruiz",
        ),
        Action(
            id="a1", title="Nominate six 360 raters", owner="client", due=today + timedelta(days=3), session_number=1
        ),
    ]
    return client, records


def _mid_engagement(today: date) -> tuple[Client, list[Record]]:
    start = today - timedelta(days=120)
    client = Client(
        id="new",
        name="Jonas Becker",
        email="jonas.becker@example.org",
        role="VP Engineering",
        organisation="Brightline Software",
    )
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
        _agreement(start, 14, "Jonas Becker", manager_separate=True),
        SelfAssessment(
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
            balance=[
                BalanceRating(a, n, w)
                for a, n, w in (
                    ("Work and career", 8, 7),
                    ("Money", 7, 7),
                    ("Health and energy", 4, 8),
                    ("Family", 5, 9),
                    ("Friends and community", 4, 6),
                    ("Personal growth", 6, 8),
                    ("Fun and rest", 3, 7),
                    ("Home and surroundings", 7, 7),
                )
            ],
        ),
        Goal(
            id="g1",
            objective="Build a bench of three leads who can run their teams without escalation",
            why="Jonas is the bottleneck for 40 engineers.",
            measure="Escalations reaching Jonas per week",
            baseline="15",
            target="5",
            target_date=start + timedelta(days=200),
            findings=["360: delegation is the largest gap between self and others"],
            released_to_sponsor=True,
            released_on=start + timedelta(days=30),
        ),
        Goal(
            id="g2",
            objective="Give clear, timely feedback to direct reports",
            why="Feedback comes late, at review time.",
            measure="Feedback conversations a month",
            baseline="1",
            target="6",
            target_date=start + timedelta(days=180),
            released_to_sponsor=True,
            released_on=start + timedelta(days=30),
        ),
        Goal(
            id="g3",
            objective="Protect two evenings a week for family",
            why="Health and family are at the bottom of the balance wheel.",
            measure="Evenings off a week",
            baseline="0",
            target="2",
            target_date=start + timedelta(days=160),
        ),
        Milestone(
            id="m1",
            goal_id="g1",
            title="Each lead owns a quarterly plan",
            target_date=start + timedelta(days=60),
            done_on=start + timedelta(days=66),
            evidence="Plans presented at the staff meeting.",
        ),
        Milestone(id="m2", goal_id="g1", title="Escalations down to 8 a week", target_date=start + timedelta(days=120)),
        Milestone(
            id="m3",
            goal_id="g1",
            title="Leads run the incident review without Jonas",
            target_date=start + timedelta(days=180),
        ),
        Milestone(
            id="m4",
            goal_id="g2",
            title="Feedback model practised in three sessions",
            target_date=start + timedelta(days=45),
            done_on=start + timedelta(days=42),
            evidence="Role-plays in sessions 3 to 5.",
        ),
        Milestone(
            id="m5",
            goal_id="g2",
            title="Monthly feedback one-to-ones in place",
            target_date=start + timedelta(days=100),
            done_on=start + timedelta(days=96),
        ),
        Milestone(
            id="m6",
            goal_id="g3",
            title="Two evenings in the calendar for four weeks running",
            target_date=start + timedelta(days=90),
        ),
    ]
    topics = [
        "Goals and the 360 plan",
        "360 debrief",
        "Delegation map",
        "Feedback practice",
        "Feedback practice II",
        "Mid-point review",
        "Leads as a team",
        "Energy and boundaries",
    ]
    for n, topic in enumerate(topics, 1):
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
        Session(
            id="9",
            number=9,
            held_on=today + timedelta(days=4),
            status="planned",
            agenda="Closing the gap on escalations",
            starts_at=datetime.combine(today + timedelta(days=4), time(9, 30), tzinfo=UTC),
            place="Brightline office, meeting room 3",
        )
    )
    for i in range(8):
        on = start + timedelta(days=14 * i + 7)
        records.append(
            CheckIn(
                id=f"c{i + 1}",
                on=on,
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
    records += [
        GoalAdjustment(
            id="adj1",
            goal_id="g3",
            made_on=start + timedelta(days=70),
            what_changed="Target date moved out by six weeks; target kept at two evenings.",
            reason="Release crunch in month two; agreed to restart after it.",
        ),
        Action(
            id="a1",
            title="Map every recurring decision and its owner",
            due=start + timedelta(days=28),
            done_on=start + timedelta(days=27),
            goal_id="g1",
            session_number=2,
        ),
        Action(
            id="a2",
            title="Hold one feedback conversation a week",
            due=start + timedelta(days=70),
            done_on=start + timedelta(days=68),
            goal_id="g2",
            session_number=4,
        ),
        Action(
            id="a3",
            title="Let leads chair the incident review twice",
            due=today - timedelta(days=3),
            goal_id="g1",
            session_number=8,
            obstacles="Two incidents hit the same week.",
        ),
        Action(
            id="a4",
            title="Block Tuesday and Thursday evenings",
            due=today + timedelta(days=6),
            goal_id="g3",
            session_number=8,
        ),
        Reflection(
            id="r1",
            on=today - timedelta(days=10),
            text="When I stayed out of the incident call, the leads handled it fine. That stung a little.",
        ),
    ]
    return client, records


def _closed(today: date) -> tuple[Client, list[Record]]:
    end = today - timedelta(days=200)
    start = end - timedelta(days=180)
    client = Client(
        id="new",
        name="Mei Tanaka",
        email="mei.tanaka@example.org",
        role="Chief Financial Officer",
        organisation="Harbour Health",
    )
    records: list[Record] = [
        Sponsor(id="sp1", name="Grace Adeyemi", email="grace@example.org", role="CEO", relationship="manager"),
        Engagement(start=start, planned_end=end, planned_sessions=12, status="closed", phase=7, ended_on=end),
        _agreement(start, 12, "Mei Tanaka", manager_separate=False),
        Goal(
            id="g1",
            objective="Present strategy to the board with confidence",
            measure="Board feedback score (1-5)",
            baseline="2.8",
            target="4.0",
            target_date=end,
            status="achieved",
            released_to_sponsor=True,
            released_on=start + timedelta(days=20),
        ),
        Goal(
            id="g2",
            objective="Build trust with the clinical directors",
            measure="Joint decisions a quarter",
            baseline="1",
            target="4",
            target_date=end,
            status="achieved",
        ),
        Milestone(
            id="m1",
            goal_id="g1",
            title="Rehearsed board pack with the coach",
            target_date=start + timedelta(days=60),
            done_on=start + timedelta(days=58),
        ),
        Milestone(
            id="m2",
            goal_id="g2",
            title="Monthly round-table with clinical directors",
            target_date=start + timedelta(days=90),
            done_on=start + timedelta(days=95),
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
    follow_ups = schedule_follow_ups(end)
    follow_ups[0].held, follow_ups[0].held_on = True, end + timedelta(days=31)
    follow_ups[0].changes = [GoalChange("g1", 2), GoalChange("g2", 2)]
    follow_ups[0].notes = "Gains holding; board pack rehearsed as planned."
    follow_ups[1].held, follow_ups[1].held_on = True, end + timedelta(days=92)
    follow_ups[1].changes = [GoalChange("g1", 2), GoalChange("g2", 1)]
    follow_ups[1].notes = "Round-table slipped once during budget season."
    records += follow_ups
    return client, records


def synthetic_engagement(name: str, today: date, *, seed: int, sessions: int = 10) -> tuple[Client, list[Record]]:
    """A generated engagement (for benchmarks): goals, milestones, sessions, check-ins, actions."""
    rng = random.Random(seed)
    start = today - timedelta(days=rng.randint(30, 150))
    client = Client(
        id="new",
        name=name,
        email=f"client{seed}@example.org",
        role="Director",
        organisation=rng.choice(["Acme Corp", "Globex", "Initech", "Umbrella Health"]),
    )
    records: list[Record] = [
        Engagement(start=start, planned_end=start + timedelta(days=180), planned_sessions=12, status="active", phase=4),
        _agreement(start, 12, name, manager_separate=False),
    ]
    goals = [f"g{i}" for i in range(1, 4)]
    for i, gid in enumerate(goals, 1):
        records.append(
            Goal(
                id=gid,
                objective=f"Goal {i} of {name}",
                measure="Score",
                baseline="2",
                target="4",
                target_date=start + timedelta(days=170),
                released_to_sponsor=i == 1,
                released_on=start if i == 1 else None,
            )
        )
        records.append(
            Milestone(id=f"m{i}", goal_id=gid, title=f"Milestone {i}", target_date=start + timedelta(days=60 * i))
        )
    for n in range(1, sessions + 1):
        held = start + timedelta(days=14 * (n - 1))
        records.append(
            Session(
                id=str(n),
                number=n,
                held_on=held,
                status="held" if held <= today else "planned",
                agenda=f"Agenda {n}",
                private_notes=f"Private note {n}",
            )
        )
        records.append(
            CheckIn(
                id=f"c{n}",
                on=held + timedelta(days=7),
                progress=[GoalProgress(g, min(10, rng.randint(0, n))) for g in goals],
                confidence=rng.randint(3, 9),
            )
        )
        records.append(
            Action(
                id=f"a{n}",
                title=f"Action {n}",
                due=held + timedelta(days=10),
                done_on=held + timedelta(days=9) if rng.random() < 0.6 else None,
                session_number=n,
            )
        )
    return client, records
