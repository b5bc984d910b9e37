"""The store: the only room that touches the database."""

from coachkit.store.schema import SCHEMA_VERSION
from coachkit.store.store import Revision, Store, database_schema_version, utcnow

__all__ = ["SCHEMA_VERSION", "Revision", "Store", "database_schema_version", "utcnow"]
