"""Phase 1 forms built headless: values set, Save clicked, the database checked."""

from __future__ import annotations

from datetime import UTC, date, datetime

from coachkit.forms.action_plan import goal_editor
from coachkit.forms.relationship import AgreementEditor, engagement_form, initial_meeting_form, sponsor_editor
from coachkit.model import Agreement, Engagement, Goal, InitialMeeting, Sponsor, agreement_sha256, agreement_text
from tests.forms.conftest import TODAY, TRICKY, Client

NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


def test_initial_meeting_saves_exactly_and_twice_changes_nothing(newcomer: Client) -> None:
    form = initial_meeting_form(newcomer.file, newcomer.save, TODAY)
    form["objectives"].widget.value = TRICKY
    form["expectations"].widget.value = "Challenge me."
    form["confidentiality_discussed"].widget.value = True
    form.button.click()
    assert form.status.value == "Initial meeting saved ✓"
    saved = newcomer.practice.store.get(newcomer.id, InitialMeeting, "initial-meeting")
    assert (saved.held_on, saved.objectives, saved.expectations, saved.confidentiality_discussed) == (
        TODAY,
        TRICKY,
        "Challenge me.",
        True,
    )
    form.button.click()
    assert newcomer.revisions(InitialMeeting, "initial-meeting") == 1
    again = initial_meeting_form(newcomer.file, newcomer.save, TODAY)
    assert again["objectives"].widget.value == TRICKY, "re-opening shows what is saved"


def test_engagement_end_before_start_is_refused_beside_the_field(newcomer: Client) -> None:
    form = engagement_form(newcomer.file, newcomer.save, TODAY)
    form["start"].widget.value = date(2026, 12, 1)
    form["planned_end"].widget.value = date(2026, 11, 1)
    form.button.click()
    assert "comes before start" in form["planned_end"].message.value
    assert form.status.value.startswith("Not saved")
    assert newcomer.count(Engagement) == 0
    form["planned_end"].widget.value = date(2027, 6, 1)
    form["planned_sessions"].widget.value = 10
    form["status"].widget.value = "active"
    form.button.click()
    e = newcomer.practice.store.get(newcomer.id, Engagement, "engagement")
    assert (e.start, e.planned_end, e.planned_sessions, e.status, e.phase) == (
        date(2026, 12, 1),
        date(2027, 6, 1),
        10,
        "active",
        1,
    )
    assert form["planned_end"].message.value == ""


def test_sponsor_added_then_edited_with_a_bad_email_refused(newcomer: Client) -> None:
    editor = sponsor_editor(newcomer.file, newcomer.save, TODAY)
    editor["name"].widget.value = "Dana <HR>"
    editor["email"].widget.value = "not-an-email"
    editor.form.button.click()
    assert "does not look like an email" in editor["email"].message.value
    assert newcomer.count(Sponsor) == 0
    editor["email"].widget.value = "dana@example.org"
    editor["relationship"].widget.value = "hr"
    editor.form.button.click()
    editor.form.button.click()
    sponsors = newcomer.practice.store.all(newcomer.id, Sponsor)
    assert [(s.name, s.email, s.relationship) for s in sponsors] == [("Dana <HR>", "dana@example.org", "hr")]
    assert newcomer.revisions(Sponsor, sponsors[0].id) == 1
    editor["role"].widget.value = "HR lead"
    editor.form.button.click()
    assert newcomer.practice.store.get(newcomer.id, Sponsor, sponsors[0].id).role == "HR lead"
    assert newcomer.count(Sponsor) == 1


def test_first_goals_in_brief(newcomer: Client) -> None:
    editor = goal_editor(newcomer.file, newcomer.save, TODAY, brief=True)
    assert "measure" not in editor.form.fields
    editor["objective"].widget.value = "  "
    editor.form.button.click()
    assert "required" in editor["objective"].message.value
    assert newcomer.count(Goal) == 0
    editor["objective"].widget.value = TRICKY
    editor["why"].widget.value = "Because."
    editor.form.button.click()
    editor.form.button.click()
    (goal,) = newcomer.practice.store.all(newcomer.id, Goal)
    assert (goal.objective, goal.why, goal.status) == (TRICKY, "Because.", "active")
    editor.select("")
    editor["objective"].widget.value = "A second goal"
    editor.form.button.click()
    assert [g.objective for g in newcomer.practice.store.all(newcomer.id, Goal)] == [TRICKY, "A second goal"]


def test_agreement_draft_preview_accept_and_new_version(newcomer: Client) -> None:
    editor = AgreementEditor(newcomer.file, newcomer.save, now=lambda: NOW)
    editor.form["objectives"].widget.value = TRICKY
    editor.form["confidentiality_limits"].widget.value = "Harm, illegal acts, court orders."
    editor.form.button.click()
    draft = newcomer.practice.store.get(newcomer.id, Agreement, "1")
    assert draft.objectives == TRICKY and not draft.accepted
    assert "&lt;script&gt;" in editor.preview.value and "<script>" not in editor.preview.value
    editor.accept_form["accepted_by"].widget.value = ""
    editor.accept_form.button.click()
    assert "required" in editor.accept_form["accepted_by"].message.value
    assert not newcomer.practice.store.get(newcomer.id, Agreement, "1").accepted
    editor.accept_form["accepted_by"].widget.value = "Zoë Newcomer"
    editor.accept_form.button.click()
    accepted = newcomer.practice.store.get(newcomer.id, Agreement, "1")
    assert (accepted.accepted_by, accepted.accepted_at) == ("Zoë Newcomer", NOW)
    assert accepted.accepted_sha256 == agreement_sha256(accepted)
    assert TRICKY in agreement_text(accepted)
    assert editor.form["objectives"].widget.disabled and editor.form.button.disabled
    editor.accept_form.button.click()
    assert newcomer.revisions(Agreement, "1") == 2, "accepting twice changes nothing"
    editor.start_new_version()
    assert not editor.form["objectives"].widget.disabled
    editor.form["scope"].widget.value = "Leadership only."
    editor.form.button.click()
    v2 = newcomer.practice.store.get(newcomer.id, Agreement, "2")
    assert (v2.version, v2.objectives, v2.scope, v2.accepted) == (2, TRICKY, "Leadership only.", False)
    assert newcomer.practice.store.get(newcomer.id, Agreement, "1") == accepted, "version 1 is untouched"
    reopened = AgreementEditor(newcomer.file, newcomer.save, now=lambda: NOW)
    assert reopened.current.version == 2 and reopened.form["scope"].widget.value == "Leadership only."
