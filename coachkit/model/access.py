"""Private links: who a link is for and whether it is still valid."""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
from datetime import datetime

LINK_AUDIENCES = ("client", "sponsor", "rater")
"""Who a private link can be for (a pulse link is a ``rater`` link whose subject names a round)."""
TOKEN_BYTES = 24  # 192 bits


@dataclasses.dataclass(frozen=True)
class Link:
    """A private link's record. The token itself is never kept, only its SHA-256."""

    id: str
    client_id: str
    audience: str
    subject: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None

    def is_valid(self, now: datetime) -> bool:
        """True while the link is neither revoked nor expired."""
        return self.revoked_at is None and now < self.expires_at

    def state(self, now: datetime) -> str:
        """``valid``, ``expired`` or ``revoked``."""
        if self.revoked_at is not None:
            return "revoked"
        return "valid" if now < self.expires_at else "expired"


def new_token() -> str:
    """A fresh URL-safe token of 192 random bits."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """The SHA-256 (hex) under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
