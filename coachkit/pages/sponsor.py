"""The sponsor's view (``templates/sponsor.ipynb``): progress on the goals the client chose to
share, and nothing else.

A sponsor (the client's manager or HR) sees the client's name, the engagement's dates and phase,
sessions held against planned, and for each goal the client released: the objective, its
measure, the progress ratings from check-ins and its milestones. Never reflections, check-in
notes or blockers, session content, the coach's notes, assessments, or unreleased goals. The
page builds everything from :func:`sponsor_view`, a copy of the case file that holds only that.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import date

import ipywidgets as W
import plotly.graph_objects as go

from coachkit.charts.progress import goal_progress, milestones_met_vs_planned, sessions_held_vs_planned
from coachkit.model import CaseFile, CheckIn, Client, Goal, GoalProgress, Milestone, Record, Session
from coachkit.model.phase import current_phase
from coachkit.pages import web
from coachkit.pages.dashboard import Prepared
from coachkit.pages.goal_card import goal_card, heading
from coachkit.pages.served import Visit, serve
from coachkit.practice import Practice
from coachkit.services import engagements

log = logging.getLogger("coachkit.pages.sponsor")

AUDIENCE = "sponsor"
NOTHING_SHARED = (
    "Nothing has been shared with you yet. The client chooses which goals you can follow; "
    "their progress appears here once they do."
)
FOOTER = (
    "You see the progress of the goals the client chose to share. What is said in coaching "
    "sessions stays between the coach and the client."
)

__all__ = ["Prepared", "prepare", "show", "sponsor_view"]


def prepare(home: str = ".") -> Prepared:
    """Do the slow part before anyone asks: open the practice and warm plotly."""
    return Prepared(practice=web.prepare_page(home))


def show(prepared: Prepared, *, today: date | None = None) -> W.Widget:
    """Wait for the visitor, check their sponsor link, and return the progress view (or the
    "not valid" page)."""

    def build(visit: Visit) -> W.Box:
        return sponsor_page(visit.practice, visit.client_id, today or date.today(), progressive=True, visit=visit)

    return serve(prepared.practice, AUDIENCE, build)


SPONSOR_GOAL_FIELDS = ("id", "objective", "measure", "baseline", "target", "target_date", "status", "released_on")
"""What a sponsor sees of a goal the client released (never its why, findings or resources)."""


def sponsor_view(file: CaseFile) -> CaseFile:
    """A copy of ``file`` holding only what a sponsor may see: the client's name, the
    engagement, released goals (objective and measure), their milestones (title and dates, no
    evidence), the check-ins' progress ratings of those goals only, and sessions' numbers,
    dates and status (no content, no notes)."""
    goals = [
        Goal(**{name: getattr(g, name) for name in SPONSOR_GOAL_FIELDS}, released_to_sponsor=True)
        for g in file.goals
        if g.released_to_sponsor
    ]
    shared = {g.id for g in goals}
    records: list[Record] = [Client(id=file.client.id, name=file.client.name), *goals]
    engagement = file.engagement
    if engagement is not None:
        records.append(dataclasses.replace(engagement))
    records += [
        Milestone(id=m.id, goal_id=m.goal_id, title=m.title, target_date=m.target_date, done_on=m.done_on)
        for m in file.milestones
        if m.goal_id in shared
    ]
    for c in file.check_ins:
        progress = [GoalProgress(p.goal_id, p.progress) for p in c.progress if p.goal_id in shared]
        if progress:
            records.append(CheckIn(id=c.id, on=c.on, progress=progress, confidence=0, by=c.by))
    records += [
        Session(id=s.id, number=s.number, held_on=s.held_on, duration_minutes=s.duration_minutes, status=s.status)
        for s in file.sessions
    ]
    client = records[0]
    assert isinstance(client, Client)
    view = CaseFile.of(client, records)
    view.pinned_phase = current_phase(file)  # the phase of the whole case, as every view shows it
    return view


def sponsor_page(
    practice: Practice, client_id: str, today: date, *, progressive: bool = False, visit: Visit | None = None
) -> W.VBox:
    """The sponsor's view of one client, built from :func:`sponsor_view` only (``progressive``:
    the charts are drawn just after the page is sent; ``visit``: the page ends with its link)."""
    view = sponsor_view(engagements.load(practice, client_id))
    makers: list[Callable[[], go.Figure]] = [lambda: sessions_held_vs_planned(view)]
    if view.goals:
        makers[:0] = [lambda: goal_progress(view), lambda: milestones_met_vs_planned(view, today)]
    charts = [(web.chart(), make) for make in makers]
    cards = [goal_card(view, g, today, audience="sponsor") for g in view.goals]
    page = web.page(
        [
            *_header(view, today),
            web.section("Goals shared with you"),
            *(cards or [web.card([web.paragraph(NOTHING_SHARED)])]),
            web.section("Progress over time"),
            *[box for box, _ in charts],
            web.paragraph(FOOTER, "coachkit-muted"),
        ]
    )
    if visit is not None:
        visit.root = page
    if progressive and visit is not None:  # the charts just after the page went out
        visit.draw_later(lambda: web.draw_charts(charts), charts[0][0])
    else:
        web.draw_charts(charts)
    return page


def _header(view: CaseFile, today: date) -> list[W.Widget]:
    return [heading(view, today, "Coaching progress shared with you")]
