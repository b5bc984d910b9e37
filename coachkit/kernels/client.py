"""A kernel client that is ready as soon as the kernel has answered, not 0.2 s later.

jupyter_client's ``wait_for_ready`` asks the kernel for its info, waits for the reply and for a
first message on the output channel (proof that the subscription is live), and then waits until
the output channel has been silent for 0.2 s, every time. Whoever runs a notebook through
nbclient pays that at each kernel: Voilà for each kernel it warms for a page's pool (measured on
a refill: 0.2 s of the 0.5 s from the visit to the pool being full again), a report batch for
each report. Nothing needs the silence: nbclient, Voilà and coachkit read only the messages
that answer their own requests, and leave the others.

:func:`until_ready` ends as soon as the kernel's "idle" for the request is seen on the output
channel; when it is not seen within 0.2 s the question is asked again, as jupyter_client does.
:class:`ReadyKernelClient` is jupyter_client's asynchronous client with that wait: name it as
a kernel manager's ``client_factory`` and every client made by ``km.client()`` has it.
"""

from __future__ import annotations

import queue
import time
from typing import Any

from jupyter_client.asynchronous.client import AsyncKernelClient

ASK_AGAIN = 0.2
"""Seconds to wait for the output channel's answer before asking the kernel again (as
jupyter_client does; a subscription made a moment before the kernel answered misses the answer)."""
REPLY_WAIT = 1.0
"""Seconds to wait for the kernel's reply before asking again."""


class KernelGone(RuntimeError):
    """The kernel ended before it answered."""


async def until_ready(client: Any, timeout: float) -> None:
    """Wait until the kernel answers ``client`` and its output channel reaches it: its "idle" for
    the request is seen there, so no output of what is asked next can be lost. Raises
    :class:`KernelGone` if the kernel ends first, RuntimeError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        asked = client.kernel_info()
        try:
            reply = await client.get_shell_msg(timeout=REPLY_WAIT)
            while reply["parent_header"].get("msg_id") != asked:
                reply = await client.get_shell_msg(timeout=REPLY_WAIT)
            while True:
                msg = await client.get_iopub_msg(timeout=ASK_AGAIN)
                mine = msg["parent_header"].get("msg_id") == asked and msg["msg_type"] == "status"
                if mine and msg["content"].get("execution_state") == "idle":
                    adapt = getattr(client, "_handle_kernel_info_reply", None)
                    if adapt is not None:  # speak the kernel's protocol version, as jupyter_client does
                        adapt(reply)
                    return
        except queue.Empty:
            if not await client.is_alive():
                raise KernelGone("the kernel ended before it answered") from None
    raise RuntimeError("the kernel did not answer")


class ReadyKernelClient(AsyncKernelClient):
    """jupyter_client's asynchronous client whose ``wait_for_ready`` is :func:`until_ready`."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Wait until the kernel has answered on both channels (``timeout`` None: no limit)."""
        await until_ready(self, float("inf") if timeout is None else timeout)
