"""The warm starts of ``coachkit lab`` against a real JupyterLab server (no browser): asking for
a workbook's page with the coach's token starts its kernel session before any front end asks;
JupyterLab's own request for that session then gets the same kernel (never a second one); a
page asked for without the token, or a notebook that is not a workbook, starts nothing; and
the kernel is the one JupyterLab would have started (it runs the workbook's code)."""

from __future__ import annotations

import json
import os
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from servers import lab_process

from coachkit.lab.launch import share_launch
from coachkit.practice import init_practice
from coachkit.render import free_port

pytestmark = [pytest.mark.server, pytest.mark.kernel]
TOKEN = "coachkit-warm-test-token-0123456789"
CLIENT = "jonas-becker"


class Server:
    """A running ``coachkit lab`` server and the client folder it serves."""

    def __init__(self, base: str, folder: Path) -> None:
        self.base = base
        self.folder = folder

    def call(self, path: str, method: str = "GET", body: Any = None, token: bool = True) -> Any:
        """One request to the server's REST API; the decoded JSON answer."""
        data = None if body is None else json.dumps(body).encode()
        headers = {"Authorization": f"token {TOKEN}"} if token else {}
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        with urllib.request.urlopen(request, timeout=60) as reply:
            return json.loads(reply.read() or b"null")

    def sessions_of(self, path: str) -> list[dict[str, Any]]:
        """The server's sessions for the notebook at ``path``."""
        return [s for s in self.call("/api/sessions") if s["path"] == path]

    def open_page(self, path: str, token: bool = True) -> int:
        """Ask for the JupyterLab page of ``path`` as a browser would; the status code."""
        query = f"?token={TOKEN}" if token else ""
        opener = urllib.request.build_opener(NoRedirect())
        try:
            with opener.open(f"{self.base}/lab/workspaces/w1/tree/{path}{query}", timeout=60) as reply:
                return int(reply.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Keep a redirect (to the login page) as the answer."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        """Follow no redirect."""
        return None


def _notebook(workbook: bool) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    if workbook:
        nb.metadata["coachkit"] = {"workbook": 3}
    nb.cells = [nbformat.v4.new_code_cell("answer = 6 * 7")]
    return nb


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Iterator[Server]:
    """``coachkit lab``'s server on a copy of the demo practice, with one workbook and one
    notebook that is not a workbook in Jonas's folder."""
    tmp = tmp_path_factory.mktemp("warm")
    home = tmp / "practice"
    shutil.copytree(demo_template, home)
    env = {k: v for k, v in os.environ.items() if k not in ("COACHKIT_DB", "COACHKIT_HOME")}
    for name in ("config", "data", "runtime"):
        (tmp / name).mkdir()
        env[f"JUPYTER_{name.upper()}_DIR"] = str(tmp / name)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2]) + os.pathsep + env.get("PYTHONPATH", "")
    port = free_port()
    with init_practice(home) as practice:
        launch = share_launch(practice, CLIENT, port=port, token=TOKEN)
    folder = launch.root / CLIENT
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(_notebook(workbook=True), folder / "03-action-plan.ipynb")
    nbformat.write(_notebook(workbook=False), folder / "scratch.ipynb")
    with lab_process(
        launch.argv, env=env | launch.env, log=tmp / "lab.log", port=port, token=TOKEN, timeout=180
    ) as url:
        yield Server(url, folder)


def _wait_for_session(server: Server, path: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while not (found := server.sessions_of(path)):
        assert time.monotonic() < deadline, "no session was started for the workbook"
        time.sleep(0.2)
    return found[0]


def test_a_workbook_page_starts_its_kernel_and_jupyterlab_joins_it(server: Server) -> None:
    path = f"{CLIENT}/03-action-plan.ipynb"
    assert server.sessions_of(path) == []
    assert server.open_page(path) == 200
    session = _wait_for_session(server, path)
    assert session["type"] == "notebook" and session["kernel"]["name"] == "python3"
    # What JupyterLab's front end sends once it has drawn the notebook: it gets the same kernel.
    asked = server.call("/api/sessions", "POST", {"path": path, "name": "03-action-plan.ipynb", "type": "notebook",
                                                  "kernel": {"name": "python3"}})  # fmt: skip
    assert asked["kernel"]["id"] == session["kernel"]["id"]
    assert len(server.sessions_of(path)) == 1 and len(server.call("/api/kernels")) == 1
    # Reopening the page (a reload) keeps that one session.
    assert server.open_page(path) == 200
    time.sleep(1.0)
    assert [s["kernel"]["id"] for s in server.sessions_of(path)] == [session["kernel"]["id"]]
    server.call(f"/api/sessions/{session['id']}", "DELETE")


def test_a_page_without_the_token_or_not_a_workbook_starts_nothing(server: Server) -> None:
    workbook, scratch = f"{CLIENT}/03-action-plan.ipynb", f"{CLIENT}/scratch.ipynb"
    assert server.sessions_of(workbook) == []
    assert server.open_page(workbook, token=False) in (302, 403), "no token: sent to the login page"
    assert server.open_page(scratch) == 200
    time.sleep(2.0)  # a start would have been asked for by now; nothing was
    assert server.sessions_of(workbook) == [] and server.sessions_of(scratch) == []
    assert server.call("/api/kernels") == []
