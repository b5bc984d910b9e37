"""A real JupyterLab (started by ``coachkit lab``, one per module) in headless Chromium, on the
seven workbooks of a demo client: each opens live without anyone pressing anything (its forms
show what is saved, no widget error; the first opening was run on the server, the reload in the
browser), its charts are SVG pictures and the browser never asks
for plotly's bundle, no label is cut at 1280x800, JupyterLab saves it (Ctrl+S) and it opens
live again after a reload; what is typed after that lands in the database and in the chart; a
workbook whose kernel stops says so and its forms cannot be used."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from coachkit.lab.contents import WAITING, WIDGET_VIEW
from coachkit.model import Goal
from coachkit.practice import Practice, init_practice
from tests.servers import lab_environ, running_lab

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.kernel]
TOKEN = "coachkit-browser-test-token-0123456789"
TYPED = 'Browser goal <b>bold</b> & "quotes" 🚀'
CLIENT = "jonas-becker"
PHASES = ["01-relationship", "02-assessment", "03-action-plan", "04-session", "05-progress-review",
          "06-closure", "07-follow-up"]  # fmt: skip
CUT_LABELS = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea .widget-label,'
    + '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea .widget-label-basic,'
    + '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea .widget-toggle-button,'
    + '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea button')]
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth)
  .map(e => `${e.textContent.trim().slice(0, 60)} (${e.scrollWidth} > ${e.clientWidth})`)"""


class Lab:
    """The running server and the practice it serves."""

    def __init__(self, base: str, home: Path, shots: Path) -> None:
        self.base = base
        self.home = home
        self.shots = shots

    def workbook(self, phase: str) -> Path:
        """The rendered file of ``phase`` (the session workbook has its number)."""
        return next((self.home / "workbooks" / CLIENT).glob(f"{phase}*.ipynb"))

    def url(self, phase: str) -> str:
        """The workbook's address, in a workspace of its own (no other tab comes back)."""
        name = self.workbook(phase).name
        return f"{self.base}/lab/workspaces/{phase}/tree/{CLIENT}/{name}?token={TOKEN}"


@pytest.fixture(scope="module")
def lab(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """Jonas's seven workbooks rendered by the CLI, and ``coachkit lab`` serving them."""
    tmp = tmp_path_factory.mktemp("lab")
    home = tmp / "practice"
    shutil.copytree(demo_template, home)
    env = lab_environ(tmp)
    # A workbook's run on the server stops after its first cell once JupyterLab asks for it (the
    # default waits 0.3 s): the cells it leaves are run by coachkit's lab extension, every time.
    config = {"WarmSessionManager": {"handout_wait": 0.0}}
    (Path(env["JUPYTER_CONFIG_DIR"]) / "jupyter_server_config.json").write_text(json.dumps(config))
    # Rendered by the CLI in its own process; it signs the workbooks into the same
    # JUPYTER_DATA_DIR the server reads, so they open trusted.
    rendered = subprocess.run(
        [sys.executable, "-m", "coachkit", "--home", str(home), "workbook", CLIENT],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert rendered.returncode == 0 and "7 written" in rendered.stdout, rendered.stdout + rendered.stderr
    log = tmp / "lab.log"
    with running_lab(home, CLIENT, token=TOKEN, environ=env, log=log, timeout=180) as base:
        assert f"?token={TOKEN}" in log.read_text(), "coachkit lab prints the link"
        # COACHKIT_SCREENSHOTS keeps the screenshots (one per phase at 1280x800, and its first chart)
        # for a person to look at.
        shots = Path(os.environ.get("COACHKIT_SCREENSHOTS") or tmp / "screenshots")
        shots.mkdir(parents=True, exist_ok=True)
        yield Lab(base, home, shots)


def _open_live(page: Any, url: str) -> None:
    """Open ``url`` and wait, without pressing anything, until the workbook has run by itself."""
    page.goto(url)
    _wait_live(page)


def _wait_live(page: Any) -> None:
    panel = ".jp-NotebookPanel:not(.lm-mod-hidden)"
    page.wait_for_selector(f"{panel}[data-coachkit-ran]", state="attached")
    assert page.get_attribute(panel, "data-coachkit-lab") == "live"
    page.locator(f"{panel} .coachkit-form-title:visible").first.wait_for()
    page.locator(f"{panel} .coachkit-page-title:visible").first.wait_for()


def _assert_usable(page: Any, client_name: str) -> None:
    text = page.inner_text(".jp-NotebookPanel:not(.lm-mod-hidden)")
    assert "model not found" not in text and "Error displaying widget" not in text
    assert page.locator(".jupyter-widgets-error-widget, .jp-RenderedText[data-mime-type*='stderr']").count() == 0
    assert WAITING not in text, "every waiting sentence was replaced by its form"
    assert client_name in text, "the header shows the saved client"
    assert page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .coachkit-lab-banner:visible").count() == 0
    assert page.evaluate(CUT_LABELS) == [], "a label is cut"


def _file_has_no_widget_views(path: Path) -> bool:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:  # JupyterLab is writing the file in place this very moment
        return False
    outputs = [o for c in nb["cells"] for o in c.get("outputs", [])]
    return "widgets" not in nb["metadata"] and not any(WIDGET_VIEW in o.get("data", {}) for o in outputs)


@pytest.mark.parametrize("phase", PHASES)
def test_workbook_opens_live_and_again_after_save_and_reload(lab: Lab, browser: Any, phase: str) -> None:
    with init_practice(lab.home) as practice:
        client_name = practice.store.load(CLIENT).client.name
    assert not _file_has_no_widget_views(lab.workbook(phase)), "the rendered workbook holds its forms' views"
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(180_000)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        _open_live(page, lab.url(phase))
        _assert_usable(page, client_name)
        # It ran on the server before it was handed out, in the kernel the page joined (all of it,
        # or its first cells and the rest in the browser).
        ran_on = page.get_attribute(".jp-NotebookPanel:not(.lm-mod-hidden)", "data-coachkit-ran-on")
        assert ran_on in ("server", "server-then-browser")
        if phase == "03-action-plan":  # a form the server ran saves from the browser, as one run there
            _type_a_goal_and_save(page, lab.home)
        if phase != "01-relationship":  # every later workbook shows a chart, drawn as a picture
            chart = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .coachkit-chart").first
            chart.locator("svg").wait_for()
            chart.screenshot(path=str(lab.shots / f"{phase}-chart.png"))
        assert page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .js-plotly-plot").count() == 0
        assert any("/lab/extensions/" in url for url in requests), "the page's extensions were fetched"
        assert not [url for url in requests if "plotly" in url.lower()], "no request for plotly's bundle"
        # Two slow answers a coach never needs: the build check and the exporters list (each took
        # over a second of the server's time while the workbook opened).
        slow = [url for url in requests if "/lab/api/build" in url or "/api/nbconvert" in url]
        assert slow == [], "JupyterLab asked for the build state or the nbconvert exporters"
        assert page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").count() == 0, "sidebar collapsed"
        assert page.get_by_text("official Jupyter news").count() == 0
        page.screenshot(path=str(lab.shots / f"{phase}.png"))
        assert (lab.shots / f"{phase}.png").stat().st_size > 10_000

        page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current").click()
        page.keyboard.press("Control+s")
        page.wait_for_function("!document.querySelector('.lm-DockPanel-tabBar .jp-mod-current.jp-mod-dirty')")
        deadline = time.monotonic() + 60
        while not _file_has_no_widget_views(lab.workbook(phase)) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _file_has_no_widget_views(lab.workbook(phase)), "the saved file keeps no dead widget view"
        assert WAITING in lab.workbook(phase).read_text(encoding="utf-8"), "in their place: what to expect"

        page.reload()
        _wait_live(page)
        _assert_usable(page, client_name)
        # Its kernel was running already: this opening ran the workbook from the front end.
        assert page.get_attribute(".jp-NotebookPanel:not(.lm-mod-hidden)", "data-coachkit-ran-on") is None
        assert dialogs == [], "no leave-page or other dialog"
        if phase == "03-action-plan":
            _type_a_goal_and_save(page, lab.home)
        if phase == "07-follow-up":
            _stop_the_kernel_and_see_it_said(page)
    finally:
        context.close()


def _type_a_goal_and_save(page: Any, home: Path) -> None:
    with init_practice(home) as practice:
        before = len(_goals(practice))
    objective = page.locator("textarea[placeholder='What exactly will be different?']")
    assert objective.count() == 1, "one live goal form"
    objective.fill(TYPED)
    objective.press("Tab")
    form = objective.locator("xpath=ancestor::div[contains(@class, 'coachkit-form')][1]")
    form.locator("input[type=date]").first.fill("2027-02-01")  # a target date: the goal gets a timeline row
    form.locator("input[type=date]").first.press("Tab")
    page.locator("button", has_text="Save goal").click()
    page.get_by_text("saved ✓").first.wait_for()
    with init_practice(home) as practice:
        goals = _goals(practice)
        assert len(goals) == before + 1 and goals[-1] == TYPED, "this save wrote a new goal"
        assert practice.store.all(CLIENT, Goal)[-1].target_date == date(2027, 2, 1)
    # The timeline is redrawn with the new goal as a row, its name as text (not markup).
    chart = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .coachkit-chart svg")
    chart.locator("text", has_text="Browser goal <b>bold").first.wait_for()
    assert chart.locator("b").count() == 0


def _goals(practice: Practice) -> list[str]:
    return [g.objective for g in practice.store.all(CLIENT, Goal)]


def _stop_the_kernel_and_see_it_said(page: Any) -> None:
    page.click(".lm-MenuBar-itemLabel:text-is('Kernel')")
    page.click(".lm-Menu-item[data-command='kernelmenu:shutdown']")
    banner = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .coachkit-lab-banner")
    banner.wait_for(state="visible")
    assert "cannot save" in banner.inner_text()
    state = page.get_attribute(".jp-NotebookPanel:not(.lm-mod-hidden)", "data-coachkit-lab")
    assert state in ("dead", "none")
    form = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output").first
    assert form.evaluate("e => getComputedStyle(e).pointerEvents") == "none", "a stopped form cannot be used"


def _end_sessions(lab: Lab, path: str) -> None:
    headers = {"Authorization": f"token {TOKEN}"}
    with urllib.request.urlopen(urllib.request.Request(f"{lab.base}/api/sessions", headers=headers)) as reply:
        sessions = json.loads(reply.read())
    for session in sessions:
        if session["path"] == path:
            ended = urllib.request.Request(f"{lab.base}/api/sessions/{session['id']}", method="DELETE", headers=headers)
            urllib.request.urlopen(ended).close()


def test_a_workbook_opened_from_the_file_browser_ran_its_first_cells_on_the_server(lab: Lab, browser: Any) -> None:
    """The coach's usual way in: the client's folder, then a double click on a workbook. The
    server starts the kernel and runs the first cell before JupyterLab draws it (this server
    hands out after one cell); coachkit's extension runs the rest; every form is live."""
    name = lab.workbook("02-assessment").name
    _end_sessions(lab, f"{CLIENT}/{name}")  # no kernel yet, as when the coach opens it the first time
    with init_practice(lab.home) as practice:
        client_name = practice.store.load(CLIENT).client.name
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(180_000)
    try:
        page.goto(f"{lab.base}/lab/workspaces/browser/tree/{CLIENT}?token={TOKEN}")
        item = page.locator(".jp-DirListing-item", has_text=name).first
        item.dblclick()
        _wait_live(page)
        panel = ".jp-NotebookPanel:not(.lm-mod-hidden)"
        assert page.get_attribute(panel, "data-coachkit-ran-on") == "server-then-browser"
        _assert_usable(page, client_name)
        assert page.locator(f"{panel} .coachkit-form-title:visible").count() >= 5, "the later cells' forms too"
    finally:
        context.close()
