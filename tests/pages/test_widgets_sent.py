"""Work a served page leaves for after the browser has its widgets (coachkit.pages.shown), in a
real forked kernel, with the widget manager's request sent as a page's front end sends it."""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from typing import Any

import pytest
from kernel_helpers import printed, ready_kernel

from coachkit.pages.shown import AFTER_ANSWER
from coachkit.runner import run_to_end

pytestmark = pytest.mark.kernel


def _control(kc: Any, comm_id: str, msg_type: str, data: dict[str, Any]) -> None:
    """Send what a page's widget manager sends on the widget control comm."""
    from ipywidgets.widgets.widget import __control_protocol_version__

    content: dict[str, Any] = {"comm_id": comm_id, "data": data}
    if msg_type == "comm_open":
        content["target_name"] = "jupyter.widget.control"
    msg = kc.session.msg(msg_type, content, metadata={"version": __control_protocol_version__})
    kc.shell_channel.send(msg)


async def _states_answer(kc: Any, timeout: float = 30) -> dict[str, Any]:
    """The kernel's answer to a widget manager's request for every state, read on ``kc``."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        msg = await kc.get_iopub_msg(timeout=max(0.1, deadline - asyncio.get_running_loop().time()))
        data = msg["content"].get("data", {})
        if msg["msg_type"] == "comm_msg" and data.get("method") == "update_states":
            return dict(data["states"])


def test_work_left_for_after_the_widgets_waits_for_the_widget_managers_answer() -> None:
    """In a page's kernel: work left with when_shown has not run while no widget manager asked
    (a cell later, still not); a widget manager asks for every state, gets the page's widgets
    without what that work makes, and the work has run just after; work left once the answer has
    gone runs at once. Where no widget manager ever asks, the work runs after its wait."""

    async def scenario() -> None:
        async with ready_kernel(tempfile.mkdtemp(prefix="ck-test-"), "shown") as (_km, kc):
            setup = (
                "import ipywidgets as W\nfrom coachkit.pages import shown\norder = []\n"
                "page = W.VBox([W.Button(description='Save check-in')])\n"
                "shown.when_shown(lambda: order.append(W.HTML('chart drawn').model_id), wait=60)\n"
                "print(order, shown.states_sent())"
            )
            assert (await printed(kc, setup)).strip() == "[] False"
            assert (await printed(kc, "print(order)")).strip() == "[]"
            comm_id = uuid.uuid4().hex
            _control(kc, comm_id, "comm_open", {})
            _control(kc, comm_id, "comm_msg", {"method": "request_states"})
            states = await _states_answer(kc)
            names = {s["state"].get("description") or s["state"].get("value") for s in states.values()}
            assert "Save check-in" in names and "chart drawn" not in names
            await asyncio.sleep(AFTER_ANSWER + 0.5)  # the browser draws the answer first
            sent = repr(sorted(states))
            out = await printed(kc, f"print(len(order), order[0] not in {sent}, shown.states_sent())")
            assert out.strip() == "1 True True", "drawn just after the answer, not in it"
            again = "shown.when_shown(lambda: order.append('at once'))\nprint(order[-1])"
            assert (await printed(kc, again)).strip() == "at once"

            unseen = (
                "import time\nfrom coachkit.pages import shown\nshown._sent.clear()\nlate = []\n"
                "shown.when_shown(lambda: late.append('after its wait'), wait=0.2)\nprint(late)"
            )
            assert (await printed(kc, unseen)).strip() == "[]"
            await asyncio.sleep(0.6)  # the kernel is idle: its loop runs the timer
            assert (await printed(kc, "print(late)")).strip() == "['after its wait']"

    run_to_end(scenario)
