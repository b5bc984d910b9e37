"""Records of the coach's home: messages sent (so none goes twice) and reminder preferences.

A :class:`SentMessage` is kept for every e-mail coachkit delivered: to whom, what it was about,
when, and the Message-ID the mail server saw. Its ``id`` is the message's *purpose key* (see
:func:`message_key`), so asking whether something was already sent is a lookup. Nothing of the
message's body is kept: the body may hold a private link.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import datetime
from typing import ClassVar

from coachkit.errors import ValidationError
from coachkit.model.base import SHORT_TEXT, Record, check_datetime, check_email, check_text, check_texts

REMINDER_KINDS: tuple[str, ...] = ("check-ins", "raters", "follow-ups", "sessions")
"""The reminders ``coachkit remind`` sends; each can be switched off per engagement."""
REMINDERS_ID = "reminders"


def message_key(*parts: str) -> str:
    """The id a sent message is filed under: a hash of its purpose (kind, recipient, subject of
    the message...), so the same purpose maps to the same id and is never sent twice."""
    joined = "\x1f".join(parts)
    return "m" + hashlib.sha256(joined.encode("utf-8")).hexdigest()[:31]


@dataclasses.dataclass(kw_only=True)
class SentMessage(Record):
    """One e-mail that reached the coach's mail server."""

    KIND: ClassVar[str] = "sent_message"
    to: str
    kind: str
    subject: str
    sent_at: datetime
    message_id: str

    def validate(self) -> None:
        super().validate()
        check_email("to", self.to)
        if not self.to:
            raise ValidationError("to", "is required: a message goes to someone.")
        check_text("kind", self.kind, max_len=100, required=True)
        check_text("subject", self.subject, max_len=SHORT_TEXT, required=True)
        check_datetime("sent_at", self.sent_at)
        check_text("message_id", self.message_id, max_len=SHORT_TEXT, required=True)


@dataclasses.dataclass(kw_only=True)
class ReminderPreferences(Record):
    """Which reminders an engagement gets, and who asked not to receive any."""

    KIND: ClassVar[str] = "reminder_preferences"
    id: str = REMINDERS_ID
    off: list[str] = dataclasses.field(default_factory=list)
    muted: list[str] = dataclasses.field(default_factory=list)

    def validate(self) -> None:
        super().validate()
        check_texts("off", self.off, max_items=len(REMINDER_KINDS), max_len=100)
        for kind in self.off:
            if kind not in REMINDER_KINDS:
                raise ValidationError("off", f"{kind!r} is not a reminder; choose from {', '.join(REMINDER_KINDS)}.")
        check_texts("muted", self.muted, max_items=200, max_len=320)
        for address in self.muted:
            check_email("muted", address)

    def allows(self, kind: str, address: str) -> bool:
        """Whether a reminder of ``kind`` may go to ``address``."""
        muted = {m.casefold() for m in self.muted}
        return kind not in self.off and address.casefold() not in muted
