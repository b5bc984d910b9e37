"""Reminders on a schedule while the server runs (``coachkit serve --remind``).

A background thread opens the practice on its own, sends what :func:`due_reminders` finds, and
sleeps; each reminder is still sent once, so a tick that finds nothing new sends nothing. A tick
that fails (the mail server is down, say) is logged as one line without any client's text and
tried again at the next tick.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from coachkit.errors import CoachkitError
from coachkit.home.mail import MailError
from coachkit.home.outbox import deliver, sending_lock
from coachkit.home.remind import due_reminders
from coachkit.home.settings import load_settings
from coachkit.practice import open_practice
from coachkit.store import utcnow

log = logging.getLogger(__name__)


def remind_once(home: Path) -> int:
    """Send the reminders due now in the practice at ``home``; returns how many went."""
    with open_practice(home) as practice:
        settings = load_settings(practice.home)
        if not settings.smtp_url:
            return 0
        with sending_lock(practice.data_dir):
            pending = due_reminders(practice.store, settings, now=utcnow())
            return len(deliver(practice.store, pending, settings=settings, now=utcnow()).sent)


class RemindLoop:
    """Runs :func:`remind_once` every ``interval`` seconds on a daemon thread until stopped."""

    def __init__(self, home: Path, interval: float) -> None:
        self.home = home
        self.interval = interval
        self.ticks = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="coachkit-remind", daemon=True)

    def start(self) -> None:
        """Begin ticking (the first tick runs at once)."""
        self._thread.start()

    def stop(self) -> None:
        """Stop after the current tick."""
        self._stop.set()
        self._thread.join(timeout=max(60.0, self.interval))

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                sent = remind_once(self.home)
                if sent:
                    log.info("sent %d reminder(s)", sent)
            except MailError as exc:  # its sentence names the server only
                log.warning("reminders not sent this time: %s", exc)
            except CoachkitError as exc:
                log.warning("reminders not sent this time: %s", exc.__class__.__name__)
            except Exception as exc:  # never let a bug end the server; say which kind of failure it was
                log.error("reminders failed (%s); trying again at the next tick", exc.__class__.__name__)
            self.ticks += 1
            self._stop.wait(self.interval)


@contextmanager
def reminding(home: Path, minutes: int | None) -> Iterator[RemindLoop | None]:
    """Run reminders every ``minutes`` for the duration of the block (nothing when None)."""
    if minutes is None:
        yield None
        return
    loop = RemindLoop(home, minutes * 60.0)
    loop.start()
    try:
        yield loop
    finally:
        loop.stop()
