"""`coachkit serve --remind`: reminders on a schedule, still sent once each."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from coachkit.cli import build_parser
from coachkit.home.remind_loop import RemindLoop
from coachkit.model import Engagement
from coachkit.model.outreach import SentMessage
from coachkit.practice import Practice
from tests.home.conftest import Inbox, smtp_url


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout:.0f} s for {what}")
        time.sleep(0.1)


def test_the_loop_sends_a_due_reminder_once_over_many_ticks(
    practice: Practice, smtp: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port = smtp
    inbox.clear()
    monkeypatch.setenv("COACHKIT_SMTP_URL", smtp_url(port))
    today = datetime.now(UTC).date()
    cid = practice.add_client("Noor Haddad", email="noor@client.example").id
    practice.store.save(
        cid, Engagement(start=today - timedelta(days=30), planned_end=today + timedelta(days=150), status="active")
    )
    loop = RemindLoop(practice.home, interval=0.2)
    loop.start()
    try:
        _wait_for(lambda: len(inbox.messages) >= 1, "the check-in nudge")
        ticks = loop.ticks
        _wait_for(lambda: loop.ticks >= ticks + 3, "three more ticks")
    finally:
        loop.stop()
    assert [m["To"].addresses[0].addr_spec for m in inbox.messages] == ["noor@client.example"]
    assert "Time for a check-in" in str(inbox.messages[0]["Subject"])
    assert len(practice.store.all(cid, SentMessage)) == 1


def test_serve_takes_remind_with_a_default_interval() -> None:
    parser = build_parser()
    assert parser.parse_args(["serve"]).remind is None
    assert parser.parse_args(["serve", "--remind"]).remind == 60
    assert parser.parse_args(["serve", "--remind", "15"]).remind == 15


def test_a_second_sender_waits_for_the_first_and_sends_nothing_twice(
    practice: Practice, smtp: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from coachkit.home.outbox import sending_lock
    from coachkit.home.remind_loop import remind_once

    inbox, port = smtp
    inbox.clear()
    monkeypatch.setenv("COACHKIT_SMTP_URL", smtp_url(port))
    today = datetime.now(UTC).date()
    cid = practice.add_client("Ivo Petrov", email="ivo@client.example").id
    practice.store.save(
        cid, Engagement(start=today - timedelta(days=30), planned_end=today + timedelta(days=150), status="active")
    )
    counts: list[int] = []
    with sending_lock(practice.data_dir):
        other = threading.Thread(target=lambda: counts.append(remind_once(practice.home)))
        other.start()
        other.join(2.0)
        assert other.is_alive() and not inbox.messages, "it waits while another sender holds the lock"
    other.join(180)
    assert counts == [1] and len(inbox.messages) == 1
    assert remind_once(practice.home) == 0
