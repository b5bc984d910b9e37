"""How fast a client's dashboard becomes usable in Chromium, warm kernels against plain Voilà.
Run by hand from the repository's root::

    python benchmarks/bench_dashboard.py [--runs 7] [--pool 2] [--client jonas-becker]

For each mode the real ``coachkit`` server is started over a demo practice in a temporary folder:
``preheated`` (a pool of ``--pool`` warm kernels per page, what ``coachkit serve`` runs) and
``plain`` (the same server and notebook with no pool: every visit starts a kernel). Each run opens
the client's private link in a fresh browser context (nothing cached) and measures, in the page,
the time from the start of navigation until the check-in form's "Save check-in" button is
visible and enabled. Between runs the script waits until the pool is full again, then 2 s more.
A second series reopens the page in one context (a returning visitor: scripts cached). For
scale, the same is measured on Voilà's floor: a notebook whose only output is one "Save check-in"
button, served warm by the same server (what any Voilà page costs on this machine).

Aim: median <= 1.5 s with the pool, and at least 3x faster than plain.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import nbformat
from playwright.sync_api import sync_playwright

from coachkit.demo import build_demo
from coachkit.links import issue_link
from coachkit.practice import init_practice
from coachkit.server import free_port, start_server

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
AIM_SECONDS = 1.5
AIM_RATIO = 3.0


def time_to_usable(page: Any, url: str) -> float:
    """Seconds from the start of navigation to a usable check-in form, measured in the page."""
    page.goto(url, wait_until="commit")
    handle = page.wait_for_function(USABLE, polling="raf", timeout=180_000)
    return float(handle.json_value()) / 1000.0


FLOOR_CELLS = (
    "import ipywidgets as W\nfrom voila.utils import get_query_string",
    "get_query_string()",
    "W.Button(description='Save check-in')",
)


def floor_pages(folder: Path) -> Path:
    """A folder whose "dashboard" is one button after the request: Voilà's own floor."""
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(src) for src in FLOOR_CELLS],
        metadata={"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    )
    nbformat.write(nb, folder / "dashboard.ipynb")
    return folder


def measure(
    home: Path, client: str, pool: int, runs: int, browser: Any, log: Path, pages: Path | None = None
) -> dict[str, list[float]]:
    """Fresh-context runs and returning-visitor runs against one server."""
    out: dict[str, list[float]] = {"fresh": [], "returning": []}
    with log.open("wb") as sink:
        server = start_server(home, port=free_port(), pool=pool, output=sink, pages_source=pages)
        try:
            server.wait_ready(timeout=300, warm=True)
            with init_practice(home) as practice:
                url = issue_link(practice, client, "client", 1, server.base_url)
            time.sleep(2)
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1200, "height": 900})
                out["fresh"].append(time_to_usable(context.new_page(), url))
                context.close()
                server.wait_ready(timeout=300, warm=True)
                time.sleep(2)
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            time_to_usable(context.new_page(), url)  # fills the cache
            for _ in range(runs):
                server.wait_ready(timeout=300, warm=True)
                time.sleep(2)
                page = context.new_page()
                out["returning"].append(time_to_usable(page, url))
                page.close()
            context.close()
        finally:
            server.stop()
    return out


def main() -> int:
    """Run both modes and print the medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pool", type=int, default=2)
    parser.add_argument("--client", default="jonas-becker")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs (times grow with it)")
    with tempfile.TemporaryDirectory(prefix="coachkit-bench-") as tmp:
        home = Path(tmp) / "practice"
        with init_practice(home) as practice:
            build_demo(practice, today=TODAY)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            warm = measure(home, args.client, args.pool, args.runs, browser, Path(tmp) / "preheated.log")
            plain = measure(home, args.client, 0, args.runs, browser, Path(tmp) / "plain.log")
            floor = measure(
                home, args.client, args.pool, args.runs, browser, Path(tmp) / "floor.log", floor_pages(Path(tmp) / "f")
            )
            browser.close()
    rows = [
        ("floor (one button), first", floor["fresh"]),
        ("floor (one button), returning", floor["returning"]),
        ("preheated, first visit", warm["fresh"]),
        ("plain, first visit", plain["fresh"]),
        ("preheated, returning visitor", warm["returning"]),
        ("plain, returning visitor", plain["returning"]),
    ]
    for label, values in rows:
        shown = " ".join(f"{v:.2f}" for v in values)
        print(f"{label:<30} median {statistics.median(values):5.2f} s   runs: {shown}")
    first = statistics.median(plain["fresh"]) / statistics.median(warm["fresh"])
    back = statistics.median(plain["returning"]) / statistics.median(warm["returning"])
    print(f"ratio plain/preheated: first visit {first:.1f}x, returning visitor {back:.1f}x")
    median = statistics.median(warm["fresh"])
    met = median <= AIM_SECONDS and first >= AIM_RATIO
    print(f"aim (median <= {AIM_SECONDS} s, >= {AIM_RATIO:.0f}x plain): {'met' if met else 'not met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
