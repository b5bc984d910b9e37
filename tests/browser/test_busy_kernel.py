"""A page whose kernel is slow to answer still draws, in Chromium on a real coachkit server.

On a busy machine a page's kernel can take more than the widget manager's own four seconds to
send the widgets' state; the manager then gave up on that answer and the page stayed at
"Loading widget..." for good. Here every kernel of the server is frozen (SIGSTOP) the moment the
browser asks for the widgets' state and thawed eight seconds later, as a machine under load
would; the page must still show its client's dashboard and save a reflection.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from coachkit import assessments as A
from coachkit.model import Reflection
from coachkit.practice import Practice
from coachkit.server import RunningServer

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.kernel]

JONAS = "jonas-becker"
MEI = "mei-tanaka"
FROZEN = 8.0  # seconds the kernels stay stopped: twice the widget manager's own wait


def _parents() -> dict[int, int]:
    """Every process's parent, from /proc."""
    out: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        out[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return out


def _kernels(server: RunningServer) -> list[int]:
    """The server's kernels: the children of its fork server (and any ordinary kernel)."""
    parents = _parents()
    below: set[int] = set()
    frontier = {server.process.pid}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - below
        below |= frontier
    kernels = []
    for pid in below:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"ipykernel" in cmdline or (parents.get(pid) in below and b"forkserver" in _cmdline(parents[pid])):
            kernels.append(pid)
    return kernels


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _signal_all(pids: list[int], signum: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


METHOD = re.compile(rb'"method": ?"([a-z_]+)"')


class StateTraffic:
    """What one page asked its kernel for its widgets' state, and what came back."""

    def __init__(self) -> None:
        self.froze = 0
        self.asked_one_by_one = 0  # the widget manager's fallback: one request per widget
        self.all_at_once = 0  # the kernel's one answer with every widget's state

    def seen_from_page(self, message: bytes) -> None:
        # Only before the one answer: a widget the page draws after it (the dashboard's charts)
        # is asked for on its own, as it should be.
        if not self.all_at_once:
            self.asked_one_by_one += METHOD.findall(message).count(b"request_state")

    def seen_from_kernel(self, message: bytes) -> None:
        self.all_at_once += METHOD.findall(message).count(b"update_states")


@pytest.fixture
def traffic(server: RunningServer) -> Iterator[Callable[..., StateTraffic]]:
    """``watch(page, freeze=False)``: follow the page's widget-state traffic; with ``freeze``,
    stop every kernel of the server the moment the page asks for its widgets' state and let them
    go on :data:`FROZEN` seconds later."""
    stopped: list[list[int]] = []

    def watch(page: Any, *, freeze: bool = False) -> StateTraffic:
        seen = StateTraffic()

        def on_socket(ws: Any) -> None:
            kernel = ws.connect_to_server()

            def from_page(message: str | bytes) -> None:
                raw = message if isinstance(message, bytes) else message.encode()
                seen.seen_from_page(raw)
                if freeze and not seen.froze and b"request_states" in raw:
                    pids = _kernels(server)
                    assert pids, "no kernel of the server found"
                    _signal_all(pids, signal.SIGSTOP)
                    stopped.append(pids)
                    seen.froze += 1
                    threading.Timer(FROZEN, _signal_all, (pids, signal.SIGCONT)).start()
                kernel.send(message)

            def from_kernel(message: str | bytes) -> None:
                seen.seen_from_kernel(message if isinstance(message, bytes) else message.encode())
                ws.send(message)

            ws.on_message(from_page)
            kernel.on_message(from_kernel)

        page.route_web_socket("**/api/kernels/**", on_socket)
        return seen

    yield watch
    for pids in stopped:  # never leave a kernel stopped, whatever happened
        _signal_all(pids, signal.SIGCONT)


def _rater_url(served: Practice, server: RunningServer, name: str) -> str:
    today = datetime.now(UTC).date()
    rater = A.nominate_rater(served.store, MEI, name=name, relationship="peer", today=today)
    A.set_rater_approval(served.store, MEI, rater.id, True, today=today)
    return next(
        i.url
        for i in A.issue_rater_links(served.store, MEI, server.base_url, now=datetime.now(UTC))
        if i.rater is not None and i.rater.id == rater.id
    )


def test_a_rater_page_gets_every_widget_state_in_one_answer(
    served: Practice, server: RunningServer, browser: Any, traffic: Callable[..., StateTraffic]
) -> None:
    """The page's kernel (a fork of the warm server) answers the one request for every state:
    the manager never falls back to asking widget by widget (hundreds of requests on this page,
    a path that could leave it at "Loading widget..." for good)."""
    context = browser.new_context(viewport={"width": 1200, "height": 2000})
    try:
        page = context.new_page()
        page.set_default_timeout(120_000)
        seen = traffic(page)
        page.goto(_rater_url(served, server, "Rater On An Ordinary Day"))
        page.get_by_text("360-degree feedback for Mei Tanaka").first.wait_for(state="visible")
        page.locator(".coachkit-form textarea").first.wait_for(state="visible")
        assert seen.all_at_once == 1
        assert seen.asked_one_by_one == 0
    finally:
        context.close()


def test_a_dashboard_whose_kernel_answers_late_still_draws_and_saves(
    served: Practice, link: Callable[..., str], browser: Any, traffic: Callable[..., StateTraffic]
) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 2000})
    try:
        page = context.new_page()
        page.set_default_timeout(120_000)
        seen = traffic(page, freeze=True)
        page.goto(link(JONAS))
        page.get_by_text("Jonas Becker").first.wait_for(state="visible")
        assert seen.froze == 1  # the kernels were stopped while the page waited for them
        assert (seen.all_at_once, seen.asked_one_by_one) == (1, 0)  # it waited for the one answer
        words = "Written on a page whose kernel was slow"
        box = page.locator(".coachkit-form", has_text="Write a reflection").locator("textarea")
        box.fill(words)
        box.blur()
        page.get_by_role("button", name="Save reflection").click()
        page.get_by_text("Reflection saved ✓").wait_for()
        assert words in [r.text for r in served.store.all(JONAS, Reflection)]
    finally:
        context.close()
