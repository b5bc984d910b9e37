"""Ten clients opening their dashboards at once: how soon each is usable, and the memory it takes.
Run by hand from the repository's root::

    python benchmarks/bench_ten_dashboards.py [--clients 10] [--pool 2] [--rounds 2]

The real ``coachkit`` server (``--pool`` warm kernels a page, what ``coachkit serve`` runs) is
started over the demo practice plus synthetic clients in a temporary folder. Each round, ten
fresh Chromium contexts (cold caches) are sent to ten different clients' private links in the
same instant (the navigations are started from the pages themselves, so none waits for another).
For each page: the time from the start of its navigation to a usable check-in form ("Save
check-in" visible and enabled), and whether it shows its own client's name and no other's. With
all ten open, the memory of the server's processes is read from ``/proc/<pid>/smaps_rollup``:
RSS and PSS (shared pages split among their sharers) of every kernel, of the fork server and of
the Voilà server, and the swap in use before and after (/proc/meminfo).

After main's widget fix (forked kernels register the widget comm targets), load 8.7 -> 19.2:
round 1 median 33.58 s, worst 33.79 s, 10/10 only their client, PSS 53 MiB a kernel, 831 MiB for
16 kernels; round 2 median 36.05 s, worst 36.19 s, 10/10, 26 kernels 1309 MiB; swap 0 -> 0 MiB.

Before that fix (2026-12-02, ``--rounds 2``, pool 2, on the 2-core machine shared with four other
engineers' test runs; the load average is printed per round)::

    round 1 (load average 13.9 at the start, 18.3 at the end):
      time to usable per page: median 48.35 s, worst 49.24 s: 31.90 47.99 48.10 48.20 48.30 48.40 48.47 ...
      last page usable 50.33 s after the ten were opened; 10/10 show only their client
      16 kernels (the 10 visited and the refilled pool): PSS median 52 MiB a kernel (RSS 163 MiB), 821 MiB in all
      fork server PSS 57 MiB, Voilà server PSS 133 MiB; all of it 1011 MiB; swap in use 0 -> 0 MiB
    round 2 (load average 18.0 at the start, 25.5 at the end):
      time to usable per page: median 68.94 s, worst 70.95 s: 53.71 54.49 54.77 68.52 68.86 69.01 ...
      last page usable 74.01 s after the ten were opened; 10/10 show only their client
      26 kernels (the 10 visited and the refilled pool): PSS median 51 MiB a kernel (RSS 163 MiB), 1290 MiB in all
      fork server PSS 55 MiB, Voilà server PSS 154 MiB; all of it 1499 MiB; swap in use 0 -> 0 MiB

Round 2 counts round 1's ten kernels too: closing a browser context sends no goodbye, so those
kernels run until the idle cull (an hour). The ten Chromium renderers share the two busy cores
with the server, the kernels and the other runs: the wall times are the browser's more than the
server's. Memory: ~52 MiB PSS a forked kernel, nothing swaps.
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

from playwright.sync_api import sync_playwright

from coachkit.demo import build_demo
from coachkit.links import issue_link
from coachkit.practice import init_practice
from coachkit.server import free_port, start_server

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_dashboard import CHROMIUM, CHROMIUM_ARGS
from bench_kernels import memory_of

TODAY = date(2026, 11, 21)
USABLE = """() => {
  const b = [...document.querySelectorAll('button')].find(b => b.textContent.includes('Save check-in'));
  return b && !b.disabled && b.offsetParent !== null ? [performance.timeOrigin, performance.now()] : false;
}"""


def swap_used_kib() -> int:
    """Swap in use on the machine, KiB."""
    info = {
        k: int(v.split()[0]) for k, v in (ln.split(":", 1) for ln in Path("/proc/meminfo").read_text().splitlines())
    }
    return info["SwapTotal"] - info["SwapFree"]


def children_of(pid: int) -> list[int]:
    """The direct children of a process."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def server_memory(server_pid: int) -> dict[str, Any]:
    """RSS/PSS of the Voilà server, the fork server(s) and every kernel forked from them."""
    out: dict[str, Any] = {"server": memory_of(server_pid), "fork_servers": [], "kernels": []}
    for child in children_of(server_pid):
        try:
            kernels = children_of(child)
            if kernels:
                out["fork_servers"].append(memory_of(child))
                out["kernels"].extend(memory_of(k) for k in kernels)
            else:  # a kernel started the ordinary way (no fork server)
                out["kernels"].append(memory_of(child))
        except OSError:  # a process that ended meanwhile
            continue
    return out


def one_round(browser: Any, urls: dict[str, str], names: dict[str, str]) -> tuple[list[float], list[float], int]:
    """Open every link at once; (seconds to usable per page, seconds from the common start,
    pages showing exactly their own client)."""
    contexts = [browser.new_context(viewport={"width": 1200, "height": 900}) for _ in urls]
    pages = [context.new_page() for context in contexts]
    for page in pages:
        page.set_default_timeout(300_000)
    start = time.time() * 1000
    for page, url in zip(pages, urls.values(), strict=True):
        page.evaluate("url => { setTimeout(() => { window.location.href = url; }, 0); }", url)
    own, usable, since_start = 0, [], []
    for page, client in zip(pages, urls, strict=True):
        page.wait_for_url("**/voila/render/**")
        origin, now = page.wait_for_function(USABLE, polling="raf").json_value()
        usable.append(now / 1000)
        since_start.append((origin + now - start) / 1000)
        text = page.inner_text("body")
        own += all((name in text) == (other == client) for other, name in names.items())
    return usable, since_start, own


def main() -> int:
    """Open ten dashboards at once, ``--rounds`` times; print times and memory."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--pool", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (times grow with it)")
    swap_before = swap_used_kib()
    with tempfile.TemporaryDirectory(prefix="coachkit-bench-") as tmp:
        home = Path(tmp) / "practice"
        with init_practice(home) as practice:
            ids = build_demo(practice, today=TODAY, synthetic=max(args.clients - 3, 0))[: args.clients]
            names = {c: practice.store.client(c).name for c in ids}
        with (Path(tmp) / "server.log").open("wb") as log:
            server = start_server(home, port=free_port(), pool=args.pool, output=log)
            try:
                server.wait_ready(timeout=300, warm=True)
                with sync_playwright() as pw:
                    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                    for n in range(args.rounds):
                        server.wait_ready(timeout=300, warm=True)
                        time.sleep(2)
                        with init_practice(home) as practice:
                            urls = {c: issue_link(practice, c, "client", 1, server.base_url) for c in ids}
                        load = os.getloadavg()[0]
                        usable, since_start, own = one_round(browser, urls, names)
                        memory = server_memory(server.process.pid)
                        swap_during = swap_used_kib()
                        report(n + 1, load, usable, since_start, own, len(ids), memory, swap_before, swap_during)
                        for context in list(browser.contexts):
                            context.close()
                    browser.close()
            finally:
                server.stop()
    print(f"swap in use: {swap_before / 1024:.0f} MiB before, {swap_used_kib() / 1024:.0f} MiB after")
    return 0


def report(
    n: int,
    load: float,
    usable: list[float],
    since_start: list[float],
    own: int,
    count: int,
    memory: dict[str, Any],
    swap_before: int,
    swap_during: int,
) -> None:
    """Print one round's figures."""
    mib = 1024
    kernels = memory["kernels"]
    print(f"round {n} (load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end):")
    shown = " ".join(f"{u:.2f}" for u in sorted(usable))
    print(f"  time to usable per page: median {statistics.median(usable):.2f} s, worst {max(usable):.2f} s: {shown}")
    print(
        f"  last page usable {max(since_start):.2f} s after the ten were opened; {own}/{count} show only their client"
    )
    pss = [p for _, p in kernels]
    rss = [r for r, _ in kernels]
    print(
        f"  {len(kernels)} kernels (the {count} visited and the refilled pool): PSS median"
        f" {statistics.median(pss) / mib:.0f} MiB a kernel (RSS {statistics.median(rss) / mib:.0f} MiB),"
        f" {sum(pss) / mib:.0f} MiB in all"
    )
    forks = sum(p for _, p in memory["fork_servers"])
    print(
        f"  fork server PSS {forks / mib:.0f} MiB, Voilà server PSS {memory['server'][1] / mib:.0f} MiB;"
        f" all of it {(sum(pss) + forks + memory['server'][1]) / mib:.0f} MiB;"
        f" swap in use {swap_before / mib:.0f} -> {swap_during / mib:.0f} MiB"
    )


if __name__ == "__main__":
    sys.exit(main())
