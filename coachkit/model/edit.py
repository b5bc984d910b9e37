"""Edits: a record to save together with the revision it was based on.

Every front end (a workbook kernel, a Voilà page, the CLI) reads an entry at some revision,
lets a person change it and saves it back. Between the read and the save someone else may have
saved the same entry. An :class:`Edit` says which revision the change started from, so the
store can refuse a save that would silently undo the other one (see :func:`rebase`).

An edit may own only some of the record's fields (``owns``): the sponsor-release switch owns
``released_to_sponsor`` and ``released_on`` of a goal, never its target. Such an edit is laid
onto the entry's current value, and is refused only when one of its own fields changed since
the editor read it (``origin``). Nothing here touches the database.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TypeVar

from coachkit.errors import StaleEdit
from coachkit.model.base import Record

R = TypeVar("R", bound=Record)


@dataclasses.dataclass(frozen=True)
class Edit:
    """``record`` saved on top of revision ``base`` of its entry (None: a new entry).

    ``owns`` names the fields this edit writes (None: all of them); ``origin`` is the entry as
    the editor read it (it decides whether someone else changed one of those fields since);
    ``checks`` names the owned fields whose change refuses the edit (None: all it owns; the
    release switch checks the switch, not the date it was last switched)."""

    record: Record
    base: int | None
    owns: frozenset[str] | None = None
    origin: Record | None = None
    checks: frozenset[str] | None = None

    @classmethod
    def new(cls, record: Record) -> Edit:
        """A new entry: refused if an entry with that id exists already."""
        return cls(record, None)

    @classmethod
    def fields(
        cls,
        record: Record,
        base: int | None,
        origin: Record | None,
        owns: Iterable[str],
        checks: Iterable[str] | None = None,
    ) -> Edit:
        """Only ``owns`` of ``record``, laid onto the entry as it is when saved."""
        return cls(record, base, frozenset(owns), origin, None if checks is None else frozenset(checks))


def apply_fields(onto: R, source: Record, names: Iterable[str]) -> R:
    """``onto`` with the fields ``names`` taken from ``source`` (a new object)."""
    return dataclasses.replace(onto, **{name: getattr(source, name) for name in names})


def rebase(edit: Edit, current: Record | None, revision: int | None) -> Record:
    """The record to write for ``edit`` when the entry is now ``current`` at ``revision``
    (both None when there is no entry, or it was removed); StaleEdit when the edit would undo
    a change someone else saved in between."""
    record = edit.record
    if revision == edit.base:
        if edit.owns is not None and current is not None:
            return apply_fields(current, record, edit.owns)
        return record
    if edit.owns is not None and current is not None:
        origin = edit.origin
        checked = edit.owns if edit.checks is None else edit.checks
        if origin is not None and all(getattr(current, f) == getattr(origin, f) for f in checked):
            return apply_fields(current, record, edit.owns)
        if origin is None and all(getattr(current, f) == getattr(record, f) for f in checked):
            return current  # someone saved exactly these values already
    raise StaleEdit(record.KIND, record.id, edit.base, revision, current)
