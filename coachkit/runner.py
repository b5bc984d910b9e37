"""Run notebooks fast on kernels started and warmed ahead of time.

Jobs come in *groups*: every job of a group runs, in order, on one kernel of its own, and that
kernel is shut down afterwards, so nothing can leak from one group to the next (a group is one
client). Up to ``workers`` groups run at once; while they run, the next kernels are already
starting and importing what the notebooks need. Kernels talk over IPC sockets in a private
runtime folder, so parallel starts never race for TCP ports.

Parameters are injected with papermill's own ``parameterize_notebook`` (values escaped by
papermill; parameter *names* come only from coachkit's code, never from a user or a URL), and
cells are executed by nbclient, the engine papermill itself uses.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import copy
import dataclasses
import importlib
import os
import shutil
import tempfile
import time
import uuid
from collections import deque
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from jupyter_client.manager import AsyncKernelManager

if TYPE_CHECKING:
    from nbformat import NotebookNode

T = TypeVar("T")

WARM_CODE = "import coachkit.pages, coachkit.charts.progress, coachkit.forms.between, plotly.graph_objects, ipywidgets"
"""What a kernel imports before its first job: the heavy part of every coachkit notebook."""


@dataclasses.dataclass(frozen=True)
class NotebookJob:
    """One notebook to run: a template, its parameters, and where to write the result."""

    template: Path
    parameters: dict[str, Any]
    group: str
    output: Path | None = None


@dataclasses.dataclass
class JobResult:
    """What became of a job: the executed notebook, or a plain reason it failed."""

    job: NotebookJob
    notebook: NotebookNode | None
    error: str | None
    seconds: float

    @property
    def ok(self) -> bool:
        """True when every cell ran."""
        return self.error is None


@dataclasses.dataclass
class Timings:
    """Where the time went, in seconds summed over all kernels and jobs."""

    kernel_start: float = 0.0
    warm_up: float = 0.0
    execute: float = 0.0


@dataclasses.dataclass
class _Kernel:
    km: AsyncKernelManager
    kc: Any


class KernelPool:
    """Kernels started and warmed ahead of time; each serves one group and is then shut down."""

    def __init__(self, *, cwd: Path, warm_code: str = WARM_CODE, env: dict[str, str] | None = None) -> None:
        self.cwd = cwd
        self.warm_code = warm_code
        self.env = {**os.environ, **(env or {})}
        self.env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        self.env.setdefault("JUPYTER_PLATFORM_DIRS", "1")
        self.runtime = Path(tempfile.mkdtemp(prefix="coachkit-kernels-"))
        self.timings = Timings()
        self._starting: deque[asyncio.Task[_Kernel]] = deque()

    def prestart(self, count: int) -> None:
        """Begin starting ``count`` more kernels in the background."""
        for _ in range(count):
            self._starting.append(asyncio.ensure_future(self._start()))

    async def take(self) -> _Kernel:
        """The next warm kernel (starting one if none is on the way)."""
        if not self._starting:
            self.prestart(1)
        return await self._starting.popleft()

    async def _start(self) -> _Kernel:
        began = time.perf_counter()
        name = uuid.uuid4().hex[:8]
        km = AsyncKernelManager(kernel_name="python3", transport="ipc")
        km.ip = str(self.runtime / f"k{name}")
        km.connection_file = str(self.runtime / f"k{name}.json")
        await km.start_kernel(cwd=str(self.cwd), env=self.env)
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=120)
        started = time.perf_counter()
        self.timings.kernel_start += started - began
        if self.warm_code:
            reply = await kc.execute_interactive(self.warm_code, store_history=False, timeout=120, output_hook=_ignore)
            if reply["content"]["status"] != "ok":
                raise RuntimeError("the kernel could not import coachkit")
        self.timings.warm_up += time.perf_counter() - started
        return _Kernel(km, kc)

    async def release(self, kernel: _Kernel) -> None:
        """Shut a used kernel down for good."""
        kernel.kc.stop_channels()
        await kernel.km.shutdown_kernel(now=True)

    async def close(self) -> None:
        """Shut down every kernel still starting or waiting, and remove the runtime folder."""
        while self._starting:
            task = self._starting.popleft()
            with contextlib.suppress(Exception):  # a kernel that failed to start needs no shutdown
                await self.release(await task)
        shutil.rmtree(self.runtime, ignore_errors=True)


def _ignore(_msg: dict[str, Any]) -> None:
    return None


def _load_engine() -> None:
    """Import papermill, nbclient and nbformat: seconds of work (nbformat's JSON-schema checks
    load at import), done in a thread while the first kernels start, not before."""
    for name in ("nbclient", "papermill.iorw", "papermill.parameterize"):
        importlib.import_module(name)


def prepare(template: Path, parameters: dict[str, Any]) -> NotebookNode:
    """The template with papermill's ``injected-parameters`` cell (its code hidden) after its
    ``parameters`` cell."""
    from nbformat import NotebookNode
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(template))  # papermill's loader: every cell gets its tags list
    prepared = parameterize_notebook(copy.deepcopy(nb), parameters, kernel_name="python3", language="python")
    assert isinstance(prepared, NotebookNode)
    for cell in prepared.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            # Parameters are code: keep them out of sight like the template's own cells.
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
            cell.metadata["tags"] = [*cell.metadata["tags"], "hide-input"]
    return prepared


async def _run_group(
    pool: KernelPool, jobs: list[NotebookJob], timeout: int, done: Callable[[JobResult], None]
) -> list[JobResult]:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    results: list[JobResult] = []
    try:
        kernel = await pool.take()
    except Exception as exc:  # this group fails with a plain reason; the other groups go on
        for job in jobs:
            result = JobResult(job, None, f"the kernel could not start ({exc.__class__.__name__})", 0.0)
            results.append(result)
            done(result)
        return results
    try:
        for job in jobs:
            began = time.perf_counter()
            notebook: NotebookNode | None = None
            error: str | None = None
            try:
                nb = prepare(job.template, job.parameters)
                client = NotebookClient(nb, km=kernel.km, timeout=timeout, kernel_name="python3")
                client.kc = kernel.kc  # the warm kernel's client; nbclient keeps it (it does not own km)
                notebook = await client.async_execute()
                if job.output is not None:
                    write_notebook(notebook, job.output)
            except CellExecutionError as exc:
                error = f"a cell failed ({exc.ename})"
                notebook = None
            except CellTimeoutError:
                error = f"a cell ran longer than {timeout} s"
            except DeadKernelError:
                error = "the kernel stopped"
            except (OSError, ValueError, KeyError, nbformat.ValidationError) as exc:
                error = f"{exc.__class__.__name__} while preparing or writing the notebook"
            seconds = time.perf_counter() - began
            pool.timings.execute += seconds
            result = JobResult(job, notebook, error, seconds)
            results.append(result)
            done(result)
            if error == "the kernel stopped":
                break
    finally:
        await pool.release(kernel)
    return results


def write_notebook(nb: NotebookNode, path: Path) -> None:
    """Write a notebook atomically (a half-written file is never left behind)."""
    import nbformat

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:6]}.tmp")
    nbformat.write(nb, tmp)  # type: ignore[no-untyped-call]
    os.replace(tmp, path)


async def run_async(
    jobs: Sequence[NotebookJob],
    *,
    cwd: Path,
    workers: int | None = None,
    timeout: int = 600,
    warm_code: str = WARM_CODE,
    env: dict[str, str] | None = None,
    on_result: Callable[[JobResult], None] | None = None,
    timings: Timings | None = None,
) -> list[JobResult]:
    """Run ``jobs``: groups in parallel on fresh warm kernels, jobs of a group in order."""
    groups: dict[str, list[NotebookJob]] = {}
    for job in jobs:
        groups.setdefault(job.group, []).append(job)
    width = max(1, min(workers or os.cpu_count() or 2, len(groups) or 1))
    pool = KernelPool(cwd=cwd, warm_code=warm_code, env=env)
    pool.prestart(min(width, len(groups)))
    engine = asyncio.ensure_future(asyncio.to_thread(_load_engine))
    gate = asyncio.Semaphore(width)
    pending = len(groups)

    def done(result: JobResult) -> None:
        if on_result is not None:
            on_result(result)

    async def one(group_jobs: list[NotebookJob]) -> list[JobResult]:
        nonlocal pending
        async with gate:
            pending -= 1
            # While this group runs, the kernel for a waiting group warms up.
            if pending >= width:
                pool.prestart(1)
            await engine
            return await _run_group(pool, group_jobs, timeout, done)

    try:
        nested = await asyncio.gather(*(one(g) for g in groups.values()))
    finally:
        await pool.close()
        if timings is not None:
            timings.kernel_start += pool.timings.kernel_start
            timings.warm_up += pool.timings.warm_up
            timings.execute += pool.timings.execute
    by_job = {id(r.job): r for rs in nested for r in rs}
    return [by_job[id(j)] for j in jobs if id(j) in by_job]


def run_notebooks(jobs: Sequence[NotebookJob], **options: Any) -> list[JobResult]:
    """Synchronous :func:`run_async` (options as there), by way of :func:`run_to_end`."""
    return run_to_end(lambda: run_async(jobs, **options))


def run_to_end(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run the coroutine ``make()`` to its end and return its result. Where this thread already
    runs an event loop (inside a notebook, or beside Playwright's sync API) ``asyncio.run`` would
    refuse, so the coroutine then runs on a loop of its own in a worker thread (callbacks are
    called from that thread)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="coachkit-runner") as worker:
        return worker.submit(lambda: asyncio.run(make())).result()
