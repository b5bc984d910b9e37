"""Sending messages once: what would go, what went, and the record of each.

A :class:`Pending` message knows its recipient, subject and purpose key before anything is
issued; its body (which may hold a fresh private link) is composed only when it is really sent,
after the mail server accepted the login. Each message that the server took is recorded as a
:class:`~coachkit.model.outreach.SentMessage` under its key, so running the same command again
sends nothing new. A failure to connect or log in sends and records nothing.
"""

from __future__ import annotations

import dataclasses
import fcntl
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from coachkit.errors import ValidationError
from coachkit.home.mail import Connection, Draft, MailError, build_message, parse_smtp_url
from coachkit.home.settings import SMTP_ENV, HomeSettings
from coachkit.model.outreach import SentMessage
from coachkit.store import Store

Compose = Callable[[bool], Draft]
"""Builds the message; ``True`` asks for a preview that issues nothing (no link is created)."""


@dataclasses.dataclass(frozen=True)
class Pending:
    """A message that may go: to whom, about what, and how to compose it."""

    client_id: str
    key: str
    kind: str
    to_name: str
    to: str
    subject: str
    compose: Compose


@dataclasses.dataclass
class Delivery:
    """What a send did: the messages that went (or would go) and those sent before."""

    sent: list[Pending] = dataclasses.field(default_factory=list)
    already: list[Pending] = dataclasses.field(default_factory=list)
    previews: list[Draft] = dataclasses.field(default_factory=list)
    dry_run: bool = False

    def lines(self) -> list[str]:
        """One plain line per message."""
        verb = "would send" if self.dry_run else "sent"
        out = [f"{verb:<11} {p.kind:<16} to {p.to_name} <{p.to}>: {p.subject}" for p in self.sent]
        out += [f"{'already':<11} {p.kind:<16} to {p.to_name} <{p.to}> (sent before; not again)" for p in self.already]
        return out


LOCK_FILE = "sending.lock"


@contextmanager
def sending_lock(data_dir: Path) -> Iterator[None]:
    """Only one sender at a time per practice folder (a cron ``remind`` that overlaps ``serve
    --remind`` or a ``raters invite`` waits for it, then finds what it sent already recorded)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / LOCK_FILE).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def was_sent(store: Store, client_id: str, key: str) -> bool:
    """Whether the message with purpose ``key`` already went."""
    return store.find(client_id, SentMessage, key) is not None


def deliver(
    store: Store, pending: Sequence[Pending], *, settings: HomeSettings, now: datetime, dry_run: bool = False
) -> Delivery:
    """Send every pending message not sent before (or, with ``dry_run``, say what would go and
    issue nothing). Messages go in order; if the server fails half way, those already taken
    stay recorded and the error names what happened."""
    delivery = Delivery(dry_run=dry_run)
    seen: set[tuple[str, str]] = set()
    todo: list[Pending] = []
    for p in pending:
        if (p.client_id, p.key) in seen:
            continue
        seen.add((p.client_id, p.key))
        (delivery.already if was_sent(store, p.client_id, p.key) else todo).append(p)
    if dry_run:
        delivery.sent = todo
        delivery.previews = [p.compose(True) for p in todo]
        return delivery
    if not todo:
        return delivery
    if not settings.smtp_url:
        raise ValidationError(
            SMTP_ENV, "no mail server is set: set COACHKIT_SMTP_URL or smtp_url in practice.toml; nothing was sent."
        )
    server = parse_smtp_url(settings.smtp_url, default_sender=settings.coach_email)
    with Connection(server) as conn:
        for p in todo:
            draft = p.compose(False)
            message = build_message(draft, sender=server.sender, sender_name=settings.signature)
            try:
                conn.send(message)
            except MailError as exc:
                done = len(delivery.sent)
                raise MailError(f"{exc} {done} message{'s' if done != 1 else ''} went before it.") from exc
            record = SentMessage(
                id=p.key, to=p.to, kind=p.kind, subject=p.subject, sent_at=now, message_id=str(message["Message-ID"])
            )
            store.save(p.client_id, record)
            delivery.sent.append(p)
    return delivery
