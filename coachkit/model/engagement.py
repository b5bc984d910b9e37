"""Phase 1 records: the client, sponsors, the engagement, the initial meeting, the agreement."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date, datetime
from typing import ClassVar

from coachkit.errors import Conflict, ValidationError
from coachkit.model.base import (
    NAME_TEXT,
    SHORT_TEXT,
    Record,
    check_bool,
    check_choice,
    check_date,
    check_datetime,
    check_email,
    check_int,
    check_order,
    check_text,
)

ENGAGEMENT_STATUSES = ("contracting", "active", "closing", "closed", "ended-early")
PHASES: dict[int, str] = {
    1: "Establishing the relationship",
    2: "Assessment and feedback",
    3: "Goal setting and action planning",
    4: "Coaching sessions",
    5: "Continuous feedback and review",
    6: "Closure and evaluation",
    7: "Follow-up and sustainment",
}


@dataclasses.dataclass(kw_only=True)
class Client(Record):
    """The person being coached. Its ``id`` is the client id (a slug made by the store)."""

    KIND: ClassVar[str] = "client"
    name: str
    email: str = ""
    role: str = ""
    organisation: str = ""

    def validate(self) -> None:
        super().validate()
        check_text("name", self.name, max_len=NAME_TEXT, required=True)
        check_email("email", self.email)
        check_text("role", self.role, max_len=SHORT_TEXT)
        check_text("organisation", self.organisation, max_len=SHORT_TEXT)


SPONSOR_RELATIONSHIPS = ("manager", "hr", "other")


@dataclasses.dataclass(kw_only=True)
class Sponsor(Record):
    """Someone in the client's organisation who commissions the coaching (manager or HR)."""

    KIND: ClassVar[str] = "sponsor"
    name: str
    email: str = ""
    role: str = ""
    relationship: str = "manager"

    def validate(self) -> None:
        super().validate()
        check_text("name", self.name, max_len=NAME_TEXT, required=True)
        check_email("email", self.email)
        check_text("role", self.role, max_len=SHORT_TEXT)
        check_choice("relationship", self.relationship, SPONSOR_RELATIONSHIPS)


ENGAGEMENT_ID = "engagement"


@dataclasses.dataclass(kw_only=True)
class Engagement(Record):
    """The shape of the coaching: when, how often, how many sessions, where it stands."""

    KIND: ClassVar[str] = "engagement"
    id: str = ENGAGEMENT_ID
    start: date
    planned_end: date
    cadence_weeks: int = 2
    planned_sessions: int = 12
    session_minutes: int = 60
    status: str = "contracting"
    phase: int = 1
    ended_on: date | None = None

    def validate(self) -> None:
        super().validate()
        check_date("start", self.start)
        check_date("planned_end", self.planned_end)
        check_order("start", self.start, "planned_end", self.planned_end)
        check_int("cadence_weeks", self.cadence_weeks, 1, 12)
        check_int("planned_sessions", self.planned_sessions, 1, 200)
        check_int("session_minutes", self.session_minutes, 15, 480)
        check_choice("status", self.status, ENGAGEMENT_STATUSES)
        check_int("phase", self.phase, 1, 7)
        check_date("ended_on", self.ended_on, required=False)
        check_order("start", self.start, "ended_on", self.ended_on)


PHASE_OVERRIDE_ID = "phase"


@dataclasses.dataclass(kw_only=True)
class PhaseOverride(Record):
    """The coach's choice of phase, over the one derived from the work (see
    :func:`coachkit.model.phase.current_phase`); ``phase`` None follows the work again. Each
    change is a revision, so the history of overrides stays."""

    KIND: ClassVar[str] = "phase_override"
    id: str = PHASE_OVERRIDE_ID
    phase: int | None = None
    reason: str = ""

    def validate(self) -> None:
        super().validate()
        if self.phase is not None:
            check_int("phase", self.phase, 1, 7)
        check_text("reason", self.reason, max_len=SHORT_TEXT)


INITIAL_MEETING_ID = "initial-meeting"


@dataclasses.dataclass(kw_only=True)
class InitialMeeting(Record):
    """The first meeting: what the client wants, what both expect, confidentiality discussed."""

    KIND: ClassVar[str] = "initial_meeting"
    id: str = INITIAL_MEETING_ID
    held_on: date | None = None
    objectives: str = ""
    expectations: str = ""
    confidentiality_discussed: bool = False
    notes: str = ""

    def validate(self) -> None:
        super().validate()
        check_date("held_on", self.held_on, required=False)
        check_text("objectives", self.objectives)
        check_text("expectations", self.expectations)
        check_bool("confidentiality_discussed", self.confidentiality_discussed)
        check_text("notes", self.notes)


AGREEMENT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("objectives", "Objectives"),
    ("expectations", "Expectations"),
    ("roles", "Roles and responsibilities"),
    ("timeline", "Timeline and sessions"),
    ("scope", "Scope"),
    ("confidentiality", "Confidentiality"),
    ("confidentiality_limits", "Limits of confidentiality"),
    ("sponsor_sees", "What the sponsor sees"),
    ("terms", "Fees, cancellation and ending the engagement"),
)


@dataclasses.dataclass(kw_only=True)
class Agreement(Record):
    """One version of the coaching agreement. Once accepted it never changes; a change is a
    new version (``id`` is the version number as text)."""

    KIND: ClassVar[str] = "agreement"
    version: int = 1
    objectives: str = ""
    expectations: str = ""
    roles: str = ""
    timeline: str = ""
    scope: str = ""
    confidentiality: str = ""
    confidentiality_limits: str = ""
    sponsor_sees: str = ""
    terms: str = ""
    manager_shown_separately: bool = False
    accepted_by: str = ""
    accepted_at: datetime | None = None
    accepted_sha256: str = ""

    def validate(self) -> None:
        super().validate()
        check_int("version", self.version, 1, 10_000)
        if self.id != str(self.version):
            raise ValidationError("version", "must match the record id.")
        for name, _ in AGREEMENT_SECTIONS:
            check_text(name, getattr(self, name))
        check_bool("manager_shown_separately", self.manager_shown_separately)
        check_text("accepted_by", self.accepted_by, max_len=NAME_TEXT)
        check_datetime("accepted_at", self.accepted_at, required=False)
        check_text("accepted_sha256", self.accepted_sha256, max_len=64)
        if self.accepted_at is not None:
            check_text("accepted_by", self.accepted_by, max_len=NAME_TEXT, required=True)
            if self.accepted_sha256 != agreement_sha256(self):
                raise ValidationError("accepted_sha256", "does not match the agreement's text.")

    @property
    def accepted(self) -> bool:
        """True once someone accepted this version."""
        return self.accepted_at is not None


def agreement_text(agreement: Agreement) -> str:
    """The exact text that is accepted: every section with its heading, in a fixed order."""
    parts = [f"Coaching agreement, version {agreement.version}"]
    for name, heading in AGREEMENT_SECTIONS:
        parts.append(f"{heading}\n{getattr(agreement, name).strip()}")
    shown = "is" if agreement.manager_shown_separately else "is not"
    parts.append(f"360 feedback\nThe manager's answers {shown} shown as a separate line.")
    return "\n\n".join(parts) + "\n"


def agreement_sha256(agreement: Agreement) -> str:
    """SHA-256 (hex) of :func:`agreement_text`: it makes any later change to accepted text visible."""
    return hashlib.sha256(agreement_text(agreement).encode("utf-8")).hexdigest()


def accept_agreement(agreement: Agreement, accepted_by: str, at: datetime) -> Agreement:
    """A copy of ``agreement`` accepted by ``accepted_by`` at ``at``, with the hash of its text."""
    check_text("accepted_by", accepted_by, max_len=NAME_TEXT, required=True)
    if agreement.accepted:
        raise Conflict(f"Agreement version {agreement.version} is already accepted.")
    accepted = dataclasses.replace(agreement, accepted_by=accepted_by, accepted_at=at)
    accepted.accepted_sha256 = agreement_sha256(accepted)
    return accepted


def check_agreement_change(old: Agreement | None, new: Agreement) -> None:
    """Refuse any change to a version that was already accepted."""
    if old is not None and old.accepted and old.to_data() != new.to_data():
        raise Conflict(
            f"Agreement version {old.version} was accepted on {old.accepted_at:%Y-%m-%d} and "
            "cannot change; start a new version instead."
        )


def next_agreement(previous: Agreement | None) -> Agreement:
    """A new, unaccepted version that starts from the text of ``previous``."""
    if previous is None:
        return Agreement(id="1", version=1)
    version = previous.version + 1
    return dataclasses.replace(
        previous, id=str(version), version=version, accepted_by="", accepted_at=None, accepted_sha256=""
    )
