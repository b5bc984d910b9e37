"""What ``coachkit lab`` sets up, without a browser: JupyterLab's own loaders find coachkit's lab
extension and settings; the contents manager hands out and saves notebooks with no widget view
left (a real jupyter_server contents manager on a temporary folder); what a coach changes stays
in the practice, and each start forgets the last session's tabs."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import nbformat
from jupyterlab_server.config import get_page_config

from coachkit.lab.contents import (
    CHART,
    CHART_WAITING,
    RAN_IN,
    WAITING,
    WIDGET_VIEW,
    Ran,
    WorkbookContentsManager,
    strip_before_save,
    strip_widget_views,
)
from coachkit.lab.launch import EXTENSION_NAME, LABEXTENSIONS_DIR, SETTINGS_DIR, share_launch
from coachkit.practice import Practice
from coachkit.runner import run_to_end

VIEW = {
    "output_type": "display_data",
    "data": {WIDGET_VIEW: {"model_id": "abc"}, "text/plain": "VBox()"},
    "metadata": {},
}
TEXT = {"output_type": "stream", "name": "stdout", "text": "kept\n"}


def _notebook() -> dict[str, Any]:
    nb = nbformat.v4.new_notebook()
    nb.metadata["coachkit"] = {"workbook": 3}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.cells = [
        nbformat.v4.new_markdown_cell("## Goals"),
        nbformat.v4.new_code_cell("page.goals()", outputs=[nbformat.from_dict(VIEW)]),
        nbformat.v4.new_code_cell("print('kept')", outputs=[nbformat.from_dict(TEXT)]),
    ]
    return dict(nb)


def test_strip_replaces_each_widget_view_by_the_waiting_sentence() -> None:
    nb = _notebook()
    before = copy.deepcopy(nb)
    assert strip_widget_views(nb) == 1
    assert "widgets" not in nb["metadata"] and nb["metadata"]["coachkit"] == {"workbook": 3}
    goals, printed = nb["cells"][1], nb["cells"][2]
    assert [o["data"]["text/plain"] for o in goals["outputs"]] == [WAITING]
    assert printed["outputs"] == before["cells"][2]["outputs"], "other outputs are kept"
    assert strip_widget_views(nb) == 0, "stripping twice changes nothing more"


def test_a_run_fills_only_the_file_it_ran_and_its_mark_is_never_saved() -> None:
    base = _notebook()
    ran = copy.deepcopy(base)
    live = {"output_type": "display_data", "data": {WIDGET_VIEW: {"model_id": "live"}}, "metadata": {}}
    ran["cells"][1]["outputs"] = [live]
    ran["cells"][1]["execution_count"] = 1
    run = Ran("kernel-1", ran["cells"], last_modified="10:00")

    changed_since = copy.deepcopy(base)
    assert not run.fill(changed_since, last_modified="10:05"), "the file changed after the run"
    assert changed_since == base
    other = copy.deepcopy(base)
    other["cells"].append(nbformat.v4.new_code_cell("x = 1"))
    assert not run.fill(other, last_modified="10:00"), "another notebook (one cell more) is not filled"

    assert not run.fill(_notebook(), last_modified="10:00"), "other cells (their ids differ) are not filled"
    opened = copy.deepcopy(base)
    assert run.fill(opened, last_modified="10:00")
    assert opened["cells"][1]["outputs"] == [live] and opened["cells"][1]["execution_count"] == 1
    assert opened["metadata"][RAN_IN] == {"kernel": "kernel-1", "cells": 3} and "widgets" not in opened["metadata"]
    assert opened["cells"][0]["source"] == "## Goals", "markdown cells are left as they are"

    # A run cut short after its first two cells: the rest keep no dead view, JupyterLab runs them.
    ran["cells"][2]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "not run\n"}]
    cut = copy.deepcopy(base)
    cut["cells"][2]["outputs"] = [nbformat.from_dict(VIEW)]
    assert Ran("kernel-2", ran["cells"], last_modified="10:00", ran=2).fill(cut, last_modified="10:00")
    assert cut["cells"][1]["outputs"] == [live] and cut["metadata"][RAN_IN] == {"kernel": "kernel-2", "cells": 2}
    assert [o["data"].get("text/plain") for o in cut["cells"][2]["outputs"]] == [WAITING]

    model = {"type": "notebook", "content": opened}
    strip_before_save(model)
    assert RAN_IN not in opened["metadata"], "the mark is for the opening, never for the file"
    assert [o["data"].get("text/plain") for o in opened["cells"][1]["outputs"]] == [WAITING]


def test_contents_manager_opens_and_saves_without_widget_views(tmp_path: Path) -> None:
    path = tmp_path / "03-action-plan.ipynb"
    nbformat.write(nbformat.from_dict(_notebook()), path)
    manager = WorkbookContentsManager(root_dir=str(tmp_path))

    async def round_trip() -> dict[str, Any]:
        opened: dict[str, Any] = await manager.get("03-action-plan.ipynb")
        shown = json.dumps(opened["content"], ensure_ascii=False)
        assert WIDGET_VIEW not in shown and WAITING in shown and "widget-state" not in shown
        # What JupyterLab sends on Ctrl+S after the workbook ran: live views and their state.
        live = _notebook()
        await manager.save({"type": "notebook", "format": "json", "content": live}, "03-action-plan.ipynb")
        reopened: dict[str, Any] = await manager.get("03-action-plan.ipynb")
        return reopened

    reopened = run_to_end(round_trip)  # Playwright's loop may run in this thread
    on_disk = path.read_text(encoding="utf-8")
    assert WIDGET_VIEW not in on_disk and "widget-state" not in on_disk and WAITING in on_disk
    assert reopened["content"]["cells"][2]["outputs"][0]["text"] == "kept\n"


def test_a_workbook_opens_without_its_rendered_charts_and_its_file_keeps_them(tmp_path: Path) -> None:
    chart = {"output_type": "display_data", "metadata": {},
             "data": {CHART: {"data": [{"type": "bar", "y": [1, 2]}]}, "text/plain": "[chart] Progress"}}  # fmt: skip
    workbook = _notebook()
    workbook["cells"].append(nbformat.v4.new_code_cell("page.progress()", outputs=[nbformat.from_dict(chart)]))
    other = copy.deepcopy(workbook)
    del other["metadata"]["coachkit"]
    nbformat.write(nbformat.from_dict(workbook), tmp_path / "05-progress-review.ipynb")
    nbformat.write(nbformat.from_dict(other), tmp_path / "scratch.ipynb")
    manager = WorkbookContentsManager(root_dir=str(tmp_path))

    async def both() -> tuple[dict[str, Any], dict[str, Any]]:
        return await manager.get("05-progress-review.ipynb"), await manager.get("scratch.ipynb")

    opened, scratch = run_to_end(both)
    shown = json.dumps(opened["content"])
    assert CHART not in shown and CHART_WAITING in shown, "the workbook's chart waits for the run"
    assert opened["content"]["cells"][2]["outputs"][0]["text"] == "kept\n", "other outputs are kept"
    assert CHART in json.dumps(scratch["content"]), "a notebook that is not a workbook keeps its charts"
    assert CHART in (tmp_path / "05-progress-review.ipynb").read_text(encoding="utf-8"), "the file keeps them"


def test_jupyterlab_finds_the_extension_and_settings() -> None:
    config = get_page_config([str(LABEXTENSIONS_DIR)], app_settings_dir=str(SETTINGS_DIR))
    assert EXTENSION_NAME in [e["name"] for e in config["federated_extensions"]]
    found = config["disabledExtensions"]
    disabled = list(found) if isinstance(found, list) else [name for name, off in found.items() if off]
    assert "@jupyterlab/apputils-extension:announcements" in disabled, "no news prompt"
    assert "@jupyterlab/application-extension:dirty" in disabled, "no leave-page dialog"
    assert (LABEXTENSIONS_DIR / EXTENSION_NAME / "static" / "remoteEntry.js").is_file()
    overrides = json.loads((SETTINGS_DIR / "overrides.json").read_text(encoding="utf-8"))
    assert overrides["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}
    assert overrides["@jupyter-widgets/jupyterlab-manager:plugin"] == {"saveState": False}


def test_launch_points_jupyterlab_at_coachkit_and_the_practice_only(demo_practice: Practice, tmp_path: Path) -> None:
    launch = share_launch(demo_practice, "jonas-becker", port=18999, token="t")
    argv = " ".join(launch.argv)
    assert f"--LabApp.app_settings_dir={SETTINGS_DIR}" in argv
    assert f"--LabApp.extra_labextensions_path={LABEXTENSIONS_DIR}" in argv
    assert "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate" in argv
    assert "--LabApp.news_url=None" in argv
    assert "--ServerApp.contents_manager_class=coachkit.lab.contents.WorkbookContentsManager" in argv
    assert "--ServerApp.session_manager_class=coachkit.lab.warm.WarmSessionManager" in argv
    assert "--ServerApp.jpserver_extensions=coachkit.lab.warm=True" in argv
    state = demo_practice.home / "data" / "jupyterlab"
    assert f"--LabApp.user_settings_dir={state / 'user-settings'}" in argv
    assert f"--LabApp.workspaces_dir={state / 'workspaces'}" in argv
    assert "--ServerApp.ip=127.0.0.1" in argv and launch.url.startswith("http://127.0.0.1:18999/lab/tree/jonas-becker")
    (state / "workspaces" / "default.jupyterlab-workspace").write_text("{}")
    share_launch(demo_practice, "jonas-becker", port=18999, token="t")
    assert list((state / "workspaces").iterdir()) == [], "the last session's tabs are forgotten"


def test_coachkit_lab_serves_jupyterlab_without_the_plotly_extension() -> None:
    from jupyter_core.paths import jupyter_path

    from coachkit.lab.warm import PLOTLY_EXTENSION, without_plotly

    config = get_page_config(
        [str(LABEXTENSIONS_DIR), *jupyter_path("labextensions")], app_settings_dir=str(SETTINGS_DIR)
    )
    everything = [e["name"] for e in config["federated_extensions"]]
    assert PLOTLY_EXTENSION in everything, "installed here, so a user's own jupyter lab keeps plotly"
    served = [e["name"] for e in without_plotly(None, copy.deepcopy(config))["federated_extensions"]]
    assert served == [name for name in everything if name != PLOTLY_EXTENSION]
    assert EXTENSION_NAME in served and "@jupyter-widgets/jupyterlab-manager" in served
