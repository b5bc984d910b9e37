"""Warm starts for ``coachkit lab``: the kernel of a workbook is ready by the time JupyterLab
has drawn it.

JupyterLab asks for a workbook's kernel only after its whole front end has loaded, fetched the
notebook and drawn its cells, several seconds after the coach opened the link. Two things are
done sooner, in the JupyterLab server itself (a server extension, loaded by ``coachkit lab``):

- the fork server (:mod:`coachkit.kernels`) starts with JupyterLab, so even the first workbook
  gets a kernel forked warm instead of waiting for the fork server's imports;
- when the server answers the page of a workbook (``/lab/tree/CLIENT/NN-....ipynb``, also in a
  workspace), having checked the coach's token as for any page, it starts that workbook's kernel
  session at once. JupyterLab, once drawn, finds the session of the notebook's path and joins
  it instead of starting one (a request for a new session waits for the one under way).

It also leaves the jupyterlab-plotly extension out of the page configuration JupyterLab serves
(:func:`without_plotly`): workbooks draw their charts as SVG, so the browser need not fetch
plotly.js (about 5 MB) at every start. A user's own ``jupyter lab`` does not load this extension
and keeps plotly.

Only coachkit workbooks get a session ahead of time; the session is the one JupyterLab would
have started (same path, same kernelspec), so closing, restarting or shutting it down works as
usual. Nothing runs in the kernel until JupyterLab runs the workbook.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import threading
from typing import Any
from urllib.parse import unquote

from jupyter_server.services.sessions.sessionmanager import ModelName, SessionManager
from tornado import httputil
from tornado.web import OutputTransform

from coachkit.kernels import fork_wanted, preload_of
from coachkit.kernels.handle import ForkServerError, server_for

log = logging.getLogger("coachkit.lab")
LAB_PAGE = re.compile(r"/lab(?:/workspaces/[A-Za-z0-9_-]+)?/tree/(?P<path>[^?]+\.ipynb)")
"""The address of a notebook opened in JupyterLab (after the server's base URL)."""


def is_workbook(notebook: Any) -> bool:
    """True for a coachkit workbook (a ``coachkit`` metadata entry, or papermill's ``client_id``),
    the same test as the lab extension's."""
    metadata = notebook.get("metadata", {}) if isinstance(notebook, dict) else {}
    parameters = (metadata.get("papermill") or {}).get("parameters") or {}
    return bool(metadata.get("coachkit") or parameters.get("client_id"))


class WarmSessionManager(SessionManager):
    """jupyter_server's session manager that can start a workbook's session ahead of the front
    end (:meth:`prestart`); asked whether a path has a session, it first lets a start under way
    for that path finish, so a notebook never gets two kernels."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[no-untyped-call]
        self._prestarts: dict[str, asyncio.Future[None]] = {}

    def prestart(self, path: str) -> None:
        """Start the session of the workbook at ``path`` (relative to the server's root) in the
        background, unless one runs or is starting."""
        running = self._prestarts.get(path)
        if running is not None and not running.done():
            return
        self._prestarts[path] = asyncio.ensure_future(self._prestart(path))

    async def _prestart(self, path: str) -> None:
        try:
            if await super().session_exists(path=path):  # type: ignore[no-untyped-call]
                return
            model = await self.contents_manager.get(path, content=True, type="notebook")
            notebook = model.get("content")
            if not is_workbook(notebook):
                return
            spec = notebook.get("metadata", {}).get("kernelspec") or {}
            kernel_name = spec.get("name") if isinstance(spec.get("name"), str) else None
            await self.create_session(
                path=path, name=ModelName(os.path.basename(path)), type="notebook", kernel_name=kernel_name
            )
        except Exception as exc:  # JupyterLab then starts the kernel itself, as it always did
            log.warning("coachkit: could not start a workbook's kernel ahead of time (%s)", exc.__class__.__name__)

    async def session_exists(self, path: str) -> bool:
        """Whether ``path`` has a session, once a start under way for it is done."""
        running = self._prestarts.get(path)
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
    else:
        log.warning("coachkit: workbook kernels start when JupyterLab asks (the session manager is not coachkit's)")
