"""Phase 7: follow-ups after the end, and whether the gains held."""

from __future__ import annotations

from coachkit.charts.closure import sustainment
from coachkit.forms.base import notice
from coachkit.forms.editor import day
from coachkit.forms.follow_up import follow_up_editor, follow_up_label, schedule_form
from coachkit.model import CaseFile
from coachkit.model.rules import due_follow_ups
from coachkit.pages.phases.base import WorkbookPage, section, summary_html


class FollowUpPage(WorkbookPage):
    """Workbook 07: follow-up and sustainment."""

    PHASE = 7

    def first_steps(self) -> list[tuple[str, str]]:
        """Follow-ups that are due, or none scheduled."""
        steps = super().first_steps()
        if self.case.engagement is not None and not self.case.follow_ups:
            steps.append(("No follow-ups are scheduled yet: schedule them below.", "info"))
        for f in due_follow_ups(self.case, self.today):
            steps.append((f"The follow-up {f.days_after_end} days after the end is due ({f.due}).", "warning"))
        return steps

    @section
    def schedule(self) -> None:
        """Schedule the follow-ups."""
        if self.case.engagement is None:
            self.show(notice("Set up the engagement in workbook 01 first: follow-ups count from its end.", tone="info"))
            return
        self.show(schedule_form(self.case, self.save_all, self.today).widget)

    @section
    def follow_up(self) -> None:
        """Record a follow-up."""
        editor = follow_up_editor(self.case, self.save, self.today)
        self.listen(lambda: editor.refresh(self.case.follow_ups, self.case.revisions))
        self.show(editor.widget)

    @section
    def sustainment(self) -> None:
        """Whether the gains held, over time."""
        self.show(self.live_chart(sustainment))

    def saved_summary(self, f: CaseFile) -> str:
        """The follow-ups as saved."""
        return summary_of(f)


def summary_of(f: CaseFile) -> str:
    """Each follow-up, escaped."""
    goals = {g.id: g.objective for g in f.goals}
    rows = []
    for fu in f.follow_ups:
        lines = [f"due {fu.due.isoformat()}" + (f", held {day(fu.held_on)}" if fu.held else ", not held yet")]
        lines += [f"  • {goals.get(c.goal_id, c.goal_id)}: {c.change:+d}" for c in fu.changes] if fu.held else []
        if fu.notes:
            lines.append(fu.notes)
        rows.append((follow_up_label(fu), "\n".join(lines)))
    return summary_html("Follow-ups", rows, "No follow-ups scheduled yet.")
