"""Helpers of the store tier: writer processes that run ``_writers.py`` against a database."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import coachkit

WRITERS = Path(__file__).with_name("_writers.py")
SpawnWriter = Callable[..., "subprocess.Popen[str]"]


def child_env() -> dict[str, str]:
    """The environment for a child process: it imports the same coachkit as this one."""
    env = os.environ.copy()
    source = str(Path(coachkit.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (source, env.get("PYTHONPATH", "")) if p)
    return env


@pytest.fixture
def spawn_writer() -> Iterator[SpawnWriter]:
    """Start ``_writers.py MODE ARGS...`` in a new process (pipes for stdin, stdout and stderr);
    any still running at the end of the test is killed."""
    started: list[subprocess.Popen[str]] = []

    def spawn(*args: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, str(WRITERS), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env(),
        )
        started.append(proc)
        return proc

    yield spawn
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
