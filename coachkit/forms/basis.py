"""What a form read, so that what it saves is based on it.

A form remembers the revision each entry was read at (its :class:`Basis`) and saves an
:class:`~coachkit.model.Edit` based on it. When someone else saved the entry in between, the
store refuses (:class:`~coachkit.errors.StaleEdit`) and the form offers to reload
(:class:`coachkit.forms.base.Form`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from coachkit.errors import StaleEdit
from coachkit.model import CaseFile, Edit, Record

R = TypeVar("R", bound=Record)
Key = tuple[str, str]


class Basis:
    """What a form read: each entry's value and the revision it was read at, by (kind, id).

    :meth:`edit` makes the :class:`~coachkit.model.Edit` to save; :meth:`saved` records what the
    store answered, so the form's next save is based on its own last one; :meth:`reloaded` takes
    the current value from a refusal."""

    def __init__(self, revisions: Mapping[Key, int] | None = None, records: Iterable[Record] = ()) -> None:
        self.revisions: dict[Key, int] = dict(revisions or {})
        self.origins: dict[Key, Record] = {(r.KIND, r.id): r for r in records}

    @classmethod
    def of(cls, file: CaseFile, records: Iterable[Record] = ()) -> Basis:
        """The basis of a form built from ``file`` that edits ``records``."""
        return cls(file.revisions, records)

    def read(self, record: Record, revision: int | None) -> None:
        """Remember that ``record`` was read (or shown) at ``revision`` (None: not saved yet)."""
        key = (record.KIND, record.id)
        self.origins[key] = record
        if revision is None:
            self.revisions.pop(key, None)
        else:
            self.revisions[key] = revision

    def origin(self, kind: type[R], record_id: str) -> R | None:
        """The entry as the form last read or saved it."""
        found = self.origins.get((kind.KIND, record_id))
        return found if isinstance(found, kind) else None

    def revision(self, record: Record) -> int | None:
        """The revision the form's copy of ``record``'s entry was read at (None: a new entry)."""
        return self.revisions.get((record.KIND, record.id))

    def edit(self, record: Record, owns: Iterable[str] | None = None, checks: Iterable[str] | None = None) -> Edit:
        """``record`` to save, based on the revision its entry was read at; only the fields
        ``owns`` (when given) are written, onto the entry as it is then, refused when one of
        ``checks`` (default: all of ``owns``) changed since the form read it."""
        key = (record.KIND, record.id)
        base = self.revisions.get(key)
        if owns is None:
            return Edit(record, base)
        return Edit.fields(record, base, self.origins.get(key), owns, checks)

    def saved(self, edit: Edit | Record, revision: object) -> None:
        """Record the revision the store gave a save (a new base for the next one)."""
        record = edit.record if isinstance(edit, Edit) else edit
        if isinstance(revision, int) and not isinstance(revision, bool):
            self.read(record, revision)

    def save_values(
        self,
        save: Callable[[Edit], object],
        record: R,
        values: Mapping[str, Any],
        owns: Iterable[str] | None = None,
        checks: Iterable[str] | None = None,
    ) -> R:
        """Save ``values`` onto ``record``'s entry as the form last read or saved it (``record``
        itself when the form has not), as an :meth:`edit` of ``owns`` checked on ``checks``;
        returns the record saved."""
        updated = dataclasses.replace(self.origin(type(record), record.id) or record, **values)
        edit = self.edit(updated, owns, checks)
        self.saved(edit, save(edit))
        return updated

    def current(self, kind: type[R], exc: StaleEdit, into: dict[str, R]) -> R | None:
        """After ``exc`` refused a save: the entry as it is now when it is a ``kind`` (also kept
        in ``into`` under its id), else None."""
        found = self.origin(kind, exc.record_id)
        if found is not None:
            into[found.id] = found
        return found

    def saved_all(self, edits: Sequence[Edit | Record], revisions: object) -> None:
        """:meth:`saved` for each of a transaction's saves."""
        if isinstance(revisions, list) and len(revisions) == len(edits):
            for edit, revision in zip(edits, revisions, strict=True):
                self.saved(edit, revision)

    def reloaded(self, exc: StaleEdit) -> Record | None:
        """Take the entry's current value and revision from a refusal; returns that value."""
        key = (exc.kind, exc.record_id)
        current = exc.current if isinstance(exc.current, Record) else None
        if current is None or exc.revision is None:
            self.origins.pop(key, None)
            self.revisions.pop(key, None)
            return None
        self.read(current, exc.revision)
        return current


def record_values(record: Record | None, names: Iterable[str]) -> dict[str, Any]:
    """The fields ``names`` that ``record`` has, by name (what a plain form shows on reload)."""
    if record is None:
        return {}
    return {name: getattr(record, name) for name in names if hasattr(record, name)}
