"""The rules over a case file, with concrete dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from coachkit.errors import Conflict
from coachkit.model import (
    Action,
    Agreement,
    CaseFile,
    CheckIn,
    Client,
    Engagement,
    FollowUp,
    Goal,
    GoalAdjustment,
    GoalChange,
    GoalProgress,
    Milestone,
    Record,
    Session,
    accept_agreement,
    next_agreement,
    rules,
)

START = date(2026, 1, 5)  # a Monday
CLIENT = Client(id="ana-ruiz", name="Ana Ruiz")


def file_of(*records: Record) -> CaseFile:
    return CaseFile.of(CLIENT, [CLIENT, *records])


def engagement(status: str = "active", **kw: object) -> Engagement:
    return Engagement(start=START, planned_end=START + timedelta(days=180), status=status, **kw)  # type: ignore[arg-type]


# -- overdue -----------------------------------------------------------------------------------


def test_overdue_actions_are_open_and_past_their_due_date() -> None:
    file = file_of(
        Action(id="a1", title="Past, open", due=date(2026, 2, 1)),
        Action(id="a2", title="Past, done", due=date(2026, 2, 1), done_on=date(2026, 2, 3)),
        Action(id="a3", title="Due today", due=date(2026, 2, 10)),
        Action(id="a4", title="No date"),
        Action(id="a5", title="Long past, open", due=date(2026, 1, 10)),
    )
    today = date(2026, 2, 10)
    assert [a.id for a in rules.overdue_actions(file, today)] == ["a5", "a1"]  # by due date
    assert [a.id for a in rules.overdue_actions(file, date(2026, 2, 11))] == ["a5", "a1", "a3"]
    assert [a.id for a in rules.open_actions(file)] == ["a5", "a1", "a3", "a4"]  # undated last


def test_overdue_milestones_and_milestone_counts() -> None:
    file = file_of(
        Goal(id="g1", objective="Delegate"),
        Milestone(id="m1", goal_id="g1", title="Plans", target_date=date(2026, 2, 1), done_on=date(2026, 2, 4)),
        Milestone(id="m2", goal_id="g1", title="Escalations down", target_date=date(2026, 3, 1)),
        Milestone(id="m3", goal_id="g1", title="Undated"),
        Milestone(id="m4", goal_id="g2", title="Other goal", target_date=date(2026, 2, 15)),
    )
    assert [m.id for m in rules.overdue_milestones(file, date(2026, 3, 2))] == ["m2", "m4"]
    assert rules.overdue_milestones(file, date(2026, 2, 1)) == []
    assert rules.milestones_done(file, "g1") == (1, 3)
    assert rules.milestones_done(file, "none") == (0, 0)
    assert rules.milestones_due_by(file, date(2026, 2, 3)) == (0, 1)
    assert rules.milestones_due_by(file, date(2026, 2, 20)) == (1, 2)
    assert [m.id for m in file.milestones_of("g1")] == ["m1", "m2", "m3"]


# -- sessions and stalls -----------------------------------------------------------------------


def test_session_counts_and_dates() -> None:
    file = file_of(
        engagement(),
        Session(id="1", number=1, held_on=date(2026, 1, 5)),
        Session(id="2", number=2, held_on=date(2026, 1, 19)),
        Session(id="3", number=3, held_on=date(2026, 2, 2), status="cancelled"),
        Session(id="4", number=4, held_on=date(2026, 2, 16), status="planned"),
    )
    assert rules.sessions_held(file) == 2
    assert rules.next_session_number(file) == 5
    assert rules.next_session_number(file_of()) == 1
    assert rules.last_session_date(file) == date(2026, 1, 19)
    assert rules.next_planned_session(file, date(2026, 2, 10)) == date(2026, 2, 16)
    assert rules.next_planned_session(file, date(2026, 2, 17)) is None


def test_a_stall_is_three_weeks_without_a_session_and_none_planned() -> None:
    last = date(2026, 1, 19)
    held = Session(id="1", number=1, held_on=last)
    file = file_of(engagement(), held)
    assert not rules.is_stalled(file, last + timedelta(days=20))
    assert rules.is_stalled(file, last + timedelta(days=21))
    planned = Session(id="2", number=2, held_on=last + timedelta(days=30), status="planned")
    assert not rules.is_stalled(file_of(engagement(), held, planned), last + timedelta(days=25))
    # a planned session in the past does not count
    assert rules.is_stalled(file_of(engagement(), held, planned), last + timedelta(days=31))


def test_a_stall_counts_from_the_start_when_nothing_was_held() -> None:
    assert not rules.is_stalled(file_of(engagement()), START + timedelta(days=20))
    assert rules.is_stalled(file_of(engagement()), START + timedelta(days=21))
    assert rules.is_stalled(file_of(engagement("closing")), START + timedelta(days=60))


@pytest.mark.parametrize("status", ["contracting", "closed", "ended-early"])
def test_only_running_engagements_stall(status: str) -> None:
    assert not rules.is_stalled(file_of(engagement(status)), START + timedelta(days=400))


def test_no_engagement_no_stall() -> None:
    assert not rules.is_stalled(file_of(), START + timedelta(days=400))


# -- realism -----------------------------------------------------------------------------------


def _goal(n: int, **kw: object) -> Goal:
    return Goal(id=f"g{n}", objective=f"Goal {n}", measure="Hours", target="4", **kw)  # type: ignore[arg-type]


def test_a_sound_plan_has_no_warnings() -> None:
    file = file_of(
        engagement(),
        _goal(1, target_date=date(2026, 6, 1)),
        Milestone(id="m1", goal_id="g1", title="Halfway", target_date=date(2026, 3, 1)),
    )
    assert rules.realism_warnings(file) == []


def test_realism_warnings() -> None:
    end = START + timedelta(days=180)
    file = file_of(
        engagement(),
        *[_goal(n) for n in range(1, 6)],
        Goal(id="g6", objective="Be better", target_date=date(2026, 6, 1)),  # no measure, no target
        _goal(7, target_date=end + timedelta(days=181)),  # long after the end
        _goal(8, target_date=end + timedelta(days=180)),  # just within
        Milestone(id="m1", goal_id="g6", title="Late step", target_date=date(2026, 6, 2)),
        _goal(9, status="on-hold", target_date=end + timedelta(days=400)),  # on hold: not counted
    )
    warnings = rules.realism_warnings(file)
    assert len(warnings) == 4, warnings
    assert warnings[0].startswith("There are 8 active goals; more than 5")
    assert "Goal “Be better” has no measurable target yet" in warnings[1]
    assert "Milestone “Late step” is due 2026-06-02, after its goal's target date 2026-06-01." in warnings[2]
    assert "Goal “Goal 7” is due long after the engagement's planned end (2026-07-04)." in warnings[3]


def test_five_active_goals_are_not_too_many() -> None:
    assert rules.realism_warnings(file_of(*[_goal(n) for n in range(1, 6)])) == []


# -- follow-ups and progress -------------------------------------------------------------------


def test_follow_ups_are_scheduled_30_90_180_days_after_the_end() -> None:
    end = date(2026, 6, 30)
    follow_ups = rules.schedule_follow_ups(end)
    assert [(f.id, f.due, f.days_after_end) for f in follow_ups] == [
        ("d30", date(2026, 7, 30), 30),
        ("d90", date(2026, 9, 28), 90),
        ("d180", date(2026, 12, 27), 180),
    ]
    assert [f.id for f in rules.schedule_follow_ups(end, (90, 14, 90))] == ["d14", "d90"]
    for f in follow_ups:
        f.validate()


def test_due_follow_ups_and_sustainment() -> None:
    held = FollowUp(
        id="d30", due=date(2026, 7, 30), held=True, held_on=date(2026, 7, 31), changes=[GoalChange("g1", 2)]
    )
    d90 = FollowUp(id="d90", due=date(2026, 9, 28), days_after_end=90)
    d180 = FollowUp(id="d180", due=date(2026, 12, 27), days_after_end=180)
    file = file_of(d180, held, d90)
    assert rules.due_follow_ups(file, date(2026, 9, 27)) == []
    assert [f.id for f in rules.due_follow_ups(file, date(2026, 9, 28))] == ["d90"]
    assert [f.id for f in rules.due_follow_ups(file, date(2027, 1, 1))] == ["d90", "d180"]
    assert rules.sustainment_series(file, "g1") == [(30, 2)]
    assert rules.sustainment_series(file, "g2") == []


def test_latest_progress_and_series() -> None:
    file = file_of(
        CheckIn(id="c3", on=date(2026, 3, 1), progress=[GoalProgress("g2", 7)]),
        CheckIn(id="c1", on=date(2026, 1, 10), progress=[GoalProgress("g1", 2), GoalProgress("g2", 1)]),
        CheckIn(id="c2", on=date(2026, 2, 1), progress=[GoalProgress("g1", 5)]),
    )
    assert rules.latest_progress(file, "g1") == 5  # the newest check-in that rated it, not the newest saved
    assert rules.latest_progress(file, "g2") == 7
    assert rules.latest_progress(file, "g3") is None
    assert rules.progress_series(file, "g1") == [(date(2026, 1, 10), 2), (date(2026, 2, 1), 5)]


def test_active_goals_and_release() -> None:
    goal = _goal(1)
    file = file_of(goal, _goal(2, status="achieved"), _goal(3, status="dropped"))
    assert [g.id for g in rules.active_goals(file)] == ["g1"]
    released = rules.with_release(goal, True, date(2026, 2, 1))
    assert (released.released_to_sponsor, released.released_on) == (True, date(2026, 2, 1))
    released.validate()
    withdrawn = rules.with_release(released, False, date(2026, 3, 1))
    assert (withdrawn.released_to_sponsor, withdrawn.released_on) == (False, None)
    assert goal.released_to_sponsor is False  # the original is untouched


# -- what must not change ----------------------------------------------------------------------


def test_check_change() -> None:
    draft = Agreement(id="1", version=1, objectives="Lead")
    rules.check_change(None, draft)
    rules.check_change(draft, Agreement(id="1", version=1, objectives="Lead well"))  # a draft may change
    accepted = accept_agreement(draft, "Ana", datetime(2026, 1, 5, tzinfo=UTC))
    rules.check_change(draft, accepted)
    rules.check_change(accepted, Agreement.from_data(accepted.to_data()))  # unchanged is fine
    with pytest.raises(Conflict, match="start a new version"):
        rules.check_change(accepted, Agreement(id="1", version=1, objectives="Lead"))
    rules.check_change(None, next_agreement(accepted))

    adjustment = GoalAdjustment(id="a", goal_id="g1", made_on=START, what_changed="Date", reason="Crunch")
    rules.check_change(None, adjustment)
    rules.check_change(adjustment, GoalAdjustment.from_data(adjustment.to_data()))
    with pytest.raises(Conflict):
        rules.check_change(
            adjustment, GoalAdjustment(id="a", goal_id="g1", made_on=START, what_changed="x", reason="y")
        )
    rules.check_change(_goal(1), _goal(1, why="Evenings back"))  # goals change freely
