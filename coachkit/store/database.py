"""The database under a practice's store: the engine, its transactions, and the two statements
every save runs (read a record's head, insert a revision).

SQLite (the default) runs in WAL mode with foreign keys on and a busy timeout; writers take the
write lock up front (``BEGIN IMMEDIATE``) so two processes never deadlock on a lock upgrade. Any
other SQLAlchemy URL (PostgreSQL for a firm) works the same way.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Self

import sqlalchemy as sa
import sqlalchemy.dialects.sqlite

from coachkit.errors import NotFound, StoreError
from coachkit.model import Record
from coachkit.store.rows import encode, redact
from coachkit.store.schema import clients, meta, migrate, records

_MIGRATION_LOCK = 0x636F61636B  # the key of the PostgreSQL advisory lock held while migrating

# The statements of a save, built once: building them anew costs more than running them.
CLIENT = sa.select(clients.c.id).where(clients.c.id == sa.bindparam("client_id"))
CLIENT_FOR_UPDATE = CLIENT.with_for_update()
HEAD = (
    sa.select(records.c.revision, records.c.data)
    .where(
        records.c.client_id == sa.bindparam("client_id"),
        records.c.kind == sa.bindparam("kind"),
        records.c.record_id == sa.bindparam("record_id"),
    )
    .order_by(records.c.revision.desc())
    .limit(1)
)
INSERT = records.insert()


class Database:
    """An open practice database: its engine and transactions, for the parts of :class:`Store`."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        try:
            if self.is_sqlite:
                self.engine = sa.create_engine(url, connect_args={"timeout": 30})
                sa.event.listen(self.engine, "connect", _sqlite_connect)
                sa.event.listen(self.engine, "begin", _sqlite_begin)
            else:
                self.engine = sa.create_engine(url, pool_pre_ping=True)
            with self._write() as conn:
                if conn.dialect.name == "postgresql":  # one process at a time creates or migrates the tables
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
                migrate(conn)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"Cannot open the practice database ({redact(url)}): {exc.__class__.__name__}.") from exc

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            conn = conn.execution_options(coachkit_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def _lock_client(self, conn: sa.Connection, client_id: str) -> None:
        query = CLIENT if self.is_sqlite else CLIENT_FOR_UPDATE
        if conn.execute(query, {"client_id": client_id}).first() is None:
            raise NotFound(f"No client with id {client_id!r}.", kind="client", key=client_id)

    def _head(self, conn: sa.Connection, client_id: str, kind: str, record_id: str) -> tuple[int, str | None] | None:
        row = conn.execute(HEAD, {"client_id": client_id, "kind": kind, "record_id": record_id}).first()
        return None if row is None else (int(row[0]), row[1])

    def _insert(
        self,
        conn: sa.Connection,
        client_id: str,
        record: Record,
        revision: int,
        now: str,
        author: str,
        data: str | None = None,
    ) -> None:
        conn.execute(
            INSERT,
            {
                "client_id": client_id,
                "kind": record.KIND,
                "record_id": record.id,
                "revision": revision,
                "saved_at": now,
                "author": author,
                "data": data if data is not None else encode(record),
            },
        )

    def compact(self) -> None:
        """Leave no readable remnant of deleted rows in the database files (SQLite: rewrite the
        file and empty the write-ahead log)."""
        if not self.is_sqlite:
            return
        raw = self.engine.raw_connection()
        try:
            driver = raw.driver_connection
            assert driver is not None
            driver.execute("VACUUM")
            driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()

    def integrity(self) -> str:
        """SQLite's ``PRAGMA integrity_check`` answer (``ok`` when sound); ``ok`` elsewhere."""
        if not self.is_sqlite:
            return "ok"
        with self._read() as conn:
            return str(conn.exec_driver_sql("PRAGMA integrity_check").scalar())


def database_schema_version(url: str) -> int:
    """The coachkit schema version of the database at ``url``, read without creating or changing
    anything: 0 when it holds no coachkit data. StoreError when it is not a database at all."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table(meta.name):
                return 0
            row = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).first()
            return int(row[0]) if row else 0
    except (sa.exc.SQLAlchemyError, ValueError) as exc:
        raise StoreError(f"Cannot read the database ({redact(url)}): {exc.__class__.__name__}.") from exc
    finally:
        engine.dispose()


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # coachkit emits BEGIN itself
    cursor = dbapi_connection.cursor()
    for pragma in (
        "PRAGMA busy_timeout=30000",
        "PRAGMA foreign_keys=ON",
        "PRAGMA secure_delete=ON",
        "PRAGMA synchronous=FULL",
    ):
        cursor.execute(pragma)
    _enter_wal(cursor)
    cursor.close()


def _enter_wal(cursor: Any) -> None:
    """Switch the database file to WAL mode. On a new file two processes can both hold the shared
    lock and both ask for the exclusive one; SQLite then answers one of them "database is locked"
    at once, without waiting (waiting could never end). The switch is made once per file and
    lasts, so the loser simply asks again a moment later."""
    deadline = time.monotonic() + 30
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _sqlite_begin(conn: sa.Connection) -> None:
    write = conn.get_execution_options().get("coachkit_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
