"""Benchmark: `coachkit workbook CLIENT` (all seven phases on one warm kernel) against seven runs
of the plain `papermill` CLI on the same templates for the same client.

Run by hand from the repository root:  python benchmarks/bench_workbooks.py [--client ID]
Prints both wall times and the ratio. Uses a temporary demo practice; nothing else is touched.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from coachkit import demo
from coachkit.model.rules import session_to_prepare
from coachkit.practice import init_practice
from coachkit.render import PHASE_TEMPLATES, template_path

TODAY = date(2026, 11, 21)


def main() -> None:
    """Build the demo, time both ways, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--client", default="jonas-becker")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds; the best of each is reported")
    args = parser.parse_args()
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory(prefix="coachkit-bench-") as tmp:
        home = Path(tmp) / "practice"
        with init_practice(home) as practice:
            demo.build_demo(practice, today=TODAY)
            number = session_to_prepare(practice.store.load(args.client))
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])),
            "COACHKIT_TODAY": TODAY.isoformat(),
            "JUPYTER_DATA_DIR": str(Path(tmp) / "jupyter-data"),
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }

        papermill = Path(sys.executable).with_name("papermill")
        coachkit_runs: list[float] = []
        papermill_runs: list[float] = []
        cpu = {"coachkit": 0.0, "papermill": 0.0}
        for round_ in range(args.rounds):  # alternate, so a busy moment hurts both alike
            workbooks = home / "workbooks" / args.client
            for old in workbooks.glob("*.ipynb"):
                old.unlink()  # the renderer keeps existing workbooks: start from none each round
            began, cpu_began = time.perf_counter(), _children_cpu()
            subprocess.run(
                [sys.executable, "-m", "coachkit", "--home", str(home), "workbook", args.client],
                env=env, check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
            coachkit_runs.append(time.perf_counter() - began)
            cpu["coachkit"] += _children_cpu() - cpu_began

            out = Path(tmp) / f"papermill-{round_}"
            out.mkdir()
            began, cpu_began = time.perf_counter(), _children_cpu()
            for phase in sorted(PHASE_TEMPLATES):
                extra = ["-p", "session_number", str(number)] if phase == 4 else []
                subprocess.run(
                    [str(papermill), str(template_path(phase)), str(out / f"{phase}.ipynb"), "-p", "client_id",
                     args.client, "-p", "home", str(home), *extra, "--no-progress-bar"],
                    env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )  # fmt: skip
            papermill_runs.append(time.perf_counter() - began)
            cpu["papermill"] += _children_cpu() - cpu_began

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    ours, plain = min(coachkit_runs), min(papermill_runs)
    print(f"client {args.client}, 7 phase workbooks, {os.cpu_count()} cores, load {load:.1f}, best of {args.rounds}")
    print(f"coachkit workbook (one warm kernel):  {ours:6.1f} s   runs: {', '.join(f'{t:.1f}' for t in coachkit_runs)}")
    print(
        f"papermill CLI x7 (one kernel each):   {plain:6.1f} s   runs: {', '.join(f'{t:.1f}' for t in papermill_runs)}"
    )
    print(f"ratio: {plain / ours:.1f}x faster (wall time)")
    per_round = {k: v / args.rounds for k, v in cpu.items()}
    print(
        f"CPU time per round (less sensitive to other load): coachkit {per_round['coachkit']:.1f} s, "
        f"papermill {per_round['papermill']:.1f} s, ratio {per_round['papermill'] / per_round['coachkit']:.1f}x"
    )


def _children_cpu() -> float:
    """User + system CPU seconds of every finished child process (kernels included)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
