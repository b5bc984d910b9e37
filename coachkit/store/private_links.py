"""Private links in the store: a token is shown once and only its hash is kept; a link is valid
until it expires or is revoked."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from coachkit.errors import NotFound, StoreError
from coachkit.model.access import LINK_AUDIENCES, Link, new_token, token_hash
from coachkit.model.base import check_choice, check_datetime, check_text, new_id
from coachkit.store.database import Database
from coachkit.store.rows import link_from_row, to_iso, utcnow
from coachkit.store.schema import links


class PrivateLinks(Database):
    """The private links of a practice."""

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
                    created_at=to_iso(now),
                    expires_at=to_iso(expires_at),
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
        link = link_from_row(row._mapping)
        return link if link.is_valid(now or utcnow()) else None

    def mark_link_used(self, link_id: str, when: datetime | None = None) -> None:
        """Record when a link was last opened (shown to the coach by ``coachkit link list``)."""
        try:
            with self._write() as conn:
                conn.execute(links.update().where(links.c.id == link_id).values(last_used_at=to_iso(when or utcnow())))
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"Cannot record the use of a link: {exc.__class__.__name__}.") from exc

    def links(self, client_id: str | None = None) -> list[Link]:
        """Links of one client (or all), newest first."""
        query = sa.select(links).order_by(links.c.created_at.desc())
        if client_id is not None:
            query = query.where(links.c.client_id == client_id)
        with self._read() as conn:
            return [link_from_row(row._mapping) for row in conn.execute(query)]

    def revoke_link(self, link_id: str) -> Link:
        """Revoke a link by its id; it stops working at once."""
        with self._write() as conn:
            row = conn.execute(sa.select(links).where(links.c.id == link_id)).first()
            if row is None:
                raise NotFound(f"No link with id {link_id!r}.", kind="link", key=link_id)
            if row._mapping["revoked_at"] is None:
                conn.execute(links.update().where(links.c.id == link_id).values(revoked_at=to_iso(utcnow())))
            row = conn.execute(sa.select(links).where(links.c.id == link_id)).one()
        return link_from_row(row._mapping)
