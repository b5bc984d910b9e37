"""Work a served page leaves until the browser has its widgets.

Once Voilà's scripts have run, a page's widget manager asks the kernel for the state of every
widget in one request (``request_states`` on the ``jupyter.widget.control`` comm) and draws the
page from the answer. What the visitor does not need first (the dashboard's charts: below the
fold, and 60% of the kernel's work on the dashboard) is best made after the browser has drawn that
answer: made before, it makes the answer longer (the browser makes every model in it before the
page is usable) and, where the browser shares the machine's cores with the kernel and the server
(a coach trying a client's link on the practice's own machine; the benchmarks), it slows the
browser's own start too. Measured on the dashboard's returning visit (medians of 7, the same run):
from the kernel's websocket opening to a usable check-in form 0.26 s with the charts in the
answer, 0.32 s with them made just after it, 0.23 s with them made half a second after it (the
one-button Voilà page: 0.20 s).

:func:`when_shown` runs work :data:`AFTER_ANSWER` seconds after the kernel has answered that
request (on the kernel's own thread), or ``wait`` seconds after it was asked for when no such
request comes (a page fetched without its scripts). Outside a kernel, or once the answer has
gone, the work runs at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from coachkit.pages import web

log = logging.getLogger("coachkit.pages.shown")

SHOWN_WAIT = 5.0
"""Seconds after which work left for after the widgets were sent runs anyway."""
AFTER_ANSWER = 0.5
"""Seconds from the answer going out to the work: the browser first makes and draws the
widgets of the answer (0.2-0.3 s on the benchmark's machine), and where it shares the cores with
the kernel, work done meanwhile slows that down."""
CONTROL_TARGET = "jupyter.widget.control"
"""The comm over which a widget manager asks for every widget's state."""

_pending: list[_Once] = []
_sent: list[bool] = []
"""Not empty once this kernel has answered a widget manager's request for every state."""
_watching: list[bool] = []


class _Once:
    """Work that runs the first time it is called, never again (the answer and the timer both
    call it)."""

    def __init__(self, work: Callable[[], None]) -> None:
        self.work: Callable[[], None] | None = work

    def __call__(self) -> None:
        work, self.work = self.work, None
        if work is None:
            return
        try:
            work()
        except Exception as exc:  # the work says in its place what failed; this is the last guard
            log.error("work after the widgets were sent failed: %s", exc.__class__.__name__)


def when_shown(work: Callable[[], None], wait: float = SHOWN_WAIT) -> None:
    """Run ``work`` once the browser has been sent the page's widgets, or after ``wait`` seconds
    (see the module docstring); at once outside a kernel or once they have been sent."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    if loop is None or not web.in_kernel() or _sent or not _watch():
        work()
        return
    once = _Once(work)
    _pending.append(once)
    loop.call_later(wait, once)


def states_sent() -> bool:
    """Whether this kernel has answered a widget manager's request for every widget's state."""
    return bool(_sent)


def _after_answer() -> None:
    if not _sent:
        _sent.append(True)
    while _pending:
        web.later(_pending.pop(0), AFTER_ANSWER)


def _watch() -> bool:
    """Put a watch on the widget control comm (once): ipywidgets answers as before, then the work
    left for after it runs. False when this ipywidgets offers no such comm here, or a widget
    manager has opened it already (the answer may have gone: the work is not held back)."""
    if _watching:
        return True
    try:
        from ipywidgets import Widget
        from ipywidgets import comm as widget_comm

        manager = widget_comm.get_comm_manager()
        answer = getattr(Widget, "_handle_control_comm_msg", None)
        opened = getattr(Widget, "handle_control_comm_opened", None)
    except Exception:  # an ipywidgets without the comm: nothing is held back
        return False
    if manager is None or answer is None or opened is None or getattr(Widget, "_control_comm", None) is not None:
        return False

    def on_open(comm: Any, msg: dict[str, Any]) -> None:
        opened(comm, msg)  # ipywidgets' own (checks the protocol's version)

        def on_msg(message: dict[str, Any]) -> None:
            answer(message)
            if message.get("content", {}).get("data", {}).get("method") == "request_states":
                _after_answer()

        comm.on_msg(on_msg)

    manager.register_target(CONTROL_TARGET, on_open)
    _watching.append(True)
    return True
