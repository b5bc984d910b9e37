"""Every template rendered for every demo client and a client with no data, on real kernels;
through coachkit's renderer, the plain papermill CLI and nbval."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

from coachkit.practice import Practice, init_practice
from coachkit.render import PHASE_TEMPLATES, render_session, render_workbooks, template_path
from tests.conftest import DEMO_TODAY

pytestmark = pytest.mark.kernel
CLIENTS = ("ana-ruiz", "jonas-becker", "mei-tanaka", "zoe-newcomer")
NAMES = [
    "01-relationship.ipynb",
    "02-assessment.ipynb",
    "03-action-plan.ipynb",
    "05-progress-review.ipynb",
    "06-closure.ipynb",
    "07-follow-up.ipynb",
]
SESSIONS = {"ana-ruiz": 2, "jonas-becker": 9, "mei-tanaka": 13, "zoe-newcomer": 1}


@pytest.fixture(scope="module")
def rendered(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The demo practice plus a client with nothing saved, every workbook rendered."""
    home = tmp_path_factory.mktemp("render") / "practice"
    shutil.copytree(demo_template, home)
    with init_practice(home) as practice:
        assert practice.add_client("Zoë Newcomer").id == "zoe-newcomer"
        reports = {c: render_workbooks(practice, c, today=DEMO_TODAY) for c in CLIENTS}
    return {"home": home, "reports": reports}


def _state(nb: Any) -> dict[str, Any]:
    state: dict[str, Any] = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    return state


def _texts(nb: Any) -> str:
    return json.dumps(_state(nb), ensure_ascii=False)


def test_all_seven_workbooks_are_written_for_every_client(rendered: dict[str, Any]) -> None:
    for client, report in rendered["reports"].items():
        assert report.ok, report.failed
        expected = sorted([*NAMES, f"04-session-{SESSIONS[client]:02d}.ipynb"])
        assert sorted(p.name for p in report.written) == expected
        assert report.kept == []


@pytest.mark.parametrize("client", CLIENTS)
def test_rendered_workbooks_open_with_forms_charts_and_summaries(rendered: dict[str, Any], client: str) -> None:
    folder = rendered["home"] / "workbooks" / client
    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                assert out["output_type"] != "error", (path.name, out)
                assert not (out["output_type"] == "stream" and out["name"] == "stderr"), (path.name, out["text"])
            if cell.cell_type == "code":
                assert cell.metadata["jupyter"]["source_hidden"] is True, "the injected cell is hidden too"
        state = _state(nb)
        models = [m["model_name"] for m in state.values()]
        assert "ButtonModel" in models, f"{path.name}: a form with its Save button"
        summaries = [m for m in state.values() if "coachkit-summary" in str(m["state"].get("value", ""))]
        assert summaries, f"{path.name}: a summary of what is saved"
        pictures = [m for m in state.values() if str(m["state"].get("value", "")).startswith("<svg")]
        if not path.name.startswith("01-"):  # every later workbook shows a chart
            assert pictures, f"{path.name}: its charts are SVG pictures"
        assert all("mathjax_ignore" in m["state"]["_dom_classes"] for m in pictures), path.name
        assert "application/vnd.plotly" not in path.read_text(encoding="utf-8"), f"{path.name}: no plotly output"
        text = _texts(nb)
        assert "could not be shown" not in text, path.name
        assert "over-functioning" not in text, "a past session's private notes never reach another workbook"
        others = {"ana-ruiz": "Ana Ruiz", "jonas-becker": "Jonas Becker", "mei-tanaka": "Mei Tanaka"}
        for other, name in others.items():
            if other != client:
                assert name not in text, f"{path.name}: another client's data"


def test_the_empty_client_is_told_what_to_do_first(rendered: dict[str, Any]) -> None:
    folder = rendered["home"] / "workbooks" / "zoe-newcomer"
    for name in NAMES[1:]:
        assert "start with workbook 01" in _texts(nbformat.read(folder / name, as_version=4)), name
    first = _texts(nbformat.read(folder / NAMES[0], as_version=4))
    assert "The engagement is not set up yet" in first and "Start with the initial meeting" in first


def test_rendering_again_keeps_every_workbook_untouched(rendered: dict[str, Any]) -> None:
    with init_practice(rendered["home"]) as practice:
        path = practice.workbooks_dir("ana-ruiz") / "03-action-plan.ipynb"
        before = path.read_bytes()
        report = render_workbooks(practice, "ana-ruiz", [3], today=DEMO_TODAY)
        assert report.written == [] and report.kept == [path]
        assert path.read_bytes() == before
        again = render_session(practice, "ana-ruiz", today=DEMO_TODAY)
        assert [p.name for p in again.kept] == ["04-session-02.ipynb"]
        third = render_session(practice, "ana-ruiz", 3, today=DEMO_TODAY)
        assert [p.name for p in third.written] == ["04-session-03.ipynb"]
        nb = nbformat.read(third.written[0], as_version=4)
        injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
        assert "session_number = 3" in injected.source


def _env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH", "")
    return {
        **os.environ,
        "PYTHONPATH": f"{root}{os.pathsep}{path}" if path else root,
        "COACHKIT_TODAY": DEMO_TODAY.isoformat(),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }


def test_the_plain_papermill_cli_runs_every_template(demo_practice: Practice, tmp_path: Path) -> None:
    client = demo_practice.add_client("Plain Papermill")
    papermill = Path(sys.executable).with_name("papermill")
    for phase in sorted(PHASE_TEMPLATES):
        out = tmp_path / f"{phase}.ipynb"
        done = subprocess.run(
            [str(papermill), str(template_path(phase)), str(out), "-p", "client_id", client.id, "-p", "home",
             str(demo_practice.home), "--no-progress-bar"],
            env=_env(), capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        nb = nbformat.read(out, as_version=4)
        assert not [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
        assert "Plain Papermill" in _texts(nb)


def test_nbval_lax_passes_on_rendered_workbooks(rendered: dict[str, Any], tmp_path: Path) -> None:
    folder = rendered["home"] / "workbooks" / "jonas-becker"
    files = [str(p) for p in sorted(folder.glob("*.ipynb"))]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
         "-c", os.devnull, *files],
        env=_env(), cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]
    assert " passed" in done.stdout and " failed" not in done.stdout
