"""Which chart path a served page takes: coachkit's SVG pictures (``coachkit.pages.svgchart``)
against plotly.js served by coachkit's own server and loaded lazily. Run by hand from the
repository's root::

    python benchmarks/bench_chart_path.py [--runs 7]

Both pages hold the same thing: a check-in form (a text box and a "Save check-in" button) and the
seven figures of Jonas Becker's dashboard in the demo (three progress charts, three 360 charts,
the IPIP-50 profile). ``svg``: the figures as the pictures coachkit draws. ``plotly.js``: the
form first, then ``plotly.min.js`` (from the installed plotly package) fetched from the same
local server with ``async`` and every figure drawn with ``Plotly.newPlot``. Each run opens the
page in a fresh browser context (nothing cached), then once more in the same context (a
returning visitor). Measured in the page: the time from the start of navigation until the form
is usable, and until every chart is drawn. In the kernel: the CPU time to turn the seven figures
into what the page is sent (SVG markup against plotly's JSON).

Aim: the chart path keeps the form usable within 1.5 s and draws every chart within 2 s; the
plain alternative is measured in the same run for the ratio.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import plotly
import plotly.graph_objects as go
from playwright.sync_api import sync_playwright

from coachkit.charts.feedback360 import competency_dots, gap_bars, item_spread
from coachkit.charts.ipip import ipip_profile
from coachkit.charts.progress import goal_progress, milestones_met_vs_planned, sessions_held_vs_planned
from coachkit.demo import build_demo
from coachkit.model.feedback_summary import build_summary
from coachkit.model.ipip import IPIP_ID, IpipResponse, score_ipip50
from coachkit.pages.svgchart import figure_svg
from coachkit.practice import init_practice

TODAY = date(2026, 11, 21)
CHROMIUM = os.environ.get("COACHKIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
FORM = '<textarea></textarea><button id="save">Save check-in</button>'
USABLE = """() => {
  const b = document.getElementById('save');
  return b && !b.disabled && b.offsetParent !== null ? performance.now() : false;
}"""
DRAWN = """(n) => {
  const svg = document.querySelectorAll('.chart svg').length;
  return svg >= n ? performance.now() : false;
}"""
AIM_USABLE = 1.5
AIM_DRAWN = 2.0


def demo_figures() -> list[go.Figure]:
    """The seven figures of the demo client's dashboard."""
    with tempfile.TemporaryDirectory() as tmp, init_practice(Path(tmp) / "practice") as practice:
        build_demo(practice, today=TODAY)
        file = practice.store.load("jonas-becker")
        summary = build_summary(file)
        answers = practice.store.get("jonas-becker", IpipResponse, IPIP_ID).answers
        return [
            goal_progress(file),
            milestones_met_vs_planned(file, TODAY),
            sessions_held_vs_planned(file),
            competency_dots(summary),
            gap_bars(summary),
            item_spread(summary),
            ipip_profile(score_ipip50(answers)),
        ]


def svg_page(figures: list[go.Figure]) -> str:
    """The form and the figures as coachkit's pictures."""
    charts = "".join(f'<div class="chart">{figure_svg(f)}</div>' for f in figures)
    return f"<!doctype html><html><body>{FORM}{charts}</body></html>"


def plotly_page(figures: list[go.Figure]) -> str:
    """The form, then plotly.js loaded lazily from this server, drawing every figure."""
    specs = json.dumps([json.loads(f.to_json()) for f in figures])
    holders = "".join(f'<div class="chart" id="c{i}"></div>' for i in range(len(figures)))
    script = (
        f"<script>const specs = {specs};"
        "function draw() { specs.forEach((s, i) => Plotly.newPlot('c' + i, s.data, s.layout, "
        "{displaylogo: false, staticPlot: true})); }</script>"
        '<script async src="plotly.min.js" onload="draw()"></script>'
    )
    return f"<!doctype html><html><body>{FORM}{holders}{script}</body></html>"


@contextlib.contextmanager
def local_server(folder: Path) -> Iterator[str]:
    """A plain HTTP server on 127.0.0.1 over ``folder`` (stopped at the end)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


def measure(page: Any, url: str, charts: int) -> tuple[float, float]:
    """Seconds from the start of navigation to a usable form, and to every chart drawn."""
    page.goto(url, wait_until="commit")
    usable = page.wait_for_function(USABLE, timeout=120_000, polling=10).json_value()
    drawn = page.wait_for_function(DRAWN, arg=charts, timeout=120_000, polling=10).json_value()
    return float(usable) / 1000, float(drawn) / 1000


def kernel_cost(figures: list[go.Figure], repeat: int = 20) -> tuple[float, float]:
    """CPU seconds to make the seven figures' SVG, and their plotly JSON (median of ``repeat``)."""
    svg, js = [], []
    for _ in range(repeat):
        start = time.process_time()
        for f in figures:
            figure_svg(f)
        svg.append(time.process_time() - start)
        start = time.process_time()
        for f in figures:
            f.to_json()
        js.append(time.process_time() - start)
    return statistics.median(svg), statistics.median(js)


def main() -> int:
    """Run the comparison and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    figures = demo_figures()
    svg_cpu, json_cpu = kernel_cost(figures)
    print(f"kernel CPU for 7 figures: svg {svg_cpu * 1000:.0f} ms, plotly JSON {json_cpu * 1000:.0f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "svg.html").write_text(svg_page(figures), encoding="utf-8")
        (folder / "plotly.html").write_text(plotly_page(figures), encoding="utf-8")
        bundle = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
        (folder / "plotly.min.js").write_bytes(bundle.read_bytes())
        print(f"plotly.min.js: {bundle.stat().st_size / 1e6:.1f} MB; svg page {len(svg_page(figures)) / 1e3:.0f} kB")
        results: dict[str, dict[str, list[float]]] = {}
        with local_server(folder) as base, sync_playwright() as play:
            browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(args.runs):
                for mode in ("svg", "plotly"):  # in turns, so that load hits both alike
                    context = browser.new_context()
                    page = context.new_page()
                    first = measure(page, f"{base}{mode}.html", len(figures))
                    again = measure(page, f"{base}{mode}.html", len(figures))
                    context.close()
                    slot = results.setdefault(mode, {"usable": [], "drawn": [], "usable again": [], "drawn again": []})
                    for key, value in zip(slot, (*first, *again), strict=True):
                        slot[key].append(value)
            browser.close()
    for mode, series in results.items():
        line = ", ".join(f"{key} {statistics.median(values):.2f} s" for key, values in series.items())
        print(f"{mode:>7}: {line}")
    svg_drawn = statistics.median(results["svg"]["drawn"])
    plotly_drawn = statistics.median(results["plotly"]["drawn"])
    print(f"charts drawn, plotly.js / svg: {plotly_drawn / svg_drawn:.1f}x")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    ok = statistics.median(results["svg"]["usable"]) <= AIM_USABLE and svg_drawn <= AIM_DRAWN
    print("aim met" if ok else "aim missed")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
