"""The errors coachkit raises on purpose.

Every error a person can cause (a bad value, an unknown client, a link that is not valid)
is a :class:`CoachkitError`; its message is a plain sentence that says what is wrong and what
to do. The CLI prints that sentence and exits 1; forms show it beside the field.

::

    CoachkitError
    ├── ValidationError      a value was refused (names the field)
    ├── NotFound             no such client, record or link
    ├── Conflict             the change would overwrite something that must not change
    └── StoreError           the practice's database could not be opened or used
"""

from __future__ import annotations


class CoachkitError(Exception):
    """Base of every error coachkit raises for a person to read."""


class ValidationError(CoachkitError, ValueError):
    """A value was refused. ``field`` names it so a form can show the message beside it."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class NotFound(CoachkitError, LookupError):
    """No client, record or link with that id. ``kind`` says what was looked for (``client``,
    ``link``, ``rater``, ``pulse round``), ``key`` the id asked for and ``client_id`` whose it
    would be, so that a caller can say where to find the right one."""

    def __init__(self, message: str, *, kind: str = "", key: str = "", client_id: str = "") -> None:
        self.kind = kind
        self.key = key
        self.client_id = client_id
        super().__init__(message)


class Conflict(CoachkitError):
    """The change would alter something that must stay as it is (an accepted agreement, say)."""


class StoreError(CoachkitError):
    """The practice's database could not be opened, migrated or written."""
