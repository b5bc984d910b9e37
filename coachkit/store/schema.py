"""Tables and forward migrations. The schema version lives in ``meta``; :func:`migrate` brings
any older database up to :data:`SCHEMA_VERSION` when a store opens it."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

metadata = sa.MetaData()

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

clients = sa.Table(
    "clients",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("created_at", sa.String(40), nullable=False),
)

records = sa.Table(
    "records",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_id", sa.String(64), sa.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("record_id", sa.String(200), nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("saved_at", sa.String(40), nullable=False),
    sa.Column("author", sa.String(64), nullable=False),
    sa.Column("data", sa.Text, nullable=True),  # JSON; NULL marks a removal
    sa.UniqueConstraint("client_id", "kind", "record_id", "revision", name="uq_records_revision"),
)

links = sa.Table(
    "links",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("id", sa.String(32), nullable=False, unique=True),
    sa.Column("client_id", sa.String(64), sa.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
    sa.Column("audience", sa.String(16), nullable=False),
    sa.Column("subject", sa.String(200), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("expires_at", sa.String(40), nullable=False),
    sa.Column("revoked_at", sa.String(40), nullable=True),
    sa.Column("last_used_at", sa.String(40), nullable=True),
)

TABLES = (clients, records, links)
"""Data tables in the order they are filled (parents first)."""


def _v1(conn: sa.Connection) -> None:
    for table in (clients, records, links):
        table.create(conn, checkfirst=True)


def _v2(conn: sa.Connection) -> None:
    # Loading a client reads all of its records in one go; list pages read two kinds of all clients.
    # Plain SQL so that the indexes are not attached to the Table objects (that would make v1 create them).
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_records_client ON records (client_id, seq)")
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_records_kind ON records (kind, client_id)")
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_links_client ON links (client_id)")


MIGRATIONS: tuple[Callable[[sa.Connection], None], ...] = (_v1, _v2)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: sa.Connection) -> int:
    """The version the database is at (0 for a new, empty one)."""
    meta.create(conn, checkfirst=True)
    row = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).first()
    return int(row[0]) if row else 0


def migrate(conn: sa.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply every migration after the database's version up to ``target``; returns the new version."""
    current = schema_version(conn)
    for version in range(current + 1, target + 1):
        MIGRATIONS[version - 1](conn)
        if version == 1:
            conn.execute(meta.insert().values(key="schema_version", value="1"))
        else:
            conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(version)))
    return max(current, target)
