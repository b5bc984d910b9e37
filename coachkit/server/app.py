"""The Voilà application behind ``coachkit serve``, configured to be safe by default.

What the configuration guarantees (each point is tested in ``tests/server/``):

- sources stripped, no tracebacks, no template or theme chosen from the address;
- no notebook listing (no tree), no file of the served folder downloadable (the folder holds
  only the page notebooks, copied at start, and ``/voila/files/`` is gone), and only the page
  notebooks render (``/voila/render/dashboard.ipynb``, ``sponsor.ipynb``, ``rater.ipynb``);
- kernels kept warm (``preheat_kernel``, one pool per page), told where the server listens;
- tokens scrubbed from the access log; headers that keep the page out of frames, send no
  referrer and let the page talk to this server only;
- a page's kernel answers only the browser that received that page: serving it binds the kernel
  to a fresh secret, sent as an HttpOnly cookie, and every kernel address (its websocket
  ``/api/kernels/<id>/channels``, ``/api/kernels/<id>``, Voilà's shutdown) refuses a request
  without it, so a kernel id alone reaches nothing;
- a page whose link has ended asks for its own end (``/coachkit/end-page/<id>``, proven with the
  kernel's connection key) and its kernel is shut down at once;
- no ``voila.json``/``voila.py`` read from the working or Jupyter config folders: nothing on disk
  can loosen these settings.

Run it in its own process: ``python -m coachkit.server --pages-dir DIR --port N ...``
(:func:`coachkit.server.start_server` does that).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import logging
import os
import re
import secrets
import signal
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tornado.ioloop
import tornado.web
from jupyter_core.utils import run_sync
from jupyter_server.log import log_request
from jupyter_server.utils import url_path_join
from traitlets.config import Config
from voila.app import Voila, _kernel_id_regex
from voila.request_info_handler import RequestInfoSocketHandler
from voila.static_file_handler import AllowListFileHandler, MultiStaticFileHandler, TemplateStaticFileHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from coachkit.pages.kernel_end import END_PAGE_PATH
from coachkit.server import rendering
from coachkit.server.assets import WidgetAssetsHandler
from coachkit.server.gate import (
    PAGE_COOKIE,
    PAGE_KEYS,
    SERVED,
    EndPageHandler,
    ServedKernel,
    digest,
    gated,
    watch_page_kernels,
)
from coachkit.server.static import STATIC_URL_SETTING, TEMPLATE, labextension_prefixes, static_route

PAGE_SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "object-src 'none'",
        ]
    ),
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}
"""Sent with every page. Voilà's page needs inline scripts; ``connect-src 'self'`` keeps
anything on the page from sending data to another host, and no third-party style sheet or font
is fetched (so a visit is not announced to a CDN)."""

LANDING_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>coachkit</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em;color:#1f2328}</style>
</head><body><h1>coachkit</h1>
<p>This server shows private coaching pages. Please open the personal link your coach sent you.</p>
</body></html>
"""

READY_CLIENT = "coachkit.kernels.client.ReadyKernelClient"
"""The kernel client every kernel manager of the server makes (see :mod:`coachkit.kernels.client`)."""
KERNEL_TRANSPORT = "ipc"
"""Kernels talk to the server over local sockets, not TCP ports: many kernels starting at
once cannot collide on a port."""


def voila_config(pages_dir: Path, host: str, port: int, pool: int) -> Config:
    """The Voilà configuration ``coachkit serve`` runs with (see the module docstring)."""
    c = Config()
    c.Voila.ip = host
    c.Voila.port = port
    c.Voila.port_retries = 0  # never drift to another port: links and kernels must know the real one
    c.Voila.open_browser = False
    c.Voila.root_dir = str(pages_dir)
    c.Voila.config_file_paths = []
    c.Voila.log_level = "WARN"
    c.Voila.tornado_settings = {
        "headers": dict(PAGE_SECURITY_HEADERS),
        "log_function": functools.partial(log_request, record_prometheus_metrics=False),
    }
    vc = c.VoilaConfiguration
    vc.strip_sources = True
    vc.show_tracebacks = False
    vc.template = TEMPLATE  # Voilà's "lab", its script asked for early (coachkit.server.static)
    vc.theme = "light"
    vc.allow_template_override = "NO"
    vc.allow_theme_override = "NO"
    vc.file_allowlist = []
    vc.file_denylist = [r".*"]
    vc.preheat_kernel = pool > 0
    vc.default_pool_size = max(pool, 0)
    # Charts are drawn as SVG in the kernel (coachkit.pages.svgchart): loading plotly.js (~5 MB) cost
    # seconds per page here. Sources are stripped, so no syntax highlighting is needed either.
    vc.extension_denylist = ["jupyterlab_pygments", "jupyterlab-plotly"]
    vc.http_header_envs = []
    vc.page_config_hook = page_config
    env = {"VOILA_APP_IP": _loopback_for(host)}
    c.VoilaKernelManager.default_env_variables = env
    # A forked kernel is cheap: a pool is refilled as soon as the visitor's document went out
    # (coachkit.server.gate.watch_page_kernels), not a second later.
    c.VoilaKernelManager.fill_delay = 0.0
    # Voilà stops waiting for a cell's output 4 s after the cell's reply and drops what had not
    # arrived: a busy machine (ten visitors at once) would then show an empty page.
    c.VoilaExecutor.iopub_timeout = 120
    c.VoilaExecutor.store_widget_state = False  # Voilà's page never reads it: less work per widget
    c.VoilaExecutor.record_timing = False
    c.KernelManager.transport = KERNEL_TRANSPORT
    # A client (Voilà's, for each page run and each kernel warmed for the pool) is ready when the
    # kernel has answered, without jupyter_client's 0.2 s of silence after (coachkit.kernels.client).
    c.AsyncKernelManager.client_factory = READY_CLIENT
    c.MappingKernelManager.cull_idle_timeout = 3600  # a page closed without saying goodbye
    c.MappingKernelManager.cull_interval = 300
    c.MappingKernelManager.cull_connected = False  # an open page is never cut off
    return c


NO_MATH_PLUGINS = ("@jupyterlab/mathjax-extension", "@jupyterlab/mathjax2-extension")
"""Voilà's page typesets ``$...$`` in every label with the MathJax it bundles: turned off, so
that what a person wrote is shown as written."""


def page_config(current: dict[str, Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Voilà's page configuration with MathJax off and no MathJax address (none is fetched),
    and Voilà's scripts taken from their versioned address (:mod:`coachkit.server.static`)."""
    disabled = [*current.get("disabledExtensions", []), *NO_MATH_PLUGINS]
    static = kwargs.get("settings", {}).get(STATIC_URL_SETTING) or current.get("fullStaticUrl", "")
    return {**current, "disabledExtensions": disabled, "fullMathjaxUrl": "", "fullStaticUrl": static}


def _loopback_for(host: str) -> str:
    """Where a kernel reaches the server that started it."""
    if host in ("", "0.0.0.0", "localhost", "127.0.0.1"):
        return "127.0.0.1"
    if host in ("::", "::1"):
        return "::1"
    return host


def page_names(pages_dir: Path) -> list[str]:
    """The notebooks in the served folder (only the page notebooks are ever copied there)."""
    return sorted(p.name for p in pages_dir.glob("*.ipynb"))


OUTSIDE_STYLESHEET = re.compile(r"<link\b[^>]*\bhref=[\"'](?:https?:)?//[^>]*>", re.IGNORECASE)
"""A ``<link>`` to another host (Voilà's page asks a public CDN for Font Awesome): taken out, so
that a visit is announced to nobody but this server (the few icons on buttons are dropped)."""


KEPT_PAGE_KEYS = 500
"""Past this many pages' secrets, those of ended kernels are dropped (until then an ended page
still learns that its kernel is gone, a 404, rather than a 403)."""


class PageHandler(TornadoVoilaHandler):  # type: ignore[misc]
    """Voilà's page handler that binds the kernel it serves from to the receiving browser (see
    :func:`page_may_reach`) and never lets ``?template=``/``?theme=`` push a visitor off the warm
    pool (overrides are refused anyway)."""

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        """Voilà's page, with the page's secret cookie set before the first byte."""
        served = ServedKernel()
        context = SERVED.set(served)
        bound = False
        try:
            async for chunk in self.get_generator(path=path):
                if not bound and served.kernel_id:
                    self._bind(served.kernel_id)
                    bound = True
                self.write(OUTSIDE_STYLESHEET.sub("", chunk))
                self.flush()
        finally:
            SERVED.reset(context)
            served.document_sent()  # the pool's refill, now that the visitor has the page

    def _bind(self, kernel_id: str) -> None:
        secret = secrets.token_urlsafe(32)
        keys = self.settings.setdefault(PAGE_KEYS, {})
        if len(keys) > KEPT_PAGE_KEYS:  # forget the pages whose kernels are gone
            manager = self.settings["kernel_manager"]
            for gone in [k for k in keys if k not in manager]:
                del keys[gone]
        keys[kernel_id] = digest(secret)
        self.set_cookie(PAGE_COOKIE + kernel_id, secret, path="/", httponly=True, samesite="Strict")

    def should_use_rendered_notebook(
        self,
        notebook_data: dict[str, Any],
        pool_size: int,
        template_name: str,
        theme: str,
        request_args: dict[str, Any],
    ) -> bool:
        """As Voilà's, with the template and theme arguments ignored."""
        use: bool = super().should_use_rendered_notebook(notebook_data, pool_size, None, None, request_args)
        return use


class TemplateAssetsHandler(TemplateStaticFileHandler):  # type: ignore[misc]
    """Voilà's template assets, with a plain 404 for paths that climb out (``..``) instead of
    Voilà's internal error."""

    def parse_url_path(self, url_path: str) -> str:
        """Refuse ``..`` and odd paths before Voilà looks at them."""
        parts = url_path.replace("\\", "/").split("/")
        if ".." in parts or len(parts) < 3 or parts[1] != "static":
            raise tornado.web.HTTPError(404)
        path: str = super().parse_url_path(url_path)
        return path


class LandingHandler(tornado.web.RequestHandler):
    """``/``: a plain sentence, never a listing."""

    def set_default_headers(self) -> None:
        """Security headers as on every page."""
        for name, value in PAGE_SECURITY_HEADERS.items():
            self.set_header(name, value)

    def get(self) -> None:
        """The landing page."""
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.write(LANDING_PAGE)


class ReadyHandler(tornado.web.RequestHandler):
    """``/coachkit/ready``: whether every page's pool of kernels is warm (counts only)."""

    def initialize(self, pages: list[str], pool: int) -> None:
        """Remember which pages have pools and how large."""
        self.pages = pages
        self.pool = pool

    def get(self) -> None:
        """``{"ready": bool, "pools": {page: kernels waiting for a visitor}}``."""
        waiting = set(RequestInfoSocketHandler._waiters)
        manager = self.settings["kernel_manager"]
        pools: dict[str, int] = {}
        for page in self.pages:
            pools[page] = sum(1 for task in getattr(manager, "_pools", {}).get(page, []) if _waiting(task, waiting))
        ready = all(n >= self.pool for n in pools.values())
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.write(json.dumps({"ready": ready, "pools": pools}))


def _waiting(task: Any, waiting: set[str]) -> bool:
    if not task.done() or task.cancelled() or task.exception() is not None:
        return False
    return task.result().get("kernel_id") in waiting


class SafeVoila(Voila):  # type: ignore[misc]
    """Voilà with the tree, the contents API and the file handler taken out, only the page
    notebooks rendered, and a landing page and a readiness check added."""

    parent_pid = 0
    """When set, the server stops by itself once that process is gone."""

    def init_handlers(self) -> list[Any]:
        """Voilà's handlers, made safe (see the class docstring)."""
        pages = page_names(Path(self.root_dir))
        names = "|".join(re.escape(p) for p in pages) or "(?!)"
        watch_page_kernels(self.kernel_manager)
        out: list[Any] = []
        for spec in super().init_handlers():
            handler = spec[1]
            if handler in (TornadoVoilaTreeHandler, VoilaContentsHandler, AllowListFileHandler):
                continue
            if handler is not RequestInfoSocketHandler and (
                "kernel_id" in spec[0] or spec[0].endswith("/voila/api/shutdown/(.*)")
            ):
                out.append((spec[0], gated(handler), *spec[2:]))  # a kernel's own addresses
                continue
            if handler is MultiStaticFileHandler:  # Voilà's scripts: also under a versioned address
                url, route, (versioned, options) = static_route(self.server_url, spec[2]["paths"])
                self.app.settings[STATIC_URL_SETTING] = url
                out.append((route, versioned, options))
            if spec[0].endswith("/voila/labextensions/(.*)"):
                out.append((spec[0], WidgetAssetsHandler, *spec[2:]))  # the longer wait for widget states
                continue
            if handler is TemplateStaticFileHandler:
                out.append((spec[0], TemplateAssetsHandler, *spec[2:]))
                continue
            if handler is TornadoVoilaHandler:
                pattern = url_path_join(self.server_url, rf"/voila/render/({names})")
                out.append((pattern, PageHandler, *spec[2:]))
                continue
            out.append(spec)
        self.app.settings["static_immutable_cache"] = labextension_prefixes(self.server_url, self.labextensions_path)
        pool = self.voila_configuration.default_pool_size if self.voila_configuration.preheat_kernel else 0
        out.append((url_path_join(self.server_url, "/coachkit/ready"), ReadyHandler, {"pages": pages, "pool": pool}))
        end = url_path_join(self.server_url, f"/{END_PAGE_PATH}{_kernel_id_regex}")
        out.append((end, EndPageHandler))
        out.append((self.server_url, LandingHandler))
        return out

    def initialize(self, argv: Any = None) -> None:
        """As Voilà's, with its "notebook is not trusted" warnings left out of the log: a page's
        outputs always come from its own kernel, never from a saved notebook."""
        super().initialize(argv)
        self.log.addFilter(_NotTrustedFilter())

    def stop(self) -> None:
        """Tell the warm kernels still waiting for a visitor that none is coming (they finish
        their page quietly, as "not valid"), then stop as Voilà does."""
        waiting = list(RequestInfoSocketHandler._waiters.values())
        for waiter in waiting:
            with contextlib.suppress(Exception):
                waiter.write_message({"QUERY_STRING": ""})
        if waiting:
            run_sync(asyncio.sleep)(1.5)
        super().stop()

    def listen(self) -> None:
        """Start serving; with :attr:`parent_pid`, also watch for the parent's end."""
        if self.parent_pid:
            watch = tornado.ioloop.PeriodicCallback(self._stop_if_orphaned, 1000)
            watch.start()
        super().listen()

    def _stop_if_orphaned(self) -> None:
        if os.getppid() != self.parent_pid:
            self.log.warning("The coachkit process that started this server is gone: stopping.")
            tornado.ioloop.IOLoop.current().stop()


class _NotTrustedFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "is not trusted" not in record.getMessage()


def build_voila(pages_dir: Path, host: str, port: int, pool: int, *, parent_pid: int = 0) -> SafeVoila:
    """A configured, initialised (not yet started) :class:`SafeVoila` over ``pages_dir``."""
    share = str(Path(__file__).resolve().parent / "share")  # coachkit's page template
    paths = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    if share not in paths:  # started without server_environment: the template must still be found
        os.environ["JUPYTER_PATH"] = os.pathsep.join([share, *paths])
    rendering.install()  # templates compiled once, not at every render
    app = SafeVoila(config=voila_config(pages_dir, host, port, pool))
    app.parent_pid = parent_pid
    app.initialize([])
    return app


def main(argv: Sequence[str] | None = None) -> int:
    """Run the server in this process until it is stopped (SIGINT or SIGTERM)."""
    parser = argparse.ArgumentParser(prog="python -m coachkit.server", description="coachkit's Voilà server")
    parser.add_argument("--pages-dir", type=Path, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pool", type=int, default=2)
    parser.add_argument("--parent-pid", type=int, default=0)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with SIGINT ignored
    app = build_voila(args.pages_dir, args.host, args.port, args.pool, parent_pid=args.parent_pid)
    app.start()
    return 0
