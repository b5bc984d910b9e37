"""Helpers for the phase forms' tests: a client's save callables bound to a practice's store."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import pytest

from coachkit.model import Record
from coachkit.practice import Practice

TODAY = date(2026, 11, 21)
TRICKY = "Board <script>alert(\"x\")</script> & “quotes” 'single' 🚀"


class Client:
    """One client's store calls, as a page binds them."""

    def __init__(self, practice: Practice, client_id: str) -> None:
        self.practice = practice
        self.id = client_id

    @property
    def file(self):  # type: ignore[no-untyped-def]
        return self.practice.store.load(self.id)

    def save(self, record: Record) -> object:
        return self.practice.store.save(self.id, record, author="coach")

    def save_all(self, records: Sequence[Record]) -> object:
        return self.practice.store.save_all(self.id, list(records), author="coach")

    def loader(self, kind: type[Record], record_id: str) -> Callable[[], tuple[Record, int] | None]:
        return lambda: self.practice.store.find_revision(self.id, kind, record_id)

    def revisions(self, kind: type[Record], record_id: str) -> int:
        return len(self.practice.store.history(self.id, kind, record_id))

    def count(self, kind: type[Record]) -> int:
        return len(self.practice.store.all(self.id, kind))


@pytest.fixture
def jonas(demo_practice: Practice) -> Client:
    """Jonas Becker, mid-engagement."""
    return Client(demo_practice, "jonas-becker")


@pytest.fixture
def mei(demo_practice: Practice) -> Client:
    """Mei Tanaka, closed with follow-ups."""
    return Client(demo_practice, "mei-tanaka")


@pytest.fixture
def newcomer(practice: Practice) -> Client:
    """A client just added: nothing else saved."""
    client = practice.add_client("Zoë Newcomer")
    return Client(practice, client.id)
