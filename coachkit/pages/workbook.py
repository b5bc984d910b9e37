"""The phase workbooks' entry point: ``page = workbook.open_page(client_id, home, phase=N)``.

Each template's first code cell opens its page; the following cells call one method each
(``page.header()``, ``page.agreement()``...), which displays that part of the workbook.
Parts built elsewhere (the assessment pages) are shown through :func:`part`, so that a
template run without a client shows the header's "choose a client" sentence and nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from coachkit.errors import CoachkitError, ValidationError
from coachkit.forms.base import notice
from coachkit.pages.phases.action_plan import ActionPlanPage
from coachkit.pages.phases.base import WorkbookPage, today_of
from coachkit.pages.phases.closure import ClosurePage
from coachkit.pages.phases.follow_up import FollowUpPage
from coachkit.pages.phases.relationship import RelationshipPage
from coachkit.pages.phases.review import ReviewPage
from coachkit.pages.phases.self_assessment import SelfAssessmentPage
from coachkit.pages.phases.session import SessionPage

log = logging.getLogger("coachkit.pages")

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


def part(page: WorkbookPage, build: Callable[[str, str], object]) -> object | None:
    """``build(client_id, home)`` for the page's client (an assessment page's widget, which the
    cell then shows), nothing when the page has no client (its header says why), and a plain
    sentence instead of a traceback when it fails."""
    if page.problem is not None or page.practice is None:
        return None
    try:
        return build(page.client_id, str(page.practice.home))
    except CoachkitError as exc:
        shown: object = notice(str(exc), tone="warning")
    except Exception as exc:
        log.error("workbook part %s failed with %s", getattr(build, "__name__", "?"), exc.__class__.__name__)
        shown = notice("This part of the workbook could not be shown; the rest still works.", tone="warning")
    return shown


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
    "part",
]
