"""The IPIP-50 questionnaire as a form: 50 statements in administration order, answered 1-5,
saved as far as the client got and resumed later."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coachkit.forms.answers import AnswerSheet, StatementField
from coachkit.forms.base import Field
from coachkit.instruments import IPIP50_ANSWERS, IPIP50_NAME, ipip50_items
from coachkit.model.ipip import IpipResponse

SaveIpip = Callable[[dict[str, int]], IpipResponse]
"""Stores the answers so far; returns the saved response."""

IPIP_OPTIONS: list[tuple[str, Any]] = [(label, value) for value, label in IPIP50_ANSWERS]
INSTRUCTIONS = (
    "Below are 50 short statements about how people behave. For each one, choose how accurately it "
    "describes you as you generally are now, not as you would like to be. Compare yourself with other "
    "people you know of your sex and roughly your age. There are no right or wrong answers, and your "
    "answers stay between you and your coach."
)


def ipip_form(
    response: IpipResponse | None, save: SaveIpip, *, on_complete: Callable[[], None] | None = None
) -> AnswerSheet:
    """The 50 items with the five answers; Save keeps what is answered so far. When the 50th
    answer is saved, ``on_complete`` is called (to show the profile)."""
    answers = response.answers if response is not None else {}
    fields: list[Field] = [
        StatementField(
            f"ipip:{item.code}", f"{n}.", item.text, IPIP_OPTIONS, value=answers.get(item.code), button_width="150px"
        )
        for n, item in enumerate(ipip50_items(), 1)
    ]

    def on_save(values: dict[str, Any], _submit: bool) -> str:
        chosen = {key.split(":", 1)[1]: int(v) for key, v in values.items() if v is not None}
        saved = save(chosen)
        if saved.complete:
            if on_complete is not None:
                on_complete()
            return "Saved ✓ All 50 answered: the profile is ready."
        return f"Saved ✓ {len(saved.answers)} of 50 answered. You can stop here and go on later."

    return AnswerSheet(
        "Personality profile (IPIP-50)",
        [("", fields)],
        on_save,
        intro=[INSTRUCTIONS, f"The {IPIP50_NAME}; public domain."],
        final=False,
        counted=[f.name for f in fields],
    )
