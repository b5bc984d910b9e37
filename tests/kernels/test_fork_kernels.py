"""Kernels forked from the fork server, on real kernels: same output as ordinary ones, nothing
shared between them, deaths reported and replaced, interrupts, reaping, and the fallback."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import secrets
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import nbformat
import pytest

from coachkit.kernels import FORK_ENV, KERNEL_NAME, handle, kernel_spec_manager, preload_env, provisioner
from coachkit.runner import NotebookJob, NotebookParameters, RunError, run_notebooks, run_to_end

pytestmark = pytest.mark.kernel

HERE = Path(__file__).parent


def _notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    first = nbformat.v4.new_code_cell('client_id = ""\nhome = "."')
    first.metadata["tags"] = ["parameters"]
    nb.cells = [first, *(nbformat.v4.new_code_cell(s) for s in sources)]
    nbformat.write(nb, path)
    return path


def _texts(nb: Any) -> list[list[str]]:
    """Each code cell's outputs as text (streams, results, errors), in order."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        texts = []
        for out in cell.outputs:
            if out.output_type == "stream":
                texts.append(out.text)
            elif out.output_type in ("execute_result", "display_data"):
                texts.append(out.data.get("text/plain", ""))
            elif out.output_type == "error":
                texts.append(out.ename)
        cells.append(texts)
    return cells


SAME_SOURCES = (
    "import os, sys\nprint('started by', 'server' if os.getppid() != int(os.environ['TEST_OWNER']) else 'owner')",
    "import pandas as pd\npd.DataFrame({'goal': ['listen', 'delegate'], 'rating': [4, 7]})",
    "print(client_id, sum(range(10)), sorted(k for k in globals() if not k.startswith('_'))[:6])",
    "from IPython.display import display, HTML\ndisplay(HTML('<b>ok</b>'))\n{'week': 3}",
    "import random\nprint(len({random.random() for _ in range(3)}))",
)


def test_in_a_forked_kernel_later_work_runs_after_the_cell_and_before_the_next(tmp_path: Path) -> None:
    """What a served page draws after its document (web.later) waits for the end of the cell in a
    page's kernel, and has run by the time the next message is handled."""
    first = (
        "import time\nimport coachkit.pages.web as web\norder = []\n"
        "web.later(lambda: order.append('after the cell'), 0.01)\norder.append('in the cell')\n"
        "print(web.in_kernel(), order)"
    )
    second = "time.sleep(0.05)\nprint(order)"
    notebook = _notebook(tmp_path / "later.ipynb", first, "time.sleep(0.2)", second)
    job = NotebookJob(notebook, NotebookParameters(home=str(tmp_path)), group="later")
    (result,) = run_notebooks([job], cwd=tmp_path, warm_imports=["coachkit.pages.web"], env={FORK_ENV: "1"})
    assert result.ok, result.error
    texts = [t for t in _texts(result.notebook) if t]
    assert texts == [["True ['in the cell']\n"], ["['in the cell', 'after the cell']\n"]]


def test_outside_a_kernel_later_work_runs_at_once_even_under_another_event_loop() -> None:
    """A browser driver's event loop (Playwright's, in the tests) is not a kernel's: work given to
    web.later there would wait for that loop and might never run."""
    import asyncio
    import threading

    from coachkit.pages import web

    ran: list[str] = []
    seen: list[object] = []

    async def main() -> None:
        web.later(lambda: ran.append("drawn"))
        seen.append(list(ran))
        seen.append(web.in_kernel())

    # a thread of its own: this one may already run the browser tests' loop
    thread = threading.Thread(target=lambda: asyncio.run(main()))
    thread.start()
    thread.join(30)
    assert seen == [["drawn"], False]


def _run(tmp_path: Path, name: str, *, fork: bool) -> Any:
    notebook = _notebook(tmp_path / f"{name}.ipynb", *SAME_SOURCES)
    env = {"TEST_OWNER": str(os.getpid()), FORK_ENV: "1" if fork else "0"}
    job = NotebookJob(notebook, NotebookParameters(client_id=name, home=str(tmp_path)), group=name)
    (result,) = run_notebooks([job], cwd=tmp_path, warm_imports=["pandas"], env=env)
    assert result.ok, result.error
    return result.notebook


def test_a_forked_kernel_gives_the_same_output_as_an_ordinary_one(tmp_path: Path) -> None:
    forked = _texts(_run(tmp_path, "same", fork=True))
    ordinary = _texts(_run(tmp_path, "same", fork=False))
    # cells: parameters, injected parameters, then SAME_SOURCES
    assert forked[2] == ["started by server\n"], "the kernel is a fork of the fork server"
    assert ordinary[2] == ["started by owner\n"], "COACHKIT_KERNEL_FORK=0 starts an ordinary kernel"
    assert forked[3:] == ordinary[3:]
    assert "delegate" in forked[3][0] and forked[4][0].startswith("same 45 ")


async def _start(env: dict[str, str], runtime: str, name: str) -> tuple[Any, Any]:
    from jupyter_client.manager import AsyncKernelManager

    km = AsyncKernelManager(kernel_name=KERNEL_NAME, transport="ipc", kernel_spec_manager=kernel_spec_manager())
    km.ip = os.path.join(runtime, name)
    km.connection_file = os.path.join(runtime, f"{name}.json")
    await km.start_kernel(cwd=runtime, env=env)
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=120)
    return km, kc


async def _say(kc: Any, code: str, timeout: float = 120) -> tuple[str, str]:
    """Run ``code``; (its printed text, the reply's status or exception name)."""
    printed: list[str] = []

    def hook(msg: dict[str, Any]) -> None:
        if msg["msg_type"] == "stream":
            printed.append(msg["content"]["text"])

    reply = await kc.execute_interactive(code, timeout=timeout, output_hook=hook)
    content = reply["content"]
    return "".join(printed).strip(), content.get("ename") or content["status"]


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(p) for p in text.split()]


def _memory_holds(pid: int, needle: bytes) -> bool:
    """True when ``needle`` is anywhere in the writable memory of process ``pid``."""
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            span, perms = line.split()[:2]
            if not perms.startswith("rw"):
                continue
            start, end = (int(x, 16) for x in span.split("-"))
            try:
                mem.seek(start)
                if needle in mem.read(end - start):
                    return True
            except OSError:
                continue
    return False


def _async(make: Callable[[], Awaitable[None]]) -> None:
    # run_to_end: a session's browser tests leave Playwright's loop running in this thread
    run_to_end(make)  # type: ignore[arg-type]


def test_a_forked_kernel_with_ipywidgets_warm_answers_widget_comms_as_an_ordinary_one(tmp_path: Path) -> None:
    """ipywidgets imported in the fork server (where no kernel runs) registers no comm target; the
    forked kernel registers them as an import inside a kernel would, so a browser's widget
    manager can ask for every widget's state in one message (``jupyter.widget.control``)."""
    source = "import comm, ipywidgets\nprint(sorted(comm.get_comm_manager().targets))"
    seen = {}
    for fork in (True, False):
        notebook = _notebook(tmp_path / f"targets-{fork}.ipynb", source)
        env = {FORK_ENV: "1" if fork else "0"}
        job = NotebookJob(notebook, NotebookParameters(home=str(tmp_path)), group=f"targets-{fork}")
        (result,) = run_notebooks([job], cwd=tmp_path, warm_imports=["ipywidgets"], env=env)
        assert result.ok, result.error
        seen[fork] = _texts(result.notebook)[2]
    assert seen[True] == seen[False] == ["['jupyter.widget', 'jupyter.widget.control']\n"]


def test_a_page_kernel_forked_warm_does_not_warm_up_again(tmp_path: Path) -> None:
    """The fork server ran the pages' warm-up (a figure drawn as SVG, the forms' first caches);
    a kernel forked from it (every refill of a page's pool) comes warm and draws no figure again."""
    source = (
        "import plotly.graph_objects as go\nimport coachkit.pages.web as web\nmade = []\nFigure = go.Figure\n"
        "go.Figure = lambda *a, **k: made.append(1) or Figure(*a, **k)\nweb.warm_up()\n"
        "go.Figure = Figure\nprint(bool(web._WARMED), len(made))"
    )
    notebook = _notebook(tmp_path / "warm.ipynb", source)
    job = NotebookJob(notebook, NotebookParameters(home=str(tmp_path)), group="warm")
    (result,) = run_notebooks([job], cwd=tmp_path, warm_imports=["coachkit.pages.web:warm_up"], env={FORK_ENV: "1"})
    assert result.ok, result.error
    assert _texts(result.notebook)[2] == ["True 0\n"], "warm already, no figure drawn"


def test_forked_kernels_share_nothing_die_visibly_and_are_replaced() -> None:
    """A client's value set in one kernel is in no other kernel, not even one forked later,
    and never in the fork server; a killed kernel is seen dead and a restart gives a live one;
    an interrupt reaches the kernel alone; ended kernels leave no zombie behind."""
    secret = f"private-note-{secrets.token_hex(8)}"
    env = {**os.environ, **preload_env(["json", "numpy"]), FORK_ENV: "1"}

    async def scenario() -> None:
        runtime = tempfile.mkdtemp(prefix="ck-test-")
        a_km, a_kc = await _start(env, runtime, "a")
        b_km, b_kc = await _start(env, runtime, "b")
        try:
            # the fork server that forked A (earlier tests in this process may have started others)
            (server,) = [s for s in handle.running_servers() if a_km.provisioner.pid in _children(s.process.pid)]
            assert "json" in server.modules
            assert b_km.provisioner.pid in _children(server.process.pid)
            assert await _say(a_kc, f"import json\nnote = {secret!r}\njson.note = note\nprint('set')") == ("set", "ok")
            draw = "import random, numpy\nprint(random.random(), numpy.random.random())"
            assert (await _say(a_kc, draw))[0] != (await _say(b_kc, draw))[0], "siblings draw other numbers"
            assert await _say(b_kc, "import json\nprint('note' in globals(), hasattr(json, 'note'))") == (
                "False False",
                "ok",
            )
            c_km, c_kc = await _start(env, runtime, "c")  # forked after A holds the note
            assert await _say(c_kc, "import json\nprint('note' in globals(), hasattr(json, 'note'))") == (
                "False False",
                "ok",
            )
            assert not _memory_holds(server.process.pid, secret.encode()), "the fork server holds client data"
            assert _memory_holds(a_km.provisioner.pid, secret.encode()), "the scan finds what is there"

            # An interrupt stops a cell of B and nothing else; B goes on working.
            msg_id = b_kc.execute("import time\nprint('sleeping', flush=True)\ntime.sleep(600)")
            while True:  # interrupt only once the cell runs (the machine may be slow)
                msg = await b_kc.get_iopub_msg(timeout=120)
                if msg["parent_header"].get("msg_id") == msg_id and "sleeping" in msg["content"].get("text", ""):
                    break
            await b_km.interrupt_kernel()
            while (reply := await b_kc.get_shell_msg(timeout=120))["parent_header"].get("msg_id") != msg_id:
                pass
            assert reply["content"].get("ename") == "KeyboardInterrupt"
            assert await _say(b_kc, "print(6 * 7)") == ("42", "ok")
            assert await _say(a_kc, "print(note[:12])") == ("private-note", "ok")

            # C dies: it is reported dead, the fork server reaps it, and a restart replaces it.
            dead_pid = c_km.provisioner.pid
            os.kill(dead_pid, 9)
            for _ in range(1200):
                if not await c_km.is_alive():
                    break
                await asyncio.sleep(0.1)
            assert not await c_km.is_alive()
            assert await c_km.provisioner.poll() == -9
            assert dead_pid not in _children(server.process.pid)
            await c_km.restart_kernel(now=True)
            await c_kc.wait_for_ready(timeout=120)
            assert c_km.provisioner.pid != dead_pid
            assert await _say(c_kc, "print('note' in globals())") == ("False", "ok")
            c_kc.stop_channels()
            await c_km.shutdown_kernel(now=False)
        finally:
            for km, kc in ((a_km, a_kc), (b_km, b_kc)):
                kc.stop_channels()
                await km.shutdown_kernel(now=False)
        leftovers = _children(server.process.pid)
        assert leftovers == [], f"kernels left behind (zombies or alive): {leftovers}"

    _async(scenario)


def test_a_kernel_that_dies_mid_batch_is_reported_and_the_next_group_runs(tmp_path: Path) -> None:
    notebook = _notebook(
        tmp_path / "die.ipynb",
        "import os, signal\nif client_id == 'dies':\n    os.kill(os.getpid(), signal.SIGKILL)",
        "print('after', client_id)",
    )
    jobs = [
        NotebookJob(notebook, NotebookParameters(client_id=c, home=str(tmp_path)), group=c) for c in ("dies", "lives")
    ]
    dies, lives = run_notebooks(jobs, cwd=tmp_path, workers=1, warm_imports=[], timeout=120)
    assert dies.error == RunError("kernel-died", "DeadKernelError")
    assert str(dies.error) == "the kernel stopped"
    assert lives.ok and lives.notebook is not None
    assert _texts(lives.notebook)[3] == ["after lives\n"]


def test_the_fallback_is_said_once_and_runs_ordinary_kernels(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    provisioner._said.discard(f"{FORK_ENV}=0")
    notebook = _notebook(tmp_path / "pid.ipynb", "import os\nprint(os.getppid())")
    jobs = [
        NotebookJob(notebook, NotebookParameters(client_id=f"c{i}", home=str(tmp_path)), group=f"c{i}")
        for i in range(2)
    ]
    with caplog.at_level(logging.WARNING, logger="coachkit.kernels"):
        results = run_notebooks(jobs, cwd=tmp_path, workers=2, warm_imports=[], env={FORK_ENV: "0"})
    assert all(r.ok for r in results)
    assert {_texts(r.notebook)[2][0].strip() for r in results} == {str(os.getpid())}
    said = [r.getMessage() for r in caplog.records if r.name == "coachkit.kernels"]
    assert said == [f"kernels start the ordinary way, not forked: {FORK_ENV}=0"]


def test_warm_up_names_are_checked() -> None:
    assert preload_env(["coachkit.pages.report:warm_up", "pandas"]) == {
        "COACHKIT_KERNEL_PRELOAD": "coachkit.pages.report:warm_up,pandas"
    }
    for bad in ("import os", "a,b", "", "x;y"):
        with pytest.raises(ValueError, match="is not a module name"):
            preload_env([bad])
    assert re.fullmatch(r".*share", str(kernel_spec_manager().kernel_dirs[0]).rsplit("/kernels", 1)[0])


def test_kernels_on_any_kernelspec_keep_no_history_forked_or_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages and workbooks run on the plain ``python3`` kernelspec: through coachkit's provisioner
    their code is never written to IPython's shared history file, whether the kernel was forked
    or started the ordinary way (the coachkit kernelspec says so itself)."""
    from jupyter_client.manager import AsyncKernelManager

    from coachkit.kernels import PROVISIONER_NAME

    history = tmp_path / "ipython" / "profile_default" / "history.sqlite"
    probe = "print(get_ipython().history_manager.enabled)"
    seen: dict[bool, str] = {}
    monkeypatch.setenv("JUPYTER_DEFAULT_PROVISIONER_NAME", PROVISIONER_NAME)  # as serve and lab set it

    async def run() -> None:
        for fork in (True, False):
            env = {**os.environ, FORK_ENV: "1" if fork else "0", "IPYTHONDIR": str(tmp_path / "ipython")}
            km = AsyncKernelManager(kernel_name="python3", transport="ipc")
            km.ip = os.path.join(tmp_path, f"h{fork}")
            km.connection_file = os.path.join(tmp_path, f"h{fork}.json")
            await km.start_kernel(cwd=str(tmp_path), env=env)
            kc = km.client()
            kc.start_channels()
            try:
                await kc.wait_for_ready(timeout=120)
                assert km.provisioner.__class__.__name__ == "ForkProvisioner"
                printed, status = await _say(kc, probe)
                assert status == "ok"
                seen[fork] = printed
            finally:
                kc.stop_channels()
                await km.shutdown_kernel(now=True)

    _async(run)
    assert seen == {True: "False", False: "False"}
    assert not history.exists()
