"""The client's dashboard (``templates/dashboard.ipynb``): where the engagement stands, what is
due, goals with progress and milestones, forms to check in, reflect, tick off actions, note a
milestone's evidence and choose what the sponsor sees, and progress charts.

Who the client is comes only from the link's token. The template calls :func:`prepare` (slow,
before any visitor: imports, the practice, plotly warmed) and then :func:`show` (waits for the
visitor, checks the token, loads that one client). Every save is written at once and the page
re-reads the case file, so what it shows is what the next visit shows.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import date

import ipywidgets as W

from coachkit.charts.progress import goal_progress, milestones_met_vs_planned, sessions_held_vs_planned
from coachkit.forms import Form
from coachkit.forms.between import (
    action_done_form,
    check_in_form,
    milestone_evidence_form,
    reflection_form,
    release_form,
)
from coachkit.model import Action, CaseFile, Edit, Record
from coachkit.model.rules import (
    next_planned_session,
    open_actions,
)
from coachkit.pages import web
from coachkit.pages.assessment import client_assessments
from coachkit.pages.goal_card import day, goal_card, heading
from coachkit.pages.served import Visit, serve
from coachkit.practice import Practice
from coachkit.services import engagements

log = logging.getLogger("coachkit.pages.dashboard")

AUDIENCE = "client"
SOON_DAYS = 14
RECENT_REFLECTIONS = 5
SPONSOR_NOTE = (
    "Your sponsor follows only the goals you switch on here: their measures, your progress ratings "
    "and milestones. Never your reflections, check-in notes or what is said in sessions."
)
ASSESSMENT_NOTE = (
    "Your 360-degree feedback appears here once your coach has released it: anonymous, with every figure "
    "showing how many people it rests on. Your personality profile appears once you have answered all fifty "
    "statements."
)
PRIVACY_NOTE = (
    "This page is yours alone: please don't forward its link. What you write here is kept by your "
    "coach in confidence. Your sponsor sees only the progress of the goals you choose to share, "
    "never your check-in notes or reflections."
)


@dataclasses.dataclass
class Prepared:
    """What :func:`prepare` readied before a visitor arrived: the practice (or None)."""

    practice: Practice | None


def prepare(home: str = ".") -> Prepared:
    """Do the slow part before anyone asks: open the practice and warm plotly. Reads no client
    data."""
    return Prepared(practice=web.prepare_page(home))


def show(prepared: Prepared, *, today: date | None = None) -> W.Widget:
    """Wait for the visitor, check their link, and return their dashboard (or the "not valid"
    page, which holds no client data)."""

    def build(visit: Visit) -> W.Box:
        day = today or date.today()
        return Dashboard(visit.practice, visit.client_id, day, visit=visit, progressive=True).widget

    return serve(prepared.practice, AUDIENCE, build)


def next_session_line(file: CaseFile, today: date) -> str:
    """When the next session is, in words."""
    engagement = file.engagement
    if engagement is not None and engagement.status in ("closed", "ended-early"):
        return "The engagement has ended; your coach will be in touch for the follow-ups."
    nxt = next_planned_session(file, today)
    if nxt is None:
        return "No session is booked yet: agree the next date with your coach."
    days = (nxt - today).days
    when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
    return f"Next session: {nxt:%A} {day(nxt)} ({when})."


def action_line(action: Action, today: date) -> tuple[str, str]:
    """An open action in words, and its tone (``overdue``, ``soon`` or ``later``)."""
    if action.due is None:
        return f"{action.title} (no due date)", "later"
    if action.due < today:
        days = (today - action.due).days
        return f"{action.title}: was due {day(action.due)} ({days} day{'s' if days != 1 else ''} ago)", "overdue"
    tone = "soon" if (action.due - today).days <= SOON_DAYS else "later"
    return f"{action.title}: due {day(action.due)}", tone


@dataclasses.dataclass
class _Stored:
    """The boxes of a dashboard that show what is stored (made with the rest of the page)."""

    todo: W.VBox
    goals: W.VBox
    reflections: W.VBox
    charts: list[W.VBox]


class Dashboard:
    """One client's dashboard; it re-reads the case file and redraws itself after every save.

    On a served page (``progressive``) only the heading arrives with the page's document: the
    check-in form and everything below it (the reflection form, what is stored, the parts that
    open with a button) are drawn just after it went out, while the browser starts Voilà's
    scripts. The document waits for every widget made before it, and the server reads each of
    them; the browser asks for the widgets only once its scripts run. The progress charts, below
    the fold and the most work to make, are drawn once the browser has been sent the rest
    (:meth:`Visit.draw_when_shown`). The forms to mark an action done, note a milestone's
    evidence and choose what the sponsor sees open with a button."""

    def __init__(
        self, practice: Practice, client_id: str, today: date, *, visit: Visit | None = None, progressive: bool = False
    ) -> None:
        self.practice = practice
        self.visit = visit
        self.client_id = client_id
        self.today = today
        self.file = engagements.load(practice, client_id)
        self.forms: dict[str, Form] = {}
        self.header = web.box()
        self.check_in = web.box()
        self.rest = web.box()
        self.stored: _Stored | None = None
        self.widget = web.page([self.header, web.section("Between sessions"), self.check_in, self.rest])
        if visit is not None:
            visit.root = self.widget
        if progressive and visit is not None:  # the heading now, the forms and the rest just after
            web.replace(self.header, _header(self.file, today))
            visit.draw_later(self._draw_rest, self.check_in)
        else:
            web.replace(self.check_in, [self._form("check_in").widget])
            self._build_rest()
            self.refresh()

    # -- saving ---------------------------------------------------------------------------------

    def save(self, record: Record | Edit) -> int:
        """Store a record (or edit) the client entered, then redraw the page from the database;
        returns its revision. Nothing is saved once the page's link no longer holds (the page
        then ends)."""
        if self.visit is not None:
            self.visit.check()
        revision = engagements.save(self.practice, self.client_id, record, author="client")
        self._after_save(record.record if isinstance(record, Edit) else record)
        return revision

    def _after_save(self, record: Record) -> None:
        try:
            self.file = engagements.load(self.practice, self.client_id)
            if isinstance(record, Action) and "action" in self.forms:
                _keep_options(self.forms["action"], {a.id for a in open_actions(self.file)}, "No open actions")
            self.refresh()
        except Exception as exc:  # the save itself succeeded; the next visit shows it
            log.error("the dashboard could not redraw after a save: %s", exc.__class__.__name__)

    def _guarded(self, build: Callable[[], W.Widget]) -> Callable[[], W.Widget]:
        return self.visit.guard(build) if self.visit is not None else build

    def _draw_rest(self) -> None:
        """What a served page draws after it went out (:meth:`Visit.draw_later`: the link is
        checked again first), from the case file read for the heading: the check-in form, then
        the rest. A part that fails says so in its place; the others are drawn."""
        web.drawn(lambda: web.replace(self.check_in, [self._form("check_in").widget]), self.check_in)
        if web.drawn(self._build_rest, self.rest) and self.stored is not None:
            # the heading went out with the page, read from the same file
            web.drawn(lambda: self.refresh(header=False, charts=False), self.stored.todo)
            if self.visit is not None:  # below the fold: once the browser has the rest
                self.visit.draw_when_shown(self._draw_charts, self.stored.charts[0])

    def _build_rest(self) -> None:
        """The page below the check-in form, with empty boxes for what is stored (:meth:`refresh`
        fills them)."""
        stored = _Stored(todo=web.box(), goals=web.box(), reflections=web.box(), charts=[web.chart() for _ in range(3)])
        practice, client_id = self.practice, self.client_id
        web.replace(
            self.rest,
            [
                self._form("reflection").widget,
                web.section("What is due"),
                stored.todo,
                web.on_demand("Mark an action done", self._guarded(lambda: self._form("action").widget)),
                web.section("Your goals"),
                stored.goals,
                web.on_demand("Note a milestone's evidence", self._guarded(lambda: self._form("milestone").widget)),
                web.section("Progress over time"),
                *stored.charts,
                web.section("Your reflections"),
                stored.reflections,
                web.section("Your assessments"),
                web.paragraph(ASSESSMENT_NOTE),
                web.on_demand(
                    "Show your 360 feedback and personality profile",
                    self._guarded(lambda: client_assessments(practice, client_id)),
                ),
                web.section("What your sponsor sees"),
                web.paragraph(SPONSOR_NOTE),
                web.on_demand("Choose what your sponsor sees", self._guarded(lambda: self._form("release").widget)),
                web.paragraph(PRIVACY_NOTE, "coachkit-muted"),
            ],
        )
        self.stored = stored

    def _form(self, name: str) -> Form:
        if name not in self.forms:
            file, save, today = self.file, self.save, self.today
            builders = {
                "check_in": lambda: check_in_form(file, save, today),
                "reflection": lambda: reflection_form(save, today),
                "action": lambda: action_done_form(file, save, today),
                "milestone": lambda: milestone_evidence_form(file, save, today),
                "release": lambda: release_form(file, save, today),
            }
            self.forms[name] = builders[name]()
        return self.forms[name]

    # -- drawing --------------------------------------------------------------------------------

    def refresh(self, *, header: bool = True, charts: bool = True) -> None:
        """Redraw every section that shows stored data (the heading too, unless ``header`` is
        false; the charts too, unless ``charts`` is false)."""
        file, today = self.file, self.today
        if header:
            web.replace(self.header, _header(file, today))
        stored = self.stored
        if stored is None:  # the rest of the page is not drawn yet: it will be read then
            return
        web.replace(stored.todo, _todo(file, today))
        cards = [goal_card(file, g, today, audience="client") for g in file.goals]
        web.replace(stored.goals, cards or [web.paragraph(_NO_GOALS)])
        web.replace(stored.reflections, _reflections(file))
        if charts:
            self._draw_charts()

    def _draw_charts(self) -> None:
        """Draw the progress charts from the case file read last (once the rest is drawn)."""
        file, today, stored = self.file, self.today, self.stored
        if stored is None:
            return
        makers = (
            lambda: goal_progress(file),
            lambda: milestones_met_vs_planned(file, today),
            lambda: sessions_held_vs_planned(file),
        )
        web.draw_charts(list(zip(stored.charts, makers, strict=True)))


def _header(file: CaseFile, today: date) -> list[W.Widget]:
    role = " · ".join(p for p in (file.client.role, file.client.organisation) if p)
    return [heading(file, today, role, more=(next_session_line(file, today),))]


def _todo(file: CaseFile, today: date) -> list[W.Widget]:
    actions = [a for a in open_actions(file) if a.owner in ("client", file.client.name)]
    if not actions:
        return [web.block([web.group([web.line("Nothing is open right now. Well done.")], "coachkit-card")])]
    said = [action_line(a, today) for a in actions]
    overdue = [w for w, tone in said if tone == "overdue"]
    rest = [w for w, tone in said if tone != "overdue"]
    summary = f"{len(actions)} open action{'s' if len(actions) != 1 else ''}" + (
        f", {len(overdue)} overdue" if overdue else ""
    )
    lines = [web.line(summary, "coachkit-goal-title")]
    if overdue:
        lines.append(web.line("\n".join(overdue), "coachkit-wrap", "coachkit-overdue"))
    if rest:
        lines.append(web.line("\n".join(rest), "coachkit-wrap"))
    return [web.block([web.group(lines, "coachkit-card")])]


def _reflections(file: CaseFile) -> list[W.Widget]:
    recent = list(reversed(file.reflections))[:RECENT_REFLECTIONS]
    if not recent:
        return [web.paragraph("No reflections yet: the form above keeps them for you.", "coachkit-muted")]
    cards = [web.group([web.line(f"{day(r.on)}\n{r.text}", "coachkit-wrap")], "coachkit-card") for r in recent]
    return [web.block(cards)]


_NO_GOALS = "No goals yet: you will set them with your coach."


def _keep_options(form: Form, keep: set[str], empty: str) -> None:
    dropdown = form["action"].widget if "action" in form.fields else None
    if not isinstance(dropdown, W.Dropdown):
        return
    kept = [(label, value) for label, value in dropdown.options if value in keep]
    dropdown.options = kept or [(empty, "")]
