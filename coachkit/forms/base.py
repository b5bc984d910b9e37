"""The form toolkit every coachkit form is built from.

A :class:`Form` is a titled group of :class:`Field` widgets with a Save button and a status
line. Pressing Save collects the values and hands them to the form's ``on_save`` callback,
which builds a domain record and stores it. A :class:`~coachkit.errors.ValidationError`
appears beside the field it names (or in the status line); nothing is written. Any other error
shows one plain sentence, never a traceback; it is logged by type and place only (no values,
so no client text reaches a log) and kept in :attr:`Form.last_error` for tests.

Forms never open the database themselves: ``on_save`` is given to them.

A form remembers the revision each entry was read at (its :class:`Basis`) and saves an
:class:`~coachkit.model.Edit` based on it. When someone else saved the entry in between, the
store refuses (:class:`~coachkit.errors.StaleEdit`); the form then says so in one sentence and
offers a Reload button: it shows the saved version in the fields and keeps what the person typed
under each field that differs, so nothing is overwritten silently and nothing typed is lost.
"""

from __future__ import annotations

import dataclasses
import logging
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

import ipywidgets as W

from coachkit.errors import CoachkitError, StaleEdit, ValidationError
from coachkit.forms.shared import field_style, shared
from coachkit.model import CaseFile, Edit, Record
from coachkit.plain import NO_MATH_CLASS

log = logging.getLogger("coachkit.forms")
R = TypeVar("R", bound=Record)

SaveCallback = Callable[[dict[str, Any]], str | None]
"""Takes the form's values; returns a confirmation sentence (or None for a default one)."""
ReloadCallback = Callable[[StaleEdit], dict[str, Any]]
"""Takes the refusal (with the entry's current value); returns the field values to show."""
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


class Field:
    """One labelled input with a message line beside it. ``kind`` picks the widget:
    ``text``, ``textarea``, ``lines`` (one entry a line -> list of str), ``date``, ``int``,
    ``choice``, ``toggle`` (a row of buttons, none chosen at first: None), ``bool``."""

    def __init__(
        self,
        name: str,
        label: str,
        kind: str = "text",
        *,
        value: Any = None,
        options: Sequence[Any] = (),
        lo: int = 0,
        hi: int = 10,
        placeholder: str = "",
        help_text: str = "",
        disabled: bool = False,
        classes: Sequence[str] = (),
        style: Mapping[str, str] | None = None,
        layout: W.Layout | None = None,
    ) -> None:
        self.name = name
        self.kind = kind
        # CSS classes, style and layout are given when the widget is made: each change afterwards
        # would be one more message to the page.
        common: dict[str, Any] = {
            "description": label,
            "style": field_style(kind, style),  # one shared style model per kind of widget and look
            "layout": layout or shared("field"),
            "disabled": disabled,
            "_dom_classes": tuple(classes),
        }
        widget: W.DOMWidget
        if kind == "text":
            widget = W.Text(placeholder=placeholder, continuous_update=False, **common)
        elif kind in ("textarea", "lines"):
            widget = W.Textarea(placeholder=placeholder, continuous_update=False, rows=4, **common)
        elif kind == "date":
            widget = W.DatePicker(**common)
        elif kind == "int":
            widget = W.BoundedIntText(min=lo, max=hi, **common)
        elif kind == "slider":
            widget = W.IntSlider(min=lo, max=hi, continuous_update=False, **common)
        elif kind == "choice":
            widget = W.Dropdown(options=list(options), **common)
        elif kind == "toggle":
            common["layout"] = layout or shared("auto-width")
            widget = W.ToggleButtons(options=list(options), value=None, **common)
        elif kind == "bool":
            widget = W.Checkbox(indent=True, **{k: v for k, v in common.items() if k != "layout"})
        else:
            raise ValueError(f"unknown field kind {kind!r}")
        self.widget = widget
        self._message: W.Label | None = None  # made when first needed: most fields never show one
        self._box: W.VBox | None = None
        self.help = text_label(help_text, layout=shared("field-help")) if help_text else None
        if value is not None:
            self.set(value)

    def get(self) -> Any:
        """The value in the shape the domain model wants (list for ``lines``, None for blank dates)."""
        value = self.widget.value
        if self.kind == "lines":
            return [line.strip() for line in str(value).splitlines() if line.strip()]
        return value

    def set(self, value: Any) -> None:
        """Show ``value`` in the widget."""
        if self.kind == "lines":
            self.widget.value = "\n".join(value or [])
        elif self.kind == "date":
            self.widget.value = value if isinstance(value, date) else None
        elif value is not None:
            self.widget.value = value

    @property
    def message(self) -> W.Label:
        """The message line under the field, made on first use (and then added to its box)."""
        if self._message is None:
            self._message = text_label("", "coachkit-field-message", layout=shared("field-message"))
            if self._box is not None:
                self._box.children = (*self._box.children, self._message)
        return self._message

    @property
    def message_text(self) -> str:
        """The message shown under the field ("" when none)."""
        return "" if self._message is None else str(self._message.value)

    def show_message(self, text: str) -> None:
        """Show a message beside the field (as text, never HTML); "" clears it."""
        if text or self._message is not None:
            self.message.value = text

    box_layout = "layout"
    """The kind of shared layout of the field's box."""

    def parts(self) -> list[W.Widget]:
        """What the field's box shows above its message line: the widget and its help line."""
        return [self.widget] if self.help is None else [self.widget, self.help]

    @property
    def box(self) -> W.VBox:
        """The field's :meth:`parts` (and its message line, once there is one)."""
        if self._box is None:
            parts = self.parts()
            if self._message is not None:
                parts.append(self._message)
            self._box = W.VBox(parts, layout=shared(self.box_layout))
        return self._box


class Form:
    """Fields, a Save button and a status line; see the module docstring."""

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        on_save: SaveCallback,
        *,
        save_label: str = "Save",
        intro: str = "",
        basis: Basis | None = None,
        on_reload: ReloadCallback | None = None,
    ) -> None:
        self.title = title
        self.fields = {f.name: f for f in fields}
        self.on_save = on_save
        self.basis = basis if basis is not None else Basis()
        self.on_reload = on_reload
        self.stale: StaleEdit | None = None
        self.last_error: BaseException | None = None
        self.saves = 0
        self.reload_button = W.Button(
            description="Reload",
            icon="refresh",
            layout=W.Layout(width="140px", height="40px", display="none"),  # its own: it is shown and hidden
            style=shared("button-style"),
        )
        self.reload_button.on_click(lambda _b: self.reload())
        look = {"layout": shared("save-button"), "style": shared("button-style")}
        self.button = W.Button(description=save_label, button_style="primary", icon="check", **look)
        self.status = text_label("", "coachkit-status")
        self.button.on_click(lambda _b: self.save())
        parts: list[W.Widget] = [text_label(title, "coachkit-form-title")]
        if intro:
            parts.append(text_label(intro))
        parts += [f.box for f in fields]
        parts.append(W.HBox([self.button, self.reload_button, self.status], layout=shared("layout")))
        self.widget = W.VBox(parts, layout=shared("form"), _dom_classes=("coachkit-form",))

    def __getitem__(self, name: str) -> Field:
        return self.fields[name]

    def values(self) -> dict[str, Any]:
        """Every field's current value by name."""
        return {name: f.get() for name, f in self.fields.items()}

    def clear_messages(self) -> None:
        """Remove every message beside the fields and in the status line."""
        for f in self.fields.values():
            f.show_message("")
        self.status.value = ""

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Show ``values`` in the fields they name (others keep theirs)."""
        for name, value in values.items():
            if name in self.fields:
                self.fields[name].set(value)

    def reload(self) -> bool:
        """After a refusal: show the version saved since, keeping what was typed under each field
        that differs; the next save is based on the reloaded version. True when reloaded."""
        exc = self.stale
        if exc is None:
            return False
        typed = self.values()
        self.clear_messages()
        try:
            current = self.basis.reloaded(exc)
            shown = self.on_reload(exc) if self.on_reload is not None else record_values(current, self.fields)
            self.set_values(shown)
        except Exception as error:  # a reload must never lose what was typed
            self._failed(error)
            return False
        differs = 0
        for name, value in typed.items():
            field = self.fields[name]
            if name in shown and field.get() != value:
                field.show_message(f"You had typed: {_as_text(value)}")
                differs += 1
        self.stale = None
        self.reload_button.layout.display = "none"
        self.status.value = (
            "Reloaded the saved version; what you had typed is under each field that differs: "
            "copy what you want to keep, then save."
            if differs
            else "Reloaded the saved version."
        )
        return True

    def save(self) -> bool:
        """Collect, validate and save; True when saved. Never raises."""
        self.clear_messages()
        try:
            confirmation = self.on_save(self.values())
        except StaleEdit as exc:
            self.stale = exc
            self.reload_button.layout.display = ""
            self.status.value = str(exc)
            return False
        except ValidationError as exc:
            target = self._field_for(exc.field)
            if target is not None:
                target.show_message(exc.message)
                self.status.value = f"Not saved: please check “{target.widget.description}”."
            else:
                self.status.value = f"Not saved: {exc}"
            return False
        except CoachkitError as exc:
            self.status.value = f"Not saved: {exc}"
            return False
        except Exception as exc:
            self._failed(exc)
            return False
        self.saves += 1
        self.stale = None
        self.reload_button.layout.display = "none"
        self.status.value = confirmation or "Saved ✓"
        return True

    def _failed(self, exc: BaseException) -> None:
        self.last_error = exc
        where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        log.error(
            "form %r failed with %s at %s:%s",
            self.title,
            exc.__class__.__name__,
            where.filename if where else "?",
            where.lineno if where else "?",
        )
        self.status.value = (
            "Not saved: something went wrong on our side. "
            "Your entries are still here; please try again or tell your coach."
        )

    def _field_for(self, name: str) -> Field | None:
        if name in self.fields:
            return self.fields[name]
        head = name.split(" ", 1)[0]
        return self.fields.get(head)


def _as_text(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or "(nothing)"
    text = "" if value is None else str(value)
    return text if text.strip() else "(nothing)"


def notice(text: str, *, tone: str = "info") -> W.Label:
    """A line of plain text (``info``, ``warning`` or ``success``), shown as text, never HTML."""
    return text_label(text, f"coachkit-notice-{tone}")


def text_label(value: str, *classes: str, **options: Any) -> W.Label:
    """A line of text (never typeset as math) with CSS classes. The classes are given when the
    label is made: each added later would be one more message to the page that shows it. Its
    layout and style are the kernel's shared ones unless given."""
    options.setdefault("style", shared("label-style"))
    options.setdefault("layout", shared("layout"))
    return W.Label(value=value, _dom_classes=(NO_MATH_CLASS, *classes), **options)
