"""The phase workbooks' entry point: ``page = workbook.open_page(client_id, home, phase=N)``.

Each template's first code cell opens its page; the following cells call one method each
(``page.header()``, ``page.agreement()``...), which displays that part of the workbook.
"""

from __future__ import annotations

from datetime import date

from coachkit.errors import ValidationError
from coachkit.pages.phases.action_plan import ActionPlanPage
from coachkit.pages.phases.base import WorkbookPage, today_of
from coachkit.pages.phases.closure import ClosurePage
from coachkit.pages.phases.follow_up import FollowUpPage
from coachkit.pages.phases.relationship import RelationshipPage
from coachkit.pages.phases.review import ReviewPage
from coachkit.pages.phases.self_assessment import SelfAssessmentPage
from coachkit.pages.phases.session import SessionPage

PAGES: dict[int, type[WorkbookPage]] = {
    1: RelationshipPage,
    2: SelfAssessmentPage,
    3: ActionPlanPage,
    5: ReviewPage,
    6: ClosurePage,
    7: FollowUpPage,
}


def open_page(
    client_id: str, home: str = ".", *, phase: int, session_number: int = 0, today: date | str | None = None
) -> WorkbookPage:
    """The page of phase ``phase`` (1-7) for ``client_id`` in the practice at ``home``.
    ``session_number`` (phase 4) picks the session; 0 means the next one. ``today`` defaults to
    ``COACHKIT_TODAY``, else the real date. A client that does not exist gives a page whose
    header says so and whose other parts show nothing."""
    day = today_of(today)
    if phase == 4:
        return SessionPage(home, client_id, day, session_number)
    if phase not in PAGES:
        raise ValidationError("phase", f"is {phase!r}; it must be a phase from 1 to 7.")
    return PAGES[phase](home, client_id, day)


__all__ = [
    "ActionPlanPage",
    "ClosurePage",
    "FollowUpPage",
    "RelationshipPage",
    "ReviewPage",
    "SelfAssessmentPage",
    "SessionPage",
    "WorkbookPage",
    "open_page",
]
