"""How records and links become rows and back, for the modules of the store: timestamps as
ISO 8601 text, records as canonical JSON, and the checks on values that come from outside
(authors, timestamps)."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from coachkit.errors import ValidationError
from coachkit.model import Record, record_type
from coachkit.model.access import Link


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


def to_iso(value: datetime) -> str:
    """``value`` in UTC as ISO 8601 text, as the tables hold times."""
    return value.astimezone(UTC).isoformat()


def maybe_datetime(value: str | None) -> datetime | None:
    """The time a column holds, or None where it is empty."""
    return None if value is None else datetime.fromisoformat(value)


def encode(record: Record) -> str:
    """A record as the canonical JSON of its ``data`` column (equal records, equal text)."""
    return json.dumps(record.to_data(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def decode(kind: str, data: str) -> Record:
    """The record of ``kind`` that a ``data`` column holds."""
    return record_type(kind).from_data(json.loads(data))


def check_author(author: object) -> None:
    """ValidationError unless ``author`` is 1 to 64 characters."""
    if not isinstance(author, str) or not 0 < len(author) <= 64:
        raise ValidationError("author", "must be 1 to 64 characters.")


def check_timestamp(field: str, value: object) -> str:
    """``value`` when it is ISO 8601 text; ValidationError naming ``field`` otherwise."""
    if not isinstance(value, str) or len(value) > 40:
        raise ValidationError(field, "must be a date and time (ISO 8601).")
    try:
        datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(field, "must be a date and time (ISO 8601).") from exc
    return value


def link_from_row(row: Any) -> Link:
    """The link a row of the links table holds."""
    return Link(
        id=row["id"],
        client_id=row["client_id"],
        audience=row["audience"],
        subject=row["subject"],
        created_at=datetime.fromisoformat(row["created_at"]),
        expires_at=datetime.fromisoformat(row["expires_at"]),
        revoked_at=maybe_datetime(row["revoked_at"]),
        last_used_at=maybe_datetime(row["last_used_at"]),
    )


def redact(url: str) -> str:
    """A database URL fit for a message: its password hidden."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "an unreadable database URL"
