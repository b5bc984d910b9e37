"""Phase 5: check-ins, progress review, goal adjustments with their history, sponsor release."""

from __future__ import annotations

import html

from coachkit.charts.progress import goal_progress, milestones_met_vs_planned, sessions_held_vs_planned
from coachkit.forms.action_plan import goal_choices
from coachkit.forms.between import check_in_form, release_form
from coachkit.forms.editor import day, set_options
from coachkit.forms.review import adjustment_form
from coachkit.model import CaseFile, Goal
from coachkit.model.rules import (
    STALL_DAYS,
    is_stalled,
    last_session_date,
    latest_progress,
    milestones_done,
    next_planned_session,
)
from coachkit.pages.phases.base import WorkbookPage, section, summary_html


class ReviewPage(WorkbookPage):
    """Workbook 05: continuous feedback and review."""

    PHASE = 5

    def first_steps(self) -> list[tuple[str, str]]:
        """The stall warning, and what is missing."""
        steps = super().first_steps()
        if is_stalled(self.case, self.today):
            last = last_session_date(self.case)
            steps.append(
                (
                    f"No session for {STALL_DAYS // 7} weeks or more (last: {day(last, 'none yet')}) and none is "
                    "planned: book the next session.",
                    "warning",
                )
            )
        if not self.case.goals:
            steps.append(("There are no goals yet: set them in workbook 03 (the action plan).", "info"))
        return steps

    @section
    def stall(self) -> None:
        """Where the rhythm of sessions stands."""

        def rhythm(f: CaseFile) -> list[tuple[str, str]]:
            if is_stalled(f, self.today):
                return [("The engagement has stalled: no session in three weeks and none planned.", "warning")]
            nxt = next_planned_session(f, self.today)
            last = last_session_date(f)
            return [(f"Last session: {day(last, 'none yet')}; next planned: {day(nxt, 'none yet')}.", "info")]

        self.show(self.live_notices(rhythm))

    @section
    def check_in(self) -> None:
        """A check-in, entered together."""
        self.show(check_in_form(self.case, self.save, self.today, by="coach").widget)

    @section
    def progress(self) -> None:
        """Progress per goal over time, milestones met vs planned, sessions."""
        self.show(
            self.live_chart(goal_progress),
            self.live_chart(lambda f: milestones_met_vs_planned(f, self.today)),
            self.live_chart(sessions_held_vs_planned),
        )

    @section
    def adjustments(self) -> None:
        """Adjust a goal, with the reason."""
        form = adjustment_form(self.case, self.save_all, self.today)
        self.listen(lambda: set_options(form["goal"], goal_choices(self.case) or [("No goals yet", "")]))
        self.show(form.widget)

    @section
    def history(self) -> None:
        """Every adjustment, and each goal's earlier versions."""
        self.show(self.live_html(self._history))

    def _history(self, f: CaseFile) -> str:
        parts = []
        for g in f.goals:
            adjustments = [a for a in f.adjustments if a.goal_id == g.id]
            revisions = self.versions(Goal, g.id)
            versions = []
            for rev in revisions:
                old = rev.record
                if isinstance(old, Goal):
                    versions.append(
                        f"<li>version {rev.revision} ({rev.saved_at:%Y-%m-%d}): {html.escape(old.objective)} — "
                        f"target {html.escape(old.target or '?')} by {day(old.target_date)} [{old.status}]</li>"
                    )
            adj = "".join(
                f"<li>{a.made_on.isoformat()}: {html.escape(a.what_changed)} <em>Why:</em> {html.escape(a.reason)}</li>"
                for a in adjustments
            )
            parts.append(
                f"<dt>{html.escape(g.objective)}</dt><dd><strong>Adjustments</strong>"
                f"<ul>{adj or '<li><em>none</em></li>'}</ul><strong>Versions</strong><ul>{''.join(versions)}</ul></dd>"
            )
        body = f"<dl>{''.join(parts)}</dl>" if parts else "<p><em>No goals yet.</em></p>"
        return f'<div class="coachkit-summary"><h3>History of the goals</h3>{body}</div>'

    @section
    def release(self) -> None:
        """Which goals the sponsor may follow."""
        self.show(release_form(self.case, self.save, self.today).widget)

    def saved_summary(self, f: CaseFile) -> str:
        """Where each goal stands."""
        return summary_of(f)


def summary_of(f: CaseFile) -> str:
    """Each goal's latest progress, milestones and sponsor release, escaped."""
    rows = []
    for g in f.goals:
        p = latest_progress(f, g.id)
        met, planned = milestones_done(f, g.id)
        shared = f"shared with the sponsor since {day(g.released_on)}" if g.released_to_sponsor else "not shared"
        rows.append(
            (
                g.objective,
                f"progress {p if p is not None else '–'}/10; milestones {met} of {planned} met; {g.status}; {shared}",
            )
        )
    if f.check_ins:
        last = f.check_ins[-1]
        rows.append(("Last check-in", f"{last.on.isoformat()}, confidence {last.confidence}/10"))
    return summary_html("Where things stand", rows, "No goals yet.")
