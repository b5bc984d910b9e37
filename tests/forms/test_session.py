"""Phase 4 forms built headless: each part saves into the one session record."""

from __future__ import annotations

from datetime import date

from coachkit.forms.session import (
    action_editor,
    action_review_form,
    actions_to_review,
    details_form,
    private_notes_form,
    summary_form,
    work_form,
)
from coachkit.model import Action, Session
from coachkit.model.rules import session_to_prepare
from tests.forms.conftest import TODAY, TRICKY, Client


def test_parts_of_a_session_never_overwrite_each_other(jonas: Client) -> None:
    number = session_to_prepare(jonas.file)
    assert number == 9, "the planned session comes next"
    load = jonas.loader(Session, "9")
    details = details_form(9, jonas.save, load, TODAY)  # type: ignore[arg-type]
    work = work_form(9, jonas.save, load, TODAY)  # type: ignore[arg-type]
    private = private_notes_form(9, jonas.save, load, TODAY)  # type: ignore[arg-type]
    summary = summary_form(9, jonas.save, load, TODAY)  # type: ignore[arg-type]
    assert details["agenda"].widget.value == "Closing the gap on escalations", "pre-filled"
    details["held_on"].widget.value = TODAY
    details["status"].widget.value = "held"
    details.button.click()
    work["reflection"].widget.value = TRICKY
    work["skills"].widget.value = "Saying no"
    work.button.click()
    private["private_notes"].widget.value = "Coach only: tired today."
    private.button.click()
    summary["summary"].widget.value = "Leads own the incident review."
    summary.button.click()
    s = jonas.practice.store.get(jonas.id, Session, "9")
    assert (s.held_on, s.status, s.agenda, s.reflection, s.skills, s.private_notes, s.summary) == (
        TODAY,
        "held",
        "Closing the gap on escalations",
        TRICKY,
        "Saying no",
        "Coach only: tired today.",
        "Leads own the incident review.",
    )
    assert "coachkit-private" in private.widget._dom_classes
    revisions = jonas.revisions(Session, "9")
    for form in (details, work, private, summary):
        form.button.click()
    assert jonas.revisions(Session, "9") == revisions


def test_action_review_marks_done_and_records_what_got_in_the_way(jonas: Client) -> None:
    load = jonas.loader(Session, "9")
    review = actions_to_review(jonas.file, 9)
    assert {a.id for a in review} == {"a3", "a4"}, "open actions from earlier sessions"
    form = action_review_form(jonas.file, 9, jonas.save_all, load, TODAY)  # type: ignore[arg-type]
    form["done:a3"].widget.value = True
    form["obstacles:a4"].widget.value = "Release week <again>"
    form["action_review"].widget.value = "Good week."
    form.button.click()
    assert form.status.value == "Review saved ✓ (1 of 2 actions done)"
    a3 = jonas.practice.store.get(jonas.id, Action, "a3")
    a4 = jonas.practice.store.get(jonas.id, Action, "a4")
    assert (a3.done_on, a4.done_on, a4.obstacles) == (TODAY, None, "Release week <again>")
    assert jonas.practice.store.get(jonas.id, Session, "9").action_review == "Good week."
    form.button.click()
    assert jonas.revisions(Action, "a3") == 2 and jonas.revisions(Action, "a4") == 2


def test_new_actions_with_owner_and_due_date(jonas: Client) -> None:
    editor = action_editor(jonas.file, 9, jonas.save, TODAY)
    editor["title"].widget.value = ""
    editor.form.button.click()
    assert "required" in editor["title"].message.value
    editor["title"].widget.value = "Ask each lead for one decision they want"
    editor["owner"].widget.value = "Jonas"
    editor["due"].widget.value = date(2026, 12, 4)
    editor["goal_id"].widget.value = "g1"
    editor.form.button.click()
    editor.form.button.click()
    new = [a for a in jonas.practice.store.all(jonas.id, Action) if a.session_number == 9]
    assert [(a.title, a.owner, a.due, a.goal_id) for a in new] == [
        ("Ask each lead for one decision they want", "Jonas", date(2026, 12, 4), "g1")
    ]


def test_a_first_session_for_a_new_client(newcomer: Client) -> None:
    assert session_to_prepare(newcomer.file) == 1
    load = newcomer.loader(Session, "1")
    form = action_review_form(newcomer.file, 1, newcomer.save_all, load, TODAY)  # type: ignore[arg-type]
    assert "no actions" in form.widget.children[1].value
    details = details_form(1, newcomer.save, load, TODAY)  # type: ignore[arg-type]
    details["held_on"].widget.value = None
    details.button.click()
    assert "required" in details["held_on"].message.value
    assert newcomer.count(Session) == 0
    details["held_on"].widget.value = date(2026, 11, 20)
    details.button.click()
    assert newcomer.practice.store.get(newcomer.id, Session, "1").held_on == date(2026, 11, 20)
