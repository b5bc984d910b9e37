"""Helpers for tests that talk to a real forked kernel through jupyter_client."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from typing import Any

from jupyter_client.manager import AsyncKernelManager

from coachkit.kernels import FORK_ENV, KERNEL_NAME, kernel_spec_manager, preload_env
from coachkit.kernels.client import ReadyKernelClient


async def forked_kernel(runtime: str, name: str) -> AsyncKernelManager:
    """A kernel forked from a fork server (warm with json), whose clients are coachkit's."""
    env = {**os.environ, **preload_env(["json"]), FORK_ENV: "1"}
    km = AsyncKernelManager(
        kernel_name=KERNEL_NAME,
        transport="ipc",
        kernel_spec_manager=kernel_spec_manager(),
        client_factory=ReadyKernelClient,
    )
    km.ip = os.path.join(runtime, name)
    km.connection_file = os.path.join(runtime, f"{name}.json")
    await km.start_kernel(cwd=runtime, env=env)
    return km


async def printed(kc: Any, code: str, stream: str | None = None) -> str:
    """What ``code`` printed (to ``stream`` only, "stdout" or "stderr", when given), as read on
    ``kc``'s output channel (only the answer to it)."""
    printed: list[str] = []

    def hook(msg: dict[str, Any]) -> None:
        if msg["msg_type"] == "stream" and stream in (None, msg["content"].get("name")):
            printed.append(msg["content"]["text"])

    reply = await kc.execute_interactive(code, timeout=60, output_hook=hook)
    assert reply["content"]["status"] == "ok"
    return "".join(printed)


@contextlib.asynccontextmanager
async def ready_kernel(runtime: str, name: str) -> AsyncIterator[tuple[AsyncKernelManager, Any]]:
    """A forked kernel and a client of it that is ready; both ended afterwards."""
    km = await forked_kernel(runtime, name)
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=60)
        yield km, kc
    finally:
        kc.stop_channels()
        await km.shutdown_kernel(now=True)
