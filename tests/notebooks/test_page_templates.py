"""The served page templates: thin, parameterised like every template, and safe to run
outside Voilà (no request: the "not valid" page, no client data)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat
import papermill
import pytest

from coachkit.practice import Practice
from coachkit.server import prepare_pages, templates_dir

PAGES = ("dashboard.ipynb", "sponsor.ipynb")


@pytest.mark.parametrize("name", PAGES)
def test_page_templates_are_thin_hidden_and_clean(name: str) -> None:
    path = templates_dir() / name
    params = papermill.inspect_notebook(str(path))
    assert params["client_id"]["default"] == '""' and params["home"]["default"] == '"."'
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [] and cell.execution_count is None
        assert cell.metadata["jupyter"]["source_hidden"] is True and "hide-input" in cell.metadata["tags"]
        tree = ast.parse(cell.source)
        assert len([line for line in cell.source.splitlines() if line.strip()]) <= 3
        banned = (ast.FunctionDef, ast.ClassDef, ast.For, ast.While, ast.AsyncFunctionDef)
        assert not [n for n in ast.walk(tree) if isinstance(n, banned)]


@pytest.mark.kernel
@pytest.mark.parametrize("name", PAGES)
def test_outside_voila_a_page_shows_not_valid_and_no_client_data(
    name: str, demo_practice: Practice, tmp_path: Path
) -> None:
    out = tmp_path / name
    papermill.execute_notebook(
        str(templates_dir() / name),
        str(out),
        parameters={"client_id": "jonas-becker", "home": str(demo_practice.home)},
        progress_bar=False,
        cwd=str(tmp_path),
    )
    nb = nbformat.read(out, as_version=4)
    state = json.dumps(nb.metadata.get("widgets", {}))
    assert "This link is not valid" in state
    for name_ in ("Jonas", "Becker", "Mei", "Ana Ruiz", "Coach only"):
        assert name_ not in state and name_ not in json.dumps([c.get("outputs", []) for c in nb.cells])


def test_only_the_page_notebooks_are_served(tmp_path: Path) -> None:
    source = tmp_path / "templates"
    source.mkdir()
    for name in ("dashboard.ipynb", "sponsor.ipynb", "rater.ipynb", "01-initial.ipynb", "voila.py", "x.json"):
        (source / name).write_text("{}")
    served = tmp_path / "served"
    assert prepare_pages(served, source) == ["dashboard.ipynb", "sponsor.ipynb", "rater.ipynb"]
    assert sorted(p.name for p in served.iterdir()) == ["dashboard.ipynb", "rater.ipynb", "sponsor.ipynb"]
    (source / "rater.ipynb").unlink()
    assert prepare_pages(tmp_path / "again", source) == ["dashboard.ipynb", "sponsor.ipynb"]
