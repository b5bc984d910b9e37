"""Private parts of a workbook kept out of a shared screen until the coach opens them.

The coach's private session notes and the client's private evaluation of the coaching sit in
workbooks the coach shares with the client. :class:`Hidden` keeps such a form out of the page
entirely (no widget holds its text) until the coach presses its "Show ..." button; "Hide ..."
closes the form's widgets again. Every run of the workbook starts hidden.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as W

from coachkit.forms.base import Form


class Hidden:
    """Something private kept out of the page until the coach deliberately opens it: a button
    ("Show private notes") and, once pressed, the form ``build()`` makes (read from the store
    then, never before); "Hide" takes it out of the page again. A re-run or reopened workbook
    builds a new, closed one."""

    def __init__(self, what: str, build: Callable[[], Form], *, note: str = "") -> None:
        self.what = what
        self.build = build
        self.form: Form | None = None
        self.button = W.Button(description=f"Show {what}", icon="eye", layout=W.Layout(width="auto", height="40px"))
        self.button.add_class("coachkit-show-private")
        self.button.on_click(lambda _b: self.toggle())
        self.note = W.Label(value=note or f"Hidden while you share your screen: press “Show {what}” to open them.")
        self.widget = W.VBox([self.button, self.note])
        self.widget.add_class("coachkit-hidden-private")

    @property
    def shown(self) -> bool:
        """True while the private part is in the page."""
        return self.form is not None

    def show(self) -> None:
        """Put the private part into the page (read fresh from the store)."""
        if self.form is None:
            self.form = self.build()
            self.button.description = f"Hide {self.what}"
            self.button.icon = "eye-slash"
            self.widget.children = [self.button, self.form.widget]

    def hide(self) -> None:
        """Take the private part out of the page again (nothing of it stays in a widget)."""
        self.button.description = f"Show {self.what}"
        self.button.icon = "eye"
        self.widget.children = [self.button, self.note]
        if self.form is not None:
            _close(self.form.widget)
            self.form = None

    def toggle(self) -> None:
        """Show when hidden, hide when shown."""
        if self.form is None:
            self.show()
        else:
            self.hide()


def _close(widget: W.Widget) -> None:
    """Close ``widget`` and everything inside it: their values leave the kernel and the page."""
    for child in getattr(widget, "children", ()):
        _close(child)
    widget.close()
