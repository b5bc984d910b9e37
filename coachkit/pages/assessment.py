"""Assessment pages: what the ``02-assessment`` workbook (and 05-07 for the pulse) shows, one call
per cell, and the client's view of the released 360 summary and the IPIP-50 profile.

Workbook cells (coach and client on a screen share)::

    assessment.feedback_raters(client_id, home)        # nominate, approve, advice, answers per group
    assessment.competency_model_editor(client_id, home)
    assessment.self_rating(client_id, home)            # the client's own 360 rating
    assessment.feedback_results(client_id, home)       # anonymised summary + release switch
    assessment.ipip_questionnaire(client_id, home)     # the IPIP-50 form, profile when complete
    assessment.pulse_rounds(client_id, home)           # phases 5-7: open a round, results over time

Client dashboard: ``assessment.client_assessments(practice, client_id)``.

Rater links are never shown here: the workbook is screen-shared with the client, and a link
opens a rater's own answers. The coach issues them with ``coachkit raters links``. For the same
reason the workbook shows how many of each group answered, never who.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import ipywidgets as W

from coachkit.forms import notice
from coachkit.forms.answers import AnswerSheet
from coachkit.forms.base import SaveCallback
from coachkit.forms.feedback360 import (
    approval_form,
    competency_model_form,
    nomination_form,
    pulse_round_form,
    release_form,
)
from coachkit.forms.ipip import ipip_form
from coachkit.forms.rater import rater_form
from coachkit.model.feedback360 import (
    RELATIONSHIP_LABELS,
    SELF_ID,
    CompetencyModel,
    Rater,
    RaterResponse,
    model_advice,
    rater_advice,
)
from coachkit.model.feedback_summary import build_summary, client_summary, current_model, feedback_release
from coachkit.model.ipip import IPIP_ID, IpipResponse, practice_percentiles, score_ipip50
from coachkit.model.phase import current_phase
from coachkit.model.pulse import PulseRound, pulse_results
from coachkit.model.rules import active_goals
from coachkit.pages import web
from coachkit.pages.summary360 import Draw, heading, profile_widget, pulse_widget, summary_widget
from coachkit.practice import Practice, open_practice
from coachkit.services import assessments as A
from coachkit.services import engagements


def _now() -> datetime:
    return datetime.now(UTC)


def _open(client_id: str, home: str | os.PathLike[str]) -> Practice:
    practice = open_practice(home or None)
    practice.require_client(client_id)
    return practice


# -- 360: raters -----------------------------------------------------------------------------


def feedback_raters(client_id: str, home: str = ".", *, today: date | None = None) -> W.VBox:
    """Nominate raters (client or coach), approve the list (coach), see the advice on numbers and
    how many of each group have answered."""
    practice = _open(client_id, home)
    day = today or date.today()
    info = W.VBox()
    approvals = W.VBox()

    def show_info() -> None:
        raters = engagements.records(practice, client_id, Rater)
        model = A.competency_model(practice, client_id)
        responses = {r.id: r for r in engagements.records(practice, client_id, RaterResponse)}
        parts: list[W.Widget] = [
            notice(a, tone="warning" if a.startswith("Warning") else "info")
            for a in rater_advice(raters, model.min_group)
        ]
        counts = []
        for group, label in RELATIONSHIP_LABELS.items():
            mine = [r for r in raters if r.relationship == group and r.approved]
            done = sum(1 for r in mine if (x := responses.get(r.id)) is not None and x.submitted)
            if mine:
                counts.append(f"{label}: {done} of {len(mine)} answered")
        parts.append(W.Label(value="Answers so far: " + (" · ".join(counts) or "nobody approved yet")))
        info.children = tuple(parts)

    def apply(rater_id: str, choice: str) -> None:
        if choice == "remove":
            A.remove_rater(practice, client_id, rater_id)
        else:
            A.set_rater_approval(practice, client_id, rater_id, choice == "approved", today=day)

    def show_approvals() -> None:
        form = approval_form(engagements.records(practice, client_id, Rater), apply)
        form.on_save = _after(form.on_save, show_info)
        approvals.children = (form.widget,)

    def nominate(values: dict[str, Any]) -> Rater:
        rater = A.nominate_rater(
            practice,
            client_id,
            name=str(values["name"]),
            email=str(values["email"]),
            relationship=values["relationship"],
            by=values["by"],
            today=day,
        )
        show_info()
        show_approvals()
        return rater

    show_info()
    show_approvals()
    return W.VBox([heading("Who gives 360 feedback"), info, nomination_form(nominate).widget, approvals])


def _after(on_save: SaveCallback, then: Callable[[], None]) -> SaveCallback:
    def wrapped(values: dict[str, Any]) -> str | None:
        result = on_save(values)
        then()
        return result

    return wrapped


# -- 360: the competency model and the client's own rating ---------------------------------------


def competency_model_editor(client_id: str, home: str = ".") -> W.VBox:
    """Edit the competency model before launch (it locks when the first answer arrives)."""
    practice = _open(client_id, home)
    model = A.competency_model(practice, client_id)

    def save(updated: CompetencyModel) -> object:
        saved = A.save_competency_model(practice, client_id, updated)
        advice.children = tuple(notice(a, tone="warning") for a in model_advice(saved))
        return saved

    form = competency_model_form(model, save)
    advice = W.VBox([notice(a, tone="warning") for a in model_advice(model)])
    return W.VBox([heading("What raters rate"), form.widget, advice])


def self_rating(client_id: str, home: str = ".") -> W.VBox:
    """The client rates themself on the same behaviours (shown beside others' ratings)."""
    practice = _open(client_id, home)
    model = A.competency_model(practice, client_id)
    response = engagements.find(practice, client_id, RaterResponse, SELF_ID) or RaterResponse(id=SELF_ID)

    def save(draft: RaterResponse, submit: bool) -> RaterResponse:
        return A.save_rater_response(practice, client_id, draft, now=_now(), submit=submit, author="client")

    sheet: AnswerSheet = rater_form(
        model,
        response,
        save,
        title="Your own rating",
        intro=["Rate how often you show each behaviour today, as honestly as you can. Others rate the same ones."],
        with_questions=False,
    )
    return W.VBox([heading("Your own view"), sheet.widget])


# -- 360: results and release --------------------------------------------------------------------


def feedback_results(client_id: str, home: str = ".", *, now: datetime | None = None) -> W.VBox:
    """The coach's view of the anonymised summary (the same figures the client will see), and the
    switch that releases it to the client."""
    practice = _open(client_id, home)
    status = W.VBox()
    body = W.VBox()

    def show() -> bool:
        file = engagements.load(practice, client_id)
        summary = build_summary(file)
        release = feedback_release(file)
        status.children = (
            notice(f"Released to the client on {release.released_at:%Y-%m-%d}.", tone="success")
            if release
            else notice("Not released: the client does not see this yet.", tone="warning"),
        )
        body.children = (summary_widget(summary),)
        return summary.ready

    def set_release(released: bool) -> object:
        release = A.release_feedback(practice, client_id, now=now or _now(), released=released)
        show()
        return release

    ready = show()
    released = feedback_release(engagements.load(practice, client_id)) is not None
    return W.VBox([status, body, release_form(released, ready, set_release).widget])


# -- IPIP-50 -------------------------------------------------------------------------------------


def ipip_questionnaire(client_id: str, home: str = ".", *, today: date | None = None) -> W.VBox:
    """The IPIP-50 form (save and resume), with the profile below once all 50 are answered."""
    practice = _open(client_id, home)
    profile_box = W.VBox()

    def show_profile() -> None:
        profile_box.children = (ipip_results_widget(practice, client_id),)

    def save(answers: dict[str, int]) -> IpipResponse:
        return A.save_ipip_answers(practice, client_id, answers, today=today or date.today())

    sheet = ipip_form(engagements.find(practice, client_id, IpipResponse, IPIP_ID), save, on_complete=show_profile)
    show_profile()
    return W.VBox([sheet.widget, profile_box])


def ipip_results_widget(
    practice: Practice, client_id: str, *, with_percentiles: bool = False, draw: Draw = web.chart
) -> W.VBox:
    """The client's profile; with ``with_percentiles``, their position among the practice's
    completed profiles (offered once there are 30 or more). ``draw`` shows the chart."""
    response = engagements.find(practice, client_id, IpipResponse, IPIP_ID)
    profile = score_ipip50(response.answers) if response is not None else None
    if profile is None:
        return profile_widget(None, draw=draw)
    available = practice_percentiles(profile, A.practice_ipip_profiles(practice))
    box = W.VBox([profile_widget(profile, available if with_percentiles else None, draw)])
    if available is not None:
        switch = W.Checkbox(value=with_percentiles, description="Show the position among this practice's profiles")

        def redraw(change: dict[str, Any]) -> None:
            box.children = (profile_widget(profile, available if change["new"] else None, draw), switch)

        switch.observe(redraw, names="value")
        box.children = (*box.children, switch)
    return box


# -- pulse ---------------------------------------------------------------------------------------


def pulse_rounds(client_id: str, home: str = ".", *, today: date | None = None) -> W.VBox:
    """Open a pulse round (mid-point, end, follow-up) and follow the net change per goal."""
    practice = _open(client_id, home)
    results = W.VBox()

    def show() -> None:
        file = engagements.load(practice, client_id)
        results.children = (pulse_widget(pulse_results(file, threshold=current_model(file).min_group)),)

    def open_round(round_: PulseRound) -> object:
        saved = A.open_pulse_round(practice, client_id, round_)
        show()
        return saved

    show()
    file = engagements.load(practice, client_id)
    engagement = file.engagement
    stage = {6: "end", 7: "follow-up"}.get(current_phase(file) if engagement else 0, "mid-point")
    raters = [r for r in file.all(Rater) if r.approved]
    goals = [g for g in active_goals(file) or file.goals if g.released_to_sponsor]  # raters see released goals only
    form = pulse_round_form(goals, raters, open_round, today or date.today(), stage=stage, client_id=client_id)
    return W.VBox([results, form.widget])


# -- the client's dashboard ------------------------------------------------------------------------


def client_assessments(practice: Practice, client_id: str) -> W.VBox:
    """What the client may see of their assessments on their dashboard: the 360 summary once the
    coach released it (as it stood then), and their IPIP-50 profile, charts drawn as pictures."""
    file = engagements.load(practice, client_id)
    summary = client_summary(file)
    parts: list[W.Widget] = []
    if summary is None:
        parts += [
            heading("360-degree feedback"),
            notice("Your coach will share your 360 results with you once they are ready."),
        ]
    else:
        parts.append(summary_widget(summary, web.chart))
    parts.append(ipip_results_widget(practice, client_id, draw=web.chart))
    return W.VBox(parts)
