"""PDF: report pages printed by the system Chromium, one browser for a whole batch."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from pathlib import Path
from typing import Any

from coachkit import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
PRINT_WIDTH_PX = 688  # A4 less the page margins, at 96 px an inch: charts are drawn at the printed width
PDF_PAGES_AT_ONCE = 2
_CHARTS_DRAWN = (
    "() => Array.from(document.querySelectorAll('.plotly-graph-div')).every(d => d.querySelector('.main-svg') !== null)"
)

_SWAP_IN = """(html) => {
  const doc = new DOMParser().parseFromString(html, "text/html");
  for (const d of document.querySelectorAll(".plotly-graph-div")) { window.Plotly.purge(d); }
  document.querySelectorAll("style[data-report]").forEach((s) => s.remove());
  for (const s of doc.head.querySelectorAll("style")) {
    const style = document.createElement("style");
    style.dataset.report = "1";
    style.textContent = s.textContent;
    document.head.appendChild(style);
  }
  document.title = doc.title;
  document.documentElement.replaceChild(document.adoptNode(doc.body), document.body);
  for (const old of document.body.querySelectorAll("script")) {
    const script = document.createElement("script");  // a parsed script never runs; a new one does
    script.textContent = old.textContent;
    old.replaceWith(script);
  }
}"""


class PdfPrinter:
    """One headless Chromium (the system's, driven by Playwright) for a whole batch. A few pages
    load plotly.js once each; every report is then swapped into a free page (its styles, title
    and body replace the last one's, its charts are drawn) and printed to A4 PDF once every
    chart is drawn. Loading plotly.js afresh for each report would cost far more than printing."""

    def __init__(
        self, plotly_js: str, *, executable: str | None = None, pages_at_once: int = PDF_PAGES_AT_ONCE
    ) -> None:
        self.executable = executable or settings.read("COACHKIT_CHROMIUM") or CHROMIUM
        self._shell = (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            "<script>window.PlotlyConfig = {MathJaxConfig: 'local'};</script>"
            f"<script>{plotly_js}</script></head><body></body></html>"
        )
        self._pages_at_once = pages_at_once
        self._started: asyncio.Task[None] | None = None
        self._free: asyncio.Queue[Any] = asyncio.Queue()
        self._playwright: Any = None
        self._browser: Any = None

    def begin(self) -> None:
        """Start the browser and its pages in the background (the first :meth:`print` waits)."""
        if self._started is None:
            self._started = asyncio.ensure_future(self._start())

    async def _start(self) -> None:
        if not Path(self.executable).exists():
            raise FileNotFoundError(f"no Chromium at {self.executable}: install it, or name it in COACHKIT_CHROMIUM")
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        self._browser = await self._playwright.chromium.launch(
            executable_path=self.executable, args=list(CHROMIUM_ARGS)
        )
        pages = await asyncio.gather(*(self._new_page() for _ in range(self._pages_at_once)))
        for page in pages:
            self._free.put_nowait(page)

    async def _new_page(self) -> Any:
        page = await self._browser.new_page(viewport={"width": PRINT_WIDTH_PX, "height": 1000})
        await page.emulate_media(media="print")
        await page.set_content(self._shell, wait_until="load")
        return page

    async def print(self, page_html: str, pdf_path: Path, *, timeout_ms: int = 60_000) -> None:
        """Print a report page (its ``bare`` HTML) to ``pdf_path``, written atomically."""
        self.begin()
        assert self._started is not None
        await self._started
        page = await self._free.get()
        try:
            await page.evaluate(_SWAP_IN, page_html)
            await page.wait_for_function(_CHARTS_DRAWN, timeout=timeout_ms)
            pdf_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = pdf_path.with_name(f".{pdf_path.name}.{uuid.uuid4().hex[:6]}.tmp")
            try:
                await page.pdf(path=str(tmp), format="A4", print_background=True, prefer_css_page_size=True)
                os.replace(tmp, pdf_path)
            finally:
                tmp.unlink(missing_ok=True)
        except Exception:
            # A page in an unknown state never prints another report: replace it.
            await page.close()
            page = await self._new_page()
            raise
        finally:
            self._free.put_nowait(page)

    async def close(self) -> None:
        """Close the browser and Playwright."""
        if self._started is not None:
            with contextlib.suppress(Exception):  # a browser that never started needs no closing
                await self._started
        if self._browser is not None:
            await self._browser.close()
        if self._playwright is not None:
            await self._playwright.stop()
        self._started = None
        self._browser = self._playwright = None
