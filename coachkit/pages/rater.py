"""The rater's page (``templates/rater.ipynb``, served by Voilà): the 360 form or a pulse round,
depending on what the private link is for.

The page takes the path every served page takes (:func:`coachkit.pages.served.serve`): the token
comes from the request's query string, read in the kernel after the heavy imports; without a
link that holds the page says so and loads nothing. With one, it loads only what that rater may
see: the client's name, the items, and the rater's own answers. The page's document holds its
heading; the sheet is drawn just after it went out, once the link was checked again. Every Save
and Submit checks the link again first: once it is revoked or expired, or the coach withdrew
the rater's approval, or the client was erased, nothing is stored and the page ends.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import datetime

import ipywidgets as W

from coachkit.forms.rater import pulse_form, rater_form
from coachkit.links import link_target
from coachkit.model import Client
from coachkit.model.feedback360 import MANAGER, Rater, RaterResponse
from coachkit.model.pulse import PulseResponse, pulse_response_id
from coachkit.pages import web
from coachkit.pages.served import LinkEnded, Visit, serve
from coachkit.practice import Practice
from coachkit.services import assessments as A
from coachkit.services import engagements

log = logging.getLogger("coachkit.pages")

AUDIENCE = "rater"
INVALID = web.NOT_VALID_TITLE
RATER_CLASS = "coachkit-rater-page"


def prepare(home: str | os.PathLike[str] = "") -> Practice | None:
    """Do the slow part before anyone asks (imports, the practice opened, caches warmed); reads
    no client data. ``home`` empty means ``$COACHKIT_HOME``."""
    return web.prepare_page(str(home))


def show(practice: Practice | None, *, query: str | None = None, now: Callable[[], datetime] | None = None) -> W.Box:
    """Wait for the visitor and return the page their rater link opens (or "not valid")."""

    def build(visit: Visit) -> W.Box:
        target = link_target(visit.link)
        if target is None:
            raise LinkEnded()
        client = engagements.get(visit.practice, visit.client_id, Client, visit.client_id)
        what = "Change pulse" if target.is_pulse else "360-degree feedback"
        sheet = web.box()

        def draw_sheet() -> None:
            if target.is_pulse:
                made = _pulse_sheet(visit, target.round_id, target.rater_id)
            else:
                made = _feedback_sheet(visit, target.rater_id)
            web.replace(sheet, [made])

        # the heading goes out with the page; the sheet (a widget or more per statement) just after
        visit.draw_later(draw_sheet, sheet)
        return _page([web.text(f"{what} for {client.name}", "coachkit-title"), sheet])

    page = serve(practice, AUDIENCE, build, query=query, clock=now)
    page.add_class(RATER_CLASS)
    return page


def rater_page(
    home: str | os.PathLike[str] = "",
    *,
    query: str | None = None,
    now: Callable[[], datetime] | None = None,
) -> W.Box:
    """The page a rater's link opens (:func:`prepare` then :func:`show`). ``query`` defaults to
    the Voilà request's query string; ``home`` empty means ``$COACHKIT_HOME``."""
    return show(prepare(home), query=query, now=now)


def _page(parts: list[W.Widget]) -> W.VBox:
    return web.page(parts)


def _feedback_sheet(visit: Visit, rater_id: str) -> W.Widget:
    practice, client_id, clock = visit.practice, visit.client_id, visit.clock
    rater = engagements.get(practice, client_id, Rater, rater_id)  # link_holds: the rater is there and approved
    client = engagements.get(practice, client_id, Client, client_id)
    model = A.competency_model(practice, client_id)
    agreement = A.accepted_agreement(practice, client_id)
    separate = bool(agreement and agreement.manager_shown_separately)
    response = engagements.find(practice, client_id, RaterResponse, rater_id) or RaterResponse(id=rater_id)

    @visit.guard
    def save(draft: RaterResponse, submit: bool) -> RaterResponse:
        return A.save_rater_response(practice, client_id, draft, now=clock(), submit=submit)

    if rater.relationship == MANAGER and separate:
        privacy = (
            "As the manager, your ratings are shown as a line of their own, as the coaching agreement says. "
            "Your comments are mixed with everyone else's, without your name."
        )
    else:
        privacy = (
            f"Your ratings are only ever shown combined with others': a group with fewer than {model.min_group} "
            "answers is never shown on its own, and comments appear without names, mixed with everyone "
            "else's, in random order."
        )
    intro = [
        f"Thank you for giving feedback to {client.name}. It takes about 15 minutes.",
        "Rate how often you see each behaviour. Choose “Can't say” where you have not seen enough to judge.",
        privacy,
        "Only the coach sees individual answers.",
        "You can save and come back with the same link until you submit. Once submitted, your answers are final.",
    ]
    # the form's title goes to the log if a save fails: it never names the client
    return rater_form(model, response, save, title="Your feedback", intro=intro).widget


def _pulse_sheet(visit: Visit, round_id: str, rater_id: str) -> W.Widget:
    practice, client_id, clock = visit.practice, visit.client_id, visit.clock
    # link_holds: the round names this rater; raters see only the goals the client released
    round_ = A.rater_pulse_round(practice, client_id, round_id)
    client = engagements.get(practice, client_id, Client, client_id)
    response_id = pulse_response_id(round_id, rater_id)
    response = engagements.find(practice, client_id, PulseResponse, response_id) or PulseResponse(
        id=response_id, round_id=round_id, rater_id=rater_id
    )

    @visit.guard
    def save(draft: PulseResponse, submit: bool) -> PulseResponse:
        return A.save_pulse_response(practice, client_id, draft, now=clock(), submit=submit)

    intro = [
        f"{client.name} has been working on the goals below with a coach. How much has their effectiveness "
        "changed, as you see it? It takes two minutes.",
        "Choose “Can't say” if you have not seen enough to judge.",
        "Answers are shown only as a total of three or more raters; comments without names, in random order.",
    ]
    return pulse_form(round_, response, save, title="Your answers", intro=intro).widget
