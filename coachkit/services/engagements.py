"""One client's engagement as a case file: read it, save records and edits to it, and read a
record's earlier versions. ``author`` is who entered the change (``coach`` or ``client``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from coachkit.model import CaseFile, Edit, Record
from coachkit.practice import Practice
from coachkit.store import Revision

R = TypeVar("R", bound=Record)

__all__ = ["Revision", "find", "find_revision", "get", "history", "load", "records", "save", "save_all"]


def load(practice: Practice, client_id: str) -> CaseFile:
    """The client's case file as it is now (NotFound for an unknown client)."""
    return practice.store.load(client_id)


def save(practice: Practice, client_id: str, change: Record | Edit, *, author: str = "coach") -> int:
    """Save one record (or an edit of one) for the client; returns its new revision. An edit
    based on an older revision is refused (:class:`~coachkit.errors.StaleEdit`)."""
    return practice.store.save(client_id, change, author=author)


def save_all(
    practice: Practice, client_id: str, changes: Sequence[Record | Edit], *, author: str = "coach"
) -> list[int]:
    """Save records (or edits) for the client in one transaction; returns their revisions."""
    return practice.store.save_all(client_id, list(changes), author=author)


def find(practice: Practice, client_id: str, kind: type[R], record_id: str) -> R | None:
    """The newest saved record of ``kind`` with ``record_id``, or None."""
    return practice.store.find(client_id, kind, record_id)


def find_revision(practice: Practice, client_id: str, kind: type[R], record_id: str) -> tuple[R, int] | None:
    """The newest saved record of ``kind`` with ``record_id`` and its revision, or None."""
    return practice.store.find_revision(client_id, kind, record_id)


def get(practice: Practice, client_id: str, kind: type[R], record_id: str) -> R:
    """The newest saved record of ``kind`` with ``record_id`` (NotFound when there is none)."""
    return practice.store.get(client_id, kind, record_id)


def records(practice: Practice, client_id: str, kind: type[R]) -> list[R]:
    """Every current record of ``kind`` of the client."""
    return practice.store.all(client_id, kind)


def history(practice: Practice, client_id: str, kind: type[Record], record_id: str) -> list[Revision]:
    """Every saved version of one record, oldest first."""
    return practice.store.history(client_id, kind, record_id)
