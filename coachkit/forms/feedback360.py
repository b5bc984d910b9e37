"""The coach's 360 and pulse forms: nominate raters, approve the list, edit the competency
model (until it locks), release the summary, open a pulse round.

Each builder takes what it shows and callables that do the work (bound to the store by the
page); none of them opens the database.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from coachkit.errors import ValidationError
from coachkit.forms.base import Field, Form
from coachkit.model import Goal
from coachkit.model.feedback360 import (
    NOMINATORS,
    RELATIONSHIP_SINGULAR,
    RELATIONSHIPS,
    CompetencyModel,
    OpenQuestion,
    Rater,
    competency_text,
    parse_competency_text,
)
from coachkit.model.pulse import PULSE_STAGES, PulseItem, PulseRound, suggest_behaviour

APPROVAL_CHOICES = (("Approved", "approved"), ("Waiting for approval", "waiting"), ("Take off the list", "remove"))


def _short(text: str, width: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def nomination_form(nominate: Callable[[dict[str, Any]], Rater]) -> Form:
    """Name, email, relationship and who nominates; each save adds one rater."""
    fields = [
        Field("name", "Name", placeholder="First and last name"),
        Field("email", "Email", placeholder="name@example.org (optional)"),
        Field(
            "relationship",
            "Relationship",
            "choice",
            options=[(RELATIONSHIP_SINGULAR[g].capitalize(), g) for g in RELATIONSHIPS],
            value="peer",
        ),
        Field("by", "Nominated by", "choice", options=[(n.capitalize(), n) for n in NOMINATORS], value="client"),
    ]

    def on_save(values: dict[str, Any]) -> str:
        rater = nominate(values)
        form["name"].set("")
        form["email"].set("")
        return f"{rater.name} nominated ✓ (waiting for the coach's approval)"

    form = Form("Nominate a rater", fields, on_save, save_label="Add rater")
    return form


def approval_form(raters: Sequence[Rater], apply: Callable[[str, str], None]) -> Form:
    """One choice per rater: approved, waiting, or taken off the list. ``apply(rater_id,
    choice)`` carries out each change."""
    current = {r.id: ("approved" if r.approved else "waiting") for r in raters}
    fields = [
        Field(
            f"rater:{r.id}",
            _short(f"{r.name} ({RELATIONSHIP_SINGULAR[r.relationship]})", 28),
            "choice",
            options=APPROVAL_CHOICES,
            value=current[r.id],
        )
        for r in raters
    ]

    def on_save(values: dict[str, Any]) -> str:
        changed = 0
        for key, choice in values.items():
            rater_id = key.split(":", 1)[1]
            if choice != current.get(rater_id):
                apply(rater_id, choice)
                current[rater_id] = choice
                changed += 1
        approved = sum(1 for c in current.values() if c == "approved")
        return f"Saved ✓ {approved} approved ({changed} changed)."

    intro = "" if raters else "Nobody is nominated yet."
    return Form("Approve the raters", fields, on_save, save_label="Save approvals", intro=intro)


def competency_model_form(model: CompetencyModel, save: Callable[[CompetencyModel], object]) -> Form:
    """The model as text (``## competency`` then ``- behaviour`` lines), the open questions (one a
    line) and the smallest group shown on its own. Read-only once locked."""
    locked = model.locked
    fields = [
        Field(
            "competencies",
            "Competencies",
            "textarea",
            value=competency_text(model),
            disabled=locked,
            help_text="“## Name” starts a competency; each “- ” line below it is a behaviour raters rate.",
        ),
        Field("questions", "Open questions", "lines", value=[q.text for q in model.open_questions], disabled=locked),
        Field(
            "min_group",
            "Smallest group",
            "int",
            lo=3,
            hi=10,
            value=model.min_group,
            disabled=locked,
            help_text="A group with fewer answers than this is never shown on its own (3 at least).",
        ),
    ]
    fields[0].widget.rows = 18

    def on_save(values: dict[str, Any]) -> str:
        if locked:
            raise ValidationError("competencies", "the model is locked: answers have arrived.")
        questions = [OpenQuestion(f"q{i}", text) for i, text in enumerate(values["questions"], 1)]
        updated = dataclasses.replace(
            model,
            competencies=parse_competency_text(values["competencies"]),
            open_questions=questions,
            min_group=values["min_group"],
        )
        updated.validate()
        save(updated)
        return f"Saved ✓ {len(updated.competencies)} competencies, {len(updated.items)} behaviours."

    intro = (
        "Locked: answers have arrived, so the items stay as they are."
        if locked
        else "Edit freely until the first answer arrives; then the model locks."
    )
    form = Form("Competency model", fields, on_save, save_label="Save model", intro=intro)
    form.button.disabled = locked
    return form


def release_form(released: bool, ready: bool, set_release: Callable[[bool], object]) -> Form:
    """One switch: may the client see the summary?"""
    fields = [Field("released", "Released to the client", "bool", value=released)]

    def on_save(values: dict[str, Any]) -> str:
        wanted = bool(values["released"])
        if wanted and not ready:
            raise ValidationError("released", "too few raters have answered to show anything yet.")
        set_release(wanted)
        return "Released ✓ The client can now see the summary." if wanted else "Not released: the client sees nothing."

    return Form(
        "Release to the client",
        fields,
        on_save,
        save_label="Save",
        intro="The client sees the summary (never who said what) only once it is released.",
    )


def pulse_round_form(
    goals: Sequence[Goal],
    raters: Sequence[Rater],
    open_round: Callable[[PulseRound], object],
    today: date,
    *,
    stage: str = "mid-point",
    client_id: str = "",
) -> Form:
    """Choose the stage, the goals (each worded as a behaviour others can judge) and the raters.
    ``client_id`` lets the confirmation quote the command that issues the round's links."""
    fields = [
        Field("stage", "Stage", "choice", options=[(s.capitalize(), s) for s in PULSE_STAGES], value=stage),
        Field("label", "Label", placeholder="e.g. Mid-point, End, 90 days after"),
        Field("opened_on", "Opens on", "date", value=today),
    ]
    for g in goals:
        fields.append(Field(f"goal:{g.id}", _short(g.objective, 28), "bool", value=g.status == "active"))
        fields.append(
            Field(
                f"behaviour:{g.id}",
                "  worded for raters",
                value=suggest_behaviour(_short(g.objective, 200)),
                help_text="“How much more or less effective has this person become at …?”",
            )
        )
    for r in raters:
        fields.append(Field(f"rater:{r.id}", _short(f"{r.name} ({RELATIONSHIP_SINGULAR[r.relationship]})", 28), "bool"))

    def on_save(values: dict[str, Any]) -> str:
        if values["opened_on"] is None:
            raise ValidationError("opened_on", "please pick a date.")
        items = [PulseItem(g.id, str(values[f"behaviour:{g.id}"]).strip()) for g in goals if values[f"goal:{g.id}"]]
        chosen = [r.id for r in raters if values[f"rater:{r.id}"]]
        if not items:
            raise ValidationError("goals", "choose at least one goal.")
        if not chosen:
            raise ValidationError("raters", "choose at least one rater (three or more give a result).")
        round_ = PulseRound(
            id=f"{values['stage']}-{values['opened_on'].isoformat()}",
            stage=values["stage"],
            label=str(values["label"]).strip(),
            opened_on=values["opened_on"],
            items=items,
            rater_ids=chosen,
        )
        open_round(round_)
        command = (
            f"coachkit pulse links {client_id} {round_.id}"
            if client_id
            else f"coachkit pulse links (round {round_.id})"
        )
        return f"Pulse round “{round_.title}” opened ✓ Issue the raters' links with `{command}`."

    intro = "Pick a few raters who see the client at work; at least 3 answers are needed for a result."
    return Form("Open a pulse round", fields, on_save, save_label="Open round", intro=intro)
