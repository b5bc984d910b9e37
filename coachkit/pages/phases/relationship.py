"""Phase 1: the initial meeting, first goals, the coaching agreement, the engagement, sponsors."""

from __future__ import annotations

from coachkit.errors import CoachkitError
from coachkit.forms.action_plan import goal_editor
from coachkit.forms.editor import day, short
from coachkit.forms.relationship import AgreementEditor, engagement_form, initial_meeting_form, sponsor_editor
from coachkit.home.settings import load_settings
from coachkit.home.starter import starter_agreement
from coachkit.model import Agreement, CaseFile
from coachkit.pages.phases.base import WorkbookPage, section, summary_html


class RelationshipPage(WorkbookPage):
    """Workbook 01: establishing the relationship."""

    PHASE = 1

    def first_steps(self) -> list[tuple[str, str]]:
        """Phase 1 is where an engagement starts: say what is still missing."""
        f = self.case
        steps = []
        if f.initial_meeting is None:
            steps.append(("Start with the initial meeting: what the client wants and expects.", "info"))
        if f.engagement is None:
            steps.append(("The engagement is not set up yet: fill in “The engagement” below.", "warning"))
        if f.accepted_agreement is None:
            steps.append(("The agreement is not accepted yet: draft it, read it together, then accept it.", "warning"))
        return steps

    @section
    def meeting(self) -> None:
        """The initial meeting form."""
        self.show(initial_meeting_form(self.case, self.save, self.today).widget)

    @section
    def first_goals(self) -> None:
        """A first sketch of the goals (what and why)."""
        editor = goal_editor(self.case, self.save, self.today, brief=True)
        self.listen(lambda: editor.refresh(self.case.goals, self.case.revisions))
        self.show(editor.widget)

    @section
    def agreement(self) -> None:
        """Edit, preview and accept the coaching agreement."""
        self.show(AgreementEditor(self.case, self.save, starter=self._starter()).widget)

    def _starter(self) -> Agreement | None:
        """A first agreement from the practice's starter text (None once there is an agreement,
        or when the practice's template or settings cannot be read: the boxes start empty)."""
        if self.case.agreement is not None or self.practice is None:
            return None
        try:
            coach = load_settings(self.practice.home).coach_name
            return starter_agreement(self.practice.home, self.case, coach_name=coach)
        except CoachkitError:
            return None

    @section
    def engagement(self) -> None:
        """Start, planned end, cadence, sessions, status and phase."""
        self.show(engagement_form(self.case, self.save, self.today).widget)

    @section
    def sponsors(self) -> None:
        """Add or edit sponsors."""
        editor = sponsor_editor(self.case, self.save, self.today)
        self.show(editor.widget)

    def saved_summary(self, f: CaseFile) -> str:
        """What is saved for phase 1 (refreshed after every save)."""
        return summary_of(f)


def summary_of(f: CaseFile) -> str:
    """Phase 1 as saved, escaped."""
    rows: list[tuple[str, str]] = []
    m = f.initial_meeting
    if m:
        rows += [
            ("Initial meeting", day(m.held_on)),
            ("Objectives", m.objectives),
            ("Expectations", m.expectations),
            ("Confidentiality discussed", "yes" if m.confidentiality_discussed else "not yet"),
        ]
    rows += [("First goals", "\n".join(f"• {g.objective}" for g in f.goals))]
    a = f.agreement
    if a is None:
        rows.append(("Agreement", "no draft yet"))
    elif a.accepted and a.accepted_at:
        rows.append(("Agreement", f"version {a.version}, accepted by {a.accepted_by} on {a.accepted_at:%Y-%m-%d}"))
    else:
        rows.append(("Agreement", f"version {a.version}, a draft not accepted yet"))
    e = f.engagement
    rows.append(
        (
            "Engagement",
            f"{e.status}; {e.start.isoformat()} to {e.planned_end.isoformat()}; {e.planned_sessions} sessions "
            f"of {e.session_minutes} minutes every {e.cadence_weeks} weeks"
            if e
            else "not set up yet",
        )
    )
    rows.append(("Sponsors", "\n".join(f"• {s.name} ({s.relationship})" for s in f.sponsors)))
    return summary_html(f"What is saved for {short(f.client.name, 60)}", rows)
