"""The errors coachkit raises on purpose.

Every error a person can cause (a bad value, an unknown client, a link that is not valid)
is a :class:`CoachkitError`; its message is a plain sentence that says what is wrong and what
to do. The CLI prints that sentence and exits 1; forms show it beside the field.

::

    CoachkitError
    ├── ValidationError      a value was refused (names the field)
    ├── NotFound             no such client, record or link
    ├── Conflict             the change would overwrite something that must not change
    │   └── StaleEdit        the save was based on a revision that is no longer the current one
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


class StaleEdit(Conflict):
    """A save was based on a revision of an entry that is no longer its current one: someone
    saved it (or removed it) in between. Nothing was written. ``kind`` and ``record_id`` name the
    entry, ``base`` is the revision the save was based on (None: a new entry), ``revision`` the
    current one (None: there is none any more) and ``current`` its current value (a record, or
    None) so that a form can show it beside what the person typed."""

    def __init__(self, kind: str, record_id: str, base: int | None, revision: int | None, current: object) -> None:
        self.kind = kind
        self.record_id = record_id
        self.base = base
        self.revision = revision
        self.current = current
        noun = kind.replace("_", " ")
        if revision is None:
            what = f"Someone removed this {noun} ({record_id}) since you opened it"
        else:
            what = f"Someone saved this {noun} ({record_id}) since you opened it"
        super().__init__(f"{what}: nothing was saved; reload to see their version, your entries stay here.")
