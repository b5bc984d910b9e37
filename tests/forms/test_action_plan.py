"""Phase 3 forms built headless: goals linked to findings, milestones completed with evidence."""

from __future__ import annotations

from datetime import date

from coachkit.forms.action_plan import findings_of, goal_editor, milestone_editor
from coachkit.model import Goal, Milestone
from coachkit.model.rules import realism_warnings
from tests.forms.conftest import TODAY, TRICKY, Client


def test_goal_with_measure_target_and_findings(jonas: Client) -> None:
    suggestions = findings_of(jonas.file)
    assert "Development area: Delegating" in suggestions
    assert suggestions.index("Competency gap: Delegating (2 now, 4 wanted)") < suggestions.index(
        "Competency gap: Communicating with clarity (3 now, 4 wanted)"
    ), "largest gaps first"
    editor = goal_editor(jonas.file, jonas.save, TODAY)
    editor["objective"].widget.value = TRICKY
    editor["measure"].widget.value = "Conflicts resolved within a week"
    editor["baseline"].widget.value = "1 in 4"
    editor["target"].widget.value = "3 in 4"
    editor["target_date"].widget.value = date(2027, 3, 1)
    editor["findings"].add("Competency gap: Managing conflict (2 now, 4 wanted)")  # type: ignore[attr-defined]
    editor["resources"].widget.value = "A mediation course"
    editor.form.button.click()
    assert editor.form.status.value.endswith("saved ✓")
    new = [g for g in jonas.practice.store.all(jonas.id, Goal) if g.objective == TRICKY]
    assert len(new) == 1
    g = new[0]
    assert (g.measure, g.baseline, g.target, g.target_date, g.findings, g.resources) == (
        "Conflicts resolved within a week",
        "1 in 4",
        "3 in 4",
        date(2027, 3, 1),
        ["Competency gap: Managing conflict (2 now, 4 wanted)"],
        "A mediation course",
    )
    editor.form.button.click()
    assert jonas.revisions(Goal, g.id) == 1


def test_editing_an_existing_goal_keeps_its_other_fields(jonas: Client) -> None:
    editor = goal_editor(jonas.file, jonas.save, TODAY)
    editor.select("g2")
    assert editor["measure"].widget.value == "Feedback conversations a month"
    editor["target"].widget.value = "8"
    editor.form.button.click()
    g2 = jonas.practice.store.get(jonas.id, Goal, "g2")
    assert g2.target == "8" and g2.released_to_sponsor is True and g2.baseline == "1"


def test_milestone_needs_evidence_once_met_and_realism_warns_without_blocking(jonas: Client) -> None:
    editor = milestone_editor(jonas.file, jonas.save, TODAY)
    editor["goal_id"].widget.value = "g3"
    editor["title"].widget.value = "Four weeks of protected evenings"
    editor["target_date"].widget.value = date(2030, 1, 1)  # after the goal's date: a warning, not a refusal
    editor["done_on"].widget.value = TODAY
    editor.form.button.click()
    assert "required once the milestone is met" in editor["evidence"].message.value
    before = jonas.count(Milestone)
    assert jonas.count(Milestone) == before
    editor["evidence"].widget.value = "Calendar screenshot <img src=x>"
    editor.form.button.click()
    saved = [m for m in jonas.practice.store.all(jonas.id, Milestone) if m.title.startswith("Four weeks")]
    assert len(saved) == 1 and saved[0].evidence == "Calendar screenshot <img src=x>" and saved[0].done_on == TODAY
    assert any("Four weeks of protected evenings" in w and "after its goal" in w for w in realism_warnings(jonas.file))
    editor.select("m2")
    assert editor["title"].widget.value == "Escalations down to 8 a week"
    editor["done_on"].widget.value = date(2026, 11, 20)
    editor["evidence"].widget.value = "Escalation log"
    editor.form.button.click()
    m2 = jonas.practice.store.get(jonas.id, Milestone, "m2")
    assert (m2.done_on, m2.evidence, m2.goal_id) == (date(2026, 11, 20), "Escalation log", "g1")


def test_milestone_without_goals_says_add_a_goal_first(newcomer: Client) -> None:
    editor = milestone_editor(newcomer.file, newcomer.save, TODAY)
    editor["title"].widget.value = "Something"
    editor.form.button.click()
    assert "add a goal first" in editor["goal_id"].message.value
    assert newcomer.count(Milestone) == 0
