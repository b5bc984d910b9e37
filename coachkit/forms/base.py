"""The form toolkit every coachkit form is built from.

A :class:`Form` is a titled group of :class:`Field` widgets with a Save button and a status
line. Pressing Save collects the values and hands them to the form's ``on_save`` callback,
which builds a domain record and stores it. A :class:`~coachkit.errors.ValidationError`
appears beside the field it names (or in the status line); nothing is written. Any other error
shows one plain sentence, never a traceback; it is logged by type and place only (no values,
so no client text reaches a log) and kept in :attr:`Form.last_error` for tests.

Forms never open the database themselves: ``on_save`` is given to them.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import ipywidgets as W

from coachkit.errors import CoachkitError, ValidationError
from coachkit.plain import no_math

log = logging.getLogger("coachkit.forms")

LABEL_WIDTH = "190px"
FIELD_WIDTH = "640px"
SaveCallback = Callable[[dict[str, Any]], str | None]
"""Takes the form's values; returns a confirmation sentence (or None for a default one)."""


def _style() -> dict[str, str]:
    return {"description_width": LABEL_WIDTH}


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
    ) -> None:
        self.name = name
        self.kind = kind
        layout = W.Layout(width=FIELD_WIDTH)
        common: dict[str, Any] = {"description": label, "style": _style(), "layout": layout, "disabled": disabled}
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
            common["layout"] = W.Layout(width="auto")
            widget = W.ToggleButtons(options=list(options), value=None, **common)
        elif kind == "bool":
            widget = W.Checkbox(indent=True, **{k: v for k, v in common.items() if k != "layout"})
        else:
            raise ValueError(f"unknown field kind {kind!r}")
        self.widget = widget
        self.message = no_math(W.Label(value="", layout=W.Layout(margin=f"0 0 4px {LABEL_WIDTH}")))
        self.message.add_class("coachkit-field-message")
        self.help = W.Label(value=help_text, layout=W.Layout(margin=f"0 0 0 {LABEL_WIDTH}"))
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

    def show_message(self, text: str) -> None:
        """Show a message beside the field (as text, never HTML)."""
        self.message.value = text

    @property
    def box(self) -> W.VBox:
        """The field with its help and message lines."""
        parts: list[W.Widget] = [self.widget]
        if self.help.value:
            parts.append(self.help)
        parts.append(self.message)
        return W.VBox(parts)


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
    ) -> None:
        self.title = title
        self.fields = {f.name: f for f in fields}
        self.on_save = on_save
        self.last_error: BaseException | None = None
        self.saves = 0
        self.button = W.Button(
            description=save_label, button_style="primary", icon="check", layout=W.Layout(width="200px", height="40px")
        )
        self.status = no_math(W.Label(value=""))
        self.status.add_class("coachkit-status")
        self.button.on_click(lambda _b: self.save())
        heading = no_math(W.Label(value=title))
        heading.add_class("coachkit-form-title")
        parts: list[W.Widget] = [heading]
        if intro:
            parts.append(no_math(W.Label(value=intro)))
        parts += [f.box for f in fields]
        parts.append(W.HBox([self.button, self.status]))
        self.widget = W.VBox(parts, layout=W.Layout(border="1px solid #d0d7de", padding="12px", margin="8px 0"))
        self.widget.add_class("coachkit-form")

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

    def save(self) -> bool:
        """Collect, validate and save; True when saved. Never raises."""
        self.clear_messages()
        try:
            confirmation = self.on_save(self.values())
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
            return False
        self.saves += 1
        self.status.value = confirmation or "Saved ✓"
        return True

    def _field_for(self, name: str) -> Field | None:
        if name in self.fields:
            return self.fields[name]
        head = name.split(" ", 1)[0]
        return self.fields.get(head)


def notice(text: str, *, tone: str = "info") -> W.Label:
    """A line of plain text (``info``, ``warning`` or ``success``), shown as text, never HTML."""
    label = no_math(W.Label(value=text))
    label.add_class(f"coachkit-notice-{tone}")
    return label
