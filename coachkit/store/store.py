"""The practice store: the only place that reads or writes the database.

Everything a coach or client enters is a record (see :mod:`coachkit.model`). A save adds a
revision row and never overwrites one, so the current value and its whole history can be read.
Every save is one transaction. :class:`Store` is made of the parts in this package: the database
and its transactions (:mod:`~coachkit.store.database`), records (:mod:`~coachkit.store.records`),
clients (:mod:`~coachkit.store.clients`), private links (:mod:`~coachkit.store.private_links`)
and copies (:mod:`~coachkit.store.copies`); rows are encoded in :mod:`~coachkit.store.rows`.
"""

from __future__ import annotations

from coachkit.store.clients import Clients
from coachkit.store.copies import Copies
from coachkit.store.database import database_schema_version
from coachkit.store.private_links import PrivateLinks
from coachkit.store.rows import Revision, utcnow

__all__ = ["Revision", "Store", "database_schema_version", "utcnow"]


class Store(Clients, PrivateLinks, Copies):
    """A practice's records and links in one database, reached through SQLAlchemy."""
