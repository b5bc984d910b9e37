"""The forms a rater fills in (the 360 and the change pulse), and the client's own 360 rating.

Each builder takes the records it shows and a ``save(response, submit)`` callable that stores
the answers (the caller binds it to the store); it returns an
:class:`~coachkit.forms.answers.AnswerSheet`. A sheet shows only the answers it was given: the
rater's own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from coachkit.forms.answers import CANT_SAY, AnswerSheet, CommentField, StatementField
from coachkit.forms.base import Field
from coachkit.model.competencies import RATING_SCALE
from coachkit.model.feedback360 import CompetencyModel, RaterResponse
from coachkit.model.pulse import PULSE_SCALE, PulseResponse, PulseRound, pulse_question

SaveRaterResponse = Callable[[RaterResponse, bool], RaterResponse]
SavePulseResponse = Callable[[PulseResponse, bool], PulseResponse]

RATING_OPTIONS: list[tuple[str, Any]] = [(str(v), v) for v, _ in RATING_SCALE] + [("Can't say", CANT_SAY)]
PULSE_OPTIONS: list[tuple[str, Any]] = [(f"{v:+d}" if v else "0", v) for v, _ in PULSE_SCALE] + [
    ("Can't say", CANT_SAY)
]


PULSE_LEGEND = "-3 much less effective · 0 no change · +1 somewhat · +2 clearly · +3 remarkably more effective"


def _shown(value: int | None, answered: bool) -> Any:
    if not answered:
        return None
    return CANT_SAY if value is None else value


def _stored(value: Any) -> int | None:
    return None if value == CANT_SAY else int(value)


def _answers(values: dict[str, Any], prefix: str) -> dict[str, int | None]:
    return {key.split(":", 1)[1]: _stored(v) for key, v in values.items() if key.startswith(prefix) and v is not None}


def _comments(values: dict[str, Any]) -> dict[str, str]:
    return {key.split(":", 1)[1]: str(v) for key, v in values.items() if key.startswith("comment:")}


def _final_note(submitted_at: datetime | None) -> str | None:
    if submitted_at is None:
        return None
    return f"You submitted these answers on {submitted_at:%Y-%m-%d}. They are final; thank you."


def scale_legend() -> str:
    """The 1-5 scale in words."""
    return "  ·  ".join(f"{v} = {label}" for v, label in RATING_SCALE) + "  ·  Can't say = not seen enough to judge"


def rater_form(
    model: CompetencyModel,
    response: RaterResponse,
    save: SaveRaterResponse,
    *,
    title: str,
    intro: list[str],
    with_questions: bool = True,
) -> AnswerSheet:
    """The 360 form: every behaviour of the model on the 1-5 scale (or “Can't say”), then the
    open questions. Shows ``response``'s answers; read-only once it was submitted."""
    sections: list[tuple[str, list[Field]]] = []
    number = 0
    for c in model.competencies:
        fields: list[Field] = []
        for b in c.behaviours:
            number += 1
            fields.append(
                StatementField(
                    f"item:{b.id}",
                    f"{number}.",
                    b.text,
                    RATING_OPTIONS,
                    value=_shown(response.ratings.get(b.id), b.id in response.ratings),
                )
            )
        sections.append((c.name, fields))
    questions = model.open_questions if with_questions else []
    if questions:
        comment_fields: list[Field] = [
            CommentField(f"comment:{q.id}", q.text, value=response.comments.get(q.id, "")) for q in questions
        ]
        sections.append(("In your own words (optional)", comment_fields))
    state = {"response": response}

    def on_save(values: dict[str, Any], submit: bool) -> str:
        ratings = _answers(values, "item:")
        draft = RaterResponse(id=state["response"].id, ratings=ratings, comments=_comments(values))
        state["response"] = save(draft, submit)
        if submit:
            return "Submitted ✓ Thank you. Your answers are final."
        return f"Saved ✓ {len(ratings)} of {len(model.items)} answered. You can come back to this page and go on."

    return AnswerSheet(
        title,
        sections,
        on_save,
        intro=[*intro, scale_legend()],
        counted=[f"item:{b.id}" for _, b in model.items],
        read_only_note=_final_note(response.submitted_at),
    )


def pulse_form(
    round_: PulseRound,
    response: PulseResponse,
    save: SavePulseResponse,
    *,
    title: str,
    intro: list[str],
) -> AnswerSheet:
    """The change pulse: for each goal, how much more or less effective the person has become at
    its behaviour (-3..+3, or “Can't say”), with one optional comment."""
    sections: list[tuple[str, list[Field]]] = []
    for n, item in enumerate(round_.items, 1):
        sections.append(
            (
                "",
                [
                    StatementField(
                        f"goal:{item.goal_id}",
                        f"{n}.",
                        pulse_question(item),
                        PULSE_OPTIONS,
                        value=_shown(response.scores.get(item.goal_id), item.goal_id in response.scores),
                    ),
                    CommentField(
                        f"comment:{item.goal_id}", "A comment (optional)", value=response.comments.get(item.goal_id, "")
                    ),
                ],
            )
        )
    state = {"response": response}

    def on_save(values: dict[str, Any], submit: bool) -> str:
        current = state["response"]
        draft = PulseResponse(
            id=current.id,
            round_id=current.round_id,
            rater_id=current.rater_id,
            scores=_answers(values, "goal:"),
            comments=_comments(values),
        )
        state["response"] = save(draft, submit)
        return "Submitted ✓ Thank you. Your answers are final." if submit else "Saved ✓ You can come back and go on."

    return AnswerSheet(
        title,
        sections,
        on_save,
        intro=[*intro, PULSE_LEGEND],
        counted=[f"goal:{i.goal_id}" for i in round_.items],
        read_only_note=_final_note(response.submitted_at),
    )
