"""Copies of a client or of the whole database: a client's rows as JSON-ready data and back
(every row checked first), and every table's rows for a backup or a move between databases."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import sqlalchemy as sa

from coachkit.errors import NotFound, ValidationError
from coachkit.model import Client, record_type
from coachkit.model.base import check_text
from coachkit.store.database import Database
from coachkit.store.rows import check_author, check_timestamp, encode
from coachkit.store.schema import TABLES, clients, records


class Copies(Database):
    """Dumps of a client and copies of every table."""

    def dump_client(self, client_id: str) -> dict[str, Any]:
        """Every row held about a client (all revisions), as JSON-ready data."""
        with self._read() as conn:
            created = conn.execute(sa.select(clients.c.created_at).where(clients.c.id == client_id)).scalar()
            if created is None:
                raise NotFound(f"No client with id {client_id!r}.", kind="client", key=client_id)
            rows = conn.execute(
                sa.select(
                    records.c.kind,
                    records.c.record_id,
                    records.c.revision,
                    records.c.saved_at,
                    records.c.author,
                    records.c.data,
                )
                .where(records.c.client_id == client_id)
                .order_by(records.c.seq)
            ).all()
        return {
            "client_id": client_id,
            "created_at": created,
            "records": [
                {
                    "kind": kind,
                    "id": rid,
                    "revision": rev,
                    "saved_at": at,
                    "author": author,
                    "data": None if data is None else json.loads(data),
                }
                for kind, rid, rev, at, author, data in rows
            ],
        }

    def load_dump(self, dump: dict[str, Any], *, client_id: str) -> None:
        """Write the rows of :meth:`dump_client` output under ``client_id`` (which must be new).
        Every row is checked first (a file may have been edited): ValidationError names what is
        wrong and nothing is written. A missing key or a value of the wrong type raises
        KeyError, TypeError or ValueError."""
        created_at = check_timestamp("created_at", dump["created_at"])
        rows = []
        seen: set[tuple[str, str, int]] = set()
        for row in dump["records"]:
            checked = _dump_row(row, client_id)
            key = (checked["kind"], checked["record_id"], checked["revision"])
            if key in seen:
                raise ValidationError("file", f"holds revision {key[2]} of {key[0]} {key[1]!r} twice.")
            seen.add(key)
            rows.append(checked)
        with self._write() as conn:
            conn.execute(clients.insert().values(id=client_id, created_at=created_at))
            if rows:
                conn.execute(records.insert(), rows)

    def export_rows(self) -> dict[str, list[dict[str, Any]]]:
        """Every data row of every table, read in one transaction (a consistent snapshot)."""
        with self._read() as conn:
            return {t.name: [dict(r._mapping) for r in conn.execute(sa.select(t))] for t in TABLES}

    def replace_rows(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        """Replace all data with ``tables`` (as from :meth:`export_rows`) in one transaction."""
        with self._write() as conn:
            for table in reversed(TABLES):
                conn.execute(table.delete())
            for table in TABLES:
                if tables.get(table.name):
                    conn.execute(table.insert(), tables[table.name])
            if conn.dialect.name == "postgresql":  # rows came with their numbers: move the counter past them
                conn.exec_driver_sql(
                    "SELECT setval(pg_get_serial_sequence('records', 'seq'), COALESCE(MAX(seq), 0) + 1, false) "
                    "FROM records"
                )


def _dump_row(row: dict[str, Any], client_id: str) -> dict[str, Any]:
    """One row of a dump, checked, as it goes into the records table."""
    kind = row["kind"]
    cls = record_type(kind)
    record_id = client_id if cls is Client else row["id"]
    check_text("id", record_id, max_len=200, required=True)
    revision = row["revision"]
    if isinstance(revision, bool) or not isinstance(revision, int) or revision < 1:
        raise ValidationError("revision", "must be a whole number from 1.")
    check_author(row["author"])
    data = row["data"]
    if data is not None:
        record = cls.from_data(data)
        if isinstance(record, Client):
            record = dataclasses.replace(record, id=client_id)
        record.validate()
        if record.id != record_id:
            raise ValidationError("id", f"{record_id!r} does not match the id inside its record.")
        data = encode(record)
    return {
        "client_id": client_id,
        "kind": kind,
        "record_id": record_id,
        "revision": revision,
        "saved_at": check_timestamp("saved_at", row["saved_at"]),
        "author": row["author"],
        "data": data,
    }
