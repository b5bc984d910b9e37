"""Benchmark: kernels forked from coachkit's fork server against ordinary kernels, in one run.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_kernels.py                 # start + memory
    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_kernels.py --batch 200     # and 200 reports

*Start*: kernels started one after the other, each to its first answer with the report page's
imports done (``start_kernel`` + ``until_ready`` + the warm-up imports), taken in turns
ordinary/forked; median wall time, and the CPU time the kernel process itself used.
*Memory*: ten kernels at once, each having drawn a report's chart (as ten clients opening their
pages would), RSS and PSS (proportional set size: shared pages split among the sharers) per
kernel, ordinary against forked, and the swap in use before and after.
*Batch*: ``write_reports`` for ``--batch`` clients (a demo practice with synthetic clients) while
the PSS of every kernel is sampled: the peak total, and whether swap grew.
Prints the load average with every figure. Run by hand; never in the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WARM = ("pandas", "plotly.graph_objects", "ipywidgets", "coachkit.pages.report:warm_up")
DRAW = "import coachkit.pages.report as r\nr.warm_up()"


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} on {os.cpu_count()} CPUs"


def memory_of(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process in KiB."""
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0])
    return fields["Rss"], fields["Pss"]


def cpu_seconds(pid: int) -> float:
    parts = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")


def swap_used_kib() -> int:
    info = {
        k: int(v.split()[0]) for k, v in (line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
    }
    return info["SwapTotal"] - info["SwapFree"]


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        children = []
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                continue
        found.extend(children)
        todo.extend(children)
    return found


def _quiet(_msg: dict[str, Any]) -> None:
    return None


class Kernels:
    """Start kernels on coachkit's kernelspec, forked or ordinary."""

    def __init__(self) -> None:
        from coachkit.kernels import kernel_spec_manager

        self.specs = kernel_spec_manager()
        self.runtime = tempfile.mkdtemp(prefix="bench-kernels-")
        self.count = 0

    async def start(self, fork: bool) -> tuple[Any, Any, float]:
        from jupyter_client.manager import AsyncKernelManager

        from coachkit.kernels import FORK_ENV, KERNEL_NAME, preload_env
        from coachkit.kernels.client import until_ready
        from coachkit.runner import warm_code

        self.count += 1
        began = time.perf_counter()
        km = AsyncKernelManager(kernel_name=KERNEL_NAME, transport="ipc", kernel_spec_manager=self.specs)
        km.ip = os.path.join(self.runtime, f"k{self.count}")
        km.connection_file = os.path.join(self.runtime, f"k{self.count}.json")
        env = {**os.environ, **preload_env(WARM), FORK_ENV: "1" if fork else "0"}
        await km.start_kernel(cwd=self.runtime, env=env)
        kc = km.client()
        kc.start_channels()
        await until_ready(kc, 300)  # as coachkit waits: not jupyter_client's 0.2 s of silence
        await kc.execute_interactive(warm_code(WARM), timeout=300, store_history=False, output_hook=_quiet)
        return km, kc, time.perf_counter() - began

    @staticmethod
    async def stop(km: Any, kc: Any) -> None:
        kc.stop_channels()
        await km.shutdown_kernel(now=True)


async def bench_start(rounds: int) -> None:
    kernels = Kernels()
    km, kc, first = await kernels.start(True)  # starts the fork server: reported apart
    await kernels.stop(km, kc)
    print(f"fork server start + first forked kernel: {first:.2f} s ({load()})")
    wall: dict[bool, list[float]] = {True: [], False: []}
    cpu: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(rounds):
        for fork in (False, True):
            km, kc, seconds = await kernels.start(fork)
            wall[fork].append(seconds)
            cpu[fork].append(cpu_seconds(km.provisioner.pid))
            await kernels.stop(km, kc)
    for fork, name in ((False, "ordinary"), (True, "forked  ")):
        print(
            f"kernel start to warm ({name}): median {statistics.median(wall[fork]):.2f} s wall, "
            f"{statistics.median(cpu[fork]):.2f} s CPU in the kernel (n={rounds})"
        )
    ratio = statistics.median(wall[False]) / statistics.median(wall[True])
    print(f"  forked is {ratio:.1f}x faster to a warm kernel ({load()})")


async def bench_memory(count: int) -> None:
    kernels = Kernels()
    for fork in (False, True):
        swap_before = swap_used_kib()
        started = await asyncio.gather(*(kernels.start(fork) for _ in range(count)))
        for _, kc, _ in started:
            await kc.execute_interactive(DRAW, timeout=300, store_history=False, output_hook=_quiet)
        sizes = [memory_of(km.provisioner.pid) for km, _, _ in started]
        rss = statistics.mean(s[0] for s in sizes) / 1024
        pss = statistics.mean(s[1] for s in sizes) / 1024
        name = "forked  " if fork else "ordinary"
        print(
            f"{count} {name} kernels at once: RSS {rss:.0f} MiB, PSS {pss:.0f} MiB a kernel "
            f"(PSS total {pss * count:.0f} MiB); swap {swap_before // 1024} -> {swap_used_kib() // 1024} MiB ({load()})"
        )
        for km, kc, _ in started:
            await kernels.stop(km, kc)


def bench_batch(clients: int) -> None:
    from coachkit import demo
    from coachkit.practice import init_practice
    from coachkit.reports import write_reports
    from coachkit.services.reports import clients_with_engagement

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:  # noqa: SIM117
        with init_practice(Path(tmp) / "practice") as practice:
            demo.build_demo(practice, today=date(2026, 11, 21), synthetic=clients)
            ids = clients_with_engagement(practice)
            peak = [0, 0]
            swap_before = swap_used_kib()
            done = threading.Event()

            def sample() -> None:
                while not done.wait(0.5):
                    total = count = 0
                    for pid in descendants(os.getpid()):
                        try:
                            total += memory_of(pid)[1]
                            count += 1
                        except (OSError, KeyError, ValueError):
                            continue
                    if total > peak[0]:
                        peak[:] = [total, count]

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            began = time.perf_counter()
            summary = write_reports(practice, ids, report_date=date(2026, 11, 21))
            wall = time.perf_counter() - began
            done.set()
            sampler.join()
            t = summary.timings
            print(
                f"batch of {len(ids)} reports: {wall:.1f} s ({wall / len(ids):.2f} s a report), "
                f"{len(summary.failed)} failed; kernel start {t.kernel_start:.1f} s, warm-up {t.warm_up:.1f} s, "
                f"execution {t.execute:.1f} s summed over kernels ({load()})"
            )
            print(
                f"  peak PSS of all child processes (fork server, kernels, Chromium if any): "
                f"{peak[0] / 1024:.0f} MiB in {peak[1]} processes; swap {swap_before // 1024} -> "
                f"{swap_used_kib() // 1024} MiB"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="kernel starts of each kind (default 5)")
    parser.add_argument("--at-once", type=int, default=10, help="kernels at once for memory (default 10)")
    parser.add_argument("--batch", type=int, default=0, help="also run a batch of this many reports")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    print(f"{load()}; python {sys.version.split()[0]}; {subprocess.check_output(['uname', '-sr'], text=True).strip()}")
    asyncio.run(bench_start(args.rounds))
    asyncio.run(bench_memory(args.at_once))
    if args.batch:
        bench_batch(args.batch)


if __name__ == "__main__":
    main()
