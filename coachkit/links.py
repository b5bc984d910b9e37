"""Private links to the pages a client, a sponsor or a rater opens: issue, list, revoke, open,
and check again at every action of an open page. The one link mechanism of coachkit: client,
sponsor, 360 rater and pulse links are all made and checked here.

A link is the address of one page with a fresh random token (192 bits) in its query string::

    http://127.0.0.1:8866/voila/render/dashboard.ipynb?token=...

The token is shown once, when the link is issued; the store keeps only its SHA-256, the audience
(one of :data:`LINK_AUDIENCES`), the client it belongs to, a subject and an expiry. A rater
link's subject is the rater's id (the 360) or ``pulse:<round id>:<rater id>`` (a pulse round).
A page learns who is asking only from the token (:func:`open_link`), never from a client id in
the address, and asks :func:`link_holds` before each thing it does.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from coachkit import settings
from coachkit.errors import NotFound, StoreError, ValidationError
from coachkit.model.access import LINK_AUDIENCES, Link
from coachkit.model.feedback360 import Rater
from coachkit.model.pulse import PulseRound
from coachkit.practice import Practice
from coachkit.store import Store, utcnow

log = logging.getLogger("coachkit.links")

__all__ = [
    "DEFAULT_DAYS",
    "LINK_AUDIENCES",
    "MAX_DAYS",
    "IssuedLink",
    "LinkTarget",
    "create_link",
    "default_base_url",
    "issue_link",
    "link_holds",
    "link_target",
    "new_link",
    "open_link",
    "pulse_subject",
]

PAGES: dict[str, str] = {"client": "dashboard.ipynb", "sponsor": "sponsor.ipynb", "rater": "rater.ipynb"}
"""The notebook each audience's link opens (served by ``coachkit serve``)."""

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8866
BASE_URL_ENV = "COACHKIT_BASE_URL"
DEFAULT_DAYS: dict[str, int] = {"client": 120, "sponsor": 120, "rater": 21}
"""How long a new link stays valid unless told otherwise: an engagement's length for clients
and sponsors, a collection window with room for reminders for raters (360 and pulse)."""
MAX_DAYS = 730
TOKEN_PARAM = "token"
MAX_QUERY = 2_000
RATER_AUDIENCE = "rater"


@dataclasses.dataclass(frozen=True)
class IssuedLink:
    """A new link: the address to send (holding the token, shown only now), its record, and for
    a rater link the rater it was issued to."""

    url: str
    link: Link
    rater: Rater | None = None

    @property
    def expires_at(self) -> datetime:
        """When the link stops working."""
        return self.link.expires_at


@dataclasses.dataclass(frozen=True)
class LinkTarget:
    """What a rater link is for: the 360 (``round_id`` empty) or a pulse round."""

    rater_id: str
    round_id: str = ""

    @property
    def is_pulse(self) -> bool:
        """True for a pulse link."""
        return bool(self.round_id)


def pulse_subject(round_id: str, rater_id: str) -> str:
    """The subject of a rater's link to one pulse round."""
    return f"pulse:{round_id}:{rater_id}"


def link_target(link: Link) -> LinkTarget | None:
    """What a rater link is for; None when the link is not a (well-formed) rater link."""
    if link.audience != RATER_AUDIENCE or not link.subject:
        return None
    parts = link.subject.split(":")
    if len(parts) == 1:
        return LinkTarget(parts[0])
    if len(parts) == 3 and parts[0] == "pulse" and parts[1] and parts[2]:
        return LinkTarget(parts[2], parts[1])
    return None


def default_base_url() -> str:
    """Where links point: ``$COACHKIT_BASE_URL`` (for a server behind a proxy or on another
    host), else ``http://127.0.0.1:8866/``."""
    return settings.read("COACHKIT_BASE_URL") or base_url_for(DEFAULT_HOST, DEFAULT_PORT)


def base_url_for(host: str, port: int) -> str:
    """The base address of a server listening on ``host``:``port``."""
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"  # an IPv6 address
    return f"http://{shown}:{port}/"


def check_base_url(base_url: str) -> str:
    """``base_url`` ending in ``/``; a ValidationError unless it is an http(s) address."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValidationError("base_url", f"{base_url!r} is not a web address; give one like http://127.0.0.1:8866/.")
    return base_url if base_url.endswith("/") else base_url + "/"


def check_days(audience: str, days: int | None) -> int:
    """How many days a new ``audience`` link stays valid: ``days``, or the audience's default;
    a ValidationError (field ``days``) unless it is a whole number from 1 to :data:`MAX_DAYS`."""
    _check_audience(audience)
    chosen = DEFAULT_DAYS[audience] if days is None else days
    if isinstance(chosen, bool) or not isinstance(chosen, int) or not 1 <= chosen <= MAX_DAYS:
        raise ValidationError("days", f"must be a whole number of days from 1 to {MAX_DAYS}, not {chosen!r}.")
    return chosen


def page_url(base_url: str, audience: str, token: str) -> str:
    """The address of ``audience``'s page opened with ``token``."""
    _check_audience(audience)
    return f"{check_base_url(base_url)}voila/render/{PAGES[audience]}?{TOKEN_PARAM}={token}"


def new_link(
    store: Store,
    client_id: str,
    audience: str,
    *,
    days: int | None = None,
    base_url: str | None = None,
    subject: str = "",
    now: datetime | None = None,
    rater: Rater | None = None,
) -> IssuedLink:
    """Store a new link for ``client_id``'s ``audience`` page and return its address. ``days``
    and ``base_url`` default to :data:`DEFAULT_DAYS` and :func:`default_base_url`; ``subject``
    says what a rater link is for (see :func:`pulse_subject`)."""
    chosen = check_days(audience, days)
    url_base = check_base_url(base_url or default_base_url())
    expires_at = (now or utcnow()) + timedelta(days=chosen)
    token, link = store.create_link(client_id, audience, expires_at=expires_at, subject=subject)
    return IssuedLink(url=page_url(url_base, audience, token), link=link, rater=rater)


def create_link(
    practice: Practice,
    client_id: str,
    audience: str = "client",
    days: int | None = None,
    base_url: str | None = None,
    *,
    subject: str = "",
    now: datetime | None = None,
) -> IssuedLink:
    """Issue a new private link for ``client_id``'s ``audience`` page, valid for ``days``
    (default :data:`DEFAULT_DAYS`). ``subject`` names who a rater link is for."""
    check_days(audience, days)
    practice.require_client(client_id)
    return new_link(practice.store, client_id, audience, days=days, base_url=base_url, subject=subject, now=now)


def issue_link(
    practice: Practice,
    client_id: str,
    audience: str = "client",
    days: int | None = None,
    base_url: str | None = None,
    *,
    subject: str = "",
) -> str:
    """Issue a new private link (see :func:`create_link`) and return its address."""
    return create_link(practice, client_id, audience, days, base_url, subject=subject).url


def list_links(practice: Practice, client_id: str) -> list[Link]:
    """Every link issued for a client, newest first (valid, expired and revoked)."""
    practice.require_client(client_id)
    return practice.store.links(client_id)


def revoke_link(practice: Practice, link_id: str) -> Link:
    """Revoke a link by its id: it stops working at once."""
    if not link_id or len(link_id) > 64:
        raise NotFound(f"No link with id {link_id!r}.", kind="link", key=link_id)
    return practice.store.revoke_link(link_id)


def token_from_query(query_string: str | None) -> str | None:
    """The one token in a page's query string, or None when there is none, more than one, or
    the query string is malformed."""
    if not query_string or len(query_string) > MAX_QUERY:
        return None
    try:
        params = parse_qs(query_string.lstrip("?"), keep_blank_values=True, max_num_fields=50)
    except ValueError:
        return None
    tokens = params.get(TOKEN_PARAM, [])
    if len(tokens) != 1 or not tokens[0]:
        return None
    return tokens[0]


def open_link(
    practice: Practice, query_string: str | None, audience: str, *, now: datetime | None = None
) -> Link | None:
    """The link a page's query string opens for ``audience``, or None when the token is
    missing, wrong, expired, revoked, meant for another audience, given twice, or no longer
    holds (see :func:`link_holds`). Records the link as opened. The client the page may show
    is ``link.client_id``, and nothing else."""
    _check_audience(audience)
    token = token_from_query(query_string)
    if token is None:
        return None
    link = practice.store.resolve_link(token, now)
    if link is None or link.audience != audience or not link_holds(practice.store, link, now=now):
        return None
    try:
        practice.store.mark_link_used(link.id)
    except StoreError as exc:  # a read-only database must not stop the page from showing
        log.warning("could not record a link's use: %s", exc.__class__.__name__)
    return link


def link_holds(store: Store, link: Link, *, now: datetime | None = None) -> bool:
    """Whether ``link`` still opens its page now: not revoked or expired, its client not erased,
    and for a rater link, the rater still on the list and approved (360) or still one of the
    round's raters (pulse). A page asks before every read and every write."""
    current = next((found for found in store.links(link.client_id) if found.id == link.id), None)
    if current is None or not current.is_valid(now or utcnow()) or not store.has_client(link.client_id):
        return False
    if link.audience != RATER_AUDIENCE:
        return True
    target = link_target(link)
    if target is None:
        return False
    rater = store.find(link.client_id, Rater, target.rater_id)
    if rater is None:
        return False
    if not target.is_pulse:
        return rater.approved
    round_ = store.find(link.client_id, PulseRound, target.round_id)
    return round_ is not None and target.rater_id in round_.rater_ids


def _check_audience(audience: str) -> None:
    if audience not in LINK_AUDIENCES:
        raise ValidationError("audience", f"must be one of {', '.join(LINK_AUDIENCES)}, not {audience!r}.")
