"""Starting, watching and stopping the dashboard server (a Voilà process of its own).

:func:`start_server` copies the page notebooks into a fresh folder (so nothing else is ever
served), starts :mod:`coachkit.server.app` in a child process with a trimmed environment and
returns a :class:`RunningServer`. :func:`serve` is what ``coachkit serve`` runs: start, say
how to get links, wait, and stop cleanly on Ctrl-C.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import FrameType
from typing import IO, Any

import coachkit
from coachkit.errors import CoachkitError, ValidationError
from coachkit.kernels import PROVISIONER_NAME, jupyter_env, preload_env
from coachkit.links import DEFAULT_HOST, DEFAULT_PORT, PAGES, base_url_for, default_base_url
from coachkit.practice import Practice
from coachkit.server.stopping import stop_process_group

DEFAULT_POOL = 2
WARM_TIMEOUT = 180.0
MAX_POOL = 16
PAGE_WARM_IMPORTS: tuple[str, ...] = (
    "pandas",
    "plotly.graph_objects",
    "ipywidgets",
    "voila.utils",
    "websockets.asyncio.client",
    "coachkit.pages.dashboard",
    "coachkit.pages.sponsor",
    "coachkit.pages.rater",
    "coachkit.pages.web:warm_up",
)
"""What the fork server behind the pages' kernels imports (and warms: plotly's first figure and
its template, coachkit's SVG charts) once, for every page's kernel: a refill then runs only
what is the kernel's own. ``websockets.asyncio.client`` is what a warm kernel's wait for its
visitor connects with (``voila.utils`` imports it only then: 20 ms at every refill)."""
PASSED_ENV = frozenset(
    {
        "PATH",
        "HOME",
        "USER",
        "LOGNAME",
        "SHELL",
        "LANG",
        "LANGUAGE",
        "TZ",
        "TMPDIR",
        "TEMP",
        "TMP",
        "PYTHONPATH",
        "PYTHONDONTWRITEBYTECODE",
        "VIRTUAL_ENV",
        "CONDA_PREFIX",
        "LD_LIBRARY_PATH",
        "IPYTHONDIR",
        "COACHKIT_DB",
        "COACHKIT_DEBUG",
        "COACHKIT_KERNEL_FORK",
    }
)
PASSED_PREFIXES = ("LC_", "JUPYTER_", "XDG_")
"""What the server (and so every kernel, which inherits it) gets of the coach's environment:
what Python and Jupyter need, and the practice's database; no other variable (no cloud keys, no
tokens) reaches a kernel."""


class ServerError(CoachkitError):
    """The dashboard server could not start or stopped unexpectedly."""


def templates_dir() -> Path:
    """The folder with the page templates (the repository's ``templates/``, or the copy
    installed inside the package)."""
    here = Path(coachkit.__file__).resolve().parent
    for candidate in (here / "_templates", here.parent / "templates"):
        if (candidate / PAGES["client"]).is_file():
            return candidate
    raise ServerError("The dashboard templates are missing from this installation of coachkit; reinstall it.")


def prepare_pages(target: Path, source: Path | None = None) -> list[str]:
    """Copy the page notebooks (dashboard, sponsor, and the rater form when there is one) into
    ``target``; returns their names. Nothing else goes there: it is the only folder served."""
    origin = source or templates_dir()
    target.mkdir(parents=True, exist_ok=True)
    names = []
    for page in PAGES.values():
        if (origin / page).is_file():
            shutil.copyfile(origin / page, target / page)
            names.append(page)
    return names


def server_environment(home: Path, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment the server and its kernels run with: :data:`PASSED_ENV` of ``environ``,
    ``COACHKIT_HOME`` set to the practice, this coachkit's source on ``PYTHONPATH`` when it
    runs from a checkout (so kernels run the very code the server runs), and coachkit's kernel
    provisioner as the default one, so each page's kernel is forked warm (:mod:`coachkit.kernels`);
    coachkit's page template (``share/voila/templates/coachkit`` here) is first on Jupyter's path."""
    source = os.environ if environ is None else environ
    env = {k: v for k, v in source.items() if k in PASSED_ENV or k.startswith(PASSED_PREFIXES)}
    env["COACHKIT_HOME"] = str(home)
    env["PYTHONUNBUFFERED"] = "1"
    root = Path(coachkit.__file__).resolve().parents[1]
    if (root / "pyproject.toml").is_file():
        paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
        if str(root) not in paths:
            env["PYTHONPATH"] = os.pathsep.join([str(root), *paths])
    env = jupyter_env(env)
    env["JUPYTER_PATH"] = os.pathsep.join([str(Path(__file__).resolve().parent / "share"), env["JUPYTER_PATH"]])
    env["JUPYTER_DEFAULT_PROVISIONER_NAME"] = PROVISIONER_NAME
    env.update(preload_env(PAGE_WARM_IMPORTS))
    return env


def check_pool(pool: int) -> int:
    """``pool`` if it is a sensible number of warm kernels per page."""
    if not 0 <= pool <= MAX_POOL:
        raise ValidationError("pool", f"must be 0 (no warm kernels) to {MAX_POOL}, not {pool}.")
    return pool


def check_port(port: int, host: str = DEFAULT_HOST) -> int:
    """``port`` if a server can listen on it at ``host`` right now."""
    if not 1 <= port <= 65535:
        raise ValidationError("port", f"must be 1 to 65535, not {port}.")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ServerError(
                f"Cannot listen on {host}:{port} ({exc.strerror or exc.__class__.__name__}); "
                "is another server running there? Choose another port with --port."
            ) from exc
    return port


class RunningServer:
    """A dashboard server running in a child process."""

    def __init__(self, process: subprocess.Popen[bytes], base_url: str, pages_dir: Path) -> None:
        self.process = process
        self.base_url = base_url
        self.pages_dir = pages_dir

    def status(self) -> dict[str, Any] | None:
        """The server's readiness report, or None while it does not answer."""
        try:
            with urllib.request.urlopen(self.base_url + "coachkit/ready", timeout=5) as reply:
                data: dict[str, Any] = json.loads(reply.read())
                return data
        except (OSError, ValueError):
            return None

    def wait_ready(self, timeout: float = 90.0, *, warm: bool = False) -> None:
        """Wait until the server answers (and, with ``warm``, until every pool is full)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(
                    f"The dashboard server stopped at start (exit status {self.process.returncode}); "
                    "is the port already in use?"
                )
            status = self.status()
            if status is not None and (status.get("ready") or not warm):
                return
            time.sleep(0.25)
        raise ServerError(f"The dashboard server did not become ready within {timeout:.0f} seconds.")

    def wait(self) -> int:
        """Block until the server stops by itself; its exit status."""
        return self.process.wait()

    def stop(self, timeout: float = 30.0) -> int:
        """Stop the server (it shuts its kernels down first) and remove the served folder."""
        try:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGINT)
                try:
                    self.process.wait(timeout)
                except subprocess.TimeoutExpired:
                    self.process.terminate()
                    try:
                        self.process.wait(10)
                    except subprocess.TimeoutExpired:
                        self.process.kill()
                        self.process.wait()
            return self.process.returncode
        finally:
            shutil.rmtree(self.pages_dir, ignore_errors=True)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_server(
    home: Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    pool: int = DEFAULT_POOL,
    output: IO[bytes] | int | None = None,
    pages_source: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> RunningServer:
    """Start the dashboard server for the practice in ``home`` and return at once (see
    :meth:`RunningServer.wait_ready`). ``output`` receives the server's log (default: ours);
    ``environ`` is the environment to start from (default: ours, trimmed by
    :func:`server_environment`)."""
    check_pool(pool)
    check_port(port, host)
    pages_dir = Path(tempfile.mkdtemp(prefix="coachkit-pages-"))
    if not prepare_pages(pages_dir, pages_source):
        raise ServerError("There is no page to serve.")
    command = [
        sys.executable,
        "-m",
        "coachkit.server",
        f"--pages-dir={pages_dir}",
        f"--host={host}",
        f"--port={port}",
        f"--pool={pool}",
        f"--parent-pid={os.getpid()}",
    ]
    process = subprocess.Popen(
        command,
        cwd=pages_dir,
        env=server_environment(home, environ),
        stdin=subprocess.DEVNULL,
        stdout=output,
        stderr=subprocess.STDOUT if output is not None else None,
        start_new_session=True,  # Ctrl-C reaches us only; we stop the server in order
    )
    return RunningServer(process, base_url_for(host, port), pages_dir)


def serve(
    practice: Practice,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    pool: int = DEFAULT_POOL,
    *,
    say: Callable[[str], None] = print,
    on_ready: Callable[[RunningServer], None] | None = None,
) -> int:
    """Serve the practice's dashboards until Ctrl-C (or SIGTERM): the server is then stopped
    within about two seconds and KeyboardInterrupt raised on, for the caller to say so."""
    server = start_server(practice.home, host=host, port=port, pool=pool)
    with _sigterm_as_interrupt():
        try:
            server.wait_ready()
            say(f"Serving the private pages of {practice.home}")
            say(f"  at {server.base_url} (pages: {', '.join(page_names_of(server))}; {pool} warm kernel(s) each)")
            hint = "" if server.base_url == default_base_url() else f" --base-url {server.base_url}"
            say(f"Links: `coachkit link CLIENT{hint}` for a client, `--for sponsor` for their sponsor;")
            say("        `coachkit link list CLIENT` shows them, `coachkit link revoke LINK_ID` ends one.")
            if on_ready is not None:
                on_ready(server)
            say("Press Ctrl-C to stop.")
            with contextlib.suppress(ServerError):
                server.wait_ready(timeout=WARM_TIMEOUT, warm=True)
                if pool:
                    say("Warm kernels ready: a page no longer waits for Python to start.")
            status = server.wait()
            raise ServerError(f"The dashboard server stopped unexpectedly (exit status {status}).")
        except KeyboardInterrupt:  # stopped within seconds (see coachkit.server.stopping), then said by the caller
            stop_process_group(server.process)
            raise
        finally:
            server.stop()


def page_names_of(server: RunningServer) -> list[str]:
    """The page notebooks a server serves."""
    return sorted(p.stem for p in server.pages_dir.glob("*.ipynb"))


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Ctrl-C (even where a shell started us with SIGINT ignored) and SIGTERM both stop the
    server in order."""

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        previous = (signal.signal(signal.SIGTERM, interrupt), signal.signal(signal.SIGINT, interrupt))
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])


def free_port(host: str = DEFAULT_HOST) -> int:
    """A port the OS says is free right now on ``host``."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])
