"""A page's pool is refilled once the visitor's document has gone out, on a real server: while
the document is still being made no new kernel competes with it; once it has gone out (or a
second after the visit, for a document that takes long) the pool is full again."""

from __future__ import annotations

import threading
import time
import urllib.request
from datetime import date
from pathlib import Path

import nbformat
import pytest

from coachkit.demo import build_demo
from coachkit.practice import init_practice
from coachkit.server import free_port, start_server
from coachkit.server.gate import REFILL_LATEST

pytestmark = pytest.mark.kernel

TODAY = date(2026, 11, 21)


def _slow_page(folder: Path, seconds: float) -> Path:
    """A page folder whose dashboard takes ``seconds`` to make its document after the request."""
    folder.mkdir(parents=True, exist_ok=True)
    cells = [
        "from voila.utils import get_query_string",
        "get_query_string()",
        f"import time\ntime.sleep({seconds})\nprint('the document is made')",
    ]
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(c) for c in cells],
        metadata={"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    )
    nbformat.write(nb, folder / "dashboard.ipynb")
    return folder


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (whichever of its threads started them)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _kernels(server_pid: int) -> set[int]:
    """The page kernels: the children of the server's fork server."""
    return {k for child in _children(server_pid) for k in _children(child)}


def _visit(url: str, into: dict[str, float]) -> None:
    began = time.monotonic()
    with urllib.request.urlopen(url, timeout=120) as reply:
        into["page"] = float("the document is made" in reply.read().decode())
    into["took"] = time.monotonic() - began


@pytest.mark.parametrize("seconds", [0.2, 3 * REFILL_LATEST])
def test_the_pool_is_refilled_after_the_visitors_document(tmp_path: Path, seconds: float) -> None:
    home = tmp_path / "practice"
    with init_practice(home) as practice:
        build_demo(practice, today=TODAY)
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = start_server(
            home, port=free_port(), pool=1, output=out, pages_source=_slow_page(tmp_path / "p", seconds)
        )
        try:
            server.wait_ready(timeout=180, warm=True)
            (warm,) = _kernels(server.process.pid)
            seen: dict[str, float] = {}
            visit = threading.Thread(target=_visit, args=(server.base_url + "voila/render/dashboard.ipynb", seen))
            began = time.monotonic()
            visit.start()
            while time.monotonic() - began < min(seconds, REFILL_LATEST) * 0.8:
                assert _kernels(server.process.pid) <= {warm}, "no refill while the document is made"
                time.sleep(0.02)
            server.wait_ready(timeout=60, warm=True)
            refilled = time.monotonic() - began
            kernels = _kernels(server.process.pid)
            assert len(kernels - {warm}) == 1, "one new kernel fills the pool"
            visit.join(timeout=120)
            assert seen["page"] == 1.0, "the visitor got the whole page"
            if seconds > REFILL_LATEST:  # a long document: the refill did not wait for its end
                assert refilled < seen["took"]
        finally:
            server.stop()
