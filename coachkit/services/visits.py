"""What a page served by private link needs of the practice: opening it without creating
anything, warming its queries before a visitor comes, opening the visitor's link and checking
it again before every action. The link rules are in :mod:`coachkit.links`."""

from __future__ import annotations

import contextlib
import logging

from coachkit import links
from coachkit.errors import NotFound
from coachkit.practice import DB_FILE, Practice, database_url, resolve_home
from coachkit.services.binding import on_practice
from coachkit.store import Store

log = logging.getLogger("coachkit.pages")


def open_practice(home: str = ".") -> Practice | None:
    """The practice a served page reads. ``home`` "." or "" (the templates' default) means the
    practice ``coachkit serve`` names in ``COACHKIT_HOME``. None when there is no practice
    database there (a page never creates one)."""
    root = resolve_home(None if home in ("", ".") else home)
    url = database_url(root)
    if url.startswith("sqlite") and not (root / "data" / DB_FILE).is_file():
        return None
    try:
        return Practice(home=root, store=Store(url))
    except Exception as exc:  # the page says "not available"; the console says why
        log.error("cannot open the practice: %s", exc.__class__.__name__)
        return None


def warm(practice: Practice) -> None:
    """Run each query a page makes once, on nothing, so that the visitor's run is fast."""
    store = practice.store
    try:
        store.resolve_link("-" * 32)
        store.links("-")  # what every action's check reads
        store.has_client("-")
        store.mark_link_used("-")
        with contextlib.suppress(NotFound):
            store.load("-")
    except Exception as exc:  # the visitor's run will say so if the database is broken
        log.error("warming the store failed: %s", exc.__class__.__name__)


open_link = links.open_link  # it takes the practice already
link_holds = on_practice(links.link_holds, module=__name__)
