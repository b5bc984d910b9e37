"""The templates are thin and alike: one parameters cell with the same names, short calls,
hidden code, no outputs."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import nbformat
import papermill
import pytest

from coachkit.render import PHASE_TEMPLATES, template_path, templates_dir
from coachkit.runner import NotebookParameters

TEMPLATES = [template_path(p) for p in sorted(PHASE_TEMPLATES)]
BASE = {"client_id": '""', "home": '"."', "today": '""'}


def test_templates_are_found_in_the_checkout() -> None:
    assert templates_dir() == Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_one_parameters_cell_with_the_same_names(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    found = {name: p["default"] for name, p in papermill.inspect_notebook(str(path)).items()}
    expected = dict(BASE, session_number="0") if path.stem == "04-session" else BASE
    assert found == expected


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_code_cells_are_short_hidden_calls_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "a template has code"
    for cell in code:
        lines = [line for line in cell.source.splitlines() if line.strip()]
        most = len(dataclasses.fields(NotebookParameters)) if "parameters" in cell.metadata["tags"] else 3
        assert 1 <= len(lines) <= most, cell.source
        tree = ast.parse(cell.source)
        banned = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.For, ast.AsyncFor, ast.While, ast.Lambda)
        assert not [n for n in ast.walk(tree) if isinstance(n, banned)], cell.source
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.comprehension)], cell.source
        assert cell.metadata["jupyter"]["source_hidden"] is True
        assert "hide-input" in cell.metadata["tags"]
        assert cell.outputs == [] and cell.execution_count is None
    assert "widgets" not in nb.metadata, "committed without widget state"
    prose = [c for c in nb.cells if c.cell_type == "markdown"]
    assert len(prose) >= 3 and any(c.source.startswith("## ") for c in prose)


def test_assessment_and_pulse_sections_call_the_assessment_pages() -> None:
    nb = nbformat.read(template_path(2), as_version=4)
    heads = [i for i, c in enumerate(nb.cells) if c.source.startswith("## 360-degree feedback and personality profile")]
    assert len(heads) == 1
    calls = "\n".join(c.source for c in nb.cells[heads[0] :] if c.cell_type == "code")
    for page in ("feedback_raters", "competency_model_editor", "self_rating", "feedback_results", "ipip_questionnaire"):
        assert f"workbook.part(page, assessment.{page})" in calls
    for phase in (5, 6, 7):
        sources = [c.source for c in nbformat.read(template_path(phase), as_version=4).cells]
        assert any("workbook.part(page, assessment.pulse_rounds)" in s for s in sources), phase


@pytest.mark.parametrize("phase", sorted(PHASE_TEMPLATES))
def test_phase_templates_are_marked_as_workbooks_for_coachkit_lab(phase: int) -> None:
    nb = nbformat.read(template_path(phase), as_version=4)
    assert nb.metadata["coachkit"] == {"workbook": phase}, "coachkit lab runs a workbook when it opens"
