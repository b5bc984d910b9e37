"""``coachkit-fork``: the kernel provisioner that forks kernels from a warm fork server.

Jupyter (jupyter_client, so nbclient, papermill, jupyter_server, Voilà and JupyterLab) starts a
kernel through the provisioner its kernelspec names. This one prepares the launch exactly as
jupyter_client's local provisioner does (connection file, ports or IPC paths, the command), then
asks the fork server of this process for a fork instead of starting a new interpreter. Poll,
wait, signals, kill and terminate then act on the forked process: it is in a process group of its
own (so an interrupt reaches it alone), and the fork server, its parent, reaps it and reports its
exit code on the connection this provisioner keeps.

Every kernel it starts, forked or not, keeps no IPython history (``NO_HISTORY``): what runs in
a client's workbook never lands in the user's shared history file, and kernels starting together
never wait on that one SQLite file (nor corrupt it).

Where forking is not possible (no ``os.fork``, ``COACHKIT_KERNEL_FORK=0``, a kernel command that
is not this Python's ``ipykernel_launcher``, or a fork server that could not start) the kernel is
started the ordinary way, and the log says so once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning.local_provisioner import LocalProvisioner

from coachkit.kernels import FORK_ENV, PRELOAD_ENV, fork_wanted, preload_of
from coachkit.kernels.handle import ForkServerError, server_for

log = logging.getLogger("coachkit.kernels")
_said: set[str] = set()


def _say_once(reason: str) -> None:
    """Log once per process and reason that kernels start without the fork server."""
    if reason not in _said:
        _said.add(reason)
        log.warning("kernels start the ordinary way, not forked: %s", reason)


NO_HISTORY = "--HistoryManager.enabled=False"


def without_history(cmd: list[str]) -> list[str]:
    """``cmd`` with IPython's history turned off, when it starts ipykernel."""
    if "ipykernel_launcher" in cmd[:3] and NO_HISTORY not in cmd:
        return [*cmd, NO_HISTORY]
    return cmd


class ForkProvisioner(LocalProvisioner):
    """Kernels forked from a warm fork server; ordinary kernels where that cannot be."""

    forked_pid: int | None = None
    forked_conn: socket.socket | None = None
    forked_exit: int | None = None
    _buffer: bytes = b""

    @property
    def has_process(self) -> bool:
        """True while a kernel process is attached (forked or ordinary)."""
        return self.forked_pid is not None or bool(super().has_process)

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        """Fork the kernel (or, failing that, start it as jupyter_client would)."""
        cmd = without_history(cmd)
        env: dict[str, str] = dict(kwargs.get("env") or os.environ)
        reason = self._no_fork_reason(cmd, env, kwargs)
        if reason is None:
            try:
                await asyncio.to_thread(self._fork, cmd, env, kwargs)
                return self.connection_info
            except ForkServerError as exc:
                reason = str(exc)
        _say_once(reason)
        return await super().launch_kernel(cmd, **kwargs)

    def _no_fork_reason(self, cmd: list[str], env: dict[str, str], kwargs: dict[str, Any]) -> str | None:
        if not hasattr(os, "fork") or not hasattr(socket, "send_fds"):
            return "this system cannot fork"
        if not fork_wanted(env):
            return f"{FORK_ENV}=0"
        if cmd[:3] != [sys.executable, "-m", "ipykernel_launcher"]:
            return "the kernel command is not this Python's ipykernel_launcher"
        if any(kwargs.get(name) == subprocess.PIPE for name in ("stdin", "stdout", "stderr")):
            return "the kernel's output is read through a pipe"
        return None

    def _fork(self, cmd: list[str], env: dict[str, str], kwargs: dict[str, Any]) -> None:
        server = server_for(preload_of(env), env)
        opened: list[int] = []
        fds = []
        for number, name in enumerate(("stdin", "stdout", "stderr")):
            value = kwargs.get(name)
            if (value is None and number == 0) or value == subprocess.DEVNULL:
                fd = os.open(os.devnull, os.O_RDWR)
                opened.append(fd)
            elif value is None:
                fd = number
            elif isinstance(value, int):
                fd = value
            else:
                fd = value.fileno()
            fds.append(fd)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        kernel_env = {k: v for k, v in env.items() if k != PRELOAD_ENV}
        try:
            pid, conn = server.spawn(cmd[3:], kernel_env, cwd, fds)
        finally:
            for fd in opened:
                os.close(fd)
        self.forked_pid, self.forked_conn, self.forked_exit, self._buffer = pid, conn, None, b""
        self.pid = self.pgid = pid
        self.cwd = cwd

    async def poll(self) -> int | None:
        """None while the kernel runs, else its exit code."""
        if self.forked_pid is None:
            return await super().poll()
        if self.forked_exit is not None:
            return self.forked_exit
        conn = self.forked_conn
        if conn is not None:
            try:
                chunk = conn.recv(4096)
            except BlockingIOError:
                return None
            except OSError:
                chunk = b""
            if chunk:
                self._buffer += chunk
                if b"\n" in self._buffer:
                    message = json.loads(self._buffer.split(b"\n", 1)[0])
                    self.forked_exit = int(message.get("exit", -1))
                    self._close_conn()
                    return self.forked_exit
                return None
            self._close_conn()  # the fork server itself ended: ask the system instead
        try:
            os.kill(self.forked_pid, 0)
        except ProcessLookupError:
            self.forked_exit = -1
            return self.forked_exit
        except PermissionError:
            pass
        return None

    def _close_conn(self) -> None:
        if self.forked_conn is not None:
            self.forked_conn.close()
            self.forked_conn = None

    async def wait(self) -> int | None:
        """Wait for the kernel to end; its exit code."""
        if self.forked_pid is None:
            return await super().wait()
        while (code := await self.poll()) is None:
            await asyncio.sleep(0.05)
        self.forked_pid = None
        return code

    async def send_signal(self, signum: int) -> None:
        """Signal the kernel's process group (an interrupt is SIGINT)."""
        if self.forked_pid is None:
            await super().send_signal(signum)
            return
        if self.forked_exit is not None:
            return
        try:
            os.killpg(self.forked_pid, signum)
        except ProcessLookupError:
            pass
        except PermissionError:
            os.kill(self.forked_pid, signum)

    async def kill(self, restart: bool = False) -> None:
        """End the kernel at once."""
        if self.forked_pid is None:
            await super().kill(restart)
            return
        await self.send_signal(signal.SIGKILL)

    async def terminate(self, restart: bool = False) -> None:
        """Ask the kernel to end."""
        if self.forked_pid is None:
            await super().terminate(restart)
            return
        await self.send_signal(signal.SIGTERM)

    async def cleanup(self, restart: bool = False) -> None:
        """Forget the ended kernel (and return cached ports, as the local provisioner does)."""
        self._close_conn()
        self.forked_pid = None
        with contextlib.suppress(Exception):
            await super().cleanup(restart)
