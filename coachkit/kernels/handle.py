"""The owner's side of a fork server: start it once per preload list, ask it for kernels, stop it.

A process (a practice server, JupyterLab, a report batch) starts at most one fork server per
distinct list of warm-up imports, at its first kernel, and stops it when it exits. A server that
died (or could not fork safely) is replaced at the next request; one that cannot start at all
makes :func:`server_for` return None, and the caller starts an ordinary kernel.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence

from coachkit.kernels.forkserver import read_line

START_TIMEOUT = 180.0
PER_KERNEL_ENV_PREFIXES = ("JPY_",)
"""Variables that name one kernel's session: never part of the server's own environment."""


class ForkServerError(RuntimeError):
    """The fork server could not start, or could not fork a kernel."""


class ForkServer:
    """One running fork server (a child process of ours) and the socket it listens on."""

    def __init__(self, modules: Sequence[str], env: Mapping[str, str]) -> None:
        self.modules = tuple(modules)
        self.folder = tempfile.mkdtemp(prefix="ck-fork-")  # 0700, short enough for a socket path
        self.path = os.path.join(self.folder, "s")
        server_env = {k: v for k, v in env.items() if not k.startswith(PER_KERNEL_ENV_PREFIXES)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coachkit.kernels.forkserver", "--socket", self.path, "--parent", str(os.getpid()),
             *self.modules],
            cwd=self.folder,
            env=server_env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            start_new_session=True,  # Ctrl-C goes to our owner, which ends the kernels in order
        )  # fmt: skip
        self.threads = 0
        self.failed: list[str] = []
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self) -> None:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], START_TIMEOUT)
        line = self.process.stdout.readline() if ready else b""
        self.process.stdout.close()
        try:
            info = json.loads(line)
        except ValueError as exc:
            raise ForkServerError("the fork server did not start") from exc
        self.threads = int(info.get("threads", 0))
        self.failed = [str(name) for name in info.get("failed", [])]
        if self.threads > 1:
            raise ForkServerError(f"the fork server runs {self.threads} threads after its imports")

    @property
    def alive(self) -> bool:
        """True while the server process runs."""
        return self.process.poll() is None

    def spawn(
        self, argv: Sequence[str], env: Mapping[str, str], cwd: str, fds: Sequence[int]
    ) -> tuple[int, socket.socket]:
        """Fork a kernel; its pid and the connection on which the server reports its end."""
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            conn.settimeout(60)
            conn.connect(self.path)
            request = {"argv": list(argv), "env": dict(env), "cwd": cwd}
            payload = json.dumps(request).encode() + b"\n"
            socket.send_fds(conn, [payload[:65536]], list(fds))
            if len(payload) > 65536:
                conn.sendall(payload[65536:])
            reply = json.loads(read_line(conn))
        except (OSError, ValueError) as exc:
            conn.close()
            raise ForkServerError(f"the fork server did not answer ({exc.__class__.__name__})") from exc
        if "pid" not in reply:
            conn.close()
            raise ForkServerError(f"the fork server could not fork ({reply.get('error', 'no reason given')})")
        conn.setblocking(False)
        return int(reply["pid"]), conn

    def stop(self) -> None:
        """End the server (it ends its kernels first) and remove its folder."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


_lock = threading.Lock()
_servers: dict[tuple[str, ...], ForkServer] = {}
_broken: set[tuple[str, ...]] = set()


def server_for(modules: Sequence[str], env: Mapping[str, str]) -> ForkServer:
    """The running fork server for this list of imports (started now if needed); raises
    :class:`ForkServerError` when there cannot be one (the caller then starts an ordinary kernel)."""
    key = (env.get("PYTHONPATH", ""), *modules)
    with _lock:
        if key in _broken:
            raise ForkServerError("the fork server could not start before")
        server = _servers.get(key)
        if server is not None and server.alive:
            return server
        if server is not None:
            server.stop()
        try:
            server = ForkServer(modules, env)
        except (OSError, ForkServerError):
            _broken.add(key)
            raise
        _servers[key] = server
        return server


def running_servers() -> list[ForkServer]:
    """Every fork server this process started and that still runs."""
    with _lock:
        return [s for s in _servers.values() if s.alive]


def stop_all() -> None:
    """Stop every fork server this process started (done at exit)."""
    with _lock:
        servers = list(_servers.values())
        _servers.clear()
    for server in servers:
        with contextlib.suppress(OSError):
            server.stop()


atexit.register(stop_all)
