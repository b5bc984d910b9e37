"""E-mail through the coach's own mail server, named by one URL.

``COACHKIT_SMTP_URL`` (or ``smtp_url`` in ``practice.toml``) is one of::

    smtp://host:25                         plain (a server on the same machine or network)
    smtp+starttls://user:password@host:587 STARTTLS before logging in (also smtp://...?starttls=1)
    smtps://user:password@host:465         TLS from the first byte

with an optional ``?from=coach@example.org`` (else the coach's address from the settings).
User and password are URL-encoded. Nothing is ever sent without such a URL. Errors reaching the
server or logging in become one :class:`MailError` with a plain sentence (never the password).
"""

from __future__ import annotations

import dataclasses
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from coachkit.errors import CoachkitError, ValidationError

SCHEMES = ("smtp", "smtps", "smtp+starttls")
TIMEOUT = 30.0


class MailError(CoachkitError):
    """The mail server could not be reached, refused the login, or refused a message."""


@dataclasses.dataclass(frozen=True)
class SmtpServer:
    """Where and how to send: parsed from the SMTP URL."""

    host: str
    port: int
    tls: str  # "none", "starttls" or "ssl"
    user: str = ""
    password: str = dataclasses.field(default="", repr=False)
    sender: str = ""

    @property
    def shown(self) -> str:
        """The server as a person may read it (no password)."""
        who = f"{self.user}@" if self.user else ""
        return f"{who}{self.host}:{self.port}"


def parse_smtp_url(url: str, *, default_sender: str = "") -> SmtpServer:
    """The server named by ``url``; a ValidationError naming ``COACHKIT_SMTP_URL`` otherwise."""
    field = "COACHKIT_SMTP_URL"
    parts = urlsplit(url.strip())
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise ValidationError(
            field,
            "must look like smtp://host:25, smtp+starttls://user:password@host:587 or smtps://user:password@host:465.",
        )
    query = parse_qs(parts.query)
    tls = {"smtp": "none", "smtps": "ssl", "smtp+starttls": "starttls"}[parts.scheme]
    if query.get("starttls", ["0"])[0] in ("1", "true", "yes"):
        tls = "starttls" if tls == "none" else tls
    try:
        port = parts.port or {"none": 25, "starttls": 587, "ssl": 465}[tls]
    except ValueError as exc:
        raise ValidationError(field, "has a port that is not a number.") from exc
    sender = query.get("from", [default_sender])[0]
    if not sender:
        raise ValidationError(field, "names no sender: add ?from=you@example.org or set coach_email in practice.toml.")
    return SmtpServer(
        host=parts.hostname,
        port=port,
        tls=tls,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        sender=sender,
    )


@dataclasses.dataclass(frozen=True)
class Draft:
    """A message ready to go: one recipient, plain text and HTML, and the purpose it serves."""

    key: str
    """The purpose key (see :func:`coachkit.model.outreach.message_key`): sent once."""
    kind: str
    to_name: str
    to: str
    subject: str
    text: str
    html: str
    attachments: tuple[tuple[str, bytes, str], ...] = ()
    """(file name, content, MIME type) of each attachment."""


def build_message(draft: Draft, *, sender: str, sender_name: str) -> EmailMessage:
    """The e-mail for ``draft`` in the coach's name, with a fresh Message-ID."""
    msg = EmailMessage()
    msg["From"] = formataddr((sender_name, sender))
    msg["To"] = formataddr((draft.to_name, draft.to))
    msg["Subject"] = draft.subject
    domain = sender.rpartition("@")[2] or "coachkit.invalid"
    msg["Message-ID"] = make_msgid(domain=domain)
    msg.set_content(draft.text)
    msg.add_alternative(draft.html, subtype="html")
    for name, content, mime in draft.attachments:
        maintype, _, subtype = mime.partition("/")
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return msg


class Connection:
    """An open, logged-in connection to the coach's mail server (use ``with``)."""

    def __init__(self, server: SmtpServer) -> None:
        self.server = server
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Connection:
        s = self.server
        try:
            if s.tls == "ssl":
                self._smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT, context=ssl.create_default_context())
            else:
                self._smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT)
                if s.tls == "starttls":
                    self._smtp.starttls(context=ssl.create_default_context())
            if s.user:
                self._smtp.login(s.user, s.password)
        except smtplib.SMTPAuthenticationError as exc:
            self._close()
            raise MailError(f"The mail server {s.shown} refused the user name or password; nothing was sent.") from exc
        except (TimeoutError, OSError, smtplib.SMTPException) as exc:
            self._close()
            reason = exc.__class__.__name__
            raise MailError(f"Could not reach the mail server {s.shown} ({reason}); nothing was sent.") from exc
        return self

    def send(self, message: EmailMessage) -> None:
        """Hand one message to the server; a MailError if it is refused."""
        assert self._smtp is not None, "use the connection inside `with`"
        try:
            refused = self._smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(
                f"The mail server {self.server.shown} refused a message ({exc.__class__.__name__})."
            ) from exc
        if refused:
            raise MailError(f"The mail server {self.server.shown} refused a recipient.")

    def _close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None

    def __exit__(self, *exc: object) -> None:
        self._close()
