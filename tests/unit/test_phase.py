"""The phase follows the work, a recorded override wins, every audience's view of a case has the
same phase, and one week count serves every view."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from coachkit.model import (
    Agreement,
    CaseFile,
    CheckIn,
    Client,
    ClosureReflection,
    Engagement,
    FollowUp,
    Goal,
    Record,
    SelfAssessment,
    Session,
    accept_agreement,
)
from coachkit.model.disclosure import disclose
from coachkit.model.engagement import PhaseOverride
from coachkit.model.phase import current_phase, derived_phase, engagement_week, engagement_weeks

START = date(2026, 1, 5)


def _file(*records: Record) -> CaseFile:
    engagement = Engagement(start=START, planned_end=START + timedelta(days=182), status="active")
    return CaseFile.of(Client(id="c", name="C"), [Client(id="c", name="C"), engagement, *records])


ACCEPTED = accept_agreement(Agreement(id="1", version=1, objectives="Lead"), "C", datetime(2026, 1, 6, tzinfo=UTC))
ASSESSED = SelfAssessment(strengths=["Calm"])
PLANNED = Goal(id="g1", objective="Delegate", measure="hours", target="10", target_date=date(2026, 6, 1))
HELD = [Session(id=str(n), number=n, held_on=START + timedelta(days=14 * n)) for n in (1, 2)]
CHECKED = CheckIn(id="c1", on=START + timedelta(days=20), confidence=6)
CLOSED = ClosureReflection(successes="Delegates now")
FOLLOWED = FollowUp(id="f30", due=date(2026, 8, 1), held=True, held_on=date(2026, 8, 1))


def test_each_step_of_the_work_moves_the_phase_on() -> None:
    steps: list[Record] = []
    assert derived_phase(_file()) == 1
    for record, phase in (
        (ACCEPTED, 2),
        (ASSESSED, 3),
        (PLANNED, 4),
        (HELD[0], 4),
        (HELD[1], 4),
        (CHECKED, 5),
        (CLOSED, 6),
        (FOLLOWED, 7),
    ):
        steps.append(record)
        assert derived_phase(_file(*steps)) == phase, record.KIND


def test_sessions_before_an_agreement_do_not_skip_the_assessment_but_a_plan_with_sessions_does() -> None:
    assert derived_phase(_file(ACCEPTED, HELD[0])) == 2
    assert derived_phase(_file(ACCEPTED, PLANNED, *HELD)) == 4  # the work clearly moved on


def test_an_engagement_that_ended_is_at_closure_or_follow_up() -> None:
    ended = Engagement(start=START, planned_end=START + timedelta(days=182), status="closed")
    base = [Client(id="c", name="C"), ended, ACCEPTED]
    assert derived_phase(CaseFile.of(Client(id="c", name="C"), base)) == 6
    planned = FollowUp(id="f90", due=date(2026, 10, 1))
    assert derived_phase(CaseFile.of(Client(id="c", name="C"), [*base, planned])) == 7


def test_a_recorded_override_wins_and_none_follows_the_work_again() -> None:
    file = _file(ACCEPTED, ASSESSED)
    assert current_phase(file) == 3
    assert current_phase(_file(ACCEPTED, ASSESSED, PhaseOverride(phase=6, reason="by hand"))) == 6
    assert current_phase(_file(ACCEPTED, ASSESSED, PhaseOverride(phase=None))) == 3


def test_every_audience_sees_the_phase_of_the_whole_case() -> None:
    file = _file(ACCEPTED, ASSESSED, PLANNED, *HELD, CHECKED)  # the goal is not released
    assert current_phase(file) == 5
    for audience in ("client", "sponsor", "coach"):
        assert current_phase(disclose(file, audience)) == 5, audience


def test_one_week_count_for_every_view() -> None:
    e = Engagement(start=START, planned_end=START + timedelta(days=182))
    assert engagement_weeks(e) == 26
    assert engagement_week(e, START) == (1, 26)
    assert engagement_week(e, START + timedelta(days=6)) == (1, 26)
    assert engagement_week(e, START + timedelta(days=7)) == (2, 26)
    assert engagement_week(e, START - timedelta(days=3)) == (1, 26)
    assert engagement_week(e, START + timedelta(days=400)) == (26, 26)
    assert engagement_weeks(Engagement(start=START, planned_end=START + timedelta(days=183))) == 27
    assert engagement_weeks(Engagement(start=START, planned_end=START)) == 1
