"""The practice's clients: who they are, in what order, and which phase each is in."""

from __future__ import annotations

from coachkit.model import Client, Engagement
from coachkit.model.phase import current_phase
from coachkit.practice import Practice


def roster(practice: Practice) -> list[tuple[Client, Engagement | None]]:
    """Every client with their engagement (None before it is set up), in the roster's order."""
    return practice.store.roster()


def client_ids(practice: Practice) -> list[str]:
    """The ids of every client of the practice."""
    return practice.store.client_ids()


def phase(practice: Practice, client_id: str) -> int:
    """The client's current phase, as every view shows it."""
    return current_phase(practice.store.load(client_id))
