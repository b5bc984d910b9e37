"""Ctrl-C: every command stops within about two seconds with one line and exit status 130, and a
second Ctrl-C stops it at once.

SIGTERM (``kill``) counts as a Ctrl-C. The first raises KeyboardInterrupt as usual, so that a
command can stop its server or kernels in order (see :mod:`coachkit.server.stopping`), and arms
a deadline: a command still running :data:`DEADLINE` seconds later is ended there. What coachkit
writes is written whole or not at all (database transactions, files written to a temporary name
and renamed), so ending early loses nothing already saved.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType

STOPPED = "coachkit: stopped."
"""The one line a command stopped by Ctrl-C prints."""

DEADLINE = 1.8
"""Seconds after the first Ctrl-C by which the command has ended."""


_armed: list[threading.Timer] = []
_at_once: list[Callable[[], None]] = []


def _stop_now() -> None:
    for stop in reversed(_at_once):
        with contextlib.suppress(Exception):
            stop()
    os.write(2, (STOPPED + "\n").encode())
    os._exit(130)


@contextlib.contextmanager
def stopping_at_once(stop: Callable[[], None]) -> Iterator[None]:
    """While the block runs, ``stop`` is called before the process ends at a second Ctrl-C or at
    the deadline (to kill a server the command started, which would otherwise outlive it)."""
    _at_once.append(stop)
    try:
        yield
    finally:
        _at_once.remove(stop)


def _second_interrupt(_signum: int, _frame: FrameType | None) -> None:
    _stop_now()


def _first_interrupt(_signum: int, _frame: FrameType | None) -> None:
    signal.signal(signal.SIGINT, _second_interrupt)
    deadline = threading.Timer(DEADLINE, _stop_now)
    deadline.daemon = True
    deadline.start()
    _armed.append(deadline)
    raise KeyboardInterrupt


@contextlib.contextmanager
def stop_promptly() -> Iterator[None]:
    """Handle Ctrl-C as the module docstring says while the block runs (main thread only;
    elsewhere signals are left alone). The deadline is disarmed when the block ends: a process
    that was interrupted ends with :func:`exit_interrupted`."""
    try:
        previous = signal.signal(signal.SIGINT, _first_interrupt)
        previous_term = signal.signal(signal.SIGTERM, _first_interrupt)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        signal.signal(signal.SIGTERM, previous_term)
        while _armed:
            _armed.pop().cancel()


def exit_interrupted() -> None:
    """End an interrupted process at once with status 130 (its line already printed): waiting
    for leftover threads, kernels' cleanup or a browser could outlast the promise."""
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(130)
