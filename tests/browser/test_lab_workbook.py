"""A real JupyterLab (started by ``coachkit lab``) in headless Chromium: a rendered workbook opens
with its form and no code, Run All works, and what is typed and saved lands in the database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coachkit.model import Goal
from coachkit.practice import Practice
from coachkit.render import free_port
from tests.conftest import DEMO_TODAY

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.kernel]
TOKEN = "coachkit-browser-test-token-0123456789"
TYPED = 'Browser goal <b>bold</b> & "quotes" 🚀'


@pytest.fixture
def lab(demo_practice: Practice, tmp_path: Path) -> Iterator[tuple[str, Practice]]:
    """Jonas's action plan rendered, and JupyterLab serving it on a free loopback port."""
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
    # Rendered by the CLI in its own process (Playwright's loop runs in this one); it signs the
    # workbook into the same JUPYTER_DATA_DIR the server reads, so it opens trusted.
    home = str(demo_practice.home)
    rendered = subprocess.run(
        [sys.executable, "-m", "coachkit", "--home", home, "workbook", "jonas-becker", "--phase", "3"],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert rendered.returncode == 0 and "1 written" in rendered.stdout, rendered.stdout + rendered.stderr
    port = free_port()
    log = (tmp_path / "lab.log").open("w")
    command = [sys.executable, "-m", "coachkit", "--home", str(demo_practice.home), "lab", "jonas-becker"]
    proc = subprocess.Popen(
        [*command, "--port", str(port), "--token", TOKEN],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={TOKEN}", timeout=5)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start: " + (tmp_path / "lab.log").read_text()[-2000:])
                time.sleep(0.5)
        assert f"?token={TOKEN}" in (tmp_path / "lab.log").read_text(), "coachkit lab prints the link"
        yield f"http://127.0.0.1:{port}", demo_practice
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()


def test_run_all_fill_and_save_lands_in_the_database(lab: tuple[str, Practice], browser: Any) -> None:
    base, practice = lab
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        page.goto(f"{base}/lab/tree/jonas-becker/03-action-plan.ipynb?token={TOKEN}")
        page.wait_for_selector(".jp-NotebookPanel")
        # Rendered, signed workbooks open with their saved forms, and the code stays out of sight.
        page.locator(".coachkit-form-title", has_text="Milestones").first.wait_for()
        assert page.get_by_text("open_page").count() == 0 or not page.get_by_text("open_page").first.is_visible()
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
        page.click(".lm-MenuBar-itemLabel:text-is('Run')")
        page.click(".lm-Menu-item[data-command='runmenu:run-all']")
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='busy']", timeout=30_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
        objective = page.locator("textarea[placeholder='What exactly will be different?']")
        assert objective.count() == 1, "Run All replaced the saved form by a live one"
        objective.fill(TYPED)
        objective.press("Tab")
        page.locator("button", has_text="Save goal").click()
        page.get_by_text("saved ✓").first.wait_for()
        assert page.get_by_text(TYPED, exact=False).count() >= 1 or TYPED in page.content().replace("&lt;", "<")
    finally:
        context.close()
    goals = [g.objective for g in practice.store.all("jonas-becker", Goal)]
    assert goals[-1] == TYPED
