"""Generated engagements for benchmarks: any number of clients, each the same for the same seed."""

from __future__ import annotations

import random
from datetime import date, timedelta

from coachkit.demo.parts import agreement
from coachkit.model import Action, CheckIn, Client, Engagement, Goal, GoalProgress, Milestone, Record, Session


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
        agreement(start, 12, name),
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
