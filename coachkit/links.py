"""Private links to the pages a client, a sponsor or a rater opens: issue, list, revoke, open.

A link is the address of one page with a fresh random token (192 bits) in its query string::

    http://127.0.0.1:8866/voila/render/dashboard.ipynb?token=...

The token is shown once, when the link is issued; the store keeps only its SHA-256, the audience
(``client``, ``sponsor`` or ``rater``), the client it belongs to and an expiry. A page learns who
is asking only from the token (:func:`open_link`): never from a client id in the address.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from coachkit import settings
from coachkit.errors import NotFound, StoreError, ValidationError
from coachkit.model.access import AUDIENCES, Link
from coachkit.practice import Practice
from coachkit.store.store import utcnow

log = logging.getLogger("coachkit.links")

PAGES: dict[str, str] = {"client": "dashboard.ipynb", "sponsor": "sponsor.ipynb", "rater": "rater.ipynb"}
"""The notebook each audience's link opens (served by ``coachkit serve``)."""

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8866
DEFAULT_DAYS: dict[str, int] = {"client": 120, "sponsor": 120, "rater": 21}
"""How long a new link stays valid unless told otherwise: an engagement's length for clients
and sponsors, a collection window with reminders for raters."""
MAX_DAYS = 730
TOKEN_PARAM = "token"
MAX_QUERY = 2_000


@dataclasses.dataclass(frozen=True)
class IssuedLink:
    """A new link: the address to send (holding the token, shown only now) and its record."""

    url: str
    link: Link


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


def page_url(base_url: str, audience: str, token: str) -> str:
    """The address of ``audience``'s page opened with ``token``."""
    _check_audience(audience)
    return f"{check_base_url(base_url)}voila/render/{PAGES[audience]}?{TOKEN_PARAM}={token}"


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
    _check_audience(audience)
    chosen = DEFAULT_DAYS[audience] if days is None else days
    if isinstance(chosen, bool) or not isinstance(chosen, int) or not 1 <= chosen <= MAX_DAYS:
        raise ValidationError("days", f"must be a whole number of days from 1 to {MAX_DAYS}, not {chosen!r}.")
    url_base = check_base_url(base_url or default_base_url())
    practice.require_client(client_id)
    expires_at = (now or utcnow()) + timedelta(days=chosen)
    token, link = practice.store.create_link(client_id, audience, expires_at=expires_at, subject=subject)
    return IssuedLink(url=page_url(url_base, audience, token), link=link)


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
        params = parse_qs(query_string, keep_blank_values=True, max_num_fields=50)
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
    missing, wrong, expired, revoked, meant for another audience, or given twice. The client
    the page may show is ``link.client_id``, and nothing else."""
    _check_audience(audience)
    token = token_from_query(query_string)
    if token is None:
        return None
    link = practice.store.resolve_link(token, now)
    if link is None or link.audience != audience or not practice.store.has_client(link.client_id):
        return None
    try:
        practice.store.mark_link_used(link.id)
    except StoreError as exc:  # a read-only database must not stop the page from showing
        log.warning("could not record a link's use: %s", exc.__class__.__name__)
    return link


def still_valid(practice: Practice, link: Link, *, now: datetime | None = None) -> bool:
    """Whether ``link`` still works (not revoked or expired since its page was opened): a page
    asks before each save, so that revoking a link also stops an open page from writing."""
    current = next((found for found in practice.store.links(link.client_id) if found.id == link.id), None)
    return current is not None and current.is_valid(now or utcnow())


def _check_audience(audience: str) -> None:
    if audience not in AUDIENCES:
        raise ValidationError("audience", f"must be one of {', '.join(AUDIENCES)}, not {audience!r}.")
