"""The fork server: one process that imports what coachkit notebooks need, once, and forks kernels.

It runs as ``python -m coachkit.kernels.forkserver --socket PATH --parent PID [MODULE ...]``. At
start it imports ipykernel and every ``MODULE`` (``module`` or ``module:function``, the function
called with no argument after the import), checks that it runs no thread but its own, and listens
on a Unix socket that only its user may open. Each request (one JSON line, with the kernel's
stdin, stdout and stderr passed as file descriptors) is answered by a fork: the child leaves the
server's session, closes every socket of the server, takes the request's environment, folder and
standard streams, and becomes an ipykernel on the request's connection file. The server writes
the child's pid on the request's connection, keeps that connection open, and writes the exit code
there once it has reaped the child; this is how the kernel's owner learns that it ended.

The server holds no client data: it only imports code, and what a kernel loads later (a client's
records, the notebook's values) lives in that kernel's own memory. It stops when its parent ends,
ending its kernels first.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import importlib
import json
import os
import random
import selectors
import signal
import socket
import sys
import threading
import traceback
from collections.abc import Sequence
from typing import NoReturn

PRELOAD_ALWAYS: tuple[str, ...] = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.comm",
    "ipykernel.debugger",
    "IPython",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.oinspect",
    "IPython.extensions.storemagic",
    "tornado.platform.asyncio",
    "faulthandler",
    "IPython.core.logger",
    "psutil",
)
"""What every kernel needs, whatever its notebook imports (ipykernel would import the rest of
these while it starts: measured, a third of a second per kernel; the last three it imports at its
first cell and at its first question about its processes, 10-30 ms more)."""

SERVER_ENV: dict[str, str] = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}
"""numpy's BLAS starts a thread pool at import unless told otherwise, and a forking process must
not run threads; the debugger's import otherwise warns on every start (defaults, not overrides)."""

MAX_REQUEST = 1 << 20


def thread_count() -> int:
    """Threads of this process as the OS counts them (native ones included)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def preload(names: Sequence[str]) -> list[str]:
    """Import each of ``names`` (``module`` or ``module:function``); the ones that failed."""
    failed = []
    for name in (*PRELOAD_ALWAYS, *names):
        module_name, _, function = name.partition(":")
        try:
            module = importlib.import_module(module_name)
            if function:
                getattr(module, function)()
        except Exception:  # the kernel meets the same error later, where the notebook shows it
            failed.append(name)
    return failed


def read_line(conn: socket.socket, first: bytes = b"") -> bytes:
    """Bytes up to the first newline (without it); raises ConnectionError on an early end."""
    data = first
    while b"\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionError("the connection ended before the end of the line")
        data += chunk
        if len(data) > MAX_REQUEST:
            raise ConnectionError("the request is too long")
    return data.split(b"\n", 1)[0]


class Server:
    """The accept-fork-reap loop."""

    def __init__(self, path: str, parent: int) -> None:
        self.parent = parent
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old_mask = os.umask(0o177)
        try:
            self.listener.bind(path)
        finally:
            os.umask(old_mask)
        self.listener.listen(64)
        self.path = path
        self.children: dict[int, socket.socket] = {}
        self.wake_r, self.wake_w = socket.socketpair()
        self.wake_r.setblocking(False)
        self.wake_w.setblocking(False)
        self.stopping = False

    def serve(self) -> None:
        """Answer requests until the parent ends or SIGTERM arrives."""
        signal.set_wakeup_fd(self.wake_w.fileno())
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server that owns us
        selector = selectors.DefaultSelector()
        selector.register(self.listener, selectors.EVENT_READ, "accept")
        selector.register(self.wake_r, selectors.EVENT_READ, "wake")
        try:
            while not self.stopping and os.getppid() == self.parent:
                for key, _ in selector.select(timeout=1.0):
                    if key.data == "wake":
                        with contextlib.suppress(BlockingIOError):
                            self.wake_r.recv(4096)
                    elif key.data == "accept":
                        self.accept()
                self.reap()
        finally:
            selector.close()
            self.shutdown()

    def _stop(self, _signum: int, _frame: object) -> None:
        self.stopping = True

    def accept(self) -> None:
        """Take one request and fork its kernel."""
        conn, _ = self.listener.accept()
        fds: list[int] = []
        try:
            conn.settimeout(30)
            first, fds, _flags, _addr = socket.recv_fds(conn, 65536, 3)
            request = json.loads(read_line(conn, first))
            if len(fds) != 3:
                raise ValueError("three file descriptors are needed")
            pid = os.fork()
        except (OSError, ValueError) as exc:
            with contextlib.suppress(OSError):
                conn.sendall(json.dumps({"error": exc.__class__.__name__}).encode() + b"\n")
            conn.close()
            for fd in fds:
                os.close(fd)
            return
        if pid == 0:
            become_kernel(request, fds, [self.listener, self.wake_r, self.wake_w, conn, *self.children.values()])
        for fd in fds:
            os.close(fd)
        self.children[pid] = conn
        try:
            conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
        except OSError:  # the owner went away: the kernel has no one to serve
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)

    def reap(self) -> None:
        """Collect every child that ended and tell its owner how."""
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn = self.children.pop(pid, None)
            if conn is not None:
                with contextlib.suppress(OSError):
                    conn.sendall(json.dumps({"exit": os.waitstatus_to_exitcode(status)}).encode() + b"\n")
                conn.close()

    def shutdown(self) -> None:
        """End every kernel still running, reap them, and remove the socket."""
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGTERM)
        for pid in list(self.children):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        self.children.clear()
        with contextlib.suppress(OSError):
            os.unlink(self.path)


def become_kernel(request: dict[str, object], fds: list[int], inherited: list[socket.socket]) -> NoReturn:
    """In the forked child: shed the server, take the request's world, run ipykernel, exit."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        for signum in (signal.SIGCHLD, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for sock in inherited:
            sock.close()
        os.setsid()  # a process group of its own: an interrupt reaches this kernel only
        for target, fd in zip((0, 1, 2), fds, strict=True):
            os.dup2(fd, target)
            os.close(fd)
        argv = [str(a) for a in request["argv"]]  # type: ignore[attr-defined]
        env = {str(k): str(v) for k, v in request["env"].items()}  # type: ignore[attr-defined]
        env["JPY_PARENT_PID"] = str(os.getppid())  # ipykernel ends when this server does
        os.environ.clear()
        os.environ.update(env)
        cwd = str(request.get("cwd") or os.getcwd())
        os.chdir(cwd)
        if sys.path and sys.path[0] == START_DIR:
            sys.path[0] = cwd  # as `python -m ipykernel_launcher` started in that folder has it
        random.seed()  # never the same random sequence as a sibling kernel
        numpy = sys.modules.get("numpy")
        if numpy is not None:
            numpy.random.seed()  # numpy's global generator too (seeded once, at the server's import)
        gc.unfreeze()
        from ipykernel.kernelapp import IPKernelApp

        # ipykernel read JPY_PARENT_PID when the server imported it: say it again, so that the
        # kernel ends when this server does.
        argv = [*argv, f"--IPKernelApp.parent_handle={os.getppid()}"]
        sys.argv = ["ipykernel_launcher", *argv]
        app = IPKernelApp.instance()
        app.initialize(argv)  # type: ignore[no-untyped-call]
        register_import_time_hooks()
        app.start()  # type: ignore[no-untyped-call]
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        with contextlib.suppress(Exception):
            traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            atexit._run_exitfuncs()
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def register_import_time_hooks() -> None:
    """Do, now that this process is a kernel, what the server's imports would have done had they
    run inside one: ipywidgets registers its comm targets (``jupyter.widget`` and
    ``jupyter.widget.control``) when it is imported in a kernel, and does nothing when imported
    where there is none, as in this server. Without them a page's widget manager cannot ask for
    every widget's state in one message and falls back to asking widget by widget."""
    widgets = sys.modules.get("ipywidgets")
    if widgets is not None:
        widgets.register_comm_target()


START_DIR = os.getcwd()


def main(argv: Sequence[str] | None = None) -> int:
    """Start the server: import, say ready on stdout (one JSON line), serve."""
    parser = argparse.ArgumentParser(prog="python -m coachkit.kernels.forkserver")
    parser.add_argument("--socket", required=True)
    parser.add_argument("--parent", type=int, required=True)
    parser.add_argument("modules", nargs="*")
    args = parser.parse_args(argv)
    for name, value in SERVER_ENV.items():
        os.environ.setdefault(name, value)
    failed = preload(args.modules)
    gc.collect()
    gc.freeze()  # what the imports made stays shared with the kernels instead of being copied
    threads = thread_count()
    server = Server(args.socket, args.parent)
    sys.stdout.write(json.dumps({"ready": True, "threads": threads, "failed": failed}) + "\n")
    sys.stdout.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    if threads > 1:
        return 3  # forking beside a running thread is not safe: the owner falls back
    server.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
