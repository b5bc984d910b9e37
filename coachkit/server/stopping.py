"""Stopping a server coachkit started (Voilà, JupyterLab) promptly: a Ctrl-C must end the
command within about two seconds, and a second Ctrl-C at once.

The server runs in a session of its own (``start_new_session=True``), so the terminal's Ctrl-C
reaches only coachkit, which then asks the server to stop (SIGTERM: both Voilà and Jupyter
Server stop their loop and shut their kernels down on it, with no traceback), gives it
:data:`STOP_GRACE` seconds, and then kills it with its kernels if it is still there.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess

import psutil

STOP_GRACE = 1.2
"""Seconds a server gets to stop in order after Ctrl-C before it is killed."""


def stop_process_group(process: subprocess.Popen[bytes] | subprocess.Popen[str], grace: float = STOP_GRACE) -> int:
    """Ask ``process`` (a session leader) to stop, kill its group after ``grace`` seconds or at
    a second Ctrl-C; returns its exit status."""
    if process.poll() is not None:
        return process.returncode
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        kill_group(process)
    except KeyboardInterrupt:  # the second Ctrl-C: no more waiting
        kill_group(process)
        raise
    return process.returncode


def kill_group(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    """Kill ``process``, every process of its group and every process it started (kernels run
    in sessions of their own) at once, and reap it."""
    try:
        descendants = psutil.Process(process.pid).children(recursive=True)
    except psutil.Error:
        descendants = []
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    for child in descendants:
        with contextlib.suppress(psutil.Error):
            child.kill()
    with contextlib.suppress(ProcessLookupError):
        process.kill()
    process.wait()
