"""The rater's page (``templates/rater.ipynb``, served by Voilà): the 360 form or a pulse round,
depending on what the private link is for.

The token comes from the request's query string, read in the kernel after the heavy imports and
before anything is loaded. Without a valid rater link the page says so and loads nothing. With
one, it loads only what that rater may see: the client's name, the items, and the rater's own
answers. Nothing about another rater, and nothing else about the client, is read.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import parse_qs

import ipywidgets as W

from coachkit import assessments as A
from coachkit.errors import CoachkitError
from coachkit.forms.answers import para
from coachkit.forms.rater import pulse_form, rater_form
from coachkit.model import Client
from coachkit.model.feedback360 import MANAGER, Rater, RaterResponse
from coachkit.model.pulse import PulseResponse, pulse_response_id
from coachkit.practice import open_practice
from coachkit.store import Store

log = logging.getLogger("coachkit.pages")

INVALID = (
    "This link is not valid. It may have expired or been replaced: please ask the coach who sent it for a new one."
)
UNAVAILABLE = "This page cannot be shown right now. Please try again later, or tell the coach who sent the link."


def query_string() -> str | None:
    """The page request's query string inside Voilà (it waits for the request in a preheated
    kernel); None outside Voilà."""
    from voila.utils import get_query_string

    value = get_query_string()
    return value if isinstance(value, str) else None


def token_from(query: str | None) -> str | None:
    """The ``token`` parameter of a query string, if there is exactly one."""
    if not query:
        return None
    values = parse_qs(query.lstrip("?")).get("token", [])
    return values[0] if len(values) == 1 and values[0] else None


def _page(*parts: W.Widget) -> W.VBox:
    box = W.VBox(list(parts), layout=W.Layout(max_width="900px", padding="8px"))
    box.add_class("coachkit-rater-page")
    return box


def invalid_page() -> W.VBox:
    """The page for a missing, wrong, expired or revoked link."""
    return _page(para(INVALID, css="coachkit-notice-warning"))


def rater_page(
    home: str | os.PathLike[str] = "",
    *,
    query: str | None = None,
    now: Callable[[], datetime] | None = None,
) -> W.VBox:
    """The page a rater's link opens. ``query`` defaults to the Voilà request's query string;
    ``home`` empty means ``$COACHKIT_HOME``."""
    clock = now or (lambda: datetime.now(UTC))
    token = token_from(query if query is not None else query_string())
    if token is None:
        return invalid_page()
    try:
        practice = open_practice(home or None)
        link = practice.store.resolve_link(token, clock())
        target = A.link_target(link) if link is not None else None
        if link is None or target is None:
            return invalid_page()
        if target.is_pulse:
            return _pulse_page(practice.store, link.client_id, target.round_id, target.rater_id, clock)
        return _feedback_page(practice.store, link.client_id, target.rater_id, clock)
    except CoachkitError:
        return invalid_page()
    except Exception as exc:  # never a traceback on a rater's screen
        log.error("rater page failed with %s", exc.__class__.__name__)
        return _page(para(UNAVAILABLE, css="coachkit-notice-warning"))


def _feedback_page(store: Store, client_id: str, rater_id: str, clock: Callable[[], datetime]) -> W.VBox:
    rater = store.find(client_id, Rater, rater_id)
    if rater is None or not rater.approved:
        return invalid_page()
    client = store.get(client_id, Client, client_id)
    model = A.competency_model(store, client_id)
    agreement = A.accepted_agreement(store, client_id)
    separate = bool(agreement and agreement.manager_shown_separately)
    response = store.find(client_id, RaterResponse, rater_id) or RaterResponse(id=rater_id)

    def save(draft: RaterResponse, submit: bool) -> RaterResponse:
        return A.save_rater_response(store, client_id, draft, now=clock(), submit=submit)

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
    sheet = rater_form(model, response, save, title=f"360-degree feedback for {client.name}", intro=intro)
    return _page(sheet.widget)


def _pulse_page(store: Store, client_id: str, round_id: str, rater_id: str, clock: Callable[[], datetime]) -> W.VBox:
    round_ = A.rater_pulse_round(store, client_id, round_id)  # only goals the client released
    rater = store.find(client_id, Rater, rater_id)
    if round_ is None or rater is None or rater_id not in round_.rater_ids:
        return invalid_page()
    client = store.get(client_id, Client, client_id)
    response_id = pulse_response_id(round_id, rater_id)
    response = store.find(client_id, PulseResponse, response_id) or PulseResponse(
        id=response_id, round_id=round_id, rater_id=rater_id
    )

    def save(draft: PulseResponse, submit: bool) -> PulseResponse:
        return A.save_pulse_response(store, client_id, draft, now=clock(), submit=submit)

    intro = [
        f"{client.name} has been working on the goals below with a coach. How much has their effectiveness "
        "changed, as you see it? It takes two minutes.",
        "Choose “Can't say” if you have not seen enough to judge.",
        "Answers are shown only as a total of three or more raters; comments without names, in random order.",
    ]
    sheet = pulse_form(round_, response, save, title=f"Change pulse for {client.name}", intro=intro)
    return _page(sheet.widget)
