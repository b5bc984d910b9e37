"""coachkit's kernel client on real forked kernels: ready once the kernel has answered on both
channels (not after a silence that may never come), no output lost after it, a kernel that
ended said to be gone, and the practice server's kernel managers making it."""

from __future__ import annotations

import asyncio
import os
import signal
import tempfile
from pathlib import Path

import pytest
from jupyter_client.asynchronous import AsyncKernelClient
from kernel_helpers import forked_kernel, printed, ready_kernel

from coachkit.kernels.client import KernelGone, ReadyKernelClient
from coachkit.runner import run_to_end

pytestmark = pytest.mark.kernel

CHATTY = (
    "import sys, threading, time\n"
    "def chatter():\n"
    "    while True:\n"
    "        print('.', end='', file=sys.stderr, flush=True)\n"
    "        time.sleep(0.02)\n"
    "threading.Thread(target=chatter, daemon=True).start()\n"
    "print('started')"
)
"""A kernel that writes to its output channel every 20 ms from now on, as a page with a live
clock or a long computation reporting progress does: that channel is never silent again (on
stderr, so that what a test prints on stdout stays whole)."""


def test_a_second_client_of_a_kernel_that_never_falls_silent_is_ready_and_loses_nothing() -> None:
    """A page's kernel prints from a thread of its own; a second front end connects to it (a
    reload, a report run's own client). jupyter_client's client waits for a silence on the
    output channel that never comes; coachkit's is ready once the kernel has answered, and the
    first thing it runs gives its whole output."""

    async def scenario() -> None:
        async with ready_kernel(tempfile.mkdtemp(prefix="ck-test-"), "chatty") as (km, first):
            assert isinstance(first, ReadyKernelClient), "the manager makes coachkit's client"
            assert "started" in await printed(first, CHATTY)

            plain = AsyncKernelClient(**km.get_connection_info(session=True))
            plain.start_channels()
            try:
                with pytest.raises(TimeoutError):  # still waiting for a silence after 3 s
                    await asyncio.wait_for(plain.wait_for_ready(timeout=60), 3)
            finally:
                plain.stop_channels()

            second = km.client()
            second.start_channels()
            try:
                await asyncio.wait_for(second.wait_for_ready(timeout=60), 30)
                out = await printed(second, "print('after ready', 6 * 7)", stream="stdout")
                assert "after ready 42" in out, "the run's output reaches the new client"
            finally:
                second.stop_channels()

    run_to_end(scenario)


def test_a_kernel_that_ends_before_it_answers_is_said_to_be_gone_at_once() -> None:
    """A kernel killed between its start and its first answer: waiting for it ends with
    KernelGone within a few seconds, not with "did not answer" at the end of the minute given."""

    async def scenario() -> None:
        runtime = tempfile.mkdtemp(prefix="ck-test-")
        km = await forked_kernel(runtime, "short")
        assert km.provisioner is not None
        os.killpg(km.provisioner.pid, signal.SIGKILL)  # type: ignore[attr-defined]
        kc = km.client()
        kc.start_channels()
        try:
            with pytest.raises(KernelGone):
                await asyncio.wait_for(kc.wait_for_ready(timeout=60), 30)
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)

    run_to_end(scenario)


def test_the_practice_servers_kernel_managers_make_coachkits_client(tmp_path: Path) -> None:
    """Voilà's kernels (each page's, each one warmed for a pool) are jupyter_server's kernel
    managers configured by the practice server: their clients are coachkit's."""
    from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

    from coachkit.server.app import voila_config

    km = ServerKernelManager(config=voila_config(tmp_path, "127.0.0.1", 9999, 2))
    assert isinstance(km.client(), ReadyKernelClient)
