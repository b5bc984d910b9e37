"""The form toolkit every coachkit form is built from.

A :class:`Form` is a titled group of :class:`Field` widgets with a Save button and a status
line. Pressing Save collects the values and hands them to the form's ``on_save`` callback,
which builds a domain record and stores it. A :class:`~coachkit.errors.ValidationError`
appears beside the field it names (or in the status line); nothing is written. Any other error
shows one plain sentence, never a traceback; it is logged by type and place only (no values,
so no client text reaches a log) and kept in :attr:`Form.last_error` for tests.

Forms never open the database themselves: ``on_save`` is given to them.

A form remembers the revision each entry was read at (its
:class:`~coachkit.forms.basis.Basis`) and saves an :class:`~coachkit.model.Edit` based on it.
When someone else saved the entry in between, the store refuses
(:class:`~coachkit.errors.StaleEdit`); the form then says so in one sentence and offers a Reload
button: it shows the saved version in the fields and keeps what the person typed under each
field that differs, so nothing is overwritten silently and nothing typed is lost.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import ipywidgets as W

from coachkit.errors import CoachkitError, StaleEdit, ValidationError
from coachkit.forms.basis import Basis, record_values
from coachkit.forms.shared import field_style, shared
from coachkit.plain import NO_MATH_CLASS

log = logging.getLogger("coachkit.forms")

SaveCallback = Callable[[dict[str, Any]], str | None]
"""Takes the form's values; returns a confirmation sentence (or None for a default one)."""
ReloadCallback = Callable[[StaleEdit], dict[str, Any]]
"""Takes the refusal (with the entry's current value); returns the field values to show."""


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
            self._message = text_label("", "coachkit-field-message", layout=shared(self.message_layout))
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
    message_layout = "field-message"
    """The kind of shared layout of its message line."""

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
        self._reload_button: W.Button | None = None  # made when a save is first refused
        look = {"layout": shared("save-button"), "style": shared("button-style")}
        self.button = W.Button(description=save_label, button_style="primary", icon="check", **look)
        self.status = text_label("", "coachkit-status")
        self.button.on_click(lambda _b: self.save())
        parts: list[W.Widget] = [text_label(title, "coachkit-form-title")]
        if intro:
            parts.append(text_label(intro))
        parts += [f.box for f in fields]
        self.actions = W.HBox([self.button, self.status], layout=shared("layout"))
        parts.append(self.actions)
        self.widget = W.VBox(parts, layout=shared("form"), _dom_classes=("coachkit-form",))

    @property
    def reload_button(self) -> W.Button:
        """The Reload button beside Save, made (hidden) on first use: only a refused save shows it."""
        if self._reload_button is None:
            button = W.Button(
                description="Reload",
                icon="refresh",
                layout=W.Layout(width="140px", height="40px", display="none"),  # its own: shown and hidden
                style=shared("button-style"),
            )
            button.on_click(lambda _b: self.reload())
            self._reload_button = button
            self.actions.children = (self.button, button, self.status)
        return self._reload_button

    def _hide_reload(self) -> None:
        if self._reload_button is not None:
            self._reload_button.layout.display = "none"

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
        self._hide_reload()
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
        self._hide_reload()
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
