"""Answer sheets: long questionnaires (the 360 rater form, the pulse, the IPIP-50) built from
the form toolkit, with statements shown above their answer buttons, a running count, Save (to
continue later) and, where answers become final, Submit with a confirmation step.

An :class:`AnswerSheet` wraps a :class:`~coachkit.forms.Form`, so bad input, plain error
sentences and logging behave exactly as in every other form.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as W

from coachkit.forms.base import Field, Form, notice
from coachkit.forms.shared import shared

CANT_SAY = "cant-say"
"""The value of the “Can't say” button (stored as None)."""

SheetSave = Callable[[dict[str, Any], bool], str]
"""Takes the values and whether this is the final submission; returns a confirmation."""


def para(text: str, *, css: str = "", bold: bool = False) -> W.HTML:
    """A paragraph of text that wraps (a Label never does): the text is escaped, never HTML."""
    weight = "font-weight:600;" if bold else ""
    return W.HTML(
        value=f"<div style='white-space:normal;line-height:1.4;{weight}'>{html.escape(text)}</div>",
        layout=shared("layout"),
        style=shared("html-style"),
        _dom_classes=(css,) if css else (),
    )


def css_name(name: str) -> str:
    """A CSS class fragment for a field name (letters, digits and hyphens)."""
    return re.sub(r"[^a-z0-9-]+", "-", name.lower())


class StatementField(Field):
    """A row of answer buttons with its numbered statement shown above it (as text)."""

    def __init__(
        self,
        name: str,
        number: str,
        statement: str,
        options: Sequence[tuple[str, Any]],
        *,
        value: Any = None,
        button_width: str = "88px",
    ) -> None:
        super().__init__(
            name,
            "",
            "toggle",
            options=options,
            classes=(f"coachkit-q-{css_name(name)}",),
            style={"button_width": button_width},
        )
        self.number = number
        self.statement = para(f"{number} {statement}".strip(), css="coachkit-statement")
        if value is not None:
            self.set(value)

    def parts(self) -> list[W.Widget]:
        """The statement and its buttons."""
        return [self.statement, self.widget]


class CommentField(Field):
    """A free-text answer with its question shown above it (as text)."""

    def __init__(self, name: str, question: str, *, value: str = "") -> None:
        super().__init__(
            name, "", "textarea", value=value, classes=(f"coachkit-q-{css_name(name)}",), layout=shared("comment")
        )
        self.question = para(question, css="coachkit-statement")

    box_layout = "comment-box"

    def parts(self) -> list[W.Widget]:
        """The question and the text box."""
        return [self.question, self.widget]


class AnswerSheet:
    """Sections of fields with Save and, when ``final`` is set, a Submit that asks once more and
    then makes the answers final (everything turns read-only)."""

    def __init__(
        self,
        title: str,
        sections: Sequence[tuple[str, Sequence[Field]]],
        on_save: SheetSave,
        *,
        intro: Sequence[str] = (),
        final: bool = True,
        counted: Sequence[str] = (),
        read_only_note: str | None = None,
    ) -> None:
        self._submitting = False
        fields = [f for _, fs in sections for f in fs]
        self.fields = {f.name: f for f in fields}
        self.counted = [n for n in counted if n in self.fields]
        self.form = Form(
            title,
            fields,
            lambda values: on_save(values, self._submitting),
            save_label="Save and continue later" if final else "Save answers",
        )
        # the sheet's own Save button, so a refusal can name the statement by its number
        self.save_button = W.Button(
            description="Save and continue later" if final else "Save answers",
            button_style="primary",
            icon="check",
            layout=W.Layout(width="240px", height="40px"),
        )
        self.save_button.add_class("coachkit-save")
        self.save_button.on_click(lambda _b: self.save())
        self.progress = W.Label(value="")
        self.progress.add_class("coachkit-progress")
        self.submit_button = W.Button(
            description="Submit answers", button_style="success", icon="paper-plane", layout=W.Layout(height="40px")
        )
        self.submit_button.add_class("coachkit-submit")
        self.confirm_button = W.Button(description="Yes, submit now", button_style="danger")
        self.confirm_button.add_class("coachkit-confirm")
        self.cancel_button = W.Button(description="Not yet")
        self.confirm_row = W.HBox(
            [W.Label(value="Submit now? After this your answers are final."), self.confirm_button, self.cancel_button],
            layout=W.Layout(display="none"),
        )
        self.submit_button.on_click(lambda _b: self._ask())
        self.cancel_button.on_click(lambda _b: self._hide_confirm())
        self.confirm_button.on_click(lambda _b: self.submit())
        for name in self.counted:
            self.fields[name].widget.observe(lambda _c: self._count(), names="value")
        heading = W.HTML(value=f"<h3 style='margin:4px 0'>{html.escape(title)}</h3>")
        heading.add_class("coachkit-form-title")
        parts: list[W.Widget] = [heading, *(para(line) for line in intro)]
        for section, section_fields in sections:
            if section:
                parts.append(para(section, css="coachkit-section", bold=True))
            parts += [f.box for f in section_fields]
        buttons: list[W.Widget] = [self.save_button, self.submit_button] if final else [self.save_button]
        self.buttons = W.HBox(buttons)
        self.note = notice("", tone="success")
        self.note.add_class("coachkit-final-note")
        parts += [self.progress, self.buttons, self.confirm_row, self.form.status, self.note]
        self.widget = W.VBox(parts, layout=W.Layout(border="1px solid #d0d7de", padding="12px", margin="8px 0"))
        self.widget.add_class("coachkit-form")
        self._count()
        if read_only_note is not None:
            self.lock(read_only_note)

    def __getitem__(self, name: str) -> Field:
        return self.fields[name]

    def answered(self) -> int:
        """How many counted questions have an answer."""
        return sum(1 for n in self.counted if self.fields[n].widget.value is not None)

    def _count(self) -> None:
        if self.counted:
            self.progress.value = f"{self.answered()} of {len(self.counted)} answered"

    def _ask(self) -> None:
        self.confirm_row.layout.display = "flex"

    def _hide_confirm(self) -> None:
        self.confirm_row.layout.display = "none"

    def save(self) -> bool:
        """Save without submitting; True when saved. Never raises."""
        ok = self.form.save()
        if not ok:
            self._explain("Not saved")
        return ok

    def _explain(self, verdict: str) -> None:
        flagged = [f for f in self.fields.values() if f.message_text]
        if flagged and isinstance(flagged[0], StatementField):
            self.form.status.value = f"{verdict}: please see statement {flagged[0].number.rstrip('.')}."
        else:
            self.form.status.value = self.form.status.value.replace("Not saved", verdict, 1)

    def submit(self) -> bool:
        """Save and make the answers final; True when submitted. Never raises."""
        self._hide_confirm()
        self._submitting = True
        try:
            ok = self.form.save()
        finally:
            self._submitting = False
        if not ok:
            self._explain("Not submitted yet")
            return False
        self.lock(self.form.status.value)
        return True

    def lock(self, note: str) -> None:
        """Make the sheet read-only, showing ``note``."""
        for f in self.fields.values():
            f.widget.disabled = True
        self.buttons.layout.display = "none"
        self._hide_confirm()
        self.form.status.value = ""
        self.note.value = note

    @property
    def locked(self) -> bool:
        """True once read-only."""
        return bool(self.buttons.layout.display == "none")
