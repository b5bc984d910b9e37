"""The plan-a-session form of the session and progress workbooks, built headless."""

from __future__ import annotations

from datetime import UTC, datetime

import nbformat

from coachkit.model import Session
from coachkit.pages.schedule_form import PlanSessionForm
from coachkit.practice import Practice
from coachkit.render import template_path


def test_plan_from_the_workbook_and_refusals_beside_the_field(demo_practice: Practice) -> None:
    (demo_practice.home / "practice.toml").write_text('[home]\ntime_zone = "America/New_York"\n', encoding="utf-8")
    form = PlanSessionForm(str(demo_practice.home), "jonas-becker")
    assert "session 9 on " in form.planned.value and "meeting room 3" in form.planned.value
    before = demo_practice.store.all("jonas-becker", Session)

    form.form["at"].widget.value = "next Tuesday"
    form.form.button.click()
    assert "YYYY-MM-DD HH:MM" in form.form["at"].message.value
    form.form["at"].widget.value = "2027-03-14 02:30"
    form.form.button.click()
    assert "does not exist in America/New_York" in form.form["at"].message.value
    assert demo_practice.store.all("jonas-becker", Session) == before, "nothing saved"

    form.form["at"].widget.value = "2026-12-09 17:00"
    form.form["minutes"].widget.value = 45
    form.form["where"].widget.value = "Video: https://meet.example.org/jb"
    form.form.button.click()
    assert form.form.status.value == "Session 10 planned for 2026-12-09 17:00 ✓"
    saved = demo_practice.store.get("jonas-becker", Session, "10")
    assert saved.starts_at == datetime(2026, 12, 9, 22, 0, tzinfo=UTC)
    assert (saved.duration_minutes, saved.place, saved.status) == (45, "Video: https://meet.example.org/jb", "planned")
    assert "session 10 on 2026-12-09 17:00" in form.planned.value
    assert form.form["at"].widget.value == "", "ready for the next one"


def test_an_unknown_client_shows_a_sentence_not_a_form(demo_practice: Practice) -> None:
    form = PlanSessionForm(str(demo_practice.home), "nobody-here")
    assert "No client" in form.widget.children[0].value


def test_the_session_and_progress_workbooks_hold_the_form() -> None:
    for phase in (4, 5):
        sources = [c.source for c in nbformat.read(template_path(phase), as_version=4).cells]
        assert "workbook.part(page, schedule_form.plan_next_part)" in "\n".join(sources)
