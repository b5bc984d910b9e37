"""Phase 2 forms built headless."""

from __future__ import annotations

from coachkit.forms.base import Form
from coachkit.forms.self_assessment import balance_form, competency_form, profile_form, values_form
from coachkit.model import CompetencyRating, SelfAssessment
from coachkit.model.plan import SELF_ASSESSMENT_ID
from tests.forms.conftest import TRICKY, Client


def _sa(c: Client) -> SelfAssessment:
    return c.practice.store.get(c.id, SelfAssessment, SELF_ASSESSMENT_ID)


def test_the_four_forms_fill_one_record_without_overwriting_each_other(newcomer: Client) -> None:
    load = newcomer.loader(SelfAssessment, SELF_ASSESSMENT_ID)
    file = newcomer.file
    profile = profile_form(file, newcomer.save, load)  # type: ignore[arg-type]
    values = values_form(file, newcomer.save, load)  # type: ignore[arg-type]
    competencies = competency_form(file, newcomer.save, load)  # type: ignore[arg-type]
    balance = balance_form(file, newcomer.save, load)  # type: ignore[arg-type]

    profile["strengths"].widget.value = f"{TRICKY}\n\nCalm"
    profile["development_areas"].widget.value = "Delegating"
    profile["career_aspirations"].widget.value = "COO in 3 years"
    profile.button.click()
    values_field = values["values"]
    values_field.add("Trust")  # type: ignore[attr-defined]
    values_field.add("Courage")  # type: ignore[attr-defined]
    values_field.add("trust")  # type: ignore[attr-defined]
    values_field.widget.value += "\nMy own value 🌱"
    values.button.click()
    competencies["rating:Delegating"].set((2, 4))
    competencies["other"].widget.value = "Storytelling"
    competencies["rating:other"].set((3, 5))
    competencies.button.click()
    balance["area:Family"].set((5, 9))
    balance.button.click()
    for form in (profile, values, competencies, balance):
        assert form.status.value.endswith("✓"), form.status.value

    sa = _sa(newcomer)
    assert sa.strengths == [TRICKY, "Calm"]
    assert sa.development_areas == ["Delegating"] and sa.career_aspirations == "COO in 3 years"
    assert sa.values == ["Trust", "Courage", "My own value 🌱"]
    assert sa.competencies == [CompetencyRating("Delegating", 2, 4), CompetencyRating("Storytelling", 3, 5)]
    assert [(b.area, b.now, b.wanted) for b in sa.balance] == [("Family", 5, 9)]
    revisions = newcomer.revisions(SelfAssessment, SELF_ASSESSMENT_ID)
    for form in (profile, values, competencies, balance):
        form.button.click()
    assert newcomer.revisions(SelfAssessment, SELF_ASSESSMENT_ID) == revisions, "saving twice changes nothing"


def _message_drawn(form: Form, name: str) -> str:
    """The message line shown under field ``name`` in the form as drawn ("" when none)."""
    field = form[name]
    assert field.box in form.widget.children
    return " ".join(w.value for w in field.box.children if "coachkit-field-message" in w._dom_classes)


def test_bad_entries_show_beside_their_field_and_write_nothing(jonas: Client) -> None:
    load = jonas.loader(SelfAssessment, SELF_ASSESSMENT_ID)
    before = _sa(jonas)
    values = values_form(jonas.file, jonas.save, load)  # type: ignore[arg-type]
    values["values"].widget.value = "Trust\nTRUST"
    values.button.click()
    assert "twice" in _message_drawn(values, "values")
    competencies = competency_form(jonas.file, jonas.save, load)  # type: ignore[arg-type]
    assert competencies["rating:Delegating"].get() == (2, 4), "pre-filled from the store"
    competencies["rating:Delegating"].set((3, 0))
    competencies.button.click()
    assert "rate both" in _message_drawn(competencies, "rating:Delegating")
    assert competencies["rating:Delegating"].message.layout.margin == "0 0 4px 260px"  # under the sliders
    balance = balance_form(jonas.file, jonas.save, load)  # type: ignore[arg-type]
    balance["area:Money"].set((0, 4))
    balance.button.click()
    assert "rate both" in _message_drawn(balance, "area:Money")
    assert _sa(jonas) == before
