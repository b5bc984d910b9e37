"""The JupyterLab command ``coachkit lab`` runs, made for a screen share.

It starts from :func:`coachkit.render.lab_launch` (the server bound to 127.0.0.1 on the
practice's workbooks, with a token) and adds:

- coachkit's settings folder as JupyterLab's app settings (``settings/``: no news prompt, no
  update check, no "leave page?" dialog, widget state never saved into notebooks);
- the user's settings and workspaces kept in the practice (``data/jupyterlab/``), so nothing
  coachkit sets reaches the user's own JupyterLab, and nothing of theirs changes a workbook;
  the open tabs are forgotten at every start;
- coachkit's lab extension (``labextensions/coachkit-lab``), found through an extra
  labextensions path rather than installed into JupyterLab;
- the contents manager of :mod:`coachkit.lab.contents`;
- the warm starts of :mod:`coachkit.lab.warm` (the fork server starts with JupyterLab, and a
  workbook's kernel as soon as its page is asked for).
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from coachkit.practice import Practice
from coachkit.render import LabLaunch, lab_launch

HERE = Path(__file__).resolve().parent
SETTINGS_DIR = HERE / "settings"
LABEXTENSIONS_DIR = HERE / "labextensions"
EXTENSION_NAME = "coachkit-lab"


def lab_state_dir(practice: Practice) -> Path:
    """Where JupyterLab keeps what a coach changes (settings, the open tabs): in the practice."""
    return practice.home / "data" / "jupyterlab"


def share_launch(practice: Practice, client_id: str | None = None, *, port: int = 0, token: str = "") -> LabLaunch:
    """The command and link of ``coachkit lab``: :func:`coachkit.render.lab_launch` with coachkit's
    settings, lab extension and contents manager (see the module's docstring)."""
    base = lab_launch(practice, client_id, port=port, token=token)
    state = lab_state_dir(practice)
    # Every start begins with no tab open: the last session's tabs (maybe another client's
    # workbook) never reappear on a shared screen.
    shutil.rmtree(state / "workspaces", ignore_errors=True)
    for name in ("user-settings", "workspaces"):
        (state / name).mkdir(parents=True, exist_ok=True, mode=0o700)
    argv = [
        *base.argv,
        f"--LabApp.app_settings_dir={SETTINGS_DIR}",
        f"--LabApp.user_settings_dir={state / 'user-settings'}",
        f"--LabApp.workspaces_dir={state / 'workspaces'}",
        f"--LabApp.extra_labextensions_path={LABEXTENSIONS_DIR}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.news_url=None",
        "--ServerApp.contents_manager_class=coachkit.lab.contents.WorkbookContentsManager",
        "--ServerApp.session_manager_class=coachkit.lab.warm.WarmSessionManager",
        "--ServerApp.jpserver_extensions=coachkit.lab.warm=True",
    ]
    return dataclasses.replace(base, argv=argv)
