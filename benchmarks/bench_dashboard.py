"""What a client's dashboard loads and how soon it is usable, against a one-button Voilà page.
Run by hand from the repository's root::

    python benchmarks/bench_dashboard.py [--runs 5] [--pool 2] [--client jonas-becker] [--plain] [--form-floor]

The real ``coachkit`` server is started over a demo practice in a temporary folder, with a pool
of ``--pool`` warm kernels per page (what ``coachkit serve`` runs), twice: once serving the real
dashboard, once serving Voilà's floor (a notebook whose only output is one "Save check-in"
button after the request, on the same server and configuration: what any Voilà page costs
here). The two are measured in turns, ``--runs`` times each, in Chromium (/usr/bin/chromium):

- first visit: a fresh browser context (cold cache) opens the client's private link;
- returning visit: a new tab in a context that has seen the page before (warm cache).

For each visit, read in the page: time to first paint and first contentful paint, time until
the document has arrived, time to a usable form (the "Save check-in" button visible and
enabled), the number of requests and how many went over the network (not from the cache), the
bytes of JavaScript and CSS (decoded, and what crossed the wire), and when the page's kernel
websocket opened (before it: the document and Voilà's scripts; after it: the widgets). Before each visit the
script waits until every pool is full; the time from the visit to the page's pool being full
again (the refill: a new kernel forked, run up to the request) is polled on ``/coachkit/ready``.
``--plain`` adds the same server with no pool (every visit starts a kernel) for scale;
``--form-floor`` a page of the check-in form's kinds of widget by plain ipywidgets (what those
widgets cost the browser, whoever makes them).

Aims (issue 13): dashboard first visit within 1.2x of the floor's, returning visit within 1.1x,
pool refilled within 1 s of a visit.

Figures after kernel clients stopped waiting for 0.2 s of silence, the charts moved after the
widgets' answer and the refill after the visitor's document (2026-12-04; nothing else running but
the benchmark, medians of 9; "socket" is when the page's kernel websocket opened, "widgets" the
time from it to a usable form):

    at 6c0d79a (the kernel client alone; load 0.1 -> 1.3): first visit 1.55 s / floor 1.49 s
      (1.04x, paired 1.07x), returning 1.25 s / 1.07 s (1.16x, paired 1.04x), document on return
      0.22 s (floor 0.12 s); refill median 0.59 s (worst 1.46 s, a first visit), without a browser
      0.40 s (worst 0.46 s); was 0.86 s (worst 1.36 s) and 0.56 s
    at 2751da0 (charts after the answer; load 3.7 -> 13.5): first 1.00x (paired 0.99x), returning
      1.47 s / 1.32 s (1.12x, paired 1.13x); refill median 0.66 s (worst 1.24 s), without 0.39 s
    at 6c2084e (the refill after the document; load 1.8 -> 12.1): first visit 1.95 s / 1.78 s
      (1.10x, paired 1.10x), returning 1.47 s / 1.28 s (1.15x, paired 1.12x), document on return
      0.09 s (floor 0.05 s); socket 1.16 s / 1.08 s, widgets 0.31 s / 0.20 s; refill median
      0.66 s (worst 1.26 s, first visits; 0.75 s on return), without a browser 0.42 s (worst 0.67 s)
    the stages of a returning visit, medians of 7 in one run each (a separate probe, same pages):
      widgets 0.26 s with the charts in the answer, 0.23 s with them drawn 0.5 s after it, floor
      0.20 s; with no chart at all the dashboard was as quick as the floor (1.03 s / 1.04 s)

Figures after the document was cut to the dashboard's heading (2026-12-03; nothing else running
but the benchmark, medians of 9, consecutive runs; "paired" is the median of each run's dashboard
visit over the floor's visit just after it):

    before (ec6e5ab, the document with the check-in form; load 2.0 -> 10.8):
      first visit 1.79 s / floor 1.48 s (1.21x, paired 1.12x), returning 1.34 s / 1.12 s (1.20x,
      paired 1.20x), dashboard document on return 0.26 s; refill median 0.94 s (worst 1.34 s),
      without a browser 0.64 s
    after (the heading alone in the document, message lines made when needed; load 3.3 -> 2.0):
      first visit 1.72 s / floor 1.50 s (1.15x, paired 1.20x), returning 1.29 s / 1.11 s (1.16x,
      paired 1.10x), dashboard document on return 0.17 s; refill median 0.88 s (worst 1.28 s),
      without a browser 0.61 s
    the heading alone, medians of 7: returning 1.15x and 1.10x, first 1.15x and 1.08x; with
    --form-floor: form floor / floor 0.99x first, 0.97x returning; dashboard / form floor 1.08x, 1.13x
    the rest of the page held back 2.5 s (an experiment, not kept): returning 1.15x (paired 1.13x),
    first 1.12x: what lies below the check-in form does not delay it
    at 588abc3 (forms' Reload buttons made when needed too; load 0.3 -> 2.6): first visit 1.71 s /
      1.51 s (1.13x, paired 1.18x), returning 1.12 s / 1.02 s (1.10x, paired 1.11x), document on
      return 0.13 s (floor 0.11 s); refill median 0.86 s (worst 1.36 s), without a browser 0.56 s

Figures after the dashboard sent half its widgets (2026-12-02, evening; nothing else running but
the benchmark, medians of 9; the load average climbs to 14 during a run, on 2 cores):

    the change against the commit before it, in consecutive runs (load 2.3 -> 4.0 -> 14.3):
      before: first visit 1.81 s / floor 1.56 s (1.16x), returning 1.31 s / 1.04 s (1.26x),
              dashboard document 0.50 s on return; refill median 0.99 s (worst 1.50 s)
      after:  first visit 1.69 s / floor 1.55 s (1.09x), returning 1.15 s / 0.99 s (1.16x),
              dashboard document 0.22 s on return; refill median 0.80 s (worst 1.57 s),
              without a browser 0.45 s (was 0.61 s)
    two more runs after: returning 1.14x, 1.09x (the second with --form-floor); first 1.07x, 1.24x;
    the blocks alone (the document still with the whole first part): returning 1.10x, first 1.02x
    with --form-floor (a page of the check-in form's kinds of widget: a date, four sliders, two
    text boxes, a button with an icon, by plain ipywidgets): form floor / floor returning 1.00x,
    first 1.14x; dashboard / form floor 1.09x both

Figures earlier the same day with nothing else running (medians of 5; load 1.6 -> 2.0):

    dashboard first visit usable 1.36 s, floor 1.19 s (1.14x); returning 1.05 s, floor 0.87 s
    (1.21x); pool refill after a Chromium visit median 0.67 s (worst 1.17 s), without a browser
    0.49 s. Right after the lab benchmark (load 3.5 -> 5.9): 1.25x, 1.28x, refill 0.84 s.

Figures (2026-12-02, weight branch with main merged (forked kernels register the widget comm
targets); the 2-core machine is shared with four other engineers' test runs, so wall times follow
the scheduler; medians of 5, dashboard and floor taken in turns):

    load average 2.5 at the start, 11.1 at the end:
    dashboard, first visit     usable 2.46 s  paint 0.29 s  document 1.66 s  scripts in 1.70 s
                               77 requests (77 over the network)  JS 3679 KiB  CSS 250 KiB  HTML 28 KiB
    dashboard, returning       usable 2.56 s  paint 0.24 s  document 1.43 s  scripts in 1.43 s
                               77 requests ( 2 over the network)  JS 3679 KiB (0 on the wire)
    floor, first visit         usable 2.26 s  paint 0.70 s  document 0.66 s  scripts in 1.69 s
                               76 requests (76 over the network)  JS 3679 KiB  CSS 250 KiB  HTML 27 KiB
    floor, returning           usable 1.66 s  paint 0.25 s  document 0.77 s  scripts in 1.14 s
                               76 requests ( 2 over the network)
    dashboard / floor: first visit 1.09x (aim 1.2x: met), returning 1.54x (aim 1.1x: not met)
    pool refill after a dashboard visit in Chromium: median 1.57 s, worst 2.08 s
    pool refill after a dashboard fetched without a browser: median 1.48 s (0.90 1.09 1.48 1.52 1.84)

    the same branch before main's widget fix (load average 28.8 at the start, 13.9 at the end):
    dashboard first 5.19 s / floor 2.90 s (1.79x); returning 4.32 s / 2.02 s (2.13x); refill 1.84 s

    before (main at fee54c1: Voilà's "lab" template, scripts revalidated, refill after a 1 s delay;
    load average 3.5 at the start, 22.7 at the end):
    dashboard, first visit     usable 6.80 s  paint 0.70 s  document 1.55 s  77 requests (77 over the network)
    dashboard, returning       usable 9.56 s  paint 0.23 s  document 2.89 s  77 requests (16 over the network)
    floor, first visit         usable 2.78 s; returning 4.23 s
    dashboard / floor: first visit 2.44x, returning 2.26x; refill after a dashboard visit median 3.77 s

Both pages load the same 3.6 MiB of Voilà's scripts in ~75 requests: that is Voilà's application
(JupyterLab's notebook, CodeMirror and LSP packages included), which coachkit cannot split without
building Voilà's front end itself. The dashboard's document now holds its heading only (12
widget models; 84 once the rest is drawn, against 176 two days before), and its kernel spends
0.08 s of CPU on a visit (0.16 s before). Where the returning visit's remaining 0.1 s goes is
not settled: a page of the check-in form's kinds of widget by plain ipywidgets (``--form-floor``)
is as quick as the floor, holding back everything below the check-in form changed nothing
measurable, and from run to run on this machine the ratio moves by 0.05-0.1 (the paired ratio
less).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any

import nbformat
from playwright.sync_api import sync_playwright

from coachkit.demo import build_demo
from coachkit.links import issue_link
from coachkit.practice import init_practice
from coachkit.server import RunningServer, free_port, start_server

TODAY = date(2026, 11, 21)
CHROMIUM = os.environ.get("COACHKIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
USABLE = """() => {
  const b = [...document.querySelectorAll('button')].find(b => b.textContent.includes('Save check-in'));
  return b && !b.disabled && b.offsetParent !== null ? performance.now() : false;
}"""
WEIGHT = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = Object.fromEntries(performance.getEntriesByType('paint').map(e => [e.name, e.startTime]));
  const out = {requests: 1, network: nav.transferSize > 0 ? 1 : 0, js: 0, css: 0, js_wire: 0, css_wire: 0,
               doc: nav.decodedBodySize, document_end: nav.responseEnd, loaded: nav.loadEventStart,
               first_paint: paint['first-paint'] || 0, first_contentful_paint: paint['first-contentful-paint'] || 0};
  for (const e of performance.getEntriesByType('resource')) {
    out.requests += 1;
    if (e.transferSize > 0) out.network += 1;
    const path = new URL(e.name).pathname;
    const kind = path.endsWith('.js') ? 'js' : path.endsWith('.css') ? 'css' : null;
    if (kind) { out[kind] += e.decodedBodySize; out[kind + '_wire'] += e.transferSize; }
  }
  return out;
}"""
SOCKET_HOOK = """(() => {
  window.__ckSocket = {};
  const Native = window.WebSocket;
  function Watched(url, protocols) {
    const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    if (String(url).includes('/channels') && !('open' in window.__ckSocket)) {
      ws.addEventListener('open', () => { window.__ckSocket.open = performance.now(); });
    }
    return ws;
  }
  Watched.prototype = Native.prototype;
  Object.assign(Watched, Native);
  window.WebSocket = Watched;
})();"""
"""Notes when the page's kernel websocket opened (Voilà's scripts have run and its widget
manager is about to ask for every widget's state): what comes before it is the document and the
scripts, what comes after it the widgets."""
SOCKET_OPEN = "() => (window.__ckSocket && window.__ckSocket.open) || 0"
AIM_FIRST = 1.2
AIM_RETURNING = 1.1
AIM_REFILL = 1.0
FLOOR_CELLS = (
    "import ipywidgets as W\nfrom voila.utils import get_query_string",
    "get_query_string()",
    "W.Button(description='Save check-in')",
)
FORM_FLOOR_CELL = (
    "W.VBox([W.DatePicker(description='Date'), *[W.IntSlider(description=f'Goal {i}', max=10) for i in range(4)],\n"
    "        W.Textarea(description='In the way'), W.Textarea(description='Anything else'),\n"
    "        W.Button(description='Save check-in', icon='check')])"
)
"""``--form-floor``: the kinds of widget the dashboard's check-in form shows (a date, four sliders,
two text boxes, a button with an icon), made by plain ipywidgets after the request."""


def floor_pages(folder: Path, *, form: bool = False) -> Path:
    """A folder whose "dashboard" is one button after the request (Voilà's own floor), or with
    ``form`` the check-in form's kinds of widget."""
    folder.mkdir(parents=True, exist_ok=True)
    cells = [*FLOOR_CELLS[:2], FORM_FLOOR_CELL] if form else list(FLOOR_CELLS)
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(src) for src in cells],
        metadata={"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    )
    nbformat.write(nb, folder / "dashboard.ipynb")
    return folder


def pools_full(server: RunningServer) -> bool:
    """Whether every page's pool is full, asked quickly (a short timeout, for polling)."""
    try:
        with urllib.request.urlopen(server.base_url + "coachkit/ready", timeout=2) as reply:
            return bool(json.loads(reply.read()).get("ready"))
    except (OSError, ValueError):
        return False


class RefillWatch:
    """Polls the readiness check every 20 ms from the visit on: seconds until the pool is full
    again after having been short (None if it never was seen short)."""

    def __init__(self, server: RunningServer) -> None:
        self.server = server
        self.start = time.monotonic()
        self.short_seen = False
        self.refilled: float | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        deadline = self.start + 120
        while time.monotonic() < deadline:
            full = pools_full(self.server)
            if not full:
                self.short_seen = True
            elif self.short_seen:
                self.refilled = time.monotonic() - self.start
                return
            time.sleep(0.02)

    def result(self) -> float | None:
        """Wait for the watch to end; the refill time."""
        self._thread.join()
        return self.refilled


def visit(page: Any, url: str, server: RunningServer | None = None) -> dict[str, float]:
    """One visit: the page's own figures (seconds and bytes), and the pool's refill time."""
    watch = RefillWatch(server) if server is not None else None
    page.goto(url, wait_until="commit")
    handle = page.wait_for_function(USABLE, polling="raf", timeout=180_000)
    usable = float(handle.json_value()) / 1000.0
    page.wait_for_load_state("load", timeout=180_000)
    figures: dict[str, float] = page.evaluate(WEIGHT)
    for key in ("document_end", "loaded", "first_paint", "first_contentful_paint"):
        figures[key] = figures[key] / 1000.0
    figures["usable"] = usable
    figures["socket"] = float(page.evaluate(SOCKET_OPEN)) / 1000.0
    if watch is not None:
        refill = watch.result()
        figures["refill"] = refill if refill is not None else float("nan")
    return figures


class Target:
    """One running server and the private link measured on it."""

    def __init__(self, home: Path, client: str, pool: int, log: Path, pages: Path | None = None) -> None:
        self.sink = log.open("wb")
        self.pool = pool
        self.server = start_server(home, port=free_port(), pool=pool, output=self.sink, pages_source=pages)
        self.server.wait_ready(timeout=300, warm=True)
        with init_practice(home) as practice:
            self.url = issue_link(practice, client, "client", 1, self.server.base_url)
        self.context: Any = None
        self.first: list[dict[str, float]] = []
        self.refills: list[float] = []
        self.returning: list[dict[str, float]] = []

    def settle(self) -> None:
        """Wait until the pools are full, then a second more (the machine calms down)."""
        self.server.wait_ready(timeout=300, warm=True)
        time.sleep(1)

    def first_visit(self, browser: Any) -> None:
        """A fresh context: nothing cached."""
        self.settle()
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        context.add_init_script(SOCKET_HOOK)
        self.first.append(visit(context.new_page(), self.url, self.server if self.pool else None))
        context.close()

    def http_visit(self) -> None:
        """The page fetched without a browser (no script runs): the pool's refill alone."""
        self.settle()
        watch = RefillWatch(self.server)
        with urllib.request.urlopen(self.url, timeout=120) as reply:
            reply.read()
        refill = watch.result()
        self.refills.append(refill if refill is not None else float("nan"))

    def returning_visit(self, browser: Any) -> None:
        """A new tab in a context that has loaded the page before."""
        if self.context is None:
            self.context = browser.new_context(viewport={"width": 1200, "height": 900})
            self.context.add_init_script(SOCKET_HOOK)
            self.settle()
            self.context.new_page().goto(self.url, wait_until="load")
            self.context.pages[0].wait_for_function(USABLE, polling="raf", timeout=180_000)
        self.settle()
        page = self.context.new_page()
        self.returning.append(visit(page, self.url, self.server if self.pool else None))
        page.close()

    def stop(self) -> None:
        """Close the context and stop the server."""
        if self.context is not None:
            self.context.close()
        self.server.stop()
        self.sink.close()


def median(rows: list[dict[str, float]], key: str) -> float:
    """The median of one figure over the runs (NaN-free)."""
    values = [r[key] for r in rows if r[key] == r[key]]
    return statistics.median(values) if values else float("nan")


def paired(rows: list[dict[str, float]], against: list[dict[str, float]]) -> float:
    """The median of the ratios of visits taken one after the other (the machine's drift during a
    run, its load climbing, cancels out of each ratio)."""
    ratios = [r["usable"] / a["usable"] for r, a in zip(rows, against, strict=True)]
    return statistics.median(ratios) if ratios else float("nan")


def report(label: str, rows: list[dict[str, float]]) -> None:
    """One line of medians for a series of visits."""
    kib = 1024
    print(
        f"{label:<28} usable {median(rows, 'usable'):5.2f} s  paint {median(rows, 'first_paint'):4.2f} s"
        f"  document {median(rows, 'document_end'):4.2f} s  scripts in {median(rows, 'loaded'):4.2f} s"
        f"  requests {median(rows, 'requests'):3.0f}"
        f" ({median(rows, 'network'):3.0f} over the network)  JS {median(rows, 'js') / kib:6.0f} KiB"
        f" ({median(rows, 'js_wire') / kib:5.0f} on the wire)  CSS {median(rows, 'css') / kib:4.0f} KiB"
        f" ({median(rows, 'css_wire') / kib:4.0f})  HTML {median(rows, 'doc') / kib:3.0f} KiB"
    )
    runs = " ".join(f"{r['usable']:.2f}" for r in rows)
    print(f"{'':<28} usable runs: {runs}")
    widgets = [r["usable"] - r["socket"] for r in rows if r["socket"] > 0]
    if widgets:
        print(
            f"{'':<28} kernel socket open {median(rows, 'socket'):4.2f} s, usable"
            f" {statistics.median(widgets):4.2f} s after it (the widgets)"
        )
    if "refill" in rows[0]:
        refills = " ".join(f"{r['refill']:.2f}" for r in rows)
        print(f"{'':<28} pool refilled after: {refills} s")


def main() -> int:
    """Measure the dashboard and the floor in turns; print medians, ratios and the aims."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pool", type=int, default=2)
    parser.add_argument("--client", default="jonas-becker")
    parser.add_argument("--plain", action="store_true", help="also measure the server with no pool")
    parser.add_argument(
        "--form-floor", action="store_true", help="also measure a page of the check-in form's kinds of widget"
    )
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (times grow with it)")
    with tempfile.TemporaryDirectory(prefix="coachkit-bench-") as tmp:
        home = Path(tmp) / "practice"
        with init_practice(home) as practice:
            build_demo(practice, today=TODAY)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            floor_dir = floor_pages(Path(tmp) / "f")
            targets = {
                "dashboard": Target(home, args.client, args.pool, Path(tmp) / "dashboard.log"),
                "floor": Target(home, args.client, args.pool, Path(tmp) / "floor.log", floor_dir),
            }
            if args.form_floor:
                form_dir = floor_pages(Path(tmp) / "ff", form=True)
                targets["form floor"] = Target(home, args.client, args.pool, Path(tmp) / "form.log", form_dir)
            if args.plain:
                targets["plain"] = Target(home, args.client, 0, Path(tmp) / "plain.log")
            try:
                for _ in range(args.runs):
                    for target in targets.values():
                        target.first_visit(browser)
                for _ in range(args.runs):
                    for target in targets.values():
                        target.returning_visit(browser)
                for _ in range(args.runs):
                    for target in targets.values():
                        if target.pool:
                            target.http_visit()
            finally:
                for target in targets.values():
                    target.stop()
                browser.close()
    print(f"load average {os.getloadavg()[0]:.1f} after the runs; medians of {args.runs}:")
    for name, target in targets.items():
        report(f"{name}, first visit", target.first)
        report(f"{name}, returning visit", target.returning)
    dash, floor = targets["dashboard"], targets["floor"]
    first = median(dash.first, "usable") / median(floor.first, "usable")
    back = median(dash.returning, "usable") / median(floor.returning, "usable")
    refills = [r["refill"] for r in dash.first + dash.returning]
    worst = max(refills)
    print(f"dashboard / floor, time to usable: first visit {first:.2f}x (aim <= {AIM_FIRST}x),")
    print(f"    returning visit {back:.2f}x (aim <= {AIM_RETURNING}x)")
    print(
        f"    paired (the median of each run's dashboard visit over the floor's visit just after it):"
        f" first visit {paired(dash.first, floor.first):.2f}x, returning {paired(dash.returning, floor.returning):.2f}x"
    )
    print(f"pool refill after a dashboard visit: median {statistics.median(refills):.2f} s, worst {worst:.2f} s")
    print(f"    (aim <= {AIM_REFILL} s; Chromium draws the page on the same 2 cores meanwhile)")
    alone = dash.refills
    print(
        f"pool refill after a dashboard fetched without a browser: median {statistics.median(alone):.2f} s,"
        f" worst {max(alone):.2f} s: " + " ".join(f"{r:.2f}" for r in alone)
    )
    if args.form_floor:
        form = targets["form floor"]
        print(
            "form floor / floor: first visit"
            f" {median(form.first, 'usable') / median(floor.first, 'usable'):.2f}x, returning"
            f" {median(form.returning, 'usable') / median(floor.returning, 'usable'):.2f}x;"
            " dashboard / form floor: first visit"
            f" {median(dash.first, 'usable') / median(form.first, 'usable'):.2f}x, returning"
            f" {median(dash.returning, 'usable') / median(form.returning, 'usable'):.2f}x"
        )
    if args.plain:
        plain = median(targets["plain"].first, "usable") / median(dash.first, "usable")
        print(f"plain (no pool) / dashboard, first visit: {plain:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
