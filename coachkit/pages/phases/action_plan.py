"""Phase 3: goals, milestones, resources, the realism check and the timeline."""

from __future__ import annotations

from coachkit.charts.plan import goal_timeline
from coachkit.forms.action_plan import describe_goal, goal_choices, goal_editor, milestone_editor
from coachkit.forms.editor import day, set_options
from coachkit.model import CaseFile
from coachkit.model.rules import realism_warnings
from coachkit.pages.phases.base import WorkbookPage, section, summary_html


class ActionPlanPage(WorkbookPage):
    """Workbook 03: goal setting and action planning."""

    PHASE = 3

    def first_steps(self) -> list[tuple[str, str]]:
        """Point to the self-assessment when it is missing, and to workbook 01 without an engagement."""
        steps = super().first_steps()
        if self.case.self_assessment is None:
            steps.append(("Tip: fill in the self-assessment (workbook 02) first; goals link to what it shows.", "info"))
        return steps

    @section
    def goals(self) -> None:
        """Add or edit goals."""
        editor = goal_editor(self.case, self.save, self.today)
        self.listen(lambda: editor.refresh(self.case.goals, self.case.revisions))
        self.show(editor.widget)

    @section
    def milestones(self) -> None:
        """Add, edit and complete milestones."""
        editor = milestone_editor(self.case, self.save, self.today)

        def refresh() -> None:
            set_options(editor["goal_id"], goal_choices(self.case) or [("Add a goal first", "")])
            editor.refresh(self.case.milestones, self.case.revisions)

        self.listen(refresh)
        self.show(editor.widget)

    @section
    def realism(self) -> None:
        """Warnings about the plan (they never block a save)."""

        def warnings(f: CaseFile) -> list[tuple[str, str]]:
            found = realism_warnings(f)
            if not f.goals:
                return [("No goals yet.", "info")]
            return [(w, "warning") for w in found] or [("The plan looks realistic: no warnings.", "success")]

        self.show(self.live_notices(warnings))

    @section
    def timeline(self) -> None:
        """Goals and milestones on a timeline."""
        self.show(self.live_chart(lambda f: goal_timeline(f, self.today)))

    def saved_summary(self, f: CaseFile) -> str:
        """The action plan as saved."""
        return summary_of(f)


def summary_of(f: CaseFile) -> str:
    """Goals with their milestones, escaped."""
    rows = []
    for g in f.goals:
        lines = [describe_goal(g) + f" [{g.status}]"]
        if g.why:
            lines.append(f"Why: {g.why}")
        if g.findings:
            lines.append("Linked to: " + "; ".join(g.findings))
        if g.resources:
            lines.append(f"Resources: {g.resources}")
        for m in f.milestones_of(g.id):
            mark = f"met {day(m.done_on)}" if m.done_on else f"due {day(m.target_date)}"
            lines.append(f"  • {m.title} ({mark})")
        rows.append((g.objective, "\n".join(lines)))
    return summary_html("The action plan", rows, "No goals yet.")
