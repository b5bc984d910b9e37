"""Phase 4: one workbook per coaching session."""

from __future__ import annotations

from datetime import date

from coachkit.charts.progress import goal_progress
from coachkit.errors import ValidationError
from coachkit.forms.editor import day
from coachkit.forms.session import (
    action_editor,
    action_review_form,
    actions_to_review,
    details_form,
    private_notes,
    summary_form,
    work_form,
)
from coachkit.model import CaseFile, Session
from coachkit.model.rules import session_to_prepare
from coachkit.pages.phases.base import WorkbookPage, section, summary_html


class SessionPage(WorkbookPage):
    """Workbook 04-session-NN: one session, from the review of last time's actions to the summary."""

    PHASE = 4

    def __init__(self, home: str, client_id: str, today: date, session_number: int = 0) -> None:
        super().__init__(home, client_id, today)
        self.number = 0
        if isinstance(session_number, bool) or not isinstance(session_number, int) or not 0 <= session_number <= 1000:
            self.problem = self.problem or str(
                ValidationError("session_number", "must be a whole number from 1 to 1000 (0 for the next session).")
            )
            return
        self.number = session_number
        if self.problem is None and session_number == 0:
            self.number = session_to_prepare(self.case)

    def title(self) -> str:
        """``Session N``."""
        return f"Coaching session {self.number}" if self.number else "Coaching session"

    def _load(self) -> tuple[Session, int] | None:
        return self.find_revision(Session, str(self.number))

    @property
    def revs(self) -> dict[tuple[str, str], int]:
        """The revision each record of the page's case file was read at."""
        return self.case.revisions

    def first_steps(self) -> list[tuple[str, str]]:
        """Say whether this session is new, planned or already held."""
        steps = super().first_steps()
        s = self.case.one(Session, str(self.number))
        if s is None:
            steps.append((f"Session {self.number} is new: it is saved as soon as you save any part below.", "info"))
        else:
            steps.append((f"Session {self.number}: {s.status}, {day(s.held_on)}.", "info"))
        return steps

    @section
    def action_review(self) -> None:
        """Last session's actions: done or not, what got in the way."""
        self.show(action_review_form(self.case, self.number, self.save_all, self._load, self.today).widget)

    @section
    def agenda(self) -> None:
        """Date, length, status and agenda."""
        self.show(details_form(self.number, self.save, self._load, self.today).widget)

    @section
    def work(self) -> None:
        """Reflection, problems, skills, feedback, perspectives."""
        self.show(work_form(self.number, self.save, self._load, self.today).widget)

    @section
    def progress(self) -> None:
        """Progress per goal so far (from check-ins)."""
        self.show(self.live_chart(goal_progress))

    @section
    def new_actions(self) -> None:
        """Actions agreed in this session."""
        editor = action_editor(self.case, self.number, self.save, self.today)
        self.listen(
            lambda: editor.refresh(
                [a for a in self.case.actions if a.session_number == self.number], self.case.revisions
            )
        )
        self.show(editor.widget)

    @section
    def private_notes(self) -> None:
        """The coach's private notes: hidden until the coach presses “Show private notes”."""
        self.show(private_notes(self.number, self.save, self._load, self.today).widget)

    @section
    def summary(self) -> None:
        """The summary form and what is saved of this session (private notes left out)."""
        self.show(
            summary_form(self.number, self.save, self._load, self.today).widget,
            self.live_html(lambda f: summary_of(f, self.number)),
        )


def summary_of(f: CaseFile, number: int) -> str:
    """The session as saved, escaped, without the coach's private notes."""
    s = f.one(Session, str(number))
    reviewed = actions_to_review(f, number)
    rows = []
    if s is not None:
        rows += [
            ("When", f"{day(s.held_on)}, {s.duration_minutes} minutes ({s.status})"),
            ("Agenda", s.agenda),
            ("Reflection", s.reflection),
            ("Problems worked on", s.problems),
            ("Skills practised", s.skills),
            ("Feedback", s.feedback),
            ("New perspectives", s.perspectives),
            ("Summary", s.summary),
        ]
    if reviewed:
        rows.append(
            (
                "Actions reviewed",
                "\n".join(
                    f"{'✓' if a.done_on else '✗'} {a.title}" + (f" — {a.obstacles}" if a.obstacles else "")
                    for a in reviewed
                ),
            )
        )
    new = [a for a in f.actions if a.session_number == number]
    rows.append(("New actions", "\n".join(f"• {a.title} ({a.owner}, due {day(a.due)})" for a in new)))
    return summary_html(f"Session {number}: what is saved", rows)
