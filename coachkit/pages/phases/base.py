"""What every phase workbook page shares: the open practice, the client's case file, saving
(which refreshes every chart and summary on the page), the header, and the screen-share style.

A page method displays its widgets (via ``IPython.display``) and returns None, so a template
cell is one call. A part that fails shows one plain sentence instead of a traceback and logs
the error's type only (no client text reaches a log).
"""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, ClassVar, ParamSpec, TypeVar

import ipywidgets as W
import plotly.graph_objects as go

from coachkit import settings
from coachkit.errors import CoachkitError, ValidationError
from coachkit.forms.base import notice, text_label
from coachkit.forms.style import LABEL_CSS
from coachkit.model import PHASES, CaseFile, Edit, Record
from coachkit.model.phase import current_phase
from coachkit.pages import web
from coachkit.practice import Practice, open_practice
from coachkit.services import engagements
from coachkit.services.engagements import Revision

log = logging.getLogger("coachkit.pages")
P = ParamSpec("P")
T = TypeVar("T")
R = TypeVar("R", bound=Record)

SCREEN_CSS = """<style>
.jp-Notebook .jp-CodeCell .jp-InputPlaceholder { display: none; }
.jp-Notebook .jp-RenderedMarkdown { font-size: 18px; line-height: 1.55; }
.jp-Notebook .jp-RenderedMarkdown h1 { font-size: 32px; }
.jp-Notebook .jp-RenderedMarkdown h2 { font-size: 26px; margin-top: 28px; }
.coachkit-form { --jp-widgets-font-size: 17px; --jp-widgets-inline-height: 36px; font-size: 17px; max-width: 960px; }
.coachkit-form .widget-label, .coachkit-form .widget-readout, .coachkit-form label { font-size: 17px !important; }
.coachkit-form textarea, .coachkit-form input, .coachkit-form select, .coachkit-form button {
  font-size: 17px !important; }
.coachkit-form-title { font-size: 22px !important; font-weight: 600;
  height: auto !important; line-height: 1.4 !important; }
.coachkit-page-title { font-size: 30px !important; font-weight: 700;
  height: auto !important; line-height: 1.3 !important; }
.coachkit-page-subtitle { font-size: 19px !important; color: #495057; height: auto !important; }
.coachkit-status { font-size: 17px !important; font-weight: 600; margin-left: 12px; }
.coachkit-field-message { color: #c92a2a !important; font-size: 16px !important; }
.coachkit-notice-info, .coachkit-notice-warning, .coachkit-notice-success {
  font-size: 18px !important; white-space: normal !important; height: auto !important; line-height: 1.45 !important;
  padding: 6px 10px; max-width: 960px; }
.coachkit-notice-warning { color: #9a3412 !important; background: #fff4e6; border-left: 6px solid #e8590c; }
.coachkit-notice-success { color: #2b8a3e !important; }
.coachkit-form textarea { font-family: var(--jp-ui-font-family) !important; line-height: 1.4; }
.coachkit-agreement-state { font-size: 18px !important; white-space: normal !important; height: auto !important;
  line-height: 1.45 !important; font-weight: 600; max-width: 960px; }
.coachkit-private { background: #fff8f0; border-left: 8px solid #e8590c !important; }
.coachkit-summary { font-size: 17px; line-height: 1.5; max-width: 960px; }
.coachkit-summary dt { font-weight: 600; margin-top: 8px; }
.coachkit-summary dd { margin-left: 16px; white-space: pre-wrap; }
.coachkit-chart { background: #ffffff; border: 1px solid #d0d7de; border-radius: 10px; padding: 8px 12px;
  margin: 6px 0; max-width: 960px; }
.coachkit-keys { font-size: 16px; }
.coachkit-agreement { white-space: pre-wrap; font-family: inherit; font-size: 16px; background: #f8f9fa;
  padding: 12px; border: 1px solid #dee2e6; max-width: 900px; }
</style>"""
"""Fixed CSS that enlarges the page for a screen share. It never contains client text."""
NO_CLIENT = (
    "No client chosen: this is a template. Render a client's workbook with `coachkit workbook CLIENT`, "
    "or run it with papermill's `-p client_id CLIENT -p home PRACTICE`."
)


def today_of(value: date | str | None = None) -> date:
    """``value``, else ``COACHKIT_TODAY`` (YYYY-MM-DD, for demos and tests), else today."""
    if isinstance(value, date):
        return value
    chosen = value or settings.read("COACHKIT_TODAY")
    if chosen:
        try:
            return date.fromisoformat(chosen)
        except ValueError as exc:
            raise ValidationError("today", f"{chosen!r} is not a date (YYYY-MM-DD).") from exc
    return date.today()


def display(*objects: Any) -> None:
    """Show widgets in the current cell (IPython's display; imported late)."""
    from IPython.display import display as ipy_display

    ipy_display(*objects)  # type: ignore[no-untyped-call]


def section(method: Callable[P, T]) -> Callable[P, T | None]:
    """Guard a page method: shows nothing when the page could not open (the header says why),
    a plain sentence for an expected error, and a plain apology for anything else."""

    @functools.wraps(method)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> T | None:
        page = args[0]
        assert isinstance(page, WorkbookPage)
        if page.problem is not None:
            return None
        try:
            return method(*args, **kwargs)
        except CoachkitError as exc:
            display(notice(str(exc), tone="warning"))
        except Exception as exc:
            log.error("page part %s failed with %s", method.__name__, exc.__class__.__name__)
            display(notice("This part of the workbook could not be shown; the rest still works.", tone="warning"))
        return None

    return guarded


def summary_html(title: str, rows: Iterable[tuple[str, str]], empty: str = "Nothing saved yet.") -> str:
    """A titled list of (label, text) as HTML: every piece of text escaped."""
    items = [
        f"<dt>{html.escape(label)}</dt><dd>{html.escape(text) if text.strip() else '<em>not filled in</em>'}</dd>"
        for label, text in rows
    ]
    body = f"<dl>{''.join(items)}</dl>" if items else f"<p><em>{html.escape(empty)}</em></p>"
    return f'<div class="coachkit-summary"><h3>{html.escape(title)}</h3>{body}</div>'


class WorkbookPage:
    """One phase workbook for one client: build it with :func:`coachkit.pages.workbook.open_page`."""

    PHASE: ClassVar[int] = 0

    def __init__(self, home: str, client_id: str, today: date) -> None:
        self.client_id = client_id
        self.today = today
        self.problem: str | None = None
        self._listeners: list[Callable[[], None]] = []
        self.practice: Practice | None = None
        self.file: CaseFile | None = None
        if not client_id.strip():  # a template run with its default parameters
            self.problem = NO_CLIENT
            return
        try:
            self.practice = open_practice(home)
            self.practice.require_client(client_id)
            self.file = engagements.load(self.practice, client_id)
        except CoachkitError as exc:
            self.problem = str(exc)

    # -- data -----------------------------------------------------------------------------------

    @property
    def case(self) -> CaseFile:
        """The client's case file as it is now."""
        assert self.file is not None, "the page has no client"
        return self.file

    @property
    def _practice(self) -> Practice:
        assert self.practice is not None, "the page has no practice"
        return self.practice

    def save(self, record: Record | Edit) -> int:
        """Save one record (or edit) for this client, then refresh the page's charts and
        summaries; returns its revision."""
        revision = engagements.save(self._practice, self.client_id, record, author="coach")
        self.changed()
        return revision

    def save_all(self, records: Sequence[Record | Edit]) -> list[int]:
        """Save records (or edits) in one transaction, then refresh; returns their revisions."""
        revisions = engagements.save_all(self._practice, self.client_id, records, author="coach")
        self.changed()
        return revisions

    def find(self, kind: type[R], record_id: str) -> R | None:
        """The newest saved record of ``kind`` with ``record_id`` (read now, not from the page's copy)."""
        return engagements.find(self._practice, self.client_id, kind, record_id)

    def find_revision(self, kind: type[R], record_id: str) -> tuple[R, int] | None:
        """The newest saved record of ``kind`` with ``record_id`` and its revision (read now)."""
        return engagements.find_revision(self._practice, self.client_id, kind, record_id)

    def versions(self, kind: type[Record], record_id: str) -> list[Revision]:
        """Every saved version of one of this client's records, oldest first."""
        return engagements.history(self._practice, self.client_id, kind, record_id)

    def changed(self) -> None:
        """Reload the case file and refresh everything that listens."""
        self.file = engagements.load(self._practice, self.client_id)
        for listener in list(self._listeners):
            try:
                listener()
            except Exception as exc:  # one broken view must not undo a save
                log.error("refreshing a view failed with %s", exc.__class__.__name__)

    def listen(self, refresh: Callable[[], None]) -> None:
        """Call ``refresh`` after every save made on this page."""
        self._listeners.append(refresh)

    # -- building blocks ------------------------------------------------------------------------

    @section
    def summary(self) -> None:
        """What is saved in this workbook (:meth:`saved_summary`), refreshed after every save."""
        self.show(self.live_html(self.saved_summary))

    def saved_summary(self, f: CaseFile) -> str:
        """What ``f`` holds for this workbook as escaped HTML; each phase's page says it."""
        return summary_html(PHASES.get(self.PHASE, "This workbook"), [])

    def live_chart(self, build: Callable[[CaseFile], go.Figure]) -> W.VBox:
        """``build(case)`` drawn as a picture with its legend as text (:func:`web.chart`, no
        plotly.js in the browser), redrawn after every save."""
        frame = web.chart()

        def draw() -> None:
            web.draw_charts([(frame, lambda: build(self.case))])

        draw()
        self.listen(draw)
        return frame

    def live_html(self, render: Callable[[CaseFile], str]) -> W.HTML:
        """An HTML widget of ``render(case)`` (which must escape client text), refreshed after saves."""
        view = W.HTML(value=render(self.case))

        def redraw() -> None:
            view.value = render(self.case)

        self.listen(redraw)
        return view

    def live_notices(self, render: Callable[[CaseFile], list[tuple[str, str]]]) -> W.VBox:
        """Plain-text notices (text, tone) from ``render(case)``, refreshed after saves."""
        box = W.VBox()

        def redraw() -> None:
            box.children = [notice(text, tone=tone) for text, tone in render(self.case)]

        redraw()
        self.listen(redraw)
        return box

    # -- what every workbook shows --------------------------------------------------------------

    def title(self) -> str:
        """The page's heading."""
        return f"Phase {self.PHASE}: {PHASES[self.PHASE]}"

    def first_steps(self) -> list[tuple[str, str]]:
        """Notices shown under the header: what to do first when something is missing."""
        if self.case.engagement is None:
            return [
                (
                    "The engagement is not set up yet: start with workbook 01 (Establishing the relationship) "
                    "to record the initial meeting, the engagement and the agreement.",
                    "warning",
                )
            ]
        return []

    def header(self) -> None:
        """The screen-share style, the heading, who this is for and where the engagement stands."""
        display(W.HTML(value=SCREEN_CSS + LABEL_CSS))
        heading = text_label(self.title(), "coachkit-page-title")
        if self.problem is not None:
            display(heading, notice(self.problem, tone="warning"))
            return
        try:
            c = self.case.client
            who = c.name + (f", {c.role}" if c.role else "") + (f", {c.organisation}" if c.organisation else "")
            subtitle = text_label(who, "coachkit-page-subtitle")
            e = self.case.engagement
            phase = current_phase(self.case)
            state = (
                f"Engagement {e.status}, phase {phase} of 7 ({PHASES[phase]}); "
                f"{e.start.isoformat()} to {e.planned_end.isoformat()}; as of {self.today.isoformat()}."
                if e
                else f"No engagement yet; as of {self.today.isoformat()}."
            )
            display(heading, subtitle, notice(state), self.live_notices(lambda _f: self.first_steps()))
        except Exception as exc:
            log.error("page header failed with %s", exc.__class__.__name__)
            display(heading, notice("The header could not be shown; the forms below still work.", tone="warning"))

    def show(self, *widgets: W.Widget) -> None:
        """Display widgets in the current cell."""
        display(*widgets)
