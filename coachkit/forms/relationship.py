"""Phase 1 forms: the initial meeting, the engagement's shape, sponsors and the coaching agreement.

Builders take the client's :class:`~coachkit.model.CaseFile` (what is saved so far, used to
pre-fill), a ``save`` callable that stores one record or edit and returns its revision, and
today's date. Every save is based on the revision the form read; the agreement accepted is
exactly the text the preview showed (with its SHA-256), never what the fields hold later.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import ipywidgets as W

from coachkit.errors import Conflict, ValidationError
from coachkit.forms.base import Field, Form
from coachkit.forms.basis import Basis
from coachkit.forms.editor import RecordEditor, SaveRecord, short
from coachkit.model import (
    AGREEMENT_SECTIONS,
    ENGAGEMENT_STATUSES,
    PHASES,
    Agreement,
    CaseFile,
    Engagement,
    InitialMeeting,
    Sponsor,
    accept_agreement,
    agreement_sha256,
    agreement_text,
    next_agreement,
)
from coachkit.model.engagement import SPONSOR_RELATIONSHIPS, PhaseOverride
from coachkit.model.phase import derived_phase, phase_override

ENGAGEMENT_FIELDS = ("start", "planned_end", "cadence_weeks", "planned_sessions", "session_minutes", "status")


def phase_choices(file: CaseFile) -> list[tuple[str, int]]:
    """The phase dropdown: follow the work (the derived phase, named), or one phase by hand."""
    derived = derived_phase(file)
    return [(f"Follow the work (now {derived}. {PHASES[derived]})", 0)] + [
        (f"{n}. {name} (set by hand)", n) for n, name in PHASES.items()
    ]


def engagement_form(file: CaseFile, save: SaveRecord, today: date) -> Form:
    """Start, planned end, cadence, sessions planned and their length, status, and the phase:
    it follows the work unless the coach sets it by hand (a recorded override)."""
    e = file.engagement or Engagement(start=today, planned_end=today + timedelta(days=182))
    override = phase_override(file) or PhaseOverride()
    basis = Basis.of(file, [e, override])
    fields = [
        Field("start", "Start", "date", value=e.start),
        Field("planned_end", "Planned end", "date", value=e.planned_end),
        Field("cadence_weeks", "Every … weeks", "int", lo=1, hi=12, value=e.cadence_weeks),
        Field("planned_sessions", "Sessions planned", "int", lo=1, hi=200, value=e.planned_sessions),
        Field("session_minutes", "Minutes a session", "int", lo=15, hi=480, value=e.session_minutes),
        Field("status", "Status", "choice", options=ENGAGEMENT_STATUSES, value=e.status),
        Field("phase", "Phase", "choice", options=phase_choices(file), value=override.phase or 0),
    ]

    def on_save(values: dict[str, Any]) -> str:
        for name in ("start", "planned_end"):
            if values[name] is None:
                raise ValidationError(name, "is required: please pick a date.")
        engagement = basis.save_values(save, e, {k: values[k] for k in ENGAGEMENT_FIELDS}, owns=ENGAGEMENT_FIELDS)
        chosen = basis.origin(PhaseOverride, override.id) or override
        wanted = int(values["phase"]) or None
        if wanted != chosen.phase:
            reason = "set by hand in the engagement form" if wanted else "follows the work again"
            basis.save_values(save, chosen, {"phase": wanted, "reason": reason})
        return f"Engagement saved ✓ ({engagement.start.isoformat()} to {engagement.planned_end.isoformat()})"

    return Form("The engagement", fields, on_save, save_label="Save engagement", basis=basis)


def initial_meeting_form(file: CaseFile, save: SaveRecord, today: date) -> Form:
    """What the client wants, what both expect, and that confidentiality was talked through."""
    m = file.initial_meeting or InitialMeeting(held_on=today)
    basis = Basis.of(file, [m])
    fields = [
        Field("held_on", "Held on", "date", value=m.held_on),
        Field(
            "objectives", "Objectives", "textarea", value=m.objectives, placeholder="What do you want from coaching?"
        ),
        Field(
            "expectations",
            "Expectations",
            "textarea",
            value=m.expectations,
            placeholder="What do you expect of your coach, and of yourself?",
        ),
        Field(
            "confidentiality_discussed",
            "Confidentiality discussed",
            "bool",
            value=m.confidentiality_discussed,
            help_text="Tick once you have talked through what stays private and its limits.",
        ),
        Field("notes", "Notes", "textarea", value=m.notes),
    ]

    def on_save(values: dict[str, Any]) -> str:
        basis.save_values(save, m, values)
        return "Initial meeting saved ✓"

    return Form("The initial meeting", fields, on_save, save_label="Save meeting", basis=basis)


def sponsor_editor(file: CaseFile, save: SaveRecord, today: date) -> RecordEditor[Sponsor]:
    """Add or edit the people who commission the coaching (manager, HR)."""
    fields = [
        Field("name", "Name", "text"),
        Field("email", "Email", "text", placeholder="name@example.org"),
        Field("role", "Role", "text"),
        Field("relationship", "Relationship", "choice", options=SPONSOR_RELATIONSHIPS),
    ]

    def fill(s: Sponsor | None) -> dict[str, Any]:
        s = s or Sponsor(name="")
        return {"name": s.name, "email": s.email, "role": s.role, "relationship": s.relationship}

    def build(s: Sponsor | None, sponsor_id: str, values: dict[str, Any]) -> Sponsor:
        base = s or Sponsor(id=sponsor_id, name="")
        return dataclasses.replace(base, **values)

    return RecordEditor(
        "Sponsors",
        "sponsor",
        file.sponsors,
        lambda s: f"{s.name} ({s.relationship})",
        fields,
        fill,
        build,
        save,
        save_label="Save sponsor",
        revisions=file.revisions,
        intro="The sponsor sees progress only on goals the client releases, never what is said in sessions.",
    )


def agreement_preview_html(agreement: Agreement) -> str:
    """The agreement's exact text and its SHA-256, escaped, for an HTML widget."""
    return (
        f'<pre class="coachkit-agreement">{html.escape(agreement_text(agreement))}</pre>'
        f'<p class="coachkit-agreement-sha">SHA-256 of this text: <code>{agreement_sha256(agreement)}</code></p>'
    )


def changed_since_preview(previewed: Agreement, now: Agreement) -> list[str]:
    """The headings of the sections that differ between the previewed text and ``now``."""
    names = [*AGREEMENT_SECTIONS, ("manager_shown_separately", "Manager's 360 answers shown separately")]
    return [heading for name, heading in names if getattr(previewed, name) != getattr(now, name)]


class AgreementEditor:
    """Edit a draft of the agreement, preview its exact text, and accept it.

    An accepted version is read-only; "Start a new version" makes the next version (a copy
    of the text) to edit and accept in its turn. "Preview" shows the exact text of the fields
    with its SHA-256; Accept records exactly that previewed text (who, when, the SHA-256) and is
    refused, naming the sections, when a field changed after the preview.
    """

    def __init__(
        self,
        file: CaseFile,
        save: SaveRecord,
        now: Callable[[], datetime] | None = None,
        starter: Agreement | None = None,
    ) -> None:
        self.save_record = save
        self.now = now or (lambda: datetime.now(UTC))
        # a first agreement starts from the practice's starter text when one is given
        self.current: Agreement = file.agreement or starter or next_agreement(None)
        self.basis = Basis.of(file, [self.current])
        self.previewed: Agreement = self.current
        fields = [
            Field(name, heading, "textarea", value=getattr(self.current, name)) for name, heading in AGREEMENT_SECTIONS
        ]
        fields.append(
            Field(
                "manager_shown_separately",
                "Manager's 360 answers shown separately",
                "bool",
                value=self.current.manager_shown_separately,
            )
        )
        self.form = Form("The coaching agreement", fields, self._save_draft, save_label="Save draft", basis=self.basis)
        self.state = W.Label()
        self.state.add_class("coachkit-agreement-state")
        self.preview = W.HTML()
        self.accept_form = Form(
            "Accept this version",
            [Field("accepted_by", "Accepted by", "text", value=file.client.name)],
            self._accept,
            save_label="Accept",
            intro="Read the text above together. Accepting records who accepted, when, and a fingerprint "
            "of exactly this text.",
            basis=self.basis,
        )
        self.preview_button = W.Button(description="Preview", icon="eye", layout=W.Layout(width="200px", height="40px"))
        self.preview_button.on_click(lambda _b: self.show_preview())
        self.new_version = W.Button(description="Start a new version", icon="copy", layout=W.Layout(width="240px"))
        self.new_version.on_click(lambda _b: self.start_new_version())
        preview_title = W.Label(value="Preview: the text that is accepted")
        preview_title.add_class("coachkit-form-title")
        self.widget = W.VBox(
            [
                self.state,
                self.form.widget,
                W.HBox([preview_title, self.preview_button]),
                self.preview,
                self.accept_form.widget,
            ]
        )
        self._show()

    def _sections(self) -> dict[str, Any]:
        return self.form.values()

    def _show(self) -> None:
        a = self.current
        for name, value in a.to_data().items():
            if name in self.form.fields:
                self.form[name].set(value)
        for f in self.form.fields.values():
            f.widget.disabled = a.accepted
        self.form.button.disabled = a.accepted
        self.accept_form.button.disabled = a.accepted
        self.accept_form["accepted_by"].widget.disabled = a.accepted
        if a.accepted:
            assert a.accepted_at is not None
            self.state.value = (
                f"Version {a.version} was accepted by {a.accepted_by} on {a.accepted_at:%Y-%m-%d %H:%M} UTC "
                f"(fingerprint {a.accepted_sha256[:12]}…). It is read-only; start a new version to change it."
            )
            self.widget.children = (*self.widget.children[:5], self.new_version)
        else:
            self.state.value = f"Version {a.version}: a draft, not accepted yet."
            self.widget.children = self.widget.children[:5]
        self._set_preview(a)

    def _set_preview(self, agreement: Agreement) -> None:
        self.previewed = agreement
        self.preview.value = agreement_preview_html(agreement)

    def show_preview(self) -> Agreement:
        """Show the exact text the fields hold now (and its SHA-256): what Accept records."""
        self.accept_form.clear_messages()
        if self.current.accepted:
            self._set_preview(self.current)
        else:
            self._set_preview(dataclasses.replace(self.current, **self._sections()))
        return self.previewed

    def _save_draft(self, values: dict[str, Any]) -> str:
        if self.current.accepted:
            raise Conflict(f"Version {self.current.version} is accepted and cannot change; start a new version.")
        draft = dataclasses.replace(self.current, **values)
        edit = self.basis.edit(draft)
        self.basis.saved(edit, self.save_record(edit))
        self.current = draft
        self._show()
        return f"Draft of version {draft.version} saved ✓ (not accepted yet)"

    def _accept(self, values: dict[str, Any]) -> str:
        if self.current.accepted:
            return f"Version {self.current.version} is already accepted ✓"
        previewed = self.previewed
        changed = changed_since_preview(previewed, dataclasses.replace(self.current, **self._sections()))
        if changed:
            raise Conflict(
                f"{' and '.join(changed)} changed since the preview: press Preview, read the text again, then accept."
            )
        if not previewed.objectives.strip():
            raise ValidationError("objectives", "is required before the agreement can be accepted.")
        accepted = accept_agreement(previewed, str(values["accepted_by"]).strip(), self.now())
        assert agreement_text(accepted) == agreement_text(previewed)
        assert accepted.accepted_sha256 == agreement_sha256(previewed)
        edit = self.basis.edit(accepted)
        self.basis.saved(edit, self.save_record(edit))
        self.current = accepted
        self._show()
        return f"Version {accepted.version} accepted by {short(accepted.accepted_by, 40)} ✓"

    def start_new_version(self) -> None:
        """Make the next version (not saved until Save draft or Accept) to edit."""
        if not self.current.accepted:
            return
        self.current = next_agreement(self.current)
        self.form.clear_messages()
        self.accept_form.clear_messages()
        self._show()
