"""The templates run on their own: with their default parameters (no client chosen) every cell
of every phase template runs under ``pytest --nbval-lax`` and under the plain papermill CLI, the
workbook says plainly to choose a client, and no practice is created by accident."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from coachkit.pages.phases.base import NO_CLIENT
from coachkit.pages.report_view import NO_CLIENT as NO_CLIENT_REPORT
from coachkit.render import templates_dir

pytestmark = [pytest.mark.kernel]

# Every template: the seven phase workbooks, the practice notebook, the three page templates and
# the progress report.
RUN_ON_THEIR_OWN = sorted(p.name for p in templates_dir().glob("*.ipynb"))


def _clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COACHKIT_HOME", "COACHKIT_DB")}
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    env["PYTHONPATH"] = str(templates_dir().parent) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def test_nbval_runs_every_template_with_its_defaults(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    for name in RUN_ON_THEIR_OWN:
        shutil.copy(templates_dir() / name, folder / name)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q", "-W", "default", "."],
        cwd=folder, env=_clean_env(tmp_path), capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " failed" not in run.stdout and " passed" in run.stdout, run.stdout[-2000:]
    left = sorted(p.name for p in folder.iterdir() if not p.name.endswith(".ipynb"))
    assert left == [], f"running a template without a client created {left}"


@pytest.mark.parametrize("name", ["01-relationship.ipynb", "04-session.ipynb", "report.ipynb"])
def test_plain_papermill_cli_says_to_choose_a_client(name: str, tmp_path: Path) -> None:
    out = tmp_path / "out.ipynb"
    run = subprocess.run(
        [sys.executable, "-m", "papermill", str(templates_dir() / name), str(out), "--cwd", str(tmp_path)],
        env=_clean_env(tmp_path), capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    nb = nbformat.read(out, as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    shown = out.read_text(encoding="utf-8")
    assert NO_CLIENT.split(":")[0] in shown, "the header says no client was chosen"
    if name == "report.ipynb":
        assert "coachkit report CLIENT" in shown and NO_CLIENT_REPORT.startswith(NO_CLIENT.split(":")[0])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ipynb", "runtime"] or not (tmp_path / "data").exists()
