"""Benchmark: ``coachkit report --all`` against a plain loop of the papermill CLI plus
``jupyter nbconvert --to html --no-input`` per client, on the same demo practice, in one run.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_reports.py            # 40 synthetic clients
    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_reports.py --clients 5 --pdf

Prints the wall times, the ratio, and where coachkit's time goes (kernel start, warm-up,
execution, export, PDF). coachkit is timed before and after the plain loop and the ratio uses
the mean of both, so a machine whose load changes during the long loop skews it less.
``--baseline-clients K`` times the plain loop on the first K clients only and scales it up (it is
linear: one process pair per client); the output says so. Run by hand; never in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TODAY = "2026-11-21"

CHILD = """
import json, sys, time
began = time.perf_counter()
from datetime import date
from coachkit.practice import open_practice
from coachkit.reports import write_reports
from coachkit.services.reports import clients_with_engagement
imported = time.perf_counter() - began
with open_practice(sys.argv[1]) as practice:
    ids = clients_with_engagement(practice)
    summary = write_reports(practice, ids, formats=sys.argv[2].split(","), report_date=date.fromisoformat(sys.argv[3]))
t = summary.timings
print(json.dumps({"imports": imported, "reports": len(summary.outcomes), "failed": len(summary.failed),
                  "kernel_start": t.kernel_start, "warm_up": t.warm_up, "execute": t.execute,
                  "export": t.export, "pdf": t.pdf, "wall": t.wall}))
"""


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


CPU: dict[str, float] = {}
"""CPU seconds (user + system) of the last :func:`run`, the command and every process it waited for."""


def run(cmd: list[str], env: dict[str, str]) -> float:
    """Run ``cmd``; its wall time (its CPU time is left in ``CPU["last"]``)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU["last"] = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=40, help="synthetic clients added to the demo (default 40)")
    parser.add_argument("--pdf", action="store_true", help="also time coachkit with --format html,pdf")
    parser.add_argument("--skip-baseline", action="store_true", help="time coachkit only")
    parser.add_argument(
        "--unforked", action="store_true", help="also time coachkit with COACHKIT_KERNEL_FORK=0 (ordinary kernels)"
    )
    parser.add_argument(
        "--baseline-clients", type=int, metavar="K", help="time the plain loop on K clients and scale it to all"
    )
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # each figure as it comes
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    env.pop("COACHKIT_DB", None)
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        home = Path(tmp) / "practice"
        coachkit = [sys.executable, "-m", "coachkit", "--home", str(home)]
        subprocess.run(
            [*coachkit, "demo", "--clients", str(args.clients), "--today", TODAY],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        ids = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from coachkit.practice import open_practice; from coachkit.services.reports "
                "import clients_with_engagement; p = open_practice(sys.argv[1]); print(*clients_with_engagement(p))",
                str(home),
            ],
            check=True,
            env=env,
            capture_output=True,
            text=True,
        ).stdout.split()
        n = len(ids)
        print(f"{n} clients, audience client, report date {TODAY}, {os.cpu_count()} cores, {load()}")

        ours = run([*coachkit, "report", "--all", "--date", TODAY], env)
        cpu_ours = CPU["last"]
        print(
            f"coachkit report --all (html):            {ours:7.1f} s  ({ours / n:.2f} s a report; "
            f"CPU {cpu_ours:.1f} s; {load()})"
        )
        detail = json.loads(
            subprocess.run(
                [sys.executable, "-c", CHILD, str(home), "html", TODAY],
                check=True,
                env=env,
                capture_output=True,
                text=True,
            ).stdout
        )
        print(
            "  where the time goes (library run, same batch): imports {imports:.1f} s, wall {wall:.1f} s; summed "
            "over parallel kernels: kernel start {kernel_start:.1f} s, warm-up {warm_up:.1f} s, execution "
            "{execute:.1f} s; export {export:.1f} s".format(**detail)
        )
        workers = os.cpu_count() or 1
        limit = detail["execute"] / workers
        print(
            f"  the limit (the reports executed in kernels already warm, {workers} at once): {limit:.1f} s; "
            f"coachkit's wall time is {ours / limit:.1f}x that"
        )
        if args.unforked:
            unforked = run([*coachkit, "report", "--all", "--date", TODAY], {**env, "COACHKIT_KERNEL_FORK": "0"})
            each = unforked / n
            print(
                f"coachkit report --all, ordinary kernels: {unforked:7.1f} s  ({each:.2f} s a report; "
                f"CPU {CPU['last']:.1f} s; {load()})"
            )
        if detail["failed"]:
            print(f"  !! {detail['failed']} reports failed")
        if args.pdf:
            with_pdf = run([*coachkit, "report", "--all", "--format", "html,pdf", "--date", TODAY], env)
            print(f"coachkit report --all --format html,pdf: {with_pdf:7.1f} s  ({with_pdf / n:.2f} s a report)")
            pdf = json.loads(
                subprocess.run(
                    [sys.executable, "-c", CHILD, str(home), "html,pdf", TODAY],
                    check=True,
                    env=env,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            print("  PDF printing, summed over pages (incl. waiting for a page slot): {pdf:.1f} s".format(**pdf))
        if args.skip_baseline:
            return
        sample = ids[: args.baseline_clients] if args.baseline_clients else ids
        out = Path(tmp) / "baseline"
        out.mkdir()
        template = ROOT / "templates" / "report.ipynb"
        paper = convert = cpu_plain = 0.0
        began = time.perf_counter()
        for client_id in sample:
            nb = out / f"{client_id}.ipynb"
            paper += run(
                [
                    str(BIN / "papermill"),
                    str(template),
                    str(nb),
                    "-p",
                    "client_id",
                    client_id,
                    "-p",
                    "home",
                    str(home),
                    "-p",
                    "audience",
                    "client",
                    "-p",
                    "report_date",
                    TODAY,
                    "--no-progress-bar",
                ],
                env,
            )
            cpu_plain += CPU["last"]
            convert += run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb)], env)
            cpu_plain += CPU["last"]
        plain = (time.perf_counter() - began) * n / len(sample)
        k = len(sample)
        scaled = "" if k == n else f" (measured on {k} clients, scaled to {n})"
        print(
            f"plain loop (papermill CLI + nbconvert CLI): {plain:7.1f} s  ({plain / n:.2f} s a report: "
            f"papermill {paper / k:.2f} s, nbconvert {convert / k:.2f} s){scaled}; CPU {cpu_plain * n / k:.1f} s; "
            f"{load()}"
        )
        again = run([*coachkit, "report", "--all", "--date", TODAY], env)
        print(f"coachkit report --all (html), again:     {again:7.1f} s  (CPU {CPU['last']:.1f} s; {load()})")
        cpu_mean = (cpu_ours + CPU["last"]) / 2
        mean = (ours + again) / 2
        print(
            f"ratio: coachkit is {plain / mean:.1f}x faster (mean of its two runs; {plain / max(ours, again):.1f}x "
            "against the slower one)"
        )
        print(f"CPU ratio: coachkit uses {cpu_plain * n / k / cpu_mean:.1f}x less CPU time (mean of its two runs)")


if __name__ == "__main__":
    main()
