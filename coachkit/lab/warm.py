"""Warm starts for ``coachkit lab``: a workbook has run by the time JupyterLab has drawn it.

JupyterLab asks for a workbook's kernel only after its whole front end has loaded, fetched the
notebook and drawn its cells, several seconds after the coach opened the link; then coachkit's
lab extension runs the cells one by one over the kernel's websocket. Both are done sooner, in
the JupyterLab server itself (a server extension, loaded by ``coachkit lab``):

- the fork server (:mod:`coachkit.kernels`) starts with JupyterLab, so even the first workbook
  gets a kernel forked warm instead of waiting for the fork server's imports;
- a workbook's kernel session starts, and the workbook runs in it on the server (nbclient, with
  a connection of its own), as soon as either is asked for: the workbook's page
  (``/lab/tree/CLIENT/NN-....ipynb``, also in a workspace, answered 200 so the coach's token was
  checked as for any page), or the workbook itself when JupyterLab opens it from its file
  browser and the path has no session yet. The contents manager (:mod:`coachkit.lab.contents`)
  hands the workbook out with the outputs of that run. JupyterLab draws them, finds the session
  of the notebook's path and joins it (a request for a new session waits for the one under
  way), and its widget manager fetches the forms' state from the kernel in one request: the
  forms are live without the front end running anything.

Only coachkit workbooks get a session ahead of time, and only a trusted workbook (its signature
known, as after ``coachkit workbook``) runs without the coach asking; the session is the one
JupyterLab would have started (same path, same kernelspec), so closing, restarting or shutting
it down works as usual. A run is handed out once: a reload, a second tab or a restart gets the
waiting sentences and the extension runs the workbook in the kernel, as before.

It also leaves the jupyterlab-plotly extension out of the page configuration JupyterLab serves
(:func:`without_plotly`): workbooks draw their charts as SVG, so the browser need not fetch
plotly.js (about 5 MB) at every start. A user's own ``jupyter lab`` does not load this extension
and keeps plotly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import threading
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import unquote

from jupyter_server.services.sessions.sessionmanager import ModelName, SessionManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from tornado import httputil
from tornado.web import OutputTransform
from traitlets import Float

from coachkit.kernels import fork_wanted, preload_of
from coachkit.kernels.client import until_ready
from coachkit.kernels.handle import ForkServerError, server_for
from coachkit.lab.contents import Ran, WorkbookContentsManager, is_trusted, is_workbook, strip_widget_views

log = logging.getLogger("coachkit.lab")
LAB_PAGE = re.compile(r"/lab(?:/workspaces/[A-Za-z0-9_-]+)?/tree/(?P<path>[^?]+\.ipynb)")
"""The address of a notebook opened in JupyterLab (after the server's base URL)."""


RUN_TIMEOUT = 120
"""Seconds one cell of a workbook may run on the server before the run is given up."""
HANDOUT_WAIT = 0.3
"""The default of ``WarmSessionManager.handout_wait``: once JupyterLab asks for a workbook whose
run is under way, the run goes on for this many seconds more of its cells (counted from its first
cell), then stops at the next cell. JupyterLab gets what ran (the first forms) at once, and
coachkit's lab extension runs the remaining cells, their forms appearing as they run: a long
workbook (the assessment's) shows its first form as soon as a short one does."""
FRESH_SECONDS = 120.0
"""How long a run on the server stays good for the opening it was made for: a page that was asked
for but never opened its workbook leaves a run nobody takes; a later opening runs the workbook
again in the front end instead."""


def _outputs(cell: Any) -> list[Any]:
    return list(cell.get("outputs") or [])


class _RunInKernel(NotebookClient):
    """nbclient's executor on a kernel that is already running: it makes a client of its own
    and stops only that client when done (never the kernel, and it installs no signal handler in
    the server's event loop). Told to :meth:`hurry`, it runs cells for that long more and leaves
    the rest unrun (:attr:`stopped_at`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stopped_at: int | None = None
        """The index of the first cell left unrun, when the run was cut short."""
        self._begun: float | None = None
        self._wait: float | None = None
        self._deadline: float | None = None

    def hurry(self, seconds: float) -> None:
        """Run cells for ``seconds`` more (counted from the first cell, if none ran yet), then stop."""
        self._wait = seconds if self._wait is None else min(self._wait, seconds)
        if self._begun is not None:
            self._deadline = time.monotonic() + self._wait

    async def async_execute_cell(self, cell: Any, cell_index: int, *args: Any, **kwargs: Any) -> Any:
        """Run one cell, or none once the time given by :meth:`hurry` is up."""
        now = time.monotonic()
        if self._begun is None:
            self._begun = now
            if self._wait is not None:
                self._deadline = now + self._wait
        if self.stopped_at is None and self._deadline is not None and now > self._deadline:
            self.stopped_at = cell_index
        if self.stopped_at is not None:
            return cell
        return await super().async_execute_cell(cell, cell_index, *args, **kwargs)

    @contextlib.asynccontextmanager
    async def async_setup_kernel(self, **kwargs: Any) -> AsyncIterator[None]:
        """Connect to the kernel for the run, disconnect after it."""
        assert self.km is not None  # given when made: the session's kernel
        self.kc = self.km.client()
        self.kc.start_channels()
        await until_ready(self.kc, self.startup_timeout)
        try:
            yield
        finally:
            if self.kc is not None:
                self.kc.stop_channels()
                self.kc = None


class WarmSessionManager(SessionManager):
    """jupyter_server's session manager that can start a workbook's session ahead of the front
    end and run the workbook in it (:meth:`prestart`, :meth:`runs`); asked whether a path has a
    session, it first lets a start under way for that path finish, so a notebook never gets two
    kernels."""

    handout_wait = Float(
        HANDOUT_WAIT,
        config=True,
        help="Seconds a workbook's run on the server goes on once JupyterLab asks for the workbook "
        "(then JupyterLab gets what ran, and runs the rest).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[no-untyped-call]
        self._runs: dict[str, asyncio.Future[Ran | None]] = {}
        self._runners: dict[str, _RunInKernel] = {}
        self._finished: dict[str, float] = {}
        self._hurried: set[str] = set()

    def prestart(self, path: str) -> None:
        """Start the session of the workbook at ``path`` (relative to the server's root) and run
        the workbook in it, in the background, unless a run for it is under way or just made."""
        if self._run_for(path) is None:
            self._start_run(path)

    def _run_for(self, path: str) -> asyncio.Future[Ran | None] | None:
        """The run of ``path`` under way, or done and not yet handed out, if still fresh."""
        run = self._runs.get(path)
        if run is not None and run.done() and time.monotonic() - self._finished.get(path, 0.0) > FRESH_SECONDS:
            del self._runs[path]
            return None
        return run

    def _start_run(self, path: str) -> asyncio.Future[Ran | None]:
        run = asyncio.ensure_future(self._run(path))
        self._runs[path] = run
        run.add_done_callback(lambda _: self._finished.__setitem__(path, time.monotonic()))
        return run

    async def runs(self, path: str) -> Ran | None:
        """The run of the workbook at ``path`` for the front end opening it now: the one under
        way or just made for it, or, when the path has no session yet, a new one (its session
        is the one the front end joins). None when the path already has a session (the front
        end runs the workbook itself) or the run did not succeed. Each run is handed out once."""
        run = self._run_for(path)
        if run is None:
            if await super().session_exists(path=path):  # type: ignore[no-untyped-call]
                return None
            run = self._run_for(path) or self._start_run(path)
        if not run.done():
            self._hurry(path)
        ran = await asyncio.shield(run)
        self._hurried.discard(path)  # also when the run ended before it made its runner
        if self._runs.get(path) is not run:  # another opening took it first
            return None
        del self._runs[path]
        return ran

    def _hurry(self, path: str) -> None:
        """Have the run under way hand out what it has soon: now if its runner is there, else
        as soon as it is made (the kernel may still be starting)."""
        runner = self._runners.get(path)
        if runner is not None:
            runner.hurry(self.handout_wait)
            return
        self._hurried.add(path)

    async def _run(self, path: str) -> Ran | None:
        try:
            if await super().session_exists(path=path):  # type: ignore[no-untyped-call]
                return None
            contents = self.contents_manager
            if isinstance(contents, WorkbookContentsManager):
                model = await contents.get_as_saved(path)
            else:
                model = await contents.get(path, content=True, type="notebook")
            notebook = model.get("content")
            if notebook is None or not is_workbook(notebook):
                return None
            spec = notebook.get("metadata", {}).get("kernelspec") or {}
            kernel_name = spec.get("name") if isinstance(spec.get("name"), str) else None
            session = await self.create_session(
                path=path, name=ModelName(os.path.basename(path)), type="notebook", kernel_name=kernel_name
            )
        except Exception as exc:  # JupyterLab then starts the kernel itself, as it always did
            log.warning("coachkit: could not start a workbook's kernel ahead of time (%s)", exc.__class__.__name__)
            return None
        if not isinstance(contents, WorkbookContentsManager) or not is_trusted(notebook):
            return None  # an untrusted workbook's code runs only when the coach asks for it
        kernel_id = session["kernel"]["id"]
        runner = _RunInKernel(
            notebook, km=self.kernel_manager.get_kernel(kernel_id), timeout=RUN_TIMEOUT,
            record_timing=False, store_widget_state=False, allow_errors=False,
        )  # fmt: skip
        self._runners[path] = runner
        if path in self._hurried:
            runner.hurry(self.handout_wait)
        cells = notebook.get("cells", [])
        ran = len(cells)
        try:
            await runner.async_execute()
            ran = len(cells) if runner.stopped_at is None else runner.stopped_at
        except CellExecutionError:  # as Run All does: the cells up to the one that failed, its error shown
            failed = [i for i, c in enumerate(cells) if any(o.get("output_type") == "error" for o in _outputs(c))]
            strip_widget_views({"metadata": {}, "cells": cells[failed[0] + 1 :] if failed else []})  # never ran
        except Exception as exc:  # the kernel died or did not answer: the front end runs it
            log.warning("coachkit: a workbook could not run on opening (%s)", exc.__class__.__name__)
            return None
        finally:
            self._runners.pop(path, None)
            self._hurried.discard(path)
        return Ran(kernel_id, list(cells), model.get("last_modified"), ran=ran)

    async def session_exists(self, path: str) -> bool:
        """Whether ``path`` has a session, once a start under way for it is done."""
        running = self._runs.get(path)
        if running is not None and not running.done():
            await asyncio.wait([running])
        exists: bool = await super().session_exists(path)  # type: ignore[no-untyped-call]
        return exists


def _page_transform(manager: WarmSessionManager, base_url: str) -> type[OutputTransform]:
    """A tornado output transform that sees every answer of the server: a workbook's page,
    answered 200 (so the request was authenticated), starts the workbook's session."""
    prefix = base_url.rstrip("/")

    class WorkbookPageSeen(OutputTransform):
        def __init__(self, request: httputil.HTTPServerRequest) -> None:
            super().__init__(request)
            self.path = ""
            if request.method == "GET" and request.path.startswith(prefix):
                match = LAB_PAGE.fullmatch(request.path[len(prefix) :])
                self.path = unquote(match.group("path")) if match else ""

        def transform_first_chunk(
            self, status_code: int, headers: httputil.HTTPHeaders, chunk: bytes, finishing: bool
        ) -> tuple[int, httputil.HTTPHeaders, bytes]:
            if self.path and status_code == 200:
                manager.prestart(self.path)
            return status_code, headers, chunk

    return WorkbookPageSeen


PLOTLY_EXTENSION = "jupyterlab-plotly"
"""The federated extension that draws plotly's output mimetype (it brings plotly.js)."""


def without_plotly(handler: Any, page_config: dict[str, Any]) -> dict[str, Any]:
    """A jupyterlab_server ``page_config_hook``: the page's configuration without the
    jupyterlab-plotly extension, so JupyterLab never fetches its bundle."""
    extensions = page_config.get("federated_extensions")
    if isinstance(extensions, list):
        page_config["federated_extensions"] = [
            e for e in extensions if not (isinstance(e, dict) and e.get("name") == PLOTLY_EXTENSION)
        ]
    return page_config


def _start_fork_server() -> None:
    env = dict(os.environ)
    try:
        server_for(preload_of(env), env)
    except (ForkServerError, OSError) as exc:  # the provisioner falls back and says so
        log.warning("coachkit: the fork server did not start with JupyterLab (%s)", exc)


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """jupyter_server's entry: this module is the extension."""
    return [{"module": "coachkit.lab.warm"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """Start the fork server now, and workbook sessions as their pages are served; serve
    JupyterLab's page without the plotly extension."""
    earlier = serverapp.web_app.settings.get("page_config_hook")
    serverapp.web_app.settings["page_config_hook"] = (
        without_plotly if earlier is None else lambda handler, config: without_plotly(handler, earlier(handler, config))
    )
    if fork_wanted(os.environ) and preload_of(os.environ):
        threading.Thread(target=_start_fork_server, name="coachkit-fork-server", daemon=True).start()
    manager = serverapp.session_manager
    if isinstance(manager, WarmSessionManager):
        serverapp.web_app.transforms.append(_page_transform(manager, serverapp.base_url))
        if isinstance(serverapp.contents_manager, WorkbookContentsManager):
            serverapp.contents_manager.runs = manager.runs
    else:
        log.warning("coachkit: workbook kernels start when JupyterLab asks (the session manager is not coachkit's)")
