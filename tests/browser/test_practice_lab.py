"""`coachkit lab` without a client opens the practice notebook first: in headless Chromium,
JupyterLab shows the same items as `coachkit agenda`, each linked to its workbook."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coachkit.home.agenda import build_agenda
from coachkit.practice import Practice
from coachkit.render import free_port
from tests.conftest import DEMO_TODAY

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.kernel]
TOKEN = "coachkit-practice-lab-token-0123456789"


@pytest.fixture
def lab(demo_practice: Practice, tmp_path: Path) -> Iterator[str]:
    """`coachkit lab` on the demo practice; yields the link it printed."""
    jupyter = {name: tmp_path / name for name in ("config", "data", "runtime")}
    for folder in jupyter.values():
        folder.mkdir()
    root = str(Path(__file__).resolve().parents[2])
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(jupyter["config"]),
        "JUPYTER_DATA_DIR": str(jupyter["data"]),
        "JUPYTER_RUNTIME_DIR": str(jupyter["runtime"]),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "COACHKIT_TODAY": DEMO_TODAY.isoformat(),
    }
    port = free_port()
    log_path = tmp_path / "lab.log"
    log = log_path.open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "coachkit", "--home", str(demo_practice.home), "lab", "--port", str(port),
         "--token", TOKEN],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={TOKEN}", timeout=5)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start: " + log_path.read_text()[-2000:])
                time.sleep(0.5)
        printed = re.search(r"Open: (\S+)", log_path.read_text())
        assert printed, log_path.read_text()
        yield printed.group(1)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()


def test_lab_opens_the_practice_notebook_with_the_agenda(lab: str, demo_practice: Practice, browser: Any) -> None:
    assert "/lab/tree/00-practice.ipynb?token=" in lab
    expected = build_agenda(demo_practice.store, today=DEMO_TODAY, days=14)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(180_000)
    try:
        page.goto(lab)
        page.wait_for_selector(".jp-NotebookPanel")
        rows = page.locator(".coachkit-agenda-item")
        rows.first.wait_for()
        assert rows.count() == len(expected)
        shown = [" ".join(rows.nth(i).inner_text().split()) for i in range(rows.count())]
        for item, line in zip(expected, shown, strict=True):
            assert item.on.isoformat() in line and " ".join(item.text.split()) in line
        links = page.locator(".coachkit-agenda-item a")
        hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
        assert hrefs == [i.workbook.removeprefix("workbooks/") for i in expected]
        page.get_by_text("November 2026").first.wait_for()
        assert page.get_by_text("Coach only").count() == 0
    finally:
        context.close()
