"""Assessment forms built headless: values set, buttons clicked, the database checked."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from coachkit import assessments as A
from coachkit.errors import Conflict
from coachkit.forms.answers import CANT_SAY
from coachkit.forms.feedback360 import approval_form, competency_model_form, nomination_form, pulse_round_form
from coachkit.forms.ipip import ipip_form
from coachkit.forms.rater import pulse_form, rater_form
from coachkit.instruments import ipip50_items
from coachkit.model import Goal
from coachkit.model.feedback360 import COMPETENCY_MODEL_ID, CompetencyModel, Rater, RaterResponse
from coachkit.model.ipip import IPIP_ID, IpipResponse, score_ipip50
from coachkit.model.pulse import PulseResponse, PulseRound, pulse_response_id
from coachkit.practice import Practice

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


@pytest.fixture
def client_id(practice: Practice) -> str:
    return practice.add_client("Rosa Diaz", email="rosa@example.org").id


def _nominate(practice: Practice, client_id: str, name: str, relationship: str, approve: bool = True) -> Rater:
    rater = A.nominate_rater(practice.store, client_id, name=name, relationship=relationship, today=TODAY)
    return A.set_rater_approval(practice.store, client_id, rater.id, True, today=TODAY) if approve else rater


def test_nomination_and_approval(practice: Practice, client_id: str) -> None:
    store = practice.store

    def nominate(values: dict[str, Any]) -> Rater:
        return A.nominate_rater(
            store,
            client_id,
            name=values["name"],
            email=values["email"],
            relationship=values["relationship"],
            by=values["by"],
            today=TODAY,
        )

    form = nomination_form(nominate)
    form["name"].widget.value = "Ada Park"
    form["email"].widget.value = "not an email"
    form["relationship"].widget.value = "direct_report"
    form.button.click()
    assert "does not look like an email" in form["email"].message.value
    assert store.all(client_id, Rater) == []
    form["email"].widget.value = "ada@example.org"
    form.button.click()
    assert form.status.value.startswith("Ada Park nominated")
    assert form["name"].widget.value == ""  # ready for the next one
    for name in ("Bo Lind", "Cy Moss"):
        form["name"].widget.value = name
        form["by"].widget.value = "coach"
        form["relationship"].widget.value = "peer"
        form.button.click()
    form["name"].widget.value = "ada park"
    form.button.click()
    assert "already nominated" in form["name"].message.value
    raters = store.all(client_id, Rater)
    assert [(r.name, r.relationship, r.nominated_by, r.approved) for r in raters] == [
        ("Ada Park", "direct_report", "client", False),
        ("Bo Lind", "peer", "coach", False),
        ("Cy Moss", "peer", "coach", False),
    ]

    def apply(rater_id: str, choice: str) -> None:
        if choice == "remove":
            A.remove_rater(store, client_id, rater_id)
        else:
            A.set_rater_approval(store, client_id, rater_id, choice == "approved", today=TODAY)

    ada, bo, cy = raters
    approvals = approval_form(raters, apply)
    approvals[f"rater:{ada.id}"].widget.value = "approved"
    approvals[f"rater:{bo.id}"].widget.value = "approved"
    approvals[f"rater:{cy.id}"].widget.value = "remove"
    approvals.button.click()
    assert approvals.status.value == "Saved ✓ 2 approved (3 changed)."
    now = {r.id: r for r in store.all(client_id, Rater)}
    assert set(now) == {ada.id, bo.id}
    assert now[ada.id].approved and now[ada.id].approved_on == TODAY
    assert len(store.history(client_id, Rater, cy.id)) == 2  # removal keeps the history


def test_links_are_issued_once_and_renewed_on_request(practice: Practice, client_id: str) -> None:
    ada = _nominate(practice, client_id, "Ada Park", "peer")
    _nominate(practice, client_id, "Bo Lind", "peer", approve=False)
    issued = A.issue_rater_links(practice.store, client_id, "http://coach.example:8866/", now=NOW)
    assert [i.rater.name for i in issued] == ["Ada Park"]
    url = issued[0].url
    assert url.startswith("http://coach.example:8866/voila/render/rater.ipynb?token=")
    link = practice.store.resolve_link(url.split("token=")[1], NOW)
    assert link is not None and (link.audience, link.subject) == ("rater", ada.id)
    assert practice.store.get(client_id, Rater, ada.id).invited_on == TODAY
    assert A.issue_rater_links(practice.store, client_id, "http://x", now=NOW) == []
    renewed = A.issue_rater_links(practice.store, client_id, "http://x", now=NOW, renew=[ada.id])
    assert len(renewed) == 1
    assert practice.store.resolve_link(url.split("token=")[1], NOW) is None  # the old one is revoked
    A.set_rater_approval(practice.store, client_id, ada.id, False, today=TODAY)
    assert practice.store.resolve_link(renewed[0].url.split("token=")[1], NOW) is None


def test_competency_model_edit_then_locked_by_the_first_answer(practice: Practice, client_id: str) -> None:
    store = practice.store
    form = competency_model_form(
        A.competency_model(store, client_id), lambda m: A.save_competency_model(store, client_id, m)
    )
    form["competencies"].widget.value = "## Listening\n- Lets others finish\n- Asks before telling\nno marker here"
    form.button.click()
    assert "line 4" in form["competencies"].message.value
    assert store.find(client_id, CompetencyModel, COMPETENCY_MODEL_ID) is None
    form[
        "competencies"
    ].widget.value = "## Listening\n- Lets others finish\n- Asks before telling\n## Focus\n- Ends on time"
    form["questions"].widget.value = "What helps?\nWhat gets in the way?"
    form["min_group"].widget.value = 4
    form.button.click()
    assert form.status.value.startswith("Saved ✓ 2 competencies, 3 behaviours")
    model = store.get(client_id, CompetencyModel, COMPETENCY_MODEL_ID)
    assert [b.text for _, b in model.items] == ["Lets others finish", "Asks before telling", "Ends on time"]
    assert [q.text for q in model.open_questions] == ["What helps?", "What gets in the way?"]
    assert model.min_group == 4 and not model.locked

    rater = _nominate(practice, client_id, "Ada Park", "peer")
    A.save_rater_response(store, client_id, RaterResponse(id=rater.id, ratings={"c1.1": 4}), now=NOW)
    model = store.get(client_id, CompetencyModel, COMPETENCY_MODEL_ID)
    assert model.locked_at == NOW
    locked_form = competency_model_form(model, lambda m: A.save_competency_model(store, client_id, m))
    assert locked_form["competencies"].widget.disabled and locked_form.button.disabled
    locked_form.save()
    assert "locked" in locked_form["competencies"].message.value
    with pytest.raises(Conflict):
        A.save_competency_model(store, client_id, model)
    with pytest.raises(Conflict):
        store.save(client_id, CompetencyModel(competencies=model.competencies, locked_at=NOW))


def test_rater_form_saves_resumes_and_becomes_final(practice: Practice, client_id: str) -> None:
    store = practice.store
    rater = _nominate(practice, client_id, "Ada Park", "peer")
    model = A.competency_model(store, client_id)

    def save(draft: RaterResponse, submit: bool) -> RaterResponse:
        return A.save_rater_response(store, client_id, draft, now=NOW, submit=submit)

    sheet = rater_form(model, RaterResponse(id=rater.id), save, title="t", intro=[])
    sheet["item:c1.1"].widget.value = 4
    sheet["item:c1.2"].widget.value = CANT_SAY
    sheet["comment:q1"].widget.value = "Keeps calm"
    assert sheet.progress.value == "2 of 30 answered"
    sheet.save()
    assert sheet.form.status.value.startswith("Saved ✓ 2 of 30 answered")
    saved = store.get(client_id, RaterResponse, rater.id)
    assert saved.ratings == {"c1.1": 4, "c1.2": None} and saved.comments["q1"] == "Keeps calm"
    assert saved.submitted_at is None

    resumed = rater_form(model, saved, save, title="t", intro=[])
    assert resumed["item:c1.1"].widget.value == 4 and resumed["item:c1.2"].widget.value == CANT_SAY
    assert resumed["item:c1.3"].widget.value is None and resumed["comment:q1"].widget.value == "Keeps calm"
    resumed.submit_button.click()
    assert resumed.confirm_row.layout.display == "flex"
    resumed.confirm_button.click()
    assert "please choose an answer" in resumed["item:c1.3"].message.value
    assert resumed.form.status.value.startswith("Not submitted yet")
    assert store.get(client_id, RaterResponse, rater.id).submitted_at is None
    for _, b in model.items:
        if resumed[f"item:{b.id}"].widget.value is None:
            resumed[f"item:{b.id}"].widget.value = 3
    resumed.submit()
    final = store.get(client_id, RaterResponse, rater.id)
    assert final.submitted_at == NOW and final.ratings["c1.2"] is None and len(final.ratings) == 30
    assert resumed.locked and resumed["item:c1.1"].widget.disabled
    assert "final" in resumed.note.value
    again = rater_form(model, final, save, title="t", intro=[])
    assert again.locked and "You submitted these answers on 2026-11-21" in again.note.value
    with pytest.raises(Conflict):
        save(RaterResponse(id=rater.id, ratings={"c1.1": 1}), False)


def test_ipip_form_saves_partly_and_resumes(practice: Practice, client_id: str) -> None:
    store = practice.store
    completed: list[bool] = []

    def save(answers: dict[str, int]) -> IpipResponse:
        return A.save_ipip_answers(store, client_id, answers, today=TODAY)

    items = ipip50_items()
    sheet = ipip_form(None, save, on_complete=lambda: completed.append(True))
    for item in items[:20]:
        sheet[f"ipip:{item.code}"].widget.value = 4
    sheet.save()
    assert sheet.form.status.value.startswith("Saved ✓ 20 of 50 answered")
    saved = store.get(client_id, IpipResponse, IPIP_ID)
    assert len(saved.answers) == 20 and saved.started_on == TODAY and saved.completed_on is None
    assert score_ipip50(saved.answers) is None and completed == []

    resumed = ipip_form(saved, save, on_complete=lambda: completed.append(True))
    assert resumed.progress.value == "20 of 50 answered"
    assert resumed[f"ipip:{items[0].code}"].widget.value == 4
    for item in items[20:]:
        resumed[f"ipip:{item.code}"].widget.value = 2
    resumed.save()
    done = store.get(client_id, IpipResponse, IPIP_ID)
    assert done.completed_on == TODAY and len(done.answers) == 50 and completed == [True]
    assert "profile is ready" in resumed.form.status.value
    assert score_ipip50(done.answers) is not None


def test_pulse_round_and_rater_answers(practice: Practice, client_id: str) -> None:
    store = practice.store
    # raters are asked only about goals the client released
    store.save(
        client_id,
        Goal(id="g1", objective="Delegate decisions to the leads", released_to_sponsor=True, released_on=TODAY),
    )
    store.save(client_id, Goal(id="g2", objective="Protect family evenings", status="on-hold"))
    raters = [_nominate(practice, client_id, n, "direct_report") for n in ("Ada Park", "Bo Lind", "Cy Moss")]
    goals = [store.get(client_id, Goal, "g1"), store.get(client_id, Goal, "g2")]
    form = pulse_round_form(goals, raters, lambda r: A.open_pulse_round(store, client_id, r), TODAY)
    assert form["goal:g1"].widget.value is True and form["goal:g2"].widget.value is False
    form.button.click()
    assert "choose at least one rater" in form.status.value
    form["behaviour:g1"].widget.value = "letting the leads decide"
    for r in raters:
        form[f"rater:{r.id}"].widget.value = True
    form.button.click()
    round_ = store.get(client_id, PulseRound, "mid-point-2026-11-21")
    assert [(i.goal_id, i.behaviour) for i in round_.items] == [("g1", "letting the leads decide")]
    assert round_.rater_ids == [r.id for r in raters]

    issued = A.issue_pulse_links(store, client_id, round_.id, "http://x", now=NOW)
    link = store.resolve_link(issued[0].url.split("token=")[1], NOW)
    assert link is not None and link.subject == f"pulse:{round_.id}:{raters[0].id}"

    rid = pulse_response_id(round_.id, raters[0].id)

    def save(draft: PulseResponse, submit: bool) -> PulseResponse:
        return A.save_pulse_response(store, client_id, draft, now=NOW, submit=submit)

    sheet = pulse_form(
        round_, PulseResponse(id=rid, round_id=round_.id, rater_id=raters[0].id), save, title="t", intro=[]
    )
    sheet["comment:g1"].widget.value = "Fewer escalations"
    sheet.submit()
    assert "please choose" in sheet["goal:g1"].message.value
    assert store.find(client_id, PulseResponse, rid) is None  # a refused submission writes nothing
    sheet["goal:g1"].widget.value = 2
    sheet.submit()
    final = store.get(client_id, PulseResponse, rid)
    assert (final.scores, final.comments, final.submitted_at) == ({"g1": 2}, {"g1": "Fewer escalations"}, NOW)
    assert sheet.locked
