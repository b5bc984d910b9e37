"""Helpers for tests that serve the private pages: a practice with tricky data, and a real
server (``coachkit.server.start_server``) on a free port that stops at the end."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from coachkit import demo
from coachkit.model import (
    Action,
    AssessmentResult,
    CheckIn,
    Client,
    ClosureReflection,
    Engagement,
    Goal,
    GoalProgress,
    Milestone,
    Reflection,
    SelfAssessment,
    Session,
    Sponsor,
)
from coachkit.practice import Practice, init_practice
from coachkit.server import RunningServer, free_port, start_server

DEMO_TODAY = date(2026, 11, 21)  # the demo's date in tests/conftest.py
XSS = "<img src=x onerror=alert(1)> <script>alert('s')</script> \"dq\" 'sq'"
XSS_NAME = "Zoë " + XSS
PRIVATE_CANARIES = ("PRIVATE-NOTE-CANARY-7f3a", "CLIENT-EVAL-CANARY-91bc")
"""The coach's alone: no client or sponsor page may ever hold them."""
NOT_FOR_SPONSOR = (
    "REFLECTION-CANARY-2b1c",
    "BLOCKER-CANARY-5d2e",
    "NOTE-CANARY-8e4f",
    "SESSION-AGENDA-CANARY-3a9d",
    "UNRELEASED-GOAL-CANARY-6c0b",
    "EVIDENCE-CANARY-4f7a",
    "ASSESSMENT-CANARY-0e5d",
    "SELF-ASSESSMENT-CANARY-1d8c",
    "SPONSOR-PERSON-CANARY-9b3e",
)
"""What the client sees on their own dashboard but a sponsor never does."""
SYNTHETIC = 10


def add_tricky_client(practice: Practice, today: date) -> str:
    """A client with markup and quotes in every free text, and canaries everywhere private."""
    start = today - timedelta(days=60)
    client = practice.store.add_client(Client(id="new", name=XSS_NAME, organisation="Org " + XSS))
    practice.store.save_all(
        client.id,
        [
            Sponsor(id="sp1", name="SPONSOR-PERSON-CANARY-9b3e", relationship="manager"),
            Engagement(start=start, planned_end=start + timedelta(days=180), status="active", phase=4),
            Goal(
                id="g1",
                objective="Released goal " + XSS,
                measure="Measure " + XSS,
                baseline="1",
                target="5",
                why="WHY-" + NOT_FOR_SPONSOR[0],
                released_to_sponsor=True,
                released_on=start,
            ),
            Goal(id="g2", objective="UNRELEASED-GOAL-CANARY-6c0b " + XSS),
            Milestone(
                id="m1",
                goal_id="g1",
                title="Milestone " + XSS,
                target_date=today + timedelta(days=10),
                evidence="EVIDENCE-CANARY-4f7a",
            ),
            Action(id="a1", title="Action " + XSS, due=today - timedelta(days=2), goal_id="g1"),
            Reflection(id="r1", on=today - timedelta(days=3), text="REFLECTION-CANARY-2b1c " + XSS),
            CheckIn(
                id="c1",
                on=today - timedelta(days=5),
                progress=[GoalProgress("g1", 4), GoalProgress("g2", 2)],
                blockers="BLOCKER-CANARY-5d2e " + XSS,
                note="NOTE-CANARY-8e4f",
            ),
            Session(
                id="1",
                number=1,
                held_on=start + timedelta(days=7),
                agenda="SESSION-AGENDA-CANARY-3a9d",
                summary="SESSION-AGENDA-CANARY-3a9d summary",
                private_notes="PRIVATE-NOTE-CANARY-7f3a",
            ),
            Session(id="2", number=2, held_on=today + timedelta(days=3), status="planned", agenda="Next " + XSS),
            ClosureReflection(client_evaluation="CLIENT-EVAL-CANARY-91bc"),
            AssessmentResult(id="ar1", instrument="DiSC", summary="ASSESSMENT-CANARY-0e5d"),
            SelfAssessment(strengths=["SELF-ASSESSMENT-CANARY-1d8c"]),
        ],
    )
    return client.id


def build_served_practice(template: Path, home: Path, today: date) -> str:
    """Copy the demo practice to ``home``, add ten synthetic clients and the tricky client;
    returns the tricky client's id."""
    shutil.copytree(template, home)
    with init_practice(home) as practice:
        demo.build_demo(practice, today=today, synthetic=SYNTHETIC)
        return add_tricky_client(practice, today)


@contextlib.contextmanager
def running_server(home: Path, *, pool: int, log: Path) -> Iterator[RunningServer]:
    """A real dashboard server over ``home`` on a free port, warm, stopped at the end."""
    environ = {k: v for k, v in os.environ.items() if k not in ("COACHKIT_DB", "COACHKIT_HOME")}
    with log.open("wb") as out:
        server = start_server(home, port=free_port(), pool=pool, output=out, environ=environ)
        server.log_path = log  # type: ignore[attr-defined]
        try:
            server.wait_ready(timeout=180, warm=True)
            yield server
        finally:
            server.stop()


def lab_environ(tmp: Path) -> dict[str, str]:
    """The environment for ``coachkit`` processes that render for or run JupyterLab: Jupyter
    folders of their own under ``tmp`` (so workbooks signed by the CLI open trusted in the lab
    started with it), this checkout on the path, the demo's date, and no practice or database
    inherited from the caller."""
    jupyter = {name: tmp / name for name in ("config", "data", "runtime")}
    for folder in jupyter.values():
        folder.mkdir(exist_ok=True)
    root = str(Path(__file__).resolve().parents[1])
    return {
        **{k: v for k, v in os.environ.items() if k not in ("COACHKIT_DB", "COACHKIT_HOME")},
        "JUPYTER_CONFIG_DIR": str(jupyter["config"]),
        "JUPYTER_DATA_DIR": str(jupyter["data"]),
        "JUPYTER_RUNTIME_DIR": str(jupyter["runtime"]),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "COACHKIT_TODAY": DEMO_TODAY.isoformat(),
    }


@contextlib.contextmanager
def running_lab(
    home: Path, *args: str, token: str, environ: dict[str, str], log: Path, timeout: float = 300
) -> Iterator[str]:
    """``coachkit --home HOME lab ARGS`` on a free port with ``token``, its output in ``log``;
    yields ``http://127.0.0.1:PORT`` once the server answers, and stops the whole process
    group at the end."""
    port = free_port()
    argv = [sys.executable, "-m", "coachkit", "--home", str(home), "lab", *args, "--port", str(port), "--token", token]
    with lab_process(argv, env=environ, log=log, port=port, token=token, timeout=timeout) as url:
        yield url


@contextlib.contextmanager
def lab_process(
    argv: list[str], *, env: dict[str, str], log: Path, port: int, token: str, timeout: float = 300
) -> Iterator[str]:
    """Run ``argv`` (a JupyterLab server on ``port`` with ``token``) in a session of its own, its
    output in ``log``; yield its address once it answers, and stop the whole group at the end."""
    with log.open("w") as out:
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=5)
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        pytest.fail("JupyterLab did not start: " + log.read_text()[-2000:])
                    time.sleep(0.5)
            yield f"http://127.0.0.1:{port}"
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def fetch(url: str, timeout: float = 60.0) -> tuple[int, str, dict[str, str]]:
    """GET without following redirects: (status, body, headers)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=timeout) as reply:
            return reply.status, reply.read().decode("utf-8", "replace"), dict(reply.headers)
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace"), dict(err.headers)
