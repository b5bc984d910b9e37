"""The practice server's page pools and JupyterLab (as ``coachkit lab`` starts it) run forked
kernels, on the real servers: no special path, only the environment coachkit gives them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from servers import fetch, running_server

from coachkit.practice import Practice
from coachkit.render import lab_launch
from coachkit.server import server_environment

pytestmark = [pytest.mark.kernel, pytest.mark.server]

FALLBACK_WORDS = "kernels start the ordinary way"


def _children(pid: int) -> list[int]:
    """Children of ``pid``, whichever of its threads started them."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.extend(int(p) for p in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    except OSError:
        return []


def _fork_servers(pid: int) -> list[int]:
    return [c for c in _children(pid) if "coachkit.kernels.forkserver" in _cmdline(c)]


def _ordinary_kernels(pid: int) -> list[int]:
    return [c for c in _children(pid) if "ipykernel_launcher" in _cmdline(c)]


def _until(check: object, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.25)
    raise AssertionError(f"not reached within {timeout:.0f} s")


def test_the_page_pools_are_forked_and_refilled_by_fork(demo_template: Path, tmp_path: Path) -> None:
    home = tmp_path / "practice"
    shutil.copytree(demo_template, home)
    with running_server(home, pool=1, log=tmp_path / "server.log") as server:
        pages = len(list(server.pages_dir.glob("*.ipynb")))
        # "Ready" counts kernels on their way; wait until each page's pool kernel is there.
        _until(lambda: len(_fork_servers(server.process.pid)) == 1)
        (fork_server,) = _fork_servers(server.process.pid)
        _until(lambda: len(_children(fork_server)) >= pages)  # each page's pool kernel is a fork
        waiting = set(_children(fork_server))
        assert _ordinary_kernels(server.process.pid) == []
        status, body, _ = fetch(server.base_url + "voila/render/dashboard.ipynb")  # no link: "not valid"
        assert status == 200 and "Traceback" not in body
        _until(lambda: set(_children(fork_server)) - waiting)  # the pool is refilled, by a fork
        assert _ordinary_kernels(server.process.pid) == []
    assert FALLBACK_WORDS not in (tmp_path / "server.log").read_text(errors="replace")


def test_jupyterlab_as_coachkit_starts_it_forks_its_kernels(practice: Practice, tmp_path: Path) -> None:
    launch = lab_launch(practice)
    env = {**os.environ, **launch.env, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    base, token = launch.url.split("/lab/")[0], launch.url.split("token=")[1]
    log = (tmp_path / "lab.log").open("wb")
    lab = subprocess.Popen(launch.argv, env=env, cwd=launch.root, stdout=log, stderr=subprocess.STDOUT)
    try:

        def answers() -> bool:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5):
                    return True
            except OSError:
                return False

        _until(answers)
        request = urllib.request.Request(
            f"{base}/api/kernels?token={token}",
            data=json.dumps({"name": "python3"}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=180) as reply:
            kernel = json.loads(reply.read())
        assert kernel["name"] == "python3"
        _until(lambda: any(_children(s) for s in _fork_servers(lab.pid)))
        assert _ordinary_kernels(lab.pid) == []
        delete = urllib.request.Request(f"{base}/api/kernels/{kernel['id']}?token={token}", method="DELETE")
        with urllib.request.urlopen(delete, timeout=60) as reply:
            assert reply.status == 204
        _until(lambda: not any(_children(s) for s in _fork_servers(lab.pid)))  # ended and reaped
    finally:
        lab.terminate()
        try:
            lab.wait(60)
        except subprocess.TimeoutExpired:
            lab.kill()
            lab.wait()
        log.close()
    assert FALLBACK_WORDS not in (tmp_path / "lab.log").read_text(errors="replace")


def test_the_pages_fork_server_warms_everything_it_is_given_and_stays_fork_safe(tmp_path: Path) -> None:
    """The page kernels' warm-ups (plotly's first figure, the SVG charts) run in the fork server
    itself, so every refill inherits them: none may fail, and none may leave a thread behind
    (the fork server would refuse to fork and the pages would fall back to ordinary kernels)."""
    env = server_environment(tmp_path, os.environ)
    modules = env["COACHKIT_KERNEL_PRELOAD"].split(",")
    assert "coachkit.pages.web:warm_up" in modules
    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "coachkit.kernels.forkserver",
            "--socket",
            str(tmp_path / "s"),
            "--parent",
            str(os.getpid()),
            *modules,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    ) as fork_server:
        try:
            assert fork_server.stdout is not None
            ready = json.loads(fork_server.stdout.readline())
        finally:
            fork_server.terminate()
            fork_server.wait(60)
    assert ready == {"ready": True, "threads": 1, "failed": []}
