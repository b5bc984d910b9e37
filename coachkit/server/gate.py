"""Who may reach a served page's kernel, and how a page's kernel is ended (used by
:mod:`coachkit.server.app`).

Voilà names a page's kernel in the page itself, and its kernel addresses take the id alone. Here
the kernel a page is served from is bound to a fresh secret, sent to that browser only (an
HttpOnly, SameSite cookie); each handler that names a kernel is wrapped by :func:`gated` and
answers 403 without it.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import hashlib
import hmac
import inspect
import json
import logging
from collections.abc import Callable
from typing import Any

import tornado.web

from coachkit.pages.kernel_end import end_proof

log = logging.getLogger("coachkit.server")

PAGE_COOKIE = "coachkit-page-"
"""Prefix of the cookie that binds a browser to the kernel of the page it received (the
kernel's id follows)."""
PAGE_KEYS = "coachkit_page_keys"
"""The application setting that maps each served page's kernel id to its secret's SHA-256."""
END_GRACE = 0.3
"""Seconds between a page's request to end and its kernel's shutdown (the reply goes first)."""


REFILL_LATEST = 1.0
"""Seconds after a visitor took a warm kernel by which the pool's refill starts, even if the
visitor's document has not gone out yet (it normally starts when it has)."""


class ServedKernel:
    """The kernel the current page request is served from, once Voilà has chosen it, and what
    waits for the page's document to have gone out (the pool's refill)."""

    def __init__(self) -> None:
        self.kernel_id = ""
        self.after_document: list[Callable[[], None]] = []

    def document_sent(self) -> None:
        """Run what waited for the document (each once; one that fails is logged by its kind)."""
        while self.after_document:
            work = self.after_document.pop(0)
            try:
                work()
            except Exception as exc:
                log.error("after a page's document: %s", exc.__class__.__name__)


SERVED: contextvars.ContextVar[ServedKernel | None] = contextvars.ContextVar("coachkit_served", default=None)


def watch_page_kernels(kernel_manager: Any) -> None:
    """Let :class:`PageHandler` learn which kernel Voilà serves a page from: a warm one
    (``get_rendered_notebook``) or one started for this request (``start_kernel`` with
    ``VOILA_PREHEAT=False``; the pool's own starts are not for a request). The refill of a
    pool a visitor took a kernel from starts once that visitor's document has gone out (or
    :data:`REFILL_LATEST` seconds after): started at once, it made the document wait for the
    server and the cores (a returning visit's document: 0.09 s instead of 0.22 s, medians of 9)."""
    if getattr(kernel_manager, "_coachkit_watched", False):
        return
    rendered = getattr(kernel_manager, "get_rendered_notebook", None)  # only with a pool
    fill = getattr(kernel_manager, "fill_if_needed", None)
    start = kernel_manager.start_kernel

    def fill_if_needed(delay: float | None = None, notebook_name: str | None = None, **kwargs: Any) -> None:
        assert fill is not None
        served = SERVED.get()
        if served is None or delay is not None:  # not a visitor's take: as Voilà does
            fill(delay=delay, notebook_name=notebook_name, **kwargs)
            return

        done: list[bool] = []

        def refill() -> None:  # once: by then another visitor's refill may be waiting for its document
            if not done:
                done.append(True)
                fill(delay=0, notebook_name=notebook_name, **kwargs)

        served.after_document.append(refill)
        asyncio.get_event_loop().call_later(REFILL_LATEST, refill)

    async def get_rendered_notebook(*args: Any, **kwargs: Any) -> Any:
        assert rendered is not None
        result = await rendered(*args, **kwargs)
        served = SERVED.get()
        if served is not None:
            served.kernel_id = result[2]
        return result

    async def start_kernel(*args: Any, **kwargs: Any) -> Any:
        kernel_id = start(*args, **kwargs)
        if inspect.isawaitable(kernel_id):
            kernel_id = await kernel_id
        served = SERVED.get()
        if served is not None and (kwargs.get("env") or {}).get("VOILA_PREHEAT") == "False":
            served.kernel_id = str(kernel_id)
        return kernel_id

    if rendered is not None:
        kernel_manager.get_rendered_notebook = get_rendered_notebook
    if fill is not None:
        kernel_manager.fill_if_needed = fill_if_needed
    kernel_manager.start_kernel = start_kernel
    kernel_manager._coachkit_watched = True


def digest(secret: str) -> str:
    """The SHA-256 of a page's secret (only that is kept)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def page_may_reach(handler: tornado.web.RequestHandler, kernel_id: str) -> bool:
    """Whether the request carries the secret of the page served from ``kernel_id``."""
    expected = handler.settings.get(PAGE_KEYS, {}).get(kernel_id)
    given = handler.get_cookie(PAGE_COOKIE + kernel_id) if kernel_id else None
    return bool(expected and given and hmac.compare_digest(expected, digest(given)))


class PageKernelGate:
    """Mixed into every handler that names a kernel: a 403 unless the request comes from the
    page that kernel was serving (:func:`page_may_reach`)."""

    async def prepare(self, *args: Any, **kwargs: Any) -> None:
        """Refuse, before anything else runs, a request without the page's secret."""
        handler: Any = self
        kernel_id = handler.path_kwargs.get("kernel_id") or (handler.path_args[0] if handler.path_args else "")
        if not page_may_reach(handler, str(kernel_id).strip("/")):
            raise tornado.web.HTTPError(403)
        result = super().prepare(*args, **kwargs)  # type: ignore[misc]
        if inspect.isawaitable(result):
            await result


def gated(handler: type) -> type:
    """``handler`` behind :class:`PageKernelGate`."""
    return type(f"Gated{handler.__name__}", (PageKernelGate, handler), {})


class EndPageHandler(tornado.web.RequestHandler):
    """``POST /coachkit/end-page/<kernel id>``: a page's kernel asks to be shut down (its link
    has ended). The body proves the kernel holds its own connection key."""

    async def post(self, kernel_id: str) -> None:
        """Check the proof, answer at once, then shut the kernel down."""
        manager = self.settings["kernel_manager"]
        if kernel_id not in manager:
            raise tornado.web.HTTPError(404)
        try:
            proof = str(json.loads(self.request.body or b"{}").get("proof", ""))
        except (ValueError, AttributeError):
            raise tornado.web.HTTPError(400) from None
        key = manager.get_kernel(kernel_id).session.key
        expected = end_proof(key.decode() if isinstance(key, bytes) else str(key), kernel_id)
        if not hmac.compare_digest(expected, proof):
            raise tornado.web.HTTPError(403)
        self.set_status(202)
        self.finish()
        await asyncio.sleep(END_GRACE)
        with contextlib.suppress(Exception):  # gone already (closed tab, culled)
            await manager.shutdown_kernel(kernel_id, now=True)
