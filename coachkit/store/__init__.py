"""The store: the only room that touches the database."""

from coachkit.store.schema import SCHEMA_VERSION
from coachkit.store.store import Revision, Store, utcnow

__all__ = ["SCHEMA_VERSION", "Revision", "Store", "utcnow"]
