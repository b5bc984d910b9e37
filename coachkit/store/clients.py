"""The practice's clients: adding one under a unique id, the roster a list page shows, and
deleting a client's rows."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from coachkit.model import Client, Engagement
from coachkit.model.ids import is_client_id, unique_slug
from coachkit.store.records import Records
from coachkit.store.rows import check_author, decode, to_iso, utcnow
from coachkit.store.schema import clients, links, records


class Clients(Records):
    """Clients and their roster."""

    def add_client(self, client: Client, *, author: str = "coach", keep_id: bool = False) -> Client:
        """Add a client; its id becomes a unique slug of its name (or ``client.id`` with
        ``keep_id``, when that id is a free, well-formed client id). Returns the client with its id."""
        client.validate()
        check_author(author)
        with self._write() as conn:
            taken = set(conn.execute(sa.select(clients.c.id)).scalars())
            free = keep_id and is_client_id(client.id) and client.id not in taken
            client_id = client.id if free else unique_slug(client.name, taken)
            saved = dataclasses.replace(client, id=client_id)
            now = to_iso(utcnow())
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
            client = decode(kind, data)
            eng_data = latest.get((client_id, Engagement.KIND))
            engagement = decode(Engagement.KIND, eng_data) if eng_data else None
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
