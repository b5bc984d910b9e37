"""Phases 6 and 7 built headless: evaluations, closure, transition, follow-ups."""

from __future__ import annotations

from datetime import date

from coachkit.forms.closure import client_evaluation_form, evaluation_form, reflection_form, transition_form
from coachkit.forms.follow_up import follow_up_editor, parse_days, schedule_form
from coachkit.model import ClosureReflection, FollowUp, GoalEvaluation, TransitionPlan
from coachkit.model.closure import CLOSURE_ID, TRANSITION_ID
from coachkit.model.rules import sustainment_series
from tests.forms.conftest import TODAY, TRICKY, Client


def test_goal_evaluation_against_the_baseline(jonas: Client) -> None:
    form = evaluation_form(jonas.file, jonas.save)
    form["goal"].widget.value = "g2"
    assert form["baseline"].widget.value == "1", "the goal's baseline is the starting point"
    form["end_value"].widget.value = "6"
    form["outcome"].widget.value = "met"
    form["evidence"].widget.value = TRICKY
    form.button.click()
    form.button.click()
    e = jonas.practice.store.get(jonas.id, GoalEvaluation, "g2")
    assert (e.goal_id, e.baseline, e.end_value, e.outcome, e.evidence) == ("g2", "1", "6", "met", TRICKY)
    assert jonas.revisions(GoalEvaluation, "g2") == 1


def test_closure_parts_share_one_record_and_the_private_evaluation(jonas: Client) -> None:
    load = jonas.loader(ClosureReflection, CLOSURE_ID)
    looking_back = reflection_form(jonas.save, load)  # type: ignore[arg-type]
    private = client_evaluation_form(jonas.save, load)  # type: ignore[arg-type]
    looking_back["successes"].widget.value = "Leads run incidents 🎉"
    looking_back.button.click()
    private["client_evaluation"].widget.value = TRICKY
    private["client_rating"].widget.value = 8
    private.button.click()
    c = jonas.practice.store.get(jonas.id, ClosureReflection, CLOSURE_ID)
    assert (c.successes, c.client_evaluation, c.client_rating) == ("Leads run incidents 🎉", TRICKY, 8)
    assert "coachkit-private" in private.widget._dom_classes
    private["client_rating"].widget.value = 0
    private.button.click()
    assert jonas.practice.store.get(jonas.id, ClosureReflection, CLOSURE_ID).client_rating is None


def test_transition_plan(newcomer: Client) -> None:
    form = transition_form(newcomer.file, newcomer.save)
    form["keep_doing"].widget.value = "Weekly review"
    form["warning_signs"].widget.value = TRICKY
    form.button.click()
    t = newcomer.practice.store.get(newcomer.id, TransitionPlan, TRANSITION_ID)
    assert (t.keep_doing, t.warning_signs, t.support) == ("Weekly review", TRICKY, "")


def test_schedule_follow_ups_and_record_one(mei: Client) -> None:
    assert parse_days("30, 90;180 30") == (30, 90, 180)
    form = schedule_form(mei.file, mei.save_all, TODAY)
    assert form["days"].widget.value == "30, 90, 180"
    form["days"].widget.value = "thirty"
    form.button.click()
    assert "whole numbers" in form["days"].message.value
    form["days"].widget.value = "30, 90, 180, 365"
    form.button.click()
    ids = [f.id for f in mei.practice.store.all(mei.id, FollowUp)]
    assert ids == ["d30", "d90", "d180", "d365"]
    assert mei.revisions(FollowUp, "d30") == 1, "held follow-ups are never changed"
    editor = follow_up_editor(mei.file, mei.save, TODAY)
    editor.select("d180")
    editor["held"].widget.value = True
    editor["held_on"].widget.value = date(2026, 11, 20)
    editor["change:g1"].widget.value = 3
    editor["change:g2"].widget.value = -1
    editor["notes"].widget.value = TRICKY
    editor.form.button.click()
    editor.form.button.click()
    f = mei.practice.store.get(mei.id, FollowUp, "d180")
    assert (f.held, f.held_on, f.notes) == (True, date(2026, 11, 20), TRICKY)
    assert {c.goal_id: c.change for c in f.changes} == {"g1": 3, "g2": -1}
    assert mei.revisions(FollowUp, "d180") == 2
    assert sustainment_series(mei.file, "g1") == [(30, 2), (90, 2), (180, 3)]


def test_follow_up_without_schedule_says_so(newcomer: Client) -> None:
    editor = follow_up_editor(newcomer.file, newcomer.save, TODAY)
    editor.form.button.click()
    assert "choose a follow-up" in editor["pick"].message.value
    form = schedule_form(newcomer.file, newcomer.save_all, TODAY)
    form.button.click()
    assert "required" in form["end"].message.value
    assert newcomer.count(FollowUp) == 0
