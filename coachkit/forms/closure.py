"""Phase 6 forms: each goal evaluated against its baseline, successes and learning, the
transition plan, and the client's evaluation of the coaching (private to the coach, and hidden
until the coach opens it while sharing the screen: :func:`client_evaluation`).

The closure reflection is one record several forms write: each writes only its own fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coachkit.errors import StaleEdit, ValidationError
from coachkit.forms.action_plan import goal_choices
from coachkit.forms.base import Field, Form
from coachkit.forms.basis import Basis, record_values
from coachkit.forms.editor import Found, Part, SaveRecord, short
from coachkit.forms.private import Hidden
from coachkit.model import OUTCOMES, CaseFile, ClosureReflection, GoalEvaluation, TransitionPlan

OUTCOME_LABELS = {"not-met": "Not met", "partly-met": "Partly met", "met": "Met", "exceeded": "Exceeded"}


def evaluation_form(file: CaseFile, save: SaveRecord) -> Form:
    """One goal at a time: baseline, where it ended, the outcome, the evidence, the learning."""
    goals = {g.id: g for g in file.goals}
    evaluations = {e.goal_id: e for e in file.evaluations}
    basis = Basis.of(file, file.evaluations)
    fields = [
        Field("goal", "Goal", "choice", options=goal_choices(file) or [("No goals yet", "")]),
        Field("baseline", "Baseline", "text"),
        Field("end_value", "Where it is now", "text"),
        Field("outcome", "Outcome", "choice", options=[(OUTCOME_LABELS[o], o) for o in OUTCOMES]),
        Field("evidence", "Evidence", "textarea", placeholder="What shows it?"),
        Field("learning", "What you learned", "textarea"),
    ]

    def show(goal_id: str) -> None:
        goal = goals.get(goal_id)
        if goal is None:
            return
        e = evaluations.get(goal_id) or GoalEvaluation(id=goal_id, goal_id=goal_id, baseline=goal.baseline)
        for name in ("baseline", "end_value", "outcome", "evidence", "learning"):
            form[name].set(getattr(e, name))
        form.clear_messages()

    def on_save(values: dict[str, Any]) -> str:
        goal = goals.get(values["goal"])
        if goal is None:
            raise ValidationError("goal", "choose a goal to evaluate (goals are set in the action plan).")
        evaluation = GoalEvaluation(id=goal.id, goal_id=goal.id, **{k: v for k, v in values.items() if k != "goal"})
        edit = basis.edit(evaluation)
        basis.saved(edit, save(edit))
        evaluations[goal.id] = evaluation
        return f"Evaluation of “{short(goal.objective, 40)}” saved ✓"

    def on_reload(exc: StaleEdit) -> dict[str, Any]:
        current = basis.origins.get((exc.kind, exc.record_id))
        if isinstance(current, GoalEvaluation):
            evaluations[current.goal_id] = current
        else:
            evaluations.pop(exc.record_id, None)
        return record_values(current, ("baseline", "end_value", "outcome", "evidence", "learning"))

    form = Form(
        "Each goal against its baseline",
        fields,
        on_save,
        save_label="Save evaluation",
        basis=basis,
        on_reload=on_reload,
    )
    form["goal"].widget.observe(lambda change: show(change["new"]), names="value")
    show(form["goal"].widget.value)
    return form


LoadClosure = Callable[[], Found[ClosureReflection]]
"""Reads the closure reflection with its revision (None when it is not saved yet)."""


def _closure_form(
    title: str, names: tuple[tuple[str, str], ...], save: SaveRecord, load: LoadClosure, save_label: str
) -> Form:
    part = Part(load, ClosureReflection)
    fields = [Field(name, label, "textarea", value=getattr(part.record, name)) for name, label in names]

    def on_save(values: dict[str, Any]) -> str:
        part.save(save, values)
        return f"{title} saved ✓"

    return part.form(title, fields, on_save, save_label=save_label)


def reflection_form(save: SaveRecord, load: LoadClosure) -> Form:
    """Successes to celebrate, what the client learned, how they changed."""
    names = (
        ("successes", "Successes to celebrate"),
        ("learning", "What you learned"),
        ("how_changed", "How you changed"),
    )
    return _closure_form("Looking back", names, save, load, "Save")


def client_evaluation_form(save: SaveRecord, load: LoadClosure) -> Form:
    """The client's evaluation of the coaching and a rating 1-10: private to the coach."""
    part = Part(load, ClosureReflection)
    c = part.record
    fields = [
        Field("client_evaluation", "Your view of the coaching", "textarea", value=c.client_evaluation),
        Field(
            "client_rating",
            "Rating (1-10)",
            "slider",
            lo=0,
            hi=10,
            value=c.client_rating or 0,
            help_text="0 = no rating given.",
        ),
    ]

    def on_save(values: dict[str, Any]) -> str:
        rating = values["client_rating"] or None
        part.save(save, {"client_evaluation": values["client_evaluation"], "client_rating": rating})
        return "Evaluation saved ✓ (seen by the coach only)"

    def on_reload(exc: StaleEdit) -> dict[str, Any]:
        shown = part.reload(exc, ("client_evaluation", "client_rating"))
        return {**shown, "client_rating": shown["client_rating"] or 0}

    form = Form(
        "Your evaluation of the coaching",
        fields,
        on_save,
        save_label="Save evaluation",
        intro="Private to the coach: this never appears on a sponsor's page or in a report.",
        basis=part.basis,
        on_reload=on_reload,
    )
    form.widget.add_class("coachkit-private")
    return form


def client_evaluation(save: SaveRecord, load: LoadClosure) -> Hidden:
    """The client's private evaluation, hidden until the coach presses “Show the client's evaluation”
    (for when the coach shares the screen; the client may open it to fill it in)."""
    return Hidden(
        "the client's evaluation",
        lambda: client_evaluation_form(save, load),
        note="The client's evaluation is private to the coach and hidden while the screen is shared.",
    )


def transition_form(file: CaseFile, save: SaveRecord) -> Form:
    """How the gains are kept: what to keep doing, early warning signs, support."""
    t = file.transition_plan or TransitionPlan()
    basis = Basis.of(file, [t])
    fields = [
        Field("keep_doing", "Keep doing", "textarea", value=t.keep_doing),
        Field("warning_signs", "Early warning signs", "textarea", value=t.warning_signs),
        Field("support", "Support", "textarea", value=t.support, placeholder="Who and what helps you keep it up?"),
    ]

    def on_save(values: dict[str, Any]) -> str:
        basis.save_values(save, t, values)
        return "Transition plan saved ✓"

    return Form("The transition plan", fields, on_save, save_label="Save plan", basis=basis)
