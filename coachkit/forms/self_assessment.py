"""Phase 2 forms: the client's self-assessment, in four short forms that all save the one
:class:`~coachkit.model.SelfAssessment` record, each writing only its own fields."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as W

from coachkit.errors import StaleEdit, ValidationError
from coachkit.forms.base import Field, Form
from coachkit.forms.editor import Found, Part, PickListField, SaveRecord
from coachkit.forms.shared import LABEL_WIDTH
from coachkit.model import (
    BALANCE_AREAS,
    COMPETENCY_CHOICES,
    VALUE_CHOICES,
    BalanceRating,
    CaseFile,
    CompetencyRating,
    SelfAssessment,
)

LoadAssessment = Callable[[], Found[SelfAssessment]]
"""Reads the self-assessment with its revision (None when it is not saved yet)."""


def _slider(hi: int, description: str, description_width: int) -> W.IntSlider:
    """A 0..``hi`` slider, its ``description`` in ``description_width`` pixels before 240 of track."""
    return W.IntSlider(
        min=0,
        max=hi,
        description=description,
        continuous_update=False,
        style={"description_width": f"{description_width}px"},
        layout=W.Layout(width=f"{description_width + 240}px"),
    )


class PairField(Field):
    """Two sliders on one line (now and wanted) for one item; 0 on both means "not rated"."""

    def __init__(
        self,
        name: str,
        label: str,
        hi: int,
        *,
        value: tuple[int, int] = (0, 0),
        first: str = "now",
        second: str = "wanted",
    ) -> None:
        super().__init__(name, label, "slider", lo=0, hi=hi)
        self.label = W.Label(value=label, layout=W.Layout(width="260px"))
        self.widget = _slider(hi, first, 60)
        self.second = _slider(hi, second, 70)
        self.set(value)

    def get(self) -> tuple[int, int]:
        """(first, second)."""
        return int(self.widget.value), int(self.second.value)

    def set(self, value: Any) -> None:
        """Show a (first, second) pair."""
        first, second = value if value is not None else (0, 0)
        self.widget.value, self.second.value = first, second

    message_layout = "pair-message"  # under the sliders, past the label

    def parts(self) -> list[W.Widget]:
        """The label and both sliders, on one line."""
        return [W.HBox([self.label, self.widget, self.second])]


def profile_form(file: CaseFile, save: SaveRecord, load: LoadAssessment) -> Form:
    """Strengths, development areas and career aspirations."""
    part = Part(load, SelfAssessment)
    sa = part.record
    fields = [
        Field("strengths", "Strengths", "lines", value=sa.strengths, help_text="One a line."),
        Field(
            "development_areas",
            "Development areas",
            "lines",
            value=sa.development_areas,
            help_text="What you want to grow in, one a line.",
        ),
        Field("career_aspirations", "Career aspirations", "textarea", value=sa.career_aspirations),
    ]

    def on_save(values: dict[str, Any]) -> str:
        part.save(save, values)
        return "Strengths, development areas and aspirations saved ✓"

    return part.form("Strengths and aspirations", fields, on_save, save_label="Save")


def values_form(file: CaseFile, save: SaveRecord, load: LoadAssessment) -> Form:
    """Values chosen from a list (or in the client's own words), most important first."""
    part = Part(load, SelfAssessment)
    sa = part.record
    field = PickListField(
        "values",
        "Values",
        VALUE_CHOICES,
        value=sa.values,
        help_text="Most important first, one a line; pick from the list or write your own.",
    )

    def on_save(values: dict[str, Any]) -> str:
        chosen = values["values"]
        seen: set[str] = set()
        for v in chosen:
            if v.casefold() in seen:
                raise ValidationError("values", f"lists “{v}” twice; keep each value once.")
            seen.add(v.casefold())
        part.save(save, {"values": chosen})
        return f"{len(chosen)} values saved ✓"

    return part.form("Values", [field], on_save, save_label="Save values")


def _pairs(choices: Sequence[str], rated: dict[str, tuple[int, int]], hi: int, prefix: str) -> list[Field]:
    """A pair of sliders for each of ``choices`` and then for each other name already rated."""
    names = list(choices) + [n for n in rated if n not in choices]
    return [PairField(f"{prefix}:{name}", name, hi, value=rated.get(name, (0, 0))) for name in names]


def _rated(values: dict[str, Any], prefix: str, lo: int) -> list[tuple[str, int, int]]:
    out = []
    for key, value in values.items():
        if not key.startswith(prefix + ":"):
            continue
        first, second = value
        if first == 0 and second == 0:
            continue
        if first < lo or second < lo:
            raise ValidationError(key, f"rate both (from {lo}), or set both to 0 to leave it out.")
        out.append((key.split(":", 1)[1], first, second))
    return out


def competency_form(file: CaseFile, save: SaveRecord, load: LoadAssessment) -> Form:
    """Competencies rated now and wanted, 1-5 (0 on both leaves one out)."""
    part = Part(load, SelfAssessment)
    sa = part.record
    rated = {c.name: (c.current, c.desired) for c in sa.competencies}
    fields = _pairs(COMPETENCY_CHOICES, rated, 5, "rating")
    fields.append(Field("other", "Another competency", "text", placeholder="Your own (optional)"))
    fields.append(PairField("rating:other", "… rated", 5))

    def on_save(values: dict[str, Any]) -> str:
        other = str(values.pop("other")).strip()
        ratings = _rated(values, "rating", 1)
        if other:
            if values["rating:other"] == (0, 0):
                raise ValidationError("rating:other", "rate your own competency too (1-5, now and wanted).")
            ratings = [r for r in ratings if r[0] != "other"] + [(other, *values["rating:other"])]
        elif values["rating:other"] != (0, 0):
            raise ValidationError("other", "name the competency you rated below.")
        competencies = [CompetencyRating(name, now, wanted) for name, now, wanted in ratings]
        part.save(save, {"competencies": competencies})
        return f"{len(competencies)} competencies saved ✓"

    def on_reload(exc: StaleEdit) -> dict[str, Any]:
        part.reload(exc, ())
        now = {f"rating:{c.name}": (c.current, c.desired) for c in part.record.competencies}
        return {f.name: now.get(f.name, (0, 0)) for f in fields if f.name.startswith("rating:")}

    return Form(
        "Competencies: now and wanted (1-5)",
        fields,
        on_save,
        save_label="Save ratings",
        basis=part.basis,
        on_reload=on_reload,
        intro="1 = a real weakness for the role, 5 = a model for others. Leave both at 0 to skip one.",
    )


def balance_form(file: CaseFile, save: SaveRecord, load: LoadAssessment) -> Form:
    """The life-balance wheel: each area now and wanted, 1-10."""
    part = Part(load, SelfAssessment)
    sa = part.record
    rated = {b.area: (b.now, b.wanted) for b in sa.balance}
    fields = _pairs(BALANCE_AREAS, rated, 10, "area")

    def on_save(values: dict[str, Any]) -> str:
        balance = [BalanceRating(name, now, wanted) for name, now, wanted in _rated(values, "area", 1)]
        part.save(save, {"balance": balance})
        return f"Balance: {len(balance)} areas saved ✓"

    def on_reload(exc: StaleEdit) -> dict[str, Any]:
        part.reload(exc, ())
        now = {f"area:{b.area}": (b.now, b.wanted) for b in part.record.balance}
        return {f.name: now.get(f.name, (0, 0)) for f in fields}

    return Form(
        "Life balance (1-10)",
        fields,
        on_save,
        save_label="Save balance",
        basis=part.basis,
        on_reload=on_reload,
        intro="How satisfied are you with each area today, and where would you like it to be?",
    )


__all__ = ["LABEL_WIDTH", "PairField", "balance_form", "competency_form", "profile_form", "values_form"]
