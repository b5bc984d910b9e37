"""Building blocks the phase workbooks share on top of :mod:`coachkit.forms.base`.

- :class:`RecordEditor`: a form that edits one record of a list (a goal, a milestone, a
  sponsor...) chosen from a dropdown, or a new one. Saving twice writes nothing new: a new
  record keeps the id it got on its first save. Each save writes only the fields the editor
  shows, based on the record as it was shown: when someone else changed one of them since, the
  save is refused with an offer to reload.
- :class:`Part`: a form's share of a record several forms write (a session, the closure
  reflection, the self-assessment): it writes only its own fields.
- :class:`PickListField`: a one-entry-a-line text box with a dropdown of suggestions and an
  Add button (values, findings); the order of the lines is the ranking.
- :func:`set_options`: refresh a dropdown's choices without losing what is chosen.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Generic, TypeVar

import ipywidgets as W

from coachkit.errors import StaleEdit, ValidationError
from coachkit.forms.base import Field, Form
from coachkit.forms.basis import Basis
from coachkit.forms.shared import LABEL_WIDTH
from coachkit.model import Edit, Record, new_id

R = TypeVar("R", bound=Record)
SaveRecord = Callable[[Record | Edit], object]
"""Stores one record or edit; returns its revision."""
SaveRecords = Callable[[Sequence[Record | Edit]], object]
"""Stores records or edits in one transaction; returns their revisions."""
Choice = tuple[str, str]
Found = tuple[R, int] | None
"""A record with the revision it was read at, or None when there is none yet."""


class Part(Generic[R]):
    """A form's share of a record that several forms write. ``load`` reads the record with its
    revision (None when it does not exist yet, then ``new()`` is what the form starts from);
    :meth:`save` writes only the fields given, onto the record as it is when saved, refused
    when someone else changed one of those fields since this form read them."""

    def __init__(self, load: Callable[[], Found[R]], new: Callable[[], R]) -> None:
        found = load()
        self.basis = Basis()
        self.record: R = found[0] if found is not None else new()
        self.basis.read(self.record, found[1] if found is not None else None)

    def save(self, save: SaveRecord, values: Mapping[str, Any]) -> R:
        """Save ``values`` (field name -> value) as this form's share; returns the record saved."""
        record = dataclasses.replace(self.record, **values)
        edit = self.basis.edit(record, owns=values.keys())
        self.basis.saved(edit, save(edit))
        self.record = record
        return record

    def reload(self, exc: StaleEdit, names: Iterable[str]) -> dict[str, Any]:
        """After a refusal: the current values of the fields ``names`` (the form shows them)."""
        current = self.basis.origins.get((exc.kind, exc.record_id))
        if current is not None:
            self.record = current  # type: ignore[assignment]
        return {name: getattr(self.record, name) for name in names}

    def form(self, title: str, fields: Sequence[Field], on_save: Callable[[dict[str, Any]], str], **kw: Any) -> Form:
        """A :class:`Form` saving through this part (Reload shows the current values)."""
        names = [f.name for f in fields]
        return Form(title, fields, on_save, basis=self.basis, on_reload=lambda exc: self.reload(exc, names), **kw)


def short(text: str, width: int = 60) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def day(value: date | None, missing: str = "no date") -> str:
    """A date as YYYY-MM-DD, or ``missing``."""
    return value.isoformat() if value else missing


def set_options(field: Field, options: Sequence[Choice]) -> None:
    """Give a ``choice`` field new options, keeping its value when it is still offered."""
    widget = field.widget
    current = widget.value
    widget.options = list(options)
    values = [v for _, v in options]
    if current in values:
        widget.value = current
    elif values:
        widget.value = values[0]


class PickListField(Field):
    """Entries one a line (``lines``) with suggestions to add from a dropdown."""

    def __init__(self, name: str, label: str, suggestions: Sequence[str], *, value: Any = None, help_text: str = ""):
        super().__init__(name, label, "lines", value=value, help_text=help_text)
        self.suggestions = W.Dropdown(
            options=["", *suggestions],
            description="Add from list",
            style={"description_width": LABEL_WIDTH},
            layout=W.Layout(width="540px"),
        )
        self.add_button = W.Button(description="Add", icon="plus", layout=W.Layout(width="90px"))
        self.add_button.on_click(lambda _b: self.add(self.suggestions.value))

    def add(self, entry: str) -> None:
        """Append ``entry`` as a new line unless it is blank or already there."""
        entry = entry.strip()
        lines = self.get()
        if entry and entry.casefold() not in {line.casefold() for line in lines}:
            self.set([*lines, entry])

    def set_suggestions(self, suggestions: Sequence[str]) -> None:
        """Offer other suggestions."""
        self.suggestions.options = ["", *suggestions]

    def parts(self) -> list[W.Widget]:
        """The text box, the suggestion picker and the help line."""
        picker = W.HBox([self.suggestions, self.add_button])
        return [self.widget, picker] if self.help is None else [self.widget, picker, self.help]


class RecordEditor(Generic[R]):
    """A :class:`Form` editing one record of a list, picked from a dropdown (or a new one).

    ``fill(record)`` gives the field values for a record (or for a new one when None);
    ``build(record, record_id, values)`` makes the record to save (it may raise
    ValidationError naming a field). The record is handed to ``save``.
    """

    def __init__(
        self,
        title: str,
        noun: str,
        records: Sequence[R],
        label: Callable[[R], str],
        fields: Sequence[Field],
        fill: Callable[[R | None], dict[str, Any]],
        build: Callable[[R | None, str, dict[str, Any]], R],
        save: SaveRecord,
        *,
        save_label: str = "Save",
        intro: str = "",
        allow_new: bool = True,
        revisions: Mapping[tuple[str, str], int] | None = None,
    ) -> None:
        self.noun = noun
        self.label = label
        self.fill = fill
        self.build = build
        self.save_record = save
        self.allow_new = allow_new
        self.records: dict[str, R] = {r.id: r for r in records}
        self.revisions: dict[tuple[str, str], int] = dict(revisions or {})
        self.basis = Basis()
        self._new_id = new_id()
        self.picker = Field("pick", noun[:1].upper() + noun[1:], "choice", options=self._options())
        self.form = Form(
            title,
            [self.picker, *fields],
            self._on_save,
            save_label=save_label,
            intro=intro,
            basis=self.basis,
            on_reload=self._reloaded,
        )
        self._fill(self.records.get(self.picker.widget.value))
        self.picker.widget.observe(self._picked, names="value")

    @property
    def widget(self) -> W.VBox:
        """The form's widget."""
        return self.form.widget

    def __getitem__(self, name: str) -> Field:
        return self.form[name]

    def _options(self) -> list[Choice]:
        options = [(self.label(r), r.id) for r in self.records.values()]
        if self.allow_new:
            options.insert(0, (f"+ New {self.noun}", ""))
        elif not options:
            options = [(f"No {self.noun} yet", "")]
        return options

    def _fill(self, record: R | None) -> None:
        if record is not None:  # what is shown is what the next save is based on
            self.basis.read(record, self.revisions.get((record.KIND, record.id)))
        for name, value in self.fill(record).items():
            self.form[name].set(value)

    def _reloaded(self, exc: StaleEdit) -> dict[str, Any]:
        current = self.basis.origins.get((exc.kind, exc.record_id))
        if current is None:  # removed since: the form offers a new one with what was typed
            self.records.pop(exc.record_id, None)
            set_options(self.picker, self._options())
            return self.fill(None)
        self.records[current.id] = current  # type: ignore[assignment]
        if exc.revision is not None:
            self.revisions[(exc.kind, exc.record_id)] = exc.revision
        return self.fill(current)  # type: ignore[arg-type]

    def _picked(self, change: dict[str, Any]) -> None:
        self.form.clear_messages()
        self._fill(self.records.get(change["new"]))

    def select(self, record_id: str) -> None:
        """Show the record with ``record_id`` ("" for a new one)."""
        self.picker.widget.value = record_id

    def refresh(self, records: Sequence[R], revisions: Mapping[tuple[str, str], int] | None = None) -> None:
        """Offer ``records`` (after another form changed them), keeping the one being edited; its
        next save stays based on the revision it was shown at (a change made elsewhere since is
        not undone silently: the save is refused with an offer to reload)."""
        self.records = {r.id: r for r in records}
        if revisions is not None:
            self.revisions.update(revisions)
        set_options(self.picker, self._options())

    def _on_save(self, values: dict[str, Any]) -> str:
        chosen = str(values.pop("pick") or "")
        record = self.records.get(chosen)
        if record is None and not self.allow_new:
            raise ValidationError("pick", f"choose a {self.noun} from the list.")
        record_id = record.id if record is not None else self._new_id
        shown = self.basis.origins.get((record.KIND, record_id)) if record is not None else None
        base_record = shown if isinstance(shown, type(record)) else record
        built = self.build(base_record, record_id, values)
        attributes = {f.name for f in dataclasses.fields(built)}
        owned = [name for name in values if name in attributes]  # the editor writes only its fields
        edit = self.basis.edit(built, owns=owned if len(owned) == len(values) else None)
        revision = self.save_record(edit)
        self.basis.saved(edit, revision)
        if isinstance(revision, int):
            self.revisions[(built.KIND, built.id)] = revision
        self.records[built.id] = built
        if record is None:
            self._new_id = new_id()
            set_options(self.picker, self._options())
            self.picker.widget.value = built.id
        else:
            set_options(self.picker, self._options())
        return f"{self.noun[:1].upper() + self.noun[1:]} “{short(self.label(built), 40)}” saved ✓"
