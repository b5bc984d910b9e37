"""Phase 6: goals against their baselines, successes, learning, the transition plan, and the
client's evaluation of the coaching (private to the coach)."""

from __future__ import annotations

from coachkit.charts.closure import goal_outcomes
from coachkit.charts.progress import goal_progress
from coachkit.forms.action_plan import goal_choices
from coachkit.forms.closure import (
    OUTCOME_LABELS,
    client_evaluation,
    evaluation_form,
    reflection_form,
    transition_form,
)
from coachkit.forms.editor import set_options
from coachkit.model import CaseFile, ClosureReflection
from coachkit.model.closure import CLOSURE_ID
from coachkit.pages.phases.base import WorkbookPage, section, summary_html


class ClosurePage(WorkbookPage):
    """Workbook 06: closure and evaluation."""

    PHASE = 6

    def first_steps(self) -> list[tuple[str, str]]:
        """Point to the action plan when there are no goals to evaluate."""
        steps = super().first_steps()
        if not self.case.goals:
            steps.append(("There are no goals to evaluate: goals are set in workbook 03 (the action plan).", "info"))
        return steps

    def _load(self) -> tuple[ClosureReflection, int] | None:
        return self.find_revision(ClosureReflection, CLOSURE_ID)

    @section
    def evaluations(self) -> None:
        """Each goal against its baseline, with its chart."""
        form = evaluation_form(self.case, self.save)
        self.listen(lambda: set_options(form["goal"], goal_choices(self.case) or [("No goals yet", "")]))
        self.show(form.widget, self.live_chart(goal_outcomes), self.live_chart(goal_progress))

    @section
    def looking_back(self) -> None:
        """Successes, learning, how the client changed."""
        self.show(reflection_form(self.save, self._load).widget)

    @section
    def transition(self) -> None:
        """The transition (sustainment) plan."""
        self.show(transition_form(self.case, self.save).widget)

    @section
    def client_evaluation(self) -> None:
        """The client's evaluation of the coaching: private to the coach, hidden until opened."""
        self.show(client_evaluation(self.save, self._load).widget)

    def saved_summary(self, f: CaseFile) -> str:
        """The closure as saved (the client's private evaluation left out)."""
        return summary_of(f)


def summary_of(f: CaseFile) -> str:
    """Evaluations, looking back and the transition plan, escaped."""
    goals = {g.id: g for g in f.goals}
    rows = [
        (
            goals[e.goal_id].objective,
            f"{OUTCOME_LABELS[e.outcome]}: from {e.baseline or '?'} to {e.end_value or '?'}. {e.evidence}".strip(),
        )
        for e in f.evaluations
        if e.goal_id in goals
    ]
    c = f.closure
    if c:
        rows += [("Successes", c.successes), ("Learning", c.learning), ("How you changed", c.how_changed)]
    t = f.transition_plan
    if t:
        rows += [("Keep doing", t.keep_doing), ("Early warning signs", t.warning_signs), ("Support", t.support)]
    return summary_html("The closure, as saved", rows)
