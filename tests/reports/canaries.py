"""Canaries (text that must never reach a sponsor), client text that looks like HTML, and one
client whose stored data is damaged: seeded into a copy of the demo practice for the report tests."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

from coachkit.model import CheckIn, ClosureReflection, Engagement, Goal, GoalProgress, Reflection, Session
from coachkit.practice import open_practice

TODAY = date(2026, 11, 21)
JONAS = "jonas-becker"
MEI = "mei-tanaka"
BROKEN = "broken-client"
XSS = "Lead <img src=x onerror=alert(1)> reviews and <script>alert(1)</script> calmly"
XSS_ESCAPED = "Lead &lt;img src=x onerror=alert(1)&gt; reviews and &lt;script&gt;alert(1)&lt;/script&gt; calmly"
RELEASED_TEXT = "Build a bench of three leads who can run their teams without escalation"

# What a sponsor must never read: seeded canaries, and text the demo already holds.
NEVER_FOR_SPONSOR = {
    "unreleased goal": "CANARY-UNRELEASED-GOAL",
    "reflection": "CANARY-REFLECTION",
    "check-in blockers": "CANARY-BLOCKER",
    "check-in note": "CANARY-CHECKIN-NOTE",
    "session private notes": "CANARY-PRIVATE-NOTE",
    "session content": "CANARY-SESSION-AGENDA",
    "demo unreleased goal": "Protect two evenings a week for family",
    "demo reflection": "When I stayed out of the incident call",
    "demo private notes": "Coach only:",
    "demo blockers": "Release crunch",
    "demo action": "Map every recurring decision",
    "demo session content": "Reflection on delegation map",
    "demo goal why": "Jonas is the bottleneck for 40 engineers",
}
CLIENT_EVALUATION = "CANARY-CLIENT-EVALUATION"  # the client's evaluation of the coaching: coach only
PRIVATE_NOTE = NEVER_FOR_SPONSOR["session private notes"]


def seed(template: Path, home: Path) -> Path:
    """Copy the demo practice to ``home`` and add the canaries and the damaged client."""
    shutil.copytree(template, home)
    with open_practice(home) as practice:
        store = practice.store
        store.save_all(
            JONAS,
            [
                Goal(id="g8", objective=XSS, released_to_sponsor=True, released_on=TODAY - timedelta(days=20)),
                Goal(id="g9", objective=f"{NEVER_FOR_SPONSOR['unreleased goal']}: a goal kept private"),
                Reflection(id="r9", on=TODAY - timedelta(days=2), text=NEVER_FOR_SPONSOR["reflection"]),
                CheckIn(
                    id="c9",
                    on=TODAY - timedelta(days=1),
                    progress=[GoalProgress("g1", 8), GoalProgress("g8", 3), GoalProgress("g9", 5)],
                    confidence=7,
                    blockers=NEVER_FOR_SPONSOR["check-in blockers"],
                    note=NEVER_FOR_SPONSOR["check-in note"],
                ),
                Session(
                    id="10",
                    number=10,
                    held_on=TODAY - timedelta(days=3),
                    agenda=NEVER_FOR_SPONSOR["session content"],
                    private_notes=PRIVATE_NOTE,
                ),
            ],
        )
        closure = store.get(MEI, ClosureReflection, "closure")
        closure.client_evaluation = CLIENT_EVALUATION
        store.save(MEI, closure)
        broken = practice.add_client("Broken Client")
        store.save_all(
            broken.id,
            [
                Engagement(
                    start=TODAY - timedelta(days=30), planned_end=TODAY + timedelta(days=150), planned_sessions=10
                ),
                Goal(id="g1", objective="A goal whose stored data gets damaged"),
            ],
        )
        assert broken.id == BROKEN
    db = sqlite3.connect(home / "data" / "coachkit.db")
    with db:
        db.execute("UPDATE records SET data = '{\"objective\": ' WHERE client_id = ? AND kind = 'goal'", (BROKEN,))
    db.close()
    return home
