"""The practice store: the only place that reads or writes the database.

Everything a coach or client enters is a record (see :mod:`coachkit.model`). A save adds a
revision row and never overwrites one, so the current value and its whole history can be read.
Every save is one transaction. SQLite (the default) runs in WAL mode with foreign keys on and a
busy timeout; writers take the write lock up front (``BEGIN IMMEDIATE``) so two processes never
deadlock on a lock upgrade. Any other SQLAlchemy URL (PostgreSQL for a firm) works the same way.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

import sqlalchemy as sa

from coachkit.errors import Conflict, NotFound, StoreError, ValidationError
from coachkit.model import CaseFile, Client, Edit, Engagement, Record, record_type
from coachkit.model.access import LINK_AUDIENCES, Link, new_token, token_hash
from coachkit.model.base import check_choice, check_datetime, check_text, new_id
from coachkit.model.edit import rebase
from coachkit.model.ids import is_client_id, unique_slug
from coachkit.model.rules import check_change
from coachkit.store.schema import TABLES, clients, links, meta, migrate, records

R = TypeVar("R", bound=Record)
_MIGRATION_LOCK = 0x636F61636B  # the key of the PostgreSQL advisory lock held while migrating

# The statements of a save, built once: building them anew costs more than running them.
_CLIENT = sa.select(clients.c.id).where(clients.c.id == sa.bindparam("client_id"))
_CLIENT_FOR_UPDATE = _CLIENT.with_for_update()
_HEAD = (
    sa.select(records.c.revision, records.c.data)
    .where(
        records.c.client_id == sa.bindparam("client_id"),
        records.c.kind == sa.bindparam("kind"),
        records.c.record_id == sa.bindparam("record_id"),
    )
    .order_by(records.c.revision.desc())
    .limit(1)
)
_INSERT = records.insert()


@dataclasses.dataclass(frozen=True)
class Revision:
    """One saved version of a record. ``record`` is None where the record was removed."""

    revision: int
    saved_at: datetime
    author: str
    record: Record | None


def utcnow() -> datetime:
    """The current time in UTC (whole microseconds, timezone-aware)."""
    return datetime.now(UTC)


def _ts(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _dt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _json(record: Record) -> str:
    return json.dumps(record.to_data(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _decode(kind: str, data: str) -> Record:
    return record_type(kind).from_data(json.loads(data))


class Store:
    """A practice's records and links in one database, reached through SQLAlchemy."""

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
            raise StoreError(f"Cannot open the practice database ({_redact(url)}): {exc.__class__.__name__}.") from exc

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ---------------------------------------------------------------------------

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
        query = _CLIENT if self.is_sqlite else _CLIENT_FOR_UPDATE
        if conn.execute(query, {"client_id": client_id}).first() is None:
            raise NotFound(f"No client with id {client_id!r}.", kind="client", key=client_id)

    # -- clients --------------------------------------------------------------------------------

    def add_client(self, client: Client, *, author: str = "coach", keep_id: bool = False) -> Client:
        """Add a client; its id becomes a unique slug of its name (or ``client.id`` with
        ``keep_id``, when that id is a free, well-formed client id). Returns the client with its id."""
        client.validate()
        _check_author(author)
        with self._write() as conn:
            taken = set(conn.execute(sa.select(clients.c.id)).scalars())
            free = keep_id and is_client_id(client.id) and client.id not in taken
            client_id = client.id if free else unique_slug(client.name, taken)
            saved = dataclasses.replace(client, id=client_id)
            now = _ts(utcnow())
            conn.execute(clients.insert().values(id=client_id, created_at=now))
            self._insert(conn, client_id, saved, 1, now, author)
        return saved

    def client_ids(self) -> list[str]:
        """Every client id, sorted."""
        with self._read() as conn:
            return sorted(conn.execute(sa.select(clients.c.id)).scalars())

    def has_client(self, client_id: str) -> bool:
        """True if the client exists."""
        with self._read() as conn:
            return conn.execute(sa.select(clients.c.id).where(clients.c.id == client_id)).first() is not None

    def client(self, client_id: str) -> Client:
        """The client's current details."""
        return self.get(client_id, Client, client_id)

    def roster(self) -> list[tuple[Client, Engagement | None]]:
        """Every client with their engagement, sorted by name: what a list page needs."""
        wanted = (Client.KIND, Engagement.KIND)
        with self._read() as conn:
            rows = conn.execute(
                sa.select(records.c.client_id, records.c.kind, records.c.data)
                .where(records.c.kind.in_(wanted))
                .order_by(records.c.seq)
            ).all()
        latest: dict[tuple[str, str], str | None] = {}
        for client_id, kind, data in rows:
            latest[(client_id, kind)] = data
        out: list[tuple[Client, Engagement | None]] = []
        for (client_id, kind), data in latest.items():
            if kind != Client.KIND or data is None:
                continue
            client = _decode(kind, data)
            eng_data = latest.get((client_id, Engagement.KIND))
            engagement = _decode(Engagement.KIND, eng_data) if eng_data else None
            assert isinstance(client, Client)
            assert engagement is None or isinstance(engagement, Engagement)
            out.append((client, engagement))
        return sorted(out, key=lambda pair: (pair[0].name.casefold(), pair[0].id))

    def delete_client(self, client_id: str) -> None:
        """Delete the client's rows (records, history, links). :func:`coachkit.erase_client`
        also removes files and remnants; call that, not this, to erase a client."""
        with self._write() as conn:
            self._lock_client(conn, client_id)
            conn.execute(links.delete().where(links.c.client_id == client_id))
            conn.execute(records.delete().where(records.c.client_id == client_id))
            conn.execute(clients.delete().where(clients.c.id == client_id))

    # -- records --------------------------------------------------------------------------------

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
        _check_author(author)
        out: list[int] = []
        with self._write() as conn:
            self._lock_client(conn, client_id)
            now = _ts(utcnow())
            for item in items:
                record = item.record if isinstance(item, Edit) else item
                if isinstance(record, Client) and record.id != client_id:
                    raise ValidationError("id", "a client's details must keep the client's id.")
                current = self._head(conn, client_id, record.KIND, record.id)
                old = None if current is None or current[1] is None else _decode(record.KIND, current[1])
                if isinstance(item, Edit):
                    record = rebase(item, old, None if old is None or current is None else current[0])
                    record.validate()
                check_change(old, record)
                data = _json(record)
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
        _check_author(author)
        with self._write() as conn:
            self._lock_client(conn, client_id)
            current = self._head(conn, client_id, kind.KIND, record_id)
            if current is None or current[1] is None:
                raise NotFound(f"No {kind.KIND.replace('_', ' ')} {record_id!r} for client {client_id!r}.")
            old = _decode(kind.KIND, current[1])
            assert isinstance(old, kind)
            new = change(old)
            new.validate()
            if new.id != record_id:
                raise ValidationError("id", "a change must keep the record's id.")
            check_change(old, new)
            data = _json(new)
            if data == current[1]:
                return new, current[0]
            self._insert(conn, client_id, new, current[0] + 1, _ts(utcnow()), author, data)
            return new, current[0] + 1

    def find_revision(self, client_id: str, kind: type[R], record_id: str) -> tuple[R, int] | None:
        """The current value of a record with its revision (to save an Edit based on it), or None."""
        with self._read() as conn:
            current = self._head(conn, client_id, kind.KIND, record_id)
        if current is None or current[1] is None:
            return None
        record = _decode(kind.KIND, current[1])
        assert isinstance(record, kind)
        return record, current[0]

    def remove(self, client_id: str, kind: type[Record], record_id: str, *, author: str = "coach") -> None:
        """Mark a record removed (a revision with no data); its history stays readable."""
        _check_author(author)
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
                    saved_at=_ts(utcnow()),
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
        with self._read() as conn:
            current = self._head(conn, client_id, kind.KIND, record_id)
        if current is None or current[1] is None:
            return None
        record = _decode(kind.KIND, current[1])
        assert isinstance(record, kind)
        return record

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
        out = [_decode(kind.KIND, d) for d in latest.values() if d is not None]
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
            Revision(rev, datetime.fromisoformat(at), author, None if data is None else _decode(kind.KIND, data))
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
        loaded = [_decode(kind, data) for (kind, _), (_, data) in latest.items() if data is not None]
        revisions = {key: revision for key, (revision, data) in latest.items() if data is not None}
        client = next(r for r in loaded if isinstance(r, Client))
        return CaseFile.of(client, loaded, revisions)

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
        created_at = _timestamp("created_at", dump["created_at"])
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

    def _head(self, conn: sa.Connection, client_id: str, kind: str, record_id: str) -> tuple[int, str | None] | None:
        row = conn.execute(_HEAD, {"client_id": client_id, "kind": kind, "record_id": record_id}).first()
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
            _INSERT,
            {
                "client_id": client_id,
                "kind": record.KIND,
                "record_id": record.id,
                "revision": revision,
                "saved_at": now,
                "author": author,
                "data": data if data is not None else _json(record),
            },
        )

    # -- private links --------------------------------------------------------------------------

    def create_link(
        self, client_id: str, audience: str, *, expires_at: datetime, subject: str = ""
    ) -> tuple[str, Link]:
        """A new private link; returns the token (shown once, never stored) and the link."""
        check_choice("audience", audience, LINK_AUDIENCES)
        check_text("subject", subject, max_len=200)
        check_datetime("expires_at", expires_at)
        token = new_token()
        now = utcnow()
        link = Link(
            id=new_id(),
            client_id=client_id,
            audience=audience,
            subject=subject,
            created_at=now,
            expires_at=expires_at,
        )
        with self._write() as conn:
            self._lock_client(conn, client_id)
            conn.execute(
                links.insert().values(
                    token_hash=token_hash(token),
                    id=link.id,
                    client_id=client_id,
                    audience=audience,
                    subject=subject,
                    created_at=_ts(now),
                    expires_at=_ts(expires_at),
                )
            )
        return token, link

    def resolve_link(self, token: str, now: datetime | None = None) -> Link | None:
        """The link a token opens, if it is valid now; None for a wrong, expired or revoked one."""
        if not token or len(token) > 200:
            return None
        with self._read() as conn:
            row = conn.execute(sa.select(links).where(links.c.token_hash == token_hash(token))).first()
        if row is None:
            return None
        link = _link(row._mapping)
        return link if link.is_valid(now or utcnow()) else None

    def mark_link_used(self, link_id: str, when: datetime | None = None) -> None:
        """Record when a link was last opened (shown to the coach by ``coachkit link list``)."""
        try:
            with self._write() as conn:
                conn.execute(links.update().where(links.c.id == link_id).values(last_used_at=_ts(when or utcnow())))
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"Cannot record the use of a link: {exc.__class__.__name__}.") from exc

    def links(self, client_id: str | None = None) -> list[Link]:
        """Links of one client (or all), newest first."""
        query = sa.select(links).order_by(links.c.created_at.desc())
        if client_id is not None:
            query = query.where(links.c.client_id == client_id)
        with self._read() as conn:
            return [_link(row._mapping) for row in conn.execute(query)]

    def revoke_link(self, link_id: str) -> Link:
        """Revoke a link by its id; it stops working at once."""
        with self._write() as conn:
            row = conn.execute(sa.select(links).where(links.c.id == link_id)).first()
            if row is None:
                raise NotFound(f"No link with id {link_id!r}.", kind="link", key=link_id)
            if row._mapping["revoked_at"] is None:
                conn.execute(links.update().where(links.c.id == link_id).values(revoked_at=_ts(utcnow())))
            row = conn.execute(sa.select(links).where(links.c.id == link_id)).one()
        return _link(row._mapping)

    # -- whole-database copies ------------------------------------------------------------------

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
        raise StoreError(f"Cannot read the database ({_redact(url)}): {exc.__class__.__name__}.") from exc
    finally:
        engine.dispose()


def _timestamp(field: str, value: object) -> str:
    if not isinstance(value, str) or len(value) > 40:
        raise ValidationError(field, "must be a date and time (ISO 8601).")
    try:
        datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(field, "must be a date and time (ISO 8601).") from exc
    return value


def _dump_row(row: dict[str, Any], client_id: str) -> dict[str, Any]:
    """One row of a dump, checked, as it goes into the records table."""
    kind = row["kind"]
    cls = record_type(kind)
    record_id = client_id if cls is Client else row["id"]
    check_text("id", record_id, max_len=200, required=True)
    revision = row["revision"]
    if isinstance(revision, bool) or not isinstance(revision, int) or revision < 1:
        raise ValidationError("revision", "must be a whole number from 1.")
    _check_author(row["author"])
    data = row["data"]
    if data is not None:
        record = cls.from_data(data)
        if isinstance(record, Client):
            record = dataclasses.replace(record, id=client_id)
        record.validate()
        if record.id != record_id:
            raise ValidationError("id", f"{record_id!r} does not match the id inside its record.")
        data = _json(record)
    return {
        "client_id": client_id,
        "kind": kind,
        "record_id": record_id,
        "revision": revision,
        "saved_at": _timestamp("saved_at", row["saved_at"]),
        "author": row["author"],
        "data": data,
    }


def _check_author(author: object) -> None:
    if not isinstance(author, str) or not 0 < len(author) <= 64:
        raise ValidationError("author", "must be 1 to 64 characters.")


def _link(row: Any) -> Link:
    return Link(
        id=row["id"],
        client_id=row["client_id"],
        audience=row["audience"],
        subject=row["subject"],
        created_at=datetime.fromisoformat(row["created_at"]),
        expires_at=datetime.fromisoformat(row["expires_at"]),
        revoked_at=_dt(row["revoked_at"]),
        last_used_at=_dt(row["last_used_at"]),
    )


def _redact(url: str) -> str:
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "an unreadable database URL"


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # coachkit emits BEGIN itself
    cursor = dbapi_connection.cursor()
    for pragma in (
        "PRAGMA journal_mode=WAL",
        "PRAGMA foreign_keys=ON",
        "PRAGMA busy_timeout=30000",
        "PRAGMA secure_delete=ON",
        "PRAGMA synchronous=FULL",
    ):
        cursor.execute(pragma)
    cursor.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    write = conn.get_execution_options().get("coachkit_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
