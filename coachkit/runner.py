"""Run notebooks fast on kernels started and warmed ahead of time.

Jobs come in *groups*: every job of a group runs, in order, on one kernel of its own, and that
kernel is shut down afterwards, so nothing can leak from one group to the next (a group is one
client). Up to ``workers`` groups run at once; while they run, the next kernels are already
starting. Kernels run on coachkit's kernelspec (:mod:`coachkit.kernels`): each is a fork of a
fork server that imported the caller's warm-up modules once, so a kernel is ready in a fraction
of a second (an ordinary kernel where forking is not possible). Kernels talk over IPC sockets in
a private runtime folder, so parallel starts never race for TCP ports.

Parameters (:class:`NotebookParameters`, the one boundary between coachkit and its notebooks)
are injected with papermill's own ``parameterize_notebook`` (values escaped by papermill; the
names are the dataclass's fields, never a user's words), and cells are executed by nbclient, the
engine papermill itself uses. A job that fails carries a :class:`RunError` (what kind of failure,
and the exception's name when a cell raised), never a sentence to parse.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import copy
import dataclasses
import functools
import importlib
import os
import shutil
import signal
import tempfile
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Coroutine, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal, ParamSpec, TypeVar

from jupyter_client.manager import AsyncKernelManager

from coachkit.kernels import KERNEL_NAME, kernel_spec_manager, preload_env
from coachkit.kernels.client import until_ready

if TYPE_CHECKING:
    from jupyter_client.asynchronous.client import AsyncKernelClient
    from nbformat import NotebookNode

T = TypeVar("T")
P = ParamSpec("P")

BASE_WARM_IMPORTS: tuple[str, ...] = ("pandas", "plotly.graph_objects", "ipywidgets")
"""What every coachkit notebook imports, whoever runs it; callers add their page modules."""

ParameterValue = str | int
RunErrorKind = Literal["cell", "timeout", "kernel-died", "kernel-start", "prepare"]


@dataclasses.dataclass(frozen=True)
class NotebookParameters:
    """What coachkit passes into a notebook: the ``parameters`` cell of every template names
    (some of) these fields with their defaults, and papermill injects the values given here.
    ``today`` is the day the notebook counts from (workbooks); ``report_date`` the date a report
    is made as of; ``audience`` whom a report is for; ``session_number`` the session of phase 4."""

    client_id: str = ""
    home: str = "."
    today: date | None = None
    report_date: date | None = None
    audience: str = ""
    session_number: int = 0

    def values(self) -> dict[str, ParameterValue]:
        """The values to inject: ``client_id`` and ``home`` always, the others when set (dates
        as ``YYYY-MM-DD``, the way papermill's CLI would pass them)."""
        chosen: dict[str, ParameterValue] = {"client_id": self.client_id, "home": self.home}
        for field in dataclasses.fields(self)[2:]:
            value = getattr(self, field.name)
            if value not in (None, "", 0):
                chosen[field.name] = value.isoformat() if isinstance(value, date) else value
        return chosen


@dataclasses.dataclass(frozen=True)
class RunError:
    """Why a job did not run to its end: ``kind`` (a cell raised, a cell ran too long, the
    kernel died, the kernel did not start, the notebook could not be prepared or written) and
    ``ename``, the name of the exception (the cell's, or the runner's own)."""

    kind: RunErrorKind
    ename: str = ""
    timeout: int = 0

    def __str__(self) -> str:
        if self.kind == "cell":
            return f"a cell failed ({self.ename})"
        if self.kind == "timeout":
            return f"a cell ran longer than {self.timeout} s"
        if self.kind == "kernel-died":
            return "the kernel stopped"
        if self.kind == "kernel-start":
            return f"the kernel could not start ({self.ename})"
        return f"{self.ename} while preparing or writing the notebook"


@dataclasses.dataclass(frozen=True)
class NotebookJob:
    """One notebook to run: a template, its parameters, and where to write the result."""

    template: Path
    parameters: NotebookParameters
    group: str
    output: Path | None = None


@dataclasses.dataclass
class JobResult:
    """What became of a job: the executed notebook, or why it failed."""

    job: NotebookJob
    notebook: NotebookNode | None
    error: RunError | None
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
    kc: AsyncKernelClient


def warm_code(imports: Sequence[str]) -> str:
    """The code a kernel runs before its first job: the modules of ``imports`` (``module`` or
    ``module:function``; the function is the fork server's one-time warm-up and is not called
    again here), imported under no name of the notebook's."""
    modules = dict.fromkeys(name.partition(":")[0] for name in imports)
    if not modules:
        return ""
    return "\n".join([*(f"__import__({module!r})" for module in modules), "None"])


class KernelPool:
    """Kernels started and warmed ahead of time; each serves one group and is then shut down."""

    def __init__(
        self, *, cwd: Path, warm_imports: Sequence[str] = BASE_WARM_IMPORTS, env: dict[str, str] | None = None
    ) -> None:
        self.cwd = cwd
        # A forked kernel has these imported already (the fork server did); an ordinary one
        # imports them here, before its first job, so both are warm when the job begins.
        self.warm_code = warm_code(warm_imports)
        self.env = {**os.environ, **preload_env(warm_imports), **(env or {})}
        self.specs = kernel_spec_manager()
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
        km = AsyncKernelManager(kernel_name=KERNEL_NAME, transport="ipc", kernel_spec_manager=self.specs)
        km.ip = str(self.runtime / f"k{name}")
        km.connection_file = str(self.runtime / f"k{name}.json")
        await km.start_kernel(cwd=str(self.cwd), env=self.env)
        kc = km.client()
        kc.start_channels()
        await until_ready(kc, 120)  # not kc.wait_for_ready: it waits 0.2 s more for silence
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


def _ignore(_msg: dict[str, object]) -> None:
    return None


def _load_engine() -> None:
    """Import papermill, nbclient and nbformat: seconds of work (nbformat's JSON-schema checks
    load at import), done in a thread while the first kernels start, not before."""
    for name in ("nbclient", "papermill.iorw", "papermill.parameterize"):
        importlib.import_module(name)


def prepare(template: Path, parameters: NotebookParameters) -> NotebookNode:
    """The template with papermill's ``injected-parameters`` cell (its code hidden) after its
    ``parameters`` cell."""
    from nbformat import NotebookNode
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(template))  # papermill's loader: every cell gets its tags list
    prepared = parameterize_notebook(copy.deepcopy(nb), parameters.values(), kernel_name="python3", language="python")
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
            result = JobResult(job, None, RunError("kernel-start", exc.__class__.__name__), 0.0)
            results.append(result)
            done(result)
        return results
    try:
        for job in jobs:
            began = time.perf_counter()
            notebook: NotebookNode | None = None
            error: RunError | None = None
            try:
                nb = prepare(job.template, job.parameters)
                client = NotebookClient(nb, km=kernel.km, timeout=timeout, kernel_name=KERNEL_NAME)
                client.kc = kernel.kc  # the warm kernel's client; nbclient keeps it (it does not own km)
                notebook = await client.async_execute()
                if job.output is not None:
                    write_notebook(notebook, job.output)
            except CellExecutionError as exc:
                error = RunError("cell", str(exc.ename))
                notebook = None
            except CellTimeoutError:
                error = RunError("timeout", "CellTimeoutError", timeout)
            except DeadKernelError:
                error = RunError("kernel-died", "DeadKernelError")
            except (OSError, ValueError, KeyError, nbformat.ValidationError) as exc:
                error = RunError("prepare", exc.__class__.__name__)
            seconds = time.perf_counter() - began
            pool.timings.execute += seconds
            result = JobResult(job, notebook, error, seconds)
            results.append(result)
            done(result)
            if error is not None and error.kind == "kernel-died":
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
    warm_imports: Sequence[str] = BASE_WARM_IMPORTS,
    env: dict[str, str] | None = None,
    on_result: Callable[[JobResult], None] | None = None,
    timings: Timings | None = None,
) -> list[JobResult]:
    """Run ``jobs``: groups in parallel on fresh warm kernels, jobs of a group in order.
    ``workers`` groups at once (default: the number of cores); ``timeout`` seconds a cell;
    ``warm_imports`` what every kernel has imported before its first job (``module`` or
    ``module:function``); ``env`` added to the kernels' environment; ``on_result`` called with
    each result as it comes; ``timings`` summed into."""
    groups: dict[str, list[NotebookJob]] = {}
    for job in jobs:
        groups.setdefault(job.group, []).append(job)
    width = max(1, min(workers or os.cpu_count() or 2, len(groups) or 1))
    pool = KernelPool(cwd=cwd, warm_imports=warm_imports, env=env)
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


def synchronous(run: Callable[P, Coroutine[object, object, T]], name: str) -> Callable[P, T]:
    """``run`` as a plain function called ``name`` with the same arguments: its coroutine is run
    to the end by :func:`run_to_end`."""

    @functools.wraps(run)
    def run_here(*args: P.args, **kwargs: P.kwargs) -> T:
        return run_to_end(lambda: run(*args, **kwargs))

    run_here.__name__ = run_here.__qualname__ = name
    run_here.__doc__ = f"Synchronous :func:`{run.__name__}` (arguments as there), by way of :func:`run_to_end`."
    return run_here


run_notebooks = synchronous(run_async, "run_notebooks")


def run_to_end(make: Callable[[], Coroutine[object, object, T]]) -> T:
    """Run the coroutine ``make()`` to its end and return its result. Where this thread already
    runs an event loop (inside a notebook, or beside Playwright's sync API) ``asyncio.run`` would
    refuse, so the coroutine then runs on a loop of its own in a worker thread (callbacks are
    called from that thread)."""
    # nbclient hands SIGTERM to its loop while a kernel runs and leaves it at the default when
    # done: the process's own handlers (the CLI's Ctrl-C and SIGTERM handling) are put back.
    main = threading.current_thread() is threading.main_thread()
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)} if main else {}
    try:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(make())
        with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="coachkit-runner") as worker:
            return worker.submit(lambda: asyncio.run(make())).result()
    finally:
        for sig, handler in saved.items():
            if handler is not None:
                signal.signal(sig, handler)
