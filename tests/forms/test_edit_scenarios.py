"""No edit lost or undone, as people live through it on real pages built headless: two front
ends on one goal, the goal adjustment then the release switch on workbook 05, several entries
from one open dashboard, the agreement accepted exactly as previewed, private parts hidden."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

import ipywidgets as W
import pytest
from ipywidgets.widgets.widget import _instances

from coachkit.forms.base import Form
from coachkit.forms.relationship import AgreementEditor
from coachkit.model import CheckIn, ClosureReflection, Goal, Reflection, Session, agreement_text
from coachkit.model.closure import CLOSURE_ID
from coachkit.pages import dashboard, goal_card
from coachkit.pages.phases import base
from coachkit.pages.phases.action_plan import ActionPlanPage
from coachkit.pages.phases.closure import ClosurePage
from coachkit.pages.phases.review import ReviewPage
from coachkit.pages.phases.session import SessionPage
from coachkit.pages.report import goals_section
from coachkit.pages.report_view import open_report
from coachkit.practice import Practice
from tests.forms.conftest import TODAY

JONAS = "jonas-becker"


@pytest.fixture(autouse=True)
def _fresh_widgets() -> Iterator[None]:
    W.Widget.close_all()
    yield
    W.Widget.close_all()


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What the pages display, in order (the page's cells would show these widgets)."""
    out: list[Any] = []
    monkeypatch.setattr(base, "display", lambda *objects: out.extend(objects))
    return out


def _walk(widget: Any) -> Iterator[Any]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _form_box(widgets: list[Any], title: str) -> W.VBox:
    for top in widgets:
        for w in _walk(top):
            if isinstance(w, W.VBox) and any(isinstance(c, W.Label) and c.value == title for c in w.children):
                return w
    raise AssertionError(f"no form titled {title!r}")


def _widget(box: W.VBox, description: str) -> Any:
    for w in _walk(box):
        if getattr(w, "description", None) == description:
            return w
    raise AssertionError(f"no widget {description!r}")


def _status(box: W.VBox) -> str:
    return next(w.value for w in _walk(box) if isinstance(w, W.Label) and "coachkit-status" in w._dom_classes)


def _messages(box: W.VBox) -> list[str]:
    return [w.value for w in _walk(box) if isinstance(w, W.Label) and "coachkit-field-message" in w._dom_classes]


def _states() -> str:
    return json.dumps([w.get_state() for w in list(_instances.values())], ensure_ascii=False)


def test_two_front_ends_on_one_goal_the_stale_save_is_refused_and_reload_keeps_what_was_typed(
    demo_practice: Practice, shown: list[Any]
) -> None:
    home = str(demo_practice.home)
    store = demo_practice.store
    first, second = ActionPlanPage(home, JONAS, TODAY), ActionPlanPage(home, JONAS, TODAY)
    first.goals()
    box_a = _form_box(shown, "Goals")
    second.goals()
    box_b = _form_box(shown[len(shown) - 1 :], "Goals")
    for box, target in ((box_a, "Target from the coach's laptop"), (box_b, "Target from the client's screen")):
        _widget(box, "Goal").value = "g1"
        _widget(box, "Target").value = target
    _widget(box_a, "Save goal").click()
    assert "saved" in _status(box_a)
    before = len(store.history(JONAS, Goal, "g1"))
    assert not any(getattr(w, "description", "") == "Reload" for w in _walk(box_b))  # made when first needed

    _widget(box_b, "Save goal").click()  # based on the revision this page read: refused
    status = _status(box_b)
    assert status.startswith("Someone saved this goal") and "since you opened it" in status
    assert status.count(".") == 1, "one sentence"
    assert store.get(JONAS, Goal, "g1").target == "Target from the coach's laptop"
    assert len(store.history(JONAS, Goal, "g1")) == before
    reload = _widget(box_b, "Reload")
    assert reload.layout.display != "none"

    reload.click()  # the saved version in the field, what was typed beside it
    assert _widget(box_b, "Target").value == "Target from the coach's laptop"
    assert "You had typed: Target from the client's screen" in _messages(box_b)
    assert reload.layout.display == "none"
    _widget(box_b, "Target").value = "Target from the client's screen"  # they choose theirs
    _widget(box_b, "Save goal").click()
    assert "saved" in _status(box_b)
    assert store.get(JONAS, Goal, "g1").target == "Target from the client's screen"

    _widget(box_a, "Target").value = "The laptop again, on its old copy"
    _widget(box_a, "Save goal").click()  # the laptop's copy is now the stale one
    assert _status(box_a).startswith("Someone saved this goal")
    assert [w.layout.display for w in _walk(box_a) if getattr(w, "description", "") == "Reload"] == [""]
    _widget(box_b, "Target").value = "The screen saves once more"
    _widget(box_b, "Save goal").click()
    assert "saved" in _status(box_b) and reload.layout.display == "none"
    assert [w for w in _walk(box_b) if getattr(w, "description", "") == "Reload"] == [reload]


def test_adjusting_a_goal_then_saving_the_release_keeps_the_new_target_and_the_report_shows_it(
    demo_practice: Practice, shown: list[Any]
) -> None:
    home = str(demo_practice.home)
    store = demo_practice.store
    page = ReviewPage(home, JONAS, TODAY)
    page.adjustments()
    page.release()
    adjust = _form_box(shown, "Adjust a goal")
    release = _form_box(shown, "What your sponsor may see")
    goal = store.get(JONAS, Goal, "g1")
    _widget(adjust, "Goal").value = "g1"
    _widget(adjust, "Target").value = "ADJUSTED-TARGET-4 a week"
    _widget(adjust, "Why the change").value = "The team grew; four is the honest number."
    _widget(adjust, "Save adjustment").click()
    assert "saved" in _status(adjust), _status(adjust)

    switch = next(w for w in _walk(release) if isinstance(w, W.Checkbox) and w.description == _short(goal.objective))
    switch.value = not goal.released_to_sponsor
    _widget(release, "Save choices").click()
    assert _status(release).startswith("Saved"), _status(release)

    saved = store.get(JONAS, Goal, "g1")
    assert saved.target == "ADJUSTED-TARGET-4 a week"
    assert saved.target_date == goal.target_date
    assert saved.released_to_sponsor is (not goal.released_to_sponsor)
    report = goals_section(open_report(JONAS, home, "coach", TODAY.isoformat())).html
    assert "ADJUSTED-TARGET-4 a week" in report


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= 28 else line[:27] + "…"


def test_three_reflections_and_three_check_ins_from_one_open_dashboard_are_all_kept(demo_practice: Practice) -> None:
    store = demo_practice.store
    reflections = len(store.all(JONAS, Reflection))
    check_ins = len(store.all(JONAS, CheckIn))
    page = dashboard.Dashboard(demo_practice, JONAS, TODAY)
    reflection: Form = page.forms["reflection"]
    check_in: Form = page.forms["check_in"]
    for n in range(3):
        reflection["text"].widget.value = f"Reflection number {n}"
        reflection.button.click()
        check_in["note"].widget.value = f"Check-in number {n}"
        check_in.button.click()
        assert "saved" in reflection.status.value and "saved" in check_in.status.value
    texts = [r.text for r in store.all(JONAS, Reflection)]
    notes = [c.note for c in store.all(JONAS, CheckIn)]
    assert len(texts) == reflections + 3 and len(notes) == check_ins + 3
    for n in range(3):
        assert f"Reflection number {n}" in texts and f"Check-in number {n}" in notes


def test_the_agreement_accepted_is_the_agreement_previewed(practice: Practice) -> None:
    client = practice.add_client("Agnes Preview")
    store = practice.store

    def save(record: Any) -> int:
        return store.save(client.id, record)

    editor = AgreementEditor(store.load(client.id), save)
    editor.form["objectives"].widget.value = "Lead the merger with a calm team."
    editor.form["timeline"].widget.value = "6 sessions over three months."
    previewed = editor.show_preview()
    assert hashlib.sha256(agreement_text(previewed).encode()).hexdigest() in editor.preview.value
    assert "6 sessions" in editor.preview.value

    editor.form["timeline"].widget.value = "20 sessions over a year."  # edited after the preview
    editor.accept_form.button.click()
    assert "changed since the preview" in editor.accept_form.status.value
    assert "Timeline" in editor.accept_form.status.value or "timeline" in editor.accept_form.status.value.lower()
    assert store.load(client.id).accepted_agreement is None

    previewed = editor.show_preview()
    shown_text = agreement_text(previewed)
    editor.accept_form.button.click()
    accepted = store.load(client.id).accepted_agreement
    assert accepted is not None, editor.accept_form.status.value
    assert accepted.accepted_sha256 == hashlib.sha256(shown_text.encode("utf-8")).hexdigest()
    assert agreement_text(accepted) == shown_text and "20 sessions" in shown_text


CANARY = "PRIVATE-NOTE-CANARY-forms-5e1d"
EVAL_CANARY = "CLIENT-EVAL-CANARY-forms-77aa"


def test_private_notes_stay_out_of_the_page_until_the_coach_opens_them(
    demo_practice: Practice, shown: list[Any]
) -> None:
    store = demo_practice.store
    session = store.get(JONAS, Session, "3")
    store.save(JONAS, _with(session, private_notes=CANARY))
    page = SessionPage(str(demo_practice.home), JONAS, TODAY, 3)
    page.header()
    page.work()
    page.private_notes()
    page.summary()
    assert CANARY not in _states()
    opener = next(w for top in shown for w in _walk(top) if getattr(w, "description", "") == "Show private notes")
    opener.click()
    assert CANARY in _states()
    opener.click()  # "Hide private notes"
    assert CANARY not in _states()
    assert opener.description == "Show private notes"
    W.Widget.close_all()  # the workbook is run again / reopened
    shown.clear()
    again = SessionPage(str(demo_practice.home), JONAS, TODAY, 3)
    again.private_notes()
    assert CANARY not in _states()


def test_the_clients_private_evaluation_is_hidden_until_opened(demo_practice: Practice, shown: list[Any]) -> None:
    store = demo_practice.store
    current = store.find("mei-tanaka", ClosureReflection, CLOSURE_ID) or ClosureReflection()
    store.save("mei-tanaka", _with(current, client_evaluation=EVAL_CANARY))
    page = ClosurePage(str(demo_practice.home), "mei-tanaka", TODAY)
    page.looking_back()
    page.client_evaluation()
    page.summary()
    assert EVAL_CANARY not in _states()
    opener = next(w for top in shown for w in _walk(top) if "client's evaluation" in getattr(w, "description", ""))
    opener.click()
    assert EVAL_CANARY in _states()
    opener.click()
    assert EVAL_CANARY not in _states()


def _with(record: Any, **changes: Any) -> Any:
    import dataclasses

    return dataclasses.replace(record, **changes)


@pytest.mark.parametrize("override", [None, 6])
def test_every_view_shows_the_same_phase_and_week(
    demo_practice: Practice, shown: list[Any], override: int | None
) -> None:
    from coachkit.model.engagement import PhaseOverride
    from coachkit.model.phase import current_phase, engagement_week
    from coachkit.pages import sponsor
    from coachkit.pages.report import glance

    home = str(demo_practice.home)
    store = demo_practice.store
    if override is not None:
        store.save(JONAS, PhaseOverride(phase=override, reason="Set by hand for the test"))
    file = store.load(JONAS)
    phase = current_phase(file)
    assert phase == (override or 5)
    assert file.engagement is not None
    week, weeks = engagement_week(file.engagement, TODAY)

    assert goal_card.phase_line(file).startswith(f"Phase {phase} of 7")
    assert f"week {week} of {weeks}" in goal_card.timeline_line(file, TODAY)
    for audience in ("client", "sponsor", "coach"):
        html = glance(open_report(JONAS, home, audience, TODAY.isoformat())).html
        assert f"phase {phase} of 7" in html and f"week {week} of {weeks}" in html, audience
    W.Widget.close_all()
    sponsor.sponsor_page(demo_practice, JONAS, TODAY)
    assert f"Phase {phase} of 7" in _states()
    ReviewPage(home, JONAS, TODAY).header()
    assert any(f"phase {phase} of 7" in w.value for top in shown for w in _walk(top) if isinstance(w, W.Label))


def test_two_screens_on_one_session_keep_each_others_parts_and_refuse_a_stale_one(demo_practice: Practice) -> None:
    from coachkit.forms.session import details_form, work_form

    store = demo_practice.store

    def save(record: Any) -> int:
        return store.save(JONAS, record)

    def load() -> tuple[Session, int] | None:
        return store.find_revision(JONAS, Session, "12")

    lab_details, lab_work = details_form(12, save, load, TODAY), work_form(12, save, load, TODAY)
    page_work = work_form(12, save, load, TODAY)  # the same session open on a second screen
    lab_details["agenda"].widget.value = "Agenda typed in the lab"
    assert lab_details.save(), lab_details.status.value
    page_work["perspectives"].widget.value = "A perspective from the second screen"
    assert page_work.save(), page_work.status.value  # another part: it lands beside the agenda
    saved = store.get(JONAS, Session, "12")
    assert (saved.agenda, saved.perspectives) == ("Agenda typed in the lab", "A perspective from the second screen")

    lab_work["perspectives"].widget.value = "The lab's older view of the perspectives"
    assert not lab_work.save()  # its copy of the same part is older: refused, nothing overwritten
    assert lab_work.status.value.startswith("Someone saved this session")
    assert store.get(JONAS, Session, "12").perspectives == "A perspective from the second screen"
    assert lab_work.reload()
    assert lab_work["perspectives"].widget.value == "A perspective from the second screen"
    assert lab_work["perspectives"].message.value == "You had typed: The lab's older view of the perspectives"
    lab_work["skills"].widget.value = "Skills noted after the reload"
    assert lab_work.save(), lab_work.status.value
    final = store.get(JONAS, Session, "12")
    assert final.skills == "Skills noted after the reload"
    assert (final.agenda, final.perspectives) == ("Agenda typed in the lab", "A perspective from the second screen")
