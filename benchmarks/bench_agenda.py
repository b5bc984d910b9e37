"""How fast the practice agenda is, next to the plain alternative. Run by hand::

    python benchmarks/bench_agenda.py [--clients 300] [--repeats 7]

``build_agenda`` over the demo practice plus N synthetic clients (median of repeats), against
the plain alternative: loading every client's case file with ``Store.load`` and doing nothing
with it (the agenda's own rules are what the ratio shows). Also the wall time of the real
``coachkit agenda`` in a new process. Aim: the agenda's rules add at most half again to the
loading (ratio <= 1.5); loading the case files is the cost. Everything happens in a temporary
folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from coachkit.demo import build_demo
from coachkit.home.agenda import build_agenda
from coachkit.practice import init_practice

TODAY = date(2026, 11, 21)


def median_seconds(run: object, repeats: int) -> float:
    """The median wall time of ``run()`` over ``repeats`` calls."""
    assert callable(run)
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    """Build the practice, measure, print one line per figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "practice"
        with init_practice(home) as practice:
            build_demo(practice, today=TODAY, synthetic=args.clients)
            store = practice.store
            ids = store.client_ids()
            plain = median_seconds(lambda: [store.load(c) for c in ids], args.repeats)
            agenda = median_seconds(lambda: build_agenda(store, today=TODAY), args.repeats)
            items = len(build_agenda(store, today=TODAY))
        began = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "coachkit", "--home", str(home), "agenda", "--today", TODAY.isoformat()],
            check=True, capture_output=True,
        )  # fmt: skip
        command = time.perf_counter() - began
    load = os.getloadavg()
    print(f"clients {len(ids)}, items {items}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"load every case file (plain)   {plain * 1000:8.1f} ms")
    print(f"build_agenda                   {agenda * 1000:8.1f} ms   ratio {agenda / plain:.2f}")
    print(f"coachkit agenda (new process)  {command * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
