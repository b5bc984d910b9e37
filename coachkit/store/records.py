"""Saving and reading records: every save adds a revision and never overwrites one, and an
:class:`~coachkit.model.Edit` is checked against the revision it was based on inside the write
transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

import sqlalchemy as sa

from coachkit.errors import Conflict, NotFound, ValidationError
from coachkit.model import CaseFile, Client, Edit, Record
from coachkit.model.edit import rebase
from coachkit.model.rules import check_change
from coachkit.store.database import Database
from coachkit.store.rows import Revision, check_author, decode, encode, to_iso, utcnow
from coachkit.store.schema import records

R = TypeVar("R", bound=Record)


class Records(Database):
    """The records of a practice's clients, with their history."""

    def save(self, client_id: str, record: Record | Edit, *, author: str = "coach") -> int:
        """Validate and save ``record`` as a new revision; returns its revision number. Saving a
        value equal to the current one writes nothing and returns the current revision.

        An :class:`~coachkit.model.Edit` states the revision it was based on: it is refused with
        :class:`~coachkit.errors.StaleEdit` (nothing written) when that is no longer the current
        revision, checked inside the write transaction. A bare record is saved as it is (imports,
        demos, and code that builds the whole record in the same step)."""
        return self.save_all(client_id, [record], author=author)[0]

    def save_all(self, client_id: str, items: Sequence[Record | Edit], *, author: str = "coach") -> list[int]:
        """Save several records (or edits) in one transaction: all are kept or none."""
        for item in items:
            (item.record if isinstance(item, Edit) else item).validate()
        check_author(author)
        out: list[int] = []
        with self._write() as conn:
            self._lock_client(conn, client_id)
            now = to_iso(utcnow())
            for item in items:
                record = item.record if isinstance(item, Edit) else item
                if isinstance(record, Client) and record.id != client_id:
                    raise ValidationError("id", "a client's details must keep the client's id.")
                current = self._head(conn, client_id, record.KIND, record.id)
                old = None if current is None or current[1] is None else decode(record.KIND, current[1])
                if isinstance(item, Edit):
                    record = rebase(item, old, None if old is None or current is None else current[0])
                    record.validate()
                check_change(old, record)
                data = encode(record)
                if current is not None and current[1] == data:
                    out.append(current[0])
                    continue
                revision = 1 if current is None else current[0] + 1
                self._insert(conn, client_id, record, revision, now, author, data)
                out.append(revision)
        return out

    def update(
        self, client_id: str, kind: type[R], record_id: str, change: Callable[[R], R], *, author: str = "coach"
    ) -> tuple[R, int]:
        """Read the current value of a record, ``change`` it and save the result, all in one
        write transaction (nobody can save in between): for callers that load and save in one
        step. Returns the saved record and its revision; NotFound if there is no such record."""
        check_author(author)
        with self._write() as conn:
            self._lock_client(conn, client_id)
            current = self._head(conn, client_id, kind.KIND, record_id)
            if current is None or current[1] is None:
                raise NotFound(f"No {kind.KIND.replace('_', ' ')} {record_id!r} for client {client_id!r}.")
            old = decode(kind.KIND, current[1])
            assert isinstance(old, kind)
            new = change(old)
            new.validate()
            if new.id != record_id:
                raise ValidationError("id", "a change must keep the record's id.")
            check_change(old, new)
            data = encode(new)
            if data == current[1]:
                return new, current[0]
            self._insert(conn, client_id, new, current[0] + 1, to_iso(utcnow()), author, data)
            return new, current[0] + 1

    def find_revision(self, client_id: str, kind: type[R], record_id: str) -> tuple[R, int] | None:
        """The current value of a record with its revision (to save an Edit based on it), or None."""
        with self._read() as conn:
            current = self._head(conn, client_id, kind.KIND, record_id)
        if current is None or current[1] is None:
            return None
        record = decode(kind.KIND, current[1])
        assert isinstance(record, kind)
        return record, current[0]

    def remove(self, client_id: str, kind: type[Record], record_id: str, *, author: str = "coach") -> None:
        """Mark a record removed (a revision with no data); its history stays readable."""
        check_author(author)
        if kind is Client:
            raise Conflict("A client is not removed but erased, with everything held (erase_client).")
        with self._write() as conn:
            self._lock_client(conn, client_id)
            current = self._head(conn, client_id, kind.KIND, record_id)
            if current is None or current[1] is None:
                raise NotFound(f"No {kind.KIND.replace('_', ' ')} {record_id!r} to remove.")
            conn.execute(
                records.insert().values(
                    client_id=client_id,
                    kind=kind.KIND,
                    record_id=record_id,
                    revision=current[0] + 1,
                    saved_at=to_iso(utcnow()),
                    author=author,
                    data=None,
                )
            )

    def get(self, client_id: str, kind: type[R], record_id: str) -> R:
        """The current value of a record; NotFound if there is none."""
        found = self.find(client_id, kind, record_id)
        if found is None:
            raise NotFound(f"No {kind.KIND.replace('_', ' ')} {record_id!r} for client {client_id!r}.")
        return found

    def find(self, client_id: str, kind: type[R], record_id: str) -> R | None:
        """The current value of a record, or None."""
        found = self.find_revision(client_id, kind, record_id)
        return None if found is None else found[0]

    def all(self, client_id: str, kind: type[R]) -> list[R]:
        """Current values of every record of ``kind``, in the order they were first saved."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(records.c.record_id, records.c.data)
                .where(records.c.client_id == client_id, records.c.kind == kind.KIND)
                .order_by(records.c.seq)
            ).all()
        latest: dict[str, str | None] = {}
        for record_id, data in rows:
            latest[record_id] = data
        out = [decode(kind.KIND, d) for d in latest.values() if d is not None]
        return [r for r in out if isinstance(r, kind)]

    def history(self, client_id: str, kind: type[Record], record_id: str) -> list[Revision]:
        """Every revision of a record, oldest first."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(records.c.revision, records.c.saved_at, records.c.author, records.c.data)
                .where(
                    records.c.client_id == client_id,
                    records.c.kind == kind.KIND,
                    records.c.record_id == record_id,
                )
                .order_by(records.c.revision)
            ).all()
        return [
            Revision(rev, datetime.fromisoformat(at), author, None if data is None else decode(kind.KIND, data))
            for rev, at, author, data in rows
        ]

    def load(self, client_id: str) -> CaseFile:
        """Everything currently held about a client, read in one query, with the revision each
        record was read at (:attr:`CaseFile.revisions`, the base of an edit)."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(records.c.kind, records.c.record_id, records.c.revision, records.c.data)
                .where(records.c.client_id == client_id)
                .order_by(records.c.seq)
            ).all()
        if not rows:
            raise NotFound(f"No client with id {client_id!r}.", kind="client", key=client_id)
        latest: dict[tuple[str, str], tuple[int, str | None]] = {}
        for kind, record_id, revision, data in rows:
            latest[(kind, record_id)] = (int(revision), data)
        loaded = [decode(kind, data) for (kind, _), (_, data) in latest.items() if data is not None]
        revisions = {key: revision for key, (revision, data) in latest.items() if data is not None}
        client = next(r for r in loaded if isinstance(r, Client))
        return CaseFile.of(client, loaded, revisions)
