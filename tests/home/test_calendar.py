"""Planning sessions in the practice's zone and the .ics files, parsed back with icalendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from coachkit.cli import main
from coachkit.model import FollowUp, Session
from coachkit.practice import Practice

Capsys = pytest.CaptureFixture[str]
BERLIN = ZoneInfo("Europe/Berlin")
CANARY = "Coach only"  # every private note in the demo starts with it


def _run(practice: Practice, *argv: str) -> int:
    return main(["--home", str(practice.home), *argv])


def _events(path: Path) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


@pytest.fixture
def berlin(demo_practice: Practice) -> Practice:
    """The demo practice, in Berlin."""
    (demo_practice.home / "practice.toml").write_text(
        '[home]\ntime_zone = "Europe/Berlin"\ncoach_name = "Alex Morgan"\n', encoding="utf-8"
    )
    return demo_practice


def test_plan_move_cancel_and_the_calendar_follows(berlin: Practice, tmp_path: Path, capsys: Capsys) -> None:
    assert (
        _run(
            berlin,
            "session",
            "plan",
            "ana-ruiz",
            "--at",
            "2026-12-03 09:00",
            "--minutes",
            "90",
            "--where",
            "Room 2, Linden St",
        )
        == 0
    )
    assert "Session 3 of ana-ruiz: 2026-12-03 09:00 (Europe/Berlin), 90 minutes, Room 2, Linden St." in (
        capsys.readouterr().out
    )
    planned = berlin.store.get("ana-ruiz", Session, "3")
    assert planned.starts_at == datetime(2026, 12, 3, 8, 0, tzinfo=UTC), "stored in UTC"
    assert (planned.status, planned.held_on, planned.place) == ("planned", date(2026, 12, 3), "Room 2, Linden St")

    ana_file, all_file = tmp_path / "ana.ics", tmp_path / "all.ics"
    assert _run(berlin, "calendar", "ana-ruiz", "--out", str(ana_file)) == 0
    first = _events(ana_file)
    s3 = first["Coaching session 3 with Alex Morgan (Ana Ruiz)"]
    assert s3["DTSTART"].dt == datetime(2026, 12, 3, 9, 0, tzinfo=BERLIN)
    assert s3["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert s3["DTEND"].dt - s3["DTSTART"].dt == timedelta(minutes=90)
    assert str(s3["LOCATION"]) == "Room 2, Linden St" and int(s3["SEQUENCE"]) == 0
    assert b"BEGIN:VTIMEZONE" in ana_file.read_bytes() and b"TZID:Europe/Berlin" in ana_file.read_bytes()
    assert all("Ana Ruiz" in summary for summary in first), "the client's file holds only her events"
    assert len([s for s in first if s.startswith("Coaching session")]) == 2  # sessions 2 and 3 are planned

    assert _run(berlin, "session", "reschedule", "ana-ruiz", "--number", "3", "--at", "2026-12-04 15:30") == 0
    moved = _events(_write(berlin, ana_file))
    s3b = moved["Coaching session 3 with Alex Morgan (Ana Ruiz)"]
    assert s3b["UID"] == s3["UID"] and int(s3b["SEQUENCE"]) == 1
    assert s3b["DTSTART"].dt == datetime(2026, 12, 4, 15, 30, tzinfo=BERLIN)
    assert s3b["DTEND"].dt - s3b["DTSTART"].dt == timedelta(minutes=90), "the length stays"
    assert str(s3b["LOCATION"]) == "Room 2, Linden St"

    assert _run(berlin, "session", "cancel", "ana-ruiz", "--number", "3") == 0
    cancelled = _events(_write(berlin, ana_file))["Coaching session 3 with Alex Morgan (Ana Ruiz)"]
    assert cancelled["UID"] == s3["UID"] and str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == 2
    history = berlin.store.history("ana-ruiz", Session, "3")
    assert [r.record.status for r in history if isinstance(r.record, Session)] == ["planned", "planned", "cancelled"]
    assert _run(berlin, "session", "move", "ana-ruiz", "--number", "3", "--at", "2026-12-05 10:00") == 1
    assert "cancelled" in capsys.readouterr().err

    assert _run(berlin, "calendar", "--all", "--out", str(all_file)) == 0
    everything = _events(all_file)
    mei = [e for s, e in everything.items() if "Mei Tanaka" in s]
    follow_ups = berlin.store.all("mei-tanaka", FollowUp)
    assert sorted(e["DTSTART"].dt for e in mei) == sorted(f.due for f in follow_ups), "one event per follow-up"
    assert not [s for s in everything if "Mei Tanaka" in s and "session" in s], "held sessions are history"
    for path in (ana_file, all_file):
        assert CANARY.encode() not in path.read_bytes(), "private notes never reach a calendar"
    uids = [str(e["UID"]) for e in everything.values()]
    assert len(uids) == len(set(uids))


def _write(practice: Practice, path: Path) -> Path:
    assert _run(practice, "calendar", "ana-ruiz", "--out", str(path)) == 0
    return path


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["session", "plan", "ana-ruiz", "--at", "3 Dec 9am"], "YYYY-MM-DD HH:MM"),
        (["session", "plan", "ana-ruiz", "--at", "2027-03-28 02:30"], "does not exist in Europe/Berlin"),
        (["session", "plan", "ana-ruiz"], "--at"),
        (["session", "plan", "ana-ruiz", "--at", "2026-12-03 09:00", "--minutes", "1"], "duration_minutes"),
        (["session", "cancel", "ana-ruiz", "--number", "1"], "held"),
        (["calendar", "--out", "x.ics"], "CLIENT"),
        (["calendar", "ana-ruiz", "--out", "x.txt"], ".ics"),
    ],
)
def test_bad_input_is_one_plain_line(berlin: Practice, capsys: Capsys, argv: list[str], words: str) -> None:
    before = berlin.store.all("ana-ruiz", Session)
    assert _run(berlin, *argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0] and "Traceback" not in err[0]
    assert berlin.store.all("ana-ruiz", Session) == before


def test_session_client_still_renders_a_workbook_argument_parse(berlin: Practice) -> None:
    from coachkit.cli import build_parser

    args = build_parser().parse_args(["session", "ana-ruiz", "--number", "2"])
    assert (args.client_id, args.verb_client, args.number) == ("ana-ruiz", None, 2)
