"""The practice notebook (``workbooks/00-practice.ipynb``): the agenda of every client with
filters, and a calendar view. Each item links to the workbook where it is dealt with.

The list comes from :func:`coachkit.services.home.agenda` (the same items ``coachkit agenda``
prints); this module only filters and draws them.
"""

from __future__ import annotations

import calendar
import html
import logging
from datetime import date, timedelta

import ipywidgets as W

from coachkit.errors import CoachkitError
from coachkit.home.agenda import KINDS, AgendaItem
from coachkit.home.settings import load_settings
from coachkit.pages.phases.base import display, today_of
from coachkit.practice import open_existing_practice
from coachkit.services import home as home_service

log = logging.getLogger(__name__)
MAX_DAYS = 60
KIND_LABELS: dict[str, str] = {
    "phase": "Phase",
    "session": "Next session",
    "overdue-action": "Overdue action",
    "action-due": "Action due",
    "stalled": "Stalled",
    "stalled-goal": "Stalled goal",
    "check-in-missing": "Check-in missing",
    "raters-not-answered": "Raters not answered",
    "pulse-open": "Pulse open",
    "follow-up": "Follow-up",
    "link-expiring": "Link expiring",
    "agreement-not-accepted": "Agreement not accepted",
}
STYLE = """<style>
.coachkit-agenda td, .coachkit-month td { padding: 4px 8px; vertical-align: top; font-size: 15px; }
.coachkit-agenda h3 { margin: 14px 0 4px; }
.coachkit-month { border-collapse: collapse; }
.coachkit-month td { border: 1px solid #ccc; width: 13%; height: 64px; }
.coachkit-month .today { background: #fff6d5; }
.coachkit-day { font-weight: bold; }
.coachkit-chip { display: block; font-size: 13px; margin-top: 2px; }
</style>"""


def workbook_href(item: AgendaItem) -> str:
    """The item's workbook relative to ``workbooks/`` (where the practice notebook lives)."""
    return item.workbook.removeprefix("workbooks/")


def agenda_html(items: list[AgendaItem]) -> str:
    """The items grouped by client, one row each, with a link to the workbook."""
    if not items:
        return STYLE + '<div class="coachkit-agenda"><p>Nothing due with these filters.</p></div>'
    parts = [STYLE, '<div class="coachkit-agenda">']
    current = None
    for item in items:
        if item.client_id != current:
            if current is not None:
                parts.append("</table>")
            parts.append(f"<h3>{html.escape(item.client)}</h3><table>")
            current = item.client_id
        href = html.escape(workbook_href(item), quote=True)
        name = html.escape(item.workbook.rsplit("/", 1)[-1])
        parts.append(
            f'<tr class="coachkit-agenda-item" data-kind="{item.kind}"><td>{item.on.isoformat()}</td>'
            f"<td>{KIND_LABELS[item.kind]}</td><td>{html.escape(item.text)}</td>"
            f'<td><a href="{href}" target="_blank">{name}</a></td></tr>'
        )
    parts.append("</table></div>")
    return "".join(parts)


def month_html(items: list[AgendaItem], year: int, month: int, today: date) -> str:
    """A month as a grid (Monday first), each day with its items."""
    by_day: dict[date, list[AgendaItem]] = {}
    for item in items:
        by_day.setdefault(item.on, []).append(item)
    rows = [f"<h3>{calendar.month_name[month]} {year}</h3><table class='coachkit-month'><tr>"]
    rows += [f"<th>{d}</th>" for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")]
    rows.append("</tr>")
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        rows.append("<tr>")
        for day in week:
            if day.month != month:
                rows.append("<td></td>")
                continue
            chips = "".join(
                f'<span class="coachkit-chip">{html.escape(i.client.split()[0])}: {KIND_LABELS[i.kind]}</span>'
                for i in by_day.get(day, [])
            )
            css = " class='today'" if day == today else ""
            rows.append(f"<td{css}><span class='coachkit-day'>{day.day}</span>{chips}</td>")
        rows.append("</tr>")
    rows.append("</table>")
    return STYLE + "".join(rows)


class PracticeHome:
    """The practice notebook's page: call :meth:`header`, :meth:`agenda`, :meth:`calendar`."""

    def __init__(self, home: str, today: date) -> None:
        self.today = today
        self.items: list[AgendaItem] = []
        self.problem: str | None = None
        try:
            with open_existing_practice(home) as practice:
                zone = load_settings(practice.home).zone
                self.items = home_service.agenda(practice, today=today, days=MAX_DAYS, zone=zone)
        except CoachkitError as exc:
            self.problem = str(exc)

    def header(self) -> None:
        """The title and how much is due."""
        clients = len({i.client_id for i in self.items})
        text = self.problem or f"{len(self.items)} items for {clients} clients, as of {self.today.isoformat()}."
        display(W.HTML(f"<h1>Your practice</h1><p>{html.escape(text)}</p>"))

    def filtered(self, client_id: str, kind: str, days: int) -> list[AgendaItem]:
        """The items of one client (or all: ``""``) and one kind (or all), due by ``today + days``."""
        horizon = self.today + timedelta(days=days)
        return [
            i
            for i in self.items
            if (not client_id or i.client_id == client_id) and (not kind or i.kind == kind) and i.on <= horizon
        ]

    def agenda(self) -> None:
        """Filters (client, kind, days ahead) and the list they select."""
        clients = [("All clients", ""), *sorted({(i.client, i.client_id) for i in self.items})]
        kinds = [("All kinds", ""), *((KIND_LABELS[k], k) for k in KINDS if any(i.kind == k for i in self.items))]
        who = W.Dropdown(options=clients, value="", description="Client")
        what = W.Dropdown(options=kinds, value="", description="What")
        ahead = W.IntSlider(value=14, min=0, max=MAX_DAYS, description="Days ahead")
        view = W.HTML()
        view.add_class("coachkit-agenda-view")

        def draw(_change: object = None) -> None:
            try:
                view.value = agenda_html(self.filtered(who.value, what.value, ahead.value))
            except Exception as exc:  # a drawing bug must not leave a traceback on the coach's screen share
                log.error("drawing the agenda failed with %s", exc.__class__.__name__)
                view.value = "<p>The list could not be drawn.</p>"

        for control in (who, what, ahead):
            control.observe(draw, names="value")
        draw()
        display(W.VBox([W.HBox([who, what, ahead]), view]))

    def calendar(self) -> None:
        """This month and the next, with the items on their days."""
        first = self.today.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        display(
            W.HTML(
                month_html(self.items, first.year, first.month, self.today)
                + month_html(self.items, following.year, following.month, self.today)
            )
        )


def open_home(home: str = ".", today: date | str | None = None) -> PracticeHome:
    """The practice notebook's page for the practice at ``home`` (``today`` defaults to
    ``COACHKIT_TODAY``, else the real date)."""
    return PracticeHome(home, today_of(today))
