"""Plans, moves and cancels in any order: the calendar keeps one event per session, its UID never
changes, SEQUENCE never goes down and rises with every change, and the times are the last plan's."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from coachkit.home import schedule
from coachkit.home.calendar_ics import practice_calendar
from coachkit.model import Engagement
from coachkit.practice import Practice, init_practice

ZONE = ZoneInfo("Europe/Berlin")
BASE = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
CLIENT = "kai-lund"


class Schedule(RuleBasedStateMachine):
    """The coach plans, moves and cancels; after each step the calendar is written and read back."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="coachkit-schedule-"))
        self.practice: Practice = init_practice(self.folder / "practice")
        self.expected: dict[str, tuple[datetime, int, str]] = {}  # number -> (start, minutes, status)
        self.uids: dict[str, str] = {}
        self.sequences: dict[str, int] = {}
        self.changes: dict[str, int] = {}

    @initialize()
    def client(self) -> None:
        cid = self.practice.add_client("Kai Lund").id
        assert cid == CLIENT
        self.practice.store.save(
            cid, Engagement(start=date(2026, 11, 1), planned_end=date(2027, 5, 1), status="active")
        )

    def _planned(self) -> list[str]:
        return [n for n, (_, _, status) in self.expected.items() if status == "planned"]

    @rule(hours=st.integers(0, 24 * 60), minutes=st.sampled_from([30, 45, 60, 90]))
    def plan(self, hours: int, minutes: int) -> None:
        start = BASE + timedelta(hours=hours)
        s = schedule.plan_session(self.practice.store, CLIENT, start, zone=ZONE, minutes=minutes, where="Room 1")
        self.expected[s.id] = (start, minutes, "planned")
        self.changes[s.id] = 0

    @precondition(lambda self: bool(self._planned()))
    @rule(data=st.data(), hours=st.integers(0, 24 * 60))
    def move(self, data: st.DataObject, hours: int) -> None:
        number = data.draw(st.sampled_from(self._planned()))
        start = BASE + timedelta(hours=hours)
        schedule.reschedule_session(self.practice.store, CLIENT, int(number), start, zone=ZONE)
        old_start, minutes, _ = self.expected[number]
        self.expected[number] = (start, minutes, "planned")
        self.changes[number] += int(start != old_start)

    @precondition(lambda self: bool(self._planned()))
    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        number = data.draw(st.sampled_from(self._planned()))
        schedule.cancel_session(self.practice.store, CLIENT, int(number))
        start, minutes, _ = self.expected[number]
        self.expected[number] = (start, minutes, "cancelled")
        self.changes[number] += 1

    @invariant()
    def the_calendar_follows(self) -> None:
        data = practice_calendar(self.practice.store, [CLIENT], zone=ZONE, now=BASE)
        events = list(icalendar.Calendar.from_ical(data).walk("VEVENT"))
        sessions = {str(e["SUMMARY"]).split()[2]: e for e in events if str(e["SUMMARY"]).startswith("Coaching session")}
        assert set(sessions) == set(self.expected)
        for number, event in sessions.items():
            start, minutes, status = self.expected[number]
            assert event["DTSTART"].dt == start.astimezone(ZONE)
            assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(minutes=minutes)
            assert str(event["STATUS"]) == ("CANCELLED" if status == "cancelled" else "CONFIRMED")
            uid, sequence = str(event["UID"]), int(event["SEQUENCE"])
            assert self.uids.setdefault(number, uid) == uid, "a session keeps its UID"
            assert sequence >= self.sequences.get(number, 0), "SEQUENCE never goes down"
            assert sequence == self.changes[number], "SEQUENCE counts the changes"
            self.sequences[number] = sequence

    def teardown(self) -> None:
        self.practice.close()
        shutil.rmtree(self.folder, ignore_errors=True)


Schedule.TestCase.settings = settings(
    max_examples=8, stateful_step_count=8, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
test_plans_moves_and_cancels_in_any_order = Schedule.TestCase
