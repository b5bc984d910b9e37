"""One real dashboard server (two warm kernels per page) for the browser tests, and a way to
open a page in Chromium while keeping everything the browser received: the document's HTML,
the rendered page, and every websocket frame (which carries the widgets' state)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from servers import DEMO_TODAY, build_served_practice, running_server

from coachkit.links import create_link
from coachkit.practice import Practice, init_practice
from coachkit.server import RunningServer

PAGE_TIMEOUT = 120_000


class Seen:
    """What one page received and showed."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.frames: list[str] = []
        self.documents: list[str] = []
        self.dialogs: list[str] = []
        page.on("websocket", self._on_websocket)
        page.on("response", self._on_response)
        page.on("dialog", self._on_dialog)

    def _on_websocket(self, ws: Any) -> None:
        ws.on("framereceived", self._on_frame)
        ws.on("framesent", self._on_frame)

    def _on_frame(self, payload: str | bytes) -> None:
        self.frames.append(payload if isinstance(payload, str) else payload.decode("utf-8", "replace"))

    def _on_response(self, response: Any) -> None:
        if "/voila/render/" in response.url:
            with contextlib.suppress(Exception):  # a page closed while its document streamed
                self.documents.append(response.text())

    def _on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def everything(self) -> str:
        """Document HTML, rendered DOM and every frame, as one string to search."""
        return "\n".join([*self.documents, self.page.content(), *self.frames])

    def text(self) -> str:
        """The page's visible text."""
        return str(self.page.inner_text("body"))


@pytest.fixture(scope="module")
def served_home(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo, ten synthetic clients and a tricky client (markup, canaries)."""
    home = tmp_path_factory.mktemp("served") / "practice"
    build_served_practice(demo_template, home, DEMO_TODAY)
    return home


@pytest.fixture(scope="module")
def server(served_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A warm server with two kernels per page."""
    with running_server(served_home, pool=2, log=tmp_path_factory.mktemp("log") / "server.log") as s:
        yield s


@pytest.fixture
def served(served_home: Path) -> Iterator[Practice]:
    """The served practice, opened by the test (the server's kernels open it too)."""
    with init_practice(served_home) as practice:
        yield practice


@pytest.fixture
def link(served: Practice, server: RunningServer) -> Callable[..., str]:
    """``link(client_id, audience="client", days=1, expired=False)``: a fresh link's address."""

    def make(client_id: str, audience: str = "client", *, expired: bool = False) -> str:
        now = datetime.now().astimezone() - (timedelta(days=2) if expired else timedelta(0))
        return create_link(served, client_id, audience, 1, server.base_url, now=now).url

    return make


@pytest.fixture
def visit(browser: Any) -> Iterator[Callable[..., Seen]]:
    """``visit(url, wait_for=...)``: open ``url`` in a fresh browser context and wait for a text."""
    contexts: list[Any] = []

    def open_page(url: str, wait_for: str | None = None, *, charts: int = 0) -> Seen:
        context = browser.new_context(viewport={"width": 1200, "height": 2000})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT)
        seen = Seen(page)
        page.goto(url)
        page.locator(".coachkit-page").first.wait_for(state="visible")
        if wait_for:
            page.get_by_text(wait_for, exact=False).first.wait_for(state="visible")
        if charts:
            page.wait_for_function(f"document.querySelectorAll('.coachkit-chart svg').length >= {charts}")
        return seen

    yield open_page
    for context in contexts:
        context.close()
