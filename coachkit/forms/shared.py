"""Layout and style models shared by the widgets of one kernel (one kernel shows one page or one
workbook, so sharing within the kernel is sharing within the page).

Every ipywidgets widget otherwise brings a layout and a style model of its own: two more models
for the browser to build and for the kernel to send. A shared model is never changed after it is
made; a widget that needs to change its own layout (to hide itself, say) gets one of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import ipywidgets as W
from ipywidgets.widgets.widget_button import ButtonStyle
from ipywidgets.widgets.widget_string import HTMLStyle, LabelStyle

LABEL_WIDTH = "190px"
"""The width of a form field's description, and the indent of its help and message lines."""

FIELD_WIDTH = "640px"
"""The width of a form field, its description included."""

_SHARED: dict[str, W.Widget] = {}
_KINDS: dict[str, Callable[[], W.Widget]] = {
    "layout": W.Layout,
    "full": lambda: W.Layout(width="100%"),
    "hidden": lambda: W.Layout(display="none"),
    "button": lambda: W.Layout(width="auto", height="38px"),
    "field": lambda: W.Layout(width=FIELD_WIDTH),
    "auto-width": lambda: W.Layout(width="auto"),
    "form": lambda: W.Layout(border="1px solid #d0d7de", padding="12px", margin="8px 0"),
    "save-button": lambda: W.Layout(width="200px", height="40px"),
    "comment": lambda: W.Layout(width=FIELD_WIDTH, height="90px"),
    "comment-box": lambda: W.Layout(margin="6px 0"),
    "field-message": lambda: W.Layout(margin=f"0 0 4px {LABEL_WIDTH}"),
    "field-help": lambda: W.Layout(margin=f"0 0 0 {LABEL_WIDTH}"),
    "pair-message": lambda: W.Layout(margin="0 0 4px 260px"),
    "label-style": LabelStyle,
    "html-style": HTMLStyle,
    "button-style": ButtonStyle,
}


def shared(kind: str) -> W.Widget:
    """The kernel's shared model of ``kind`` (made anew after everything was closed)."""
    widget = _SHARED.get(kind)
    if widget is None or widget.comm is None:  # first use, or closed with everything else
        widget = _SHARED[kind] = _KINDS[kind]()
    return widget


def shared_made(kind: str, make: Callable[[], W.Widget]) -> W.Widget:
    """The kernel's shared model of ``kind``, made by ``make`` on first use (for kinds that are
    only known while a page is drawn: a field's kind of style)."""
    _KINDS.setdefault(kind, make)
    return shared(kind)


def is_shared(widget: object) -> bool:
    """Whether ``widget`` is one of the shared models (closing a part of a page leaves them open)."""
    return any(widget is model for model in _SHARED.values())


_WIDGETS: dict[str, type[W.DOMWidget]] = {
    "text": W.Text,
    "textarea": W.Textarea,
    "lines": W.Textarea,
    "date": W.DatePicker,
    "int": W.BoundedIntText,
    "slider": W.IntSlider,
    "choice": W.Dropdown,
    "toggle": W.ToggleButtons,
    "bool": W.Checkbox,
}
"""The widget each kind of field shows (:class:`coachkit.forms.base.Field`)."""


def field_style(kind: str, look: Mapping[str, str] | None = None) -> W.Widget:
    """The kernel's shared style model for a field of ``kind`` (``text``, ``slider``, ...) with
    its description ``LABEL_WIDTH`` wide and ``look`` (more style traits, such as a toggle's
    ``button_width``): each kind of widget has its own kind of style model, and fields that look
    alike share one (fifty statements of a questionnaire, one model)."""
    klass = _WIDGETS.get(kind, W.Text).class_traits()["style"].klass
    traits = {"description_width": LABEL_WIDTH, **(look or {})}
    key = ";".join([f"field-style:{klass.__name__}", *(f"{k}={v}" for k, v in sorted(traits.items()))])
    return shared_made(key, lambda: klass(**traits))
