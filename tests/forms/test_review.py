"""Phase 5: goal adjustments recorded with their reason, the goal revised, the history kept."""

from __future__ import annotations

from datetime import date

from coachkit.forms.between import check_in_form
from coachkit.forms.review import adjustment_form
from coachkit.model import CheckIn, Goal, GoalAdjustment
from tests.forms.conftest import TODAY, TRICKY, Client


def test_adjustment_saves_the_reason_and_the_revised_goal(jonas: Client) -> None:
    form = adjustment_form(jonas.file, jonas.save_all, TODAY)
    form["goal"].widget.value = "g3"
    assert form["measure"].widget.value == "Evenings off a week", "pre-filled from the goal"
    form["target"].widget.value = "3"
    form["reason"].widget.value = ""
    form.button.click()
    assert "required" in form["reason"].message.value
    assert jonas.count(GoalAdjustment) == 1 and jonas.revisions(Goal, "g3") == 1
    form["reason"].widget.value = TRICKY
    form.button.click()
    assert form.status.value.startswith("Adjustment to")
    g3 = jonas.practice.store.get(jonas.id, Goal, "g3")
    assert g3.target == "3" and g3.objective == "Protect two evenings a week for family"
    new = [a for a in jonas.practice.store.all(jonas.id, GoalAdjustment) if a.id != "adj1"]
    assert [(a.goal_id, a.made_on, a.reason, a.what_changed) for a in new] == [
        ("g3", TODAY, TRICKY, "Target: “2” → “3”.")
    ]
    history = jonas.practice.store.history(jonas.id, Goal, "g3")
    assert [h.record.target for h in history if isinstance(h.record, Goal)] == ["2", "3"]
    form.button.click()
    assert form.status.value == "Already saved ✓"
    assert jonas.count(GoalAdjustment) == 2 and jonas.revisions(Goal, "g3") == 2


def test_adjustment_with_nothing_changed_is_refused(jonas: Client) -> None:
    form = adjustment_form(jonas.file, jonas.save_all, TODAY)
    form["goal"].widget.value = "g1"
    form["reason"].widget.value = "No reason"
    form.button.click()
    assert "nothing has changed" in form["goal"].message.value
    form["target_date"].widget.value = date(2027, 2, 1)
    form["what_changed"].widget.value = "Moved out a month."
    form.button.click()
    adj = [a for a in jonas.practice.store.all(jonas.id, GoalAdjustment) if a.goal_id == "g1"]
    assert [a.what_changed for a in adj] == ["Moved out a month."]


def test_check_in_by_the_coach(jonas: Client) -> None:
    form = check_in_form(jonas.file, jonas.save, TODAY, by="coach")
    form["progress:g2"].widget.value = 9
    form.button.click()
    latest = jonas.practice.store.all(jonas.id, CheckIn)[-1]
    assert latest.by == "coach" and {p.goal_id: p.progress for p in latest.progress}["g2"] == 9
