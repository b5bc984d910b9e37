"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives, with a login."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "coach", "s3cret-Pa55"


class Inbox:
    """What the server received, in order."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def clear(self) -> None:
        """Forget what was received."""
        with self.lock:
            self.messages.clear()


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    """A port on 127.0.0.1 that is free now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Inbox, int]]:
    """An SMTP server on 127.0.0.1 that checks USER/PASSWORD; stops with the module."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=_authenticate,
        auth_required=False,  # the login is still checked when offered (the coach always logs in)
        auth_require_tls=False,
        ready_timeout=60,
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def smtp_url(port: int, *, password: str = PASSWORD) -> str:
    """The COACHKIT_SMTP_URL of the test server."""
    return f"smtp://{USER}:{password}@127.0.0.1:{port}/?from=alex@coach.example"


def bodies(message: EmailMessage) -> str:
    """The plain-text and HTML parts of a message, joined."""
    parts = []
    for part in message.walk():
        if part.get_content_type() in ("text/plain", "text/html"):
            parts.append(part.get_content())
    return "\n".join(parts)
