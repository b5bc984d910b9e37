"""The between-session forms, built headless: values set, Save clicked, the database checked."""

from __future__ import annotations

from datetime import date

import pytest

from coachkit.forms.between import (
    action_done_form,
    check_in_form,
    milestone_evidence_form,
    reflection_form,
    release_form,
)
from coachkit.model import Action, CheckIn, Goal, Milestone, Record, Reflection
from coachkit.practice import Practice

TODAY = date(2026, 11, 21)
CLIENT = "jonas-becker"


def _saver(practice: Practice, author: str = "client"):  # type: ignore[no-untyped-def]
    return lambda record: practice.store.save(CLIENT, record, author=author)


def test_check_in_saves_exactly_what_was_entered_and_twice_changes_nothing(demo_practice: Practice) -> None:
    file = demo_practice.store.load(CLIENT)
    before = len(file.check_ins)
    form = check_in_form(file, _saver(demo_practice), TODAY)
    form["progress:g1"].widget.value = 7
    form["confidence"].widget.value = 8
    form["blockers"].widget.value = 'Board <script>alert("x")</script> “quotes” 🚀'
    form.button.click()
    assert form.status.value.startswith("Check-in of 2026-11-21 saved")
    after = demo_practice.store.load(CLIENT).check_ins
    assert len(after) == before + 1
    new = after[-1]
    assert new.on == TODAY and new.confidence == 8
    assert new.blockers == 'Board <script>alert("x")</script> “quotes” 🚀'
    assert {p.goal_id: p.progress for p in new.progress}["g1"] == 7
    form.button.click()
    assert len(demo_practice.store.history(CLIENT, CheckIn, new.id)) == 1


def test_invalid_date_shows_message_beside_field_and_writes_nothing(demo_practice: Practice) -> None:
    file = demo_practice.store.load(CLIENT)
    form = reflection_form(_saver(demo_practice), TODAY)
    form["text"].widget.value = "   "
    form.button.click()
    assert "required" in form["text"].message.value
    assert "Not saved" in form.status.value
    assert len(demo_practice.store.all(CLIENT, Reflection)) == len(file.reflections)


def test_a_message_line_appears_under_its_field_only_when_needed_and_stays_for_the_next(
    demo_practice: Practice,
) -> None:
    form = reflection_form(_saver(demo_practice), TODAY)
    text = form["text"]
    assert [w for w in text.box.children if w is not text.widget] == []  # no empty message line is sent
    text.widget.value = "   "
    form.button.click()
    message = text.box.children[-1]
    assert message is text.message and "required" in text.message_text
    assert form.widget.children[2] is text.box  # the line is under its own field, in the form as drawn
    text.widget.value = "A reflection after the message"
    form.button.click()
    assert text.message_text == "" and text.box.children == (text.widget, message)
    assert "A reflection after the message" in [r.text for r in demo_practice.store.all(CLIENT, Reflection)]
    text.widget.value = ""
    form.button.click()
    assert "required" in text.message_text and text.box.children.count(message) == 1


def test_action_done_and_milestone_evidence(demo_practice: Practice) -> None:
    file = demo_practice.store.load(CLIENT)
    form = action_done_form(file, _saver(demo_practice), TODAY)
    form["action"].widget.value = "a3"
    form.button.click()
    assert demo_practice.store.get(CLIENT, Action, "a3").done_on == TODAY

    form = milestone_evidence_form(file, _saver(demo_practice), TODAY)
    form["milestone"].widget.value = "m2"
    form.button.click()
    assert form["evidence"].message.value.startswith("is required")
    assert demo_practice.store.get(CLIENT, Milestone, "m2").done_on is None
    form["evidence"].widget.value = "Escalation log for October"
    form.button.click()
    saved = demo_practice.store.get(CLIENT, Milestone, "m2")
    assert (saved.done_on, saved.evidence) == (TODAY, "Escalation log for October")


def test_release_switch_records_the_date(demo_practice: Practice) -> None:
    file = demo_practice.store.load(CLIENT)
    form = release_form(file, _saver(demo_practice), TODAY)
    assert form["release:g1"].widget.value is True
    form["release:g3"].widget.value = True
    form["release:g1"].widget.value = False
    form.button.click()
    g1 = demo_practice.store.get(CLIENT, Goal, "g1")
    g3 = demo_practice.store.get(CLIENT, Goal, "g3")
    assert (g1.released_to_sponsor, g1.released_on) == (False, None)
    assert (g3.released_to_sponsor, g3.released_on) == (True, TODAY)
    assert len(demo_practice.store.history(CLIENT, Goal, "g1")) == 2


def test_unexpected_failure_shows_a_plain_sentence(demo_practice: Practice, caplog: pytest.LogCaptureFixture) -> None:
    def broken(record: Record) -> object:
        raise RuntimeError("secret client text must not be shown")

    form = reflection_form(broken, TODAY)
    form["text"].widget.value = "fine"
    form.save()
    assert "something went wrong" in form.status.value
    assert "secret" not in form.status.value
    assert isinstance(form.last_error, RuntimeError)
    assert [r.levelname for r in caplog.records] == ["ERROR"]
    assert "secret" not in caplog.text  # logs name the error's type and place, never its text
    caplog.clear()
