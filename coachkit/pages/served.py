"""The one path every page served to a client, a sponsor or a rater takes.

:func:`serve` reads the visitor's query string, opens the link its token names (never an id in
the address; the practice is opened without creating anything), records the link as opened, and
hands a :class:`Visit` to the page's own builder, which only draws. The builder wraps every
action (each Save and Submit, each part opened later) in :meth:`Visit.guard`: the link is checked
again before the action runs. When it no longer holds (revoked, expired, the rater no longer
approved, the client erased), nothing is read or written, the page says so, and its kernel is
shut down at once: the kernel asks the coachkit server to end it (``/coachkit/end-page``),
proving who it is with its own connection key.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import ParamSpec, TypeVar

import ipywidgets as W

from coachkit.errors import CoachkitError
from coachkit.model.access import Link
from coachkit.pages import shown, web
from coachkit.pages.kernel_end import end_kernel
from coachkit.practice import Practice
from coachkit.services import visits

log = logging.getLogger("coachkit.pages")

P = ParamSpec("P")
R = TypeVar("R")

ENDED_TITLE = "This link is no longer valid"
ENDED_TEXT = "Nothing more was saved. Please ask your coach (or whoever sent you the link) for a new one."
LINK_ENDED = "this link is no longer valid. Please ask the coach who sent it for a new one."
WATCH_EVERY = 60.0
"""Seconds between the checks an open page makes by itself, so that a page nobody acts on (a
sponsor's view left open) also ends soon after its link does."""
END_DELAY = 0.3
"""Seconds between drawing the notice and asking for the end: the notice reaches the browser
first."""


class LinkEnded(CoachkitError):
    """The page's link no longer holds: the action was refused and nothing was stored."""

    def __init__(self) -> None:
        super().__init__(LINK_ENDED)


class Visit:
    """One visitor's page: its practice and link, checked again before every action."""

    def __init__(self, practice: Practice, link: Link, *, clock: Callable[[], datetime] | None = None) -> None:
        self.practice = practice
        self.link = link
        self.clock = clock or (lambda: datetime.now(UTC))
        self.root: W.Box | None = None
        self.ended = False

    @property
    def client_id(self) -> str:
        """The one client this page may show."""
        return self.link.client_id

    def holds(self) -> bool:
        """Whether the link still opens this page (see :func:`coachkit.links.link_holds`)."""
        if self.ended:
            return False
        try:
            return visits.link_holds(self.practice, self.link, now=self.clock())
        except Exception as exc:  # a broken database ends nothing, but lets nothing through
            log.error("could not check a link: %s", exc.__class__.__name__)
            raise CoachkitError("this could not be checked just now; please try again in a minute.") from None

    def check(self) -> None:
        """Raise :class:`LinkEnded` (after ending the page) unless the link still holds."""
        if not self.holds():
            self.end()
            raise LinkEnded()

    def guard(self, action: Callable[P, R]) -> Callable[P, R]:
        """``action``, run only while the link holds (checked first, every time)."""

        @functools.wraps(action)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            self.check()
            return action(*args, **kwargs)

        return checked

    def draw_later(self, draw: Callable[[], object], where: W.Box) -> None:
        """Run ``draw`` just after the page went out (:func:`coachkit.pages.web.later`), once the
        link was checked again: when it no longer holds nothing is drawn (the page ends and says
        so); when the check or ``draw`` fails, ``where`` says that part is missing."""
        web.later(self._checked(draw, where))

    def draw_when_shown(self, draw: Callable[[], object], where: W.Box) -> None:
        """As :meth:`draw_later`, for a part the visitor does not need first: drawn once the
        browser has been sent the page's widgets and had time to draw them
        (:func:`coachkit.pages.shown.when_shown`)."""
        shown.when_shown(self._checked(draw, where))

    def _checked(self, draw: Callable[[], object], where: W.Box) -> Callable[[], None]:
        def run() -> None:
            try:
                self.check()
            except LinkEnded:
                return
            except Exception as exc:  # the link could not be checked: nothing more is drawn
                web.part_missing(where, exc)
                return
            web.drawn(draw, where)

        return run

    def watch(self, every: float = WATCH_EVERY) -> None:
        """Check the link again every ``every`` seconds while the page is open, and end the page
        when it no longer holds (inside a running kernel only)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return

        def tick() -> None:
            if self.ended:
                return
            try:
                holds = self.holds()
            except CoachkitError:  # the database is unwell: ask again next time
                holds = True
            if holds:
                loop.call_later(every, tick)
            else:
                self.end()

        loop.call_later(every, tick)

    def end(self) -> None:
        """Show that the link is no longer valid (nothing of the client stays on the page) and
        shut the page's kernel down."""
        if self.ended:
            return
        self.ended = True
        if self.root is not None:
            web.replace(self.root, [web.css(), ended_card()])
        web.later(end_kernel, END_DELAY)


def ended_card() -> W.VBox:
    """The notice an open page shows once its link has ended."""
    return web.card([web.text(ENDED_TITLE, "coachkit-title"), web.paragraph(ENDED_TEXT)], "coachkit-invalid")


def serve(
    practice: Practice | None,
    audience: str,
    build: Callable[[Visit], W.Box],
    *,
    query: str | None = None,
    clock: Callable[[], datetime] | None = None,
) -> W.Box:
    """The page for the visitor's link: ``build(visit)`` for a link of ``audience`` that holds,
    else the "not valid" page; a plain trouble page when something fails on our side. ``query``
    defaults to the request's query string (it waits for the visitor in a warm kernel)."""
    asked = web.request_query() if query is None else query
    now = (clock or (lambda: datetime.now(UTC)))()
    link = _open(practice, audience, asked, now)
    if link is None or practice is None:
        return web.not_valid_page()
    visit = Visit(practice, link, clock=clock)
    try:
        root = build(visit)
    except LinkEnded:
        W.Widget.close_all()
        return web.not_valid_page()
    except Exception as exc:
        log.error("a %s page could not be built: %s", audience, exc.__class__.__name__)
        W.Widget.close_all()  # nothing half-built (with client data) may reach the browser
        return web.trouble_page()
    visit.root = root
    visit.watch()
    return root


def _open(practice: Practice | None, audience: str, query: str | None, now: datetime) -> Link | None:
    if practice is None:
        return None
    try:
        return visits.open_link(practice, query, audience, now=now)
    except Exception as exc:
        log.error("could not check a link: %s", exc.__class__.__name__)
        return None
