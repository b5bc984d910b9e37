"""What a progress report reads of the practice: which clients have one, and a client's case
file, read once, with a damaged record said plainly (naming no client text)."""

from __future__ import annotations

from coachkit.errors import CoachkitError, StoreError
from coachkit.model import CaseFile
from coachkit.practice import Practice


def clients_with_engagement(practice: Practice) -> list[str]:
    """Every client whose engagement is set up (what ``--all`` reports on), in roster order."""
    return [client.id for client, engagement in practice.store.roster() if engagement is not None]


def case_file(practice: Practice, client_id: str) -> CaseFile:
    """The client's whole case file for a report (NotFound for an unknown client; StoreError
    naming the client's id, not their text, when a record cannot be read)."""
    practice.require_client(client_id)
    try:
        return practice.store.load(client_id)
    except CoachkitError:
        raise
    except Exception as exc:  # a damaged record: say so plainly, name no client text
        raise StoreError(f"The records of {client_id} could not be read ({exc.__class__.__name__}).") from exc
