"""Executed report notebooks to one standalone HTML page each, with nbconvert."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nbformat import NotebookNode

TEMPLATE_DIR = Path(__file__).with_name("html_template")
"""nbconvert templates: ``coachkit_report`` (the lab template's cells in a page of our own)."""

PLOTLY_SLOT = '<script data-coachkit="plotly.js"></script>'


@dataclasses.dataclass(frozen=True)
class ReportPage:
    """A rendered report. ``bare`` lacks plotly.js (for a browser that already has it); the
    file written is :meth:`standalone`, with plotly.js inside."""

    bare: str
    needs_plotly: bool

    def standalone(self, plotly_js: str) -> str:
        """The page with plotly.js inlined once (when it has a chart), ready to open offline."""
        if not self.needs_plotly:
            return self.bare
        return self.bare.replace(PLOTLY_SLOT, f'<script data-coachkit="plotly.js">{plotly_js}</script>', 1)


class ReportExporter:
    """Executed report notebooks to standalone HTML with nbconvert: no code, no prompts, no
    stream output, no outside reference; plotly.js inlined once when the page has a chart."""

    def __init__(self) -> None:
        from nbconvert import HTMLExporter

        self._html = HTMLExporter(  # type: ignore[no-untyped-call]
            extra_template_basedirs=[str(TEMPLATE_DIR)],
            template_name="coachkit_report",
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )
        self._css = (TEMPLATE_DIR / "coachkit_report" / "report.css").read_text(encoding="utf-8")

    def render(self, notebook: NotebookNode, title: str) -> ReportPage:
        """The notebook's displayed outputs and prose as one HTML page."""
        nb = _presentable(notebook)
        needs_plotly = any(
            "plotly-graph-div" in str(o.get("data", {}).get("text/html", ""))
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.outputs
        )
        resources: dict[str, Any] = {"report_title": title, "report_css": self._css, "needs_plotly": needs_plotly}
        body, _ = self._html.from_notebook_node(nb, resources=resources)
        page = str(body)
        if needs_plotly and page.count(PLOTLY_SLOT) != 1:
            raise ValueError("the report template lost its plotly.js slot")
        return ReportPage(page, needs_plotly)


def plotly_js() -> str:
    """plotly.js as shipped inside the plotly package (no network involved)."""
    from plotly.offline import get_plotlyjs

    js = str(get_plotlyjs())
    if "</script" in js.lower():  # it would end the inline script early
        raise ValueError("this plotly.js cannot be inlined in a page")
    return js


def _presentable(notebook: NotebookNode) -> NotebookNode:
    """A copy with only displayed results kept (no streams, warnings or errors), code cells
    without output dropped, and cell ids renumbered so the page is the same on every run."""
    nb = copy.deepcopy(notebook)
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if o.output_type in ("display_data", "execute_result")]
            if not cell.outputs:
                continue
        elif cell.cell_type != "markdown":
            continue
        cells.append(cell)
    for n, cell in enumerate(cells):
        cell.id = f"cell-{n}"
    nb.cells = cells
    nb.metadata = {"language_info": {"name": "python"}}
    return nb
