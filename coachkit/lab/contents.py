"""The contents manager ``coachkit lab`` serves notebooks with.

An ipywidgets view in a notebook file can only be drawn from the widget state saved beside it,
and such a view is never live: typing into it saves nothing. After JupyterLab saves a notebook
the state is gone and the same output shows "Error displaying widget: model not found". So every
widget view is replaced, when a notebook is opened and when it is saved, by a sentence saying
that the form appears when the workbook runs (which coachkit's lab extension does by itself).

A workbook draws its charts as SVG pictures inside widget views, so they go with the views.
Workbooks rendered by an older coachkit may still hold charts in plotly's own output, which
``coachkit lab`` no longer loads plotly.js to draw: a workbook (a notebook with a ``coachkit``
entry) is handed out with a sentence in place of each such chart, and the workbook redraws its
charts as SVG as it runs on opening; its file keeps them. Nothing else in the notebook changes.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WAITING = (
    "This form appears when the workbook runs, a few seconds after it opens. "
    "If it does not, choose Kernel \u25b8 Restart Kernel and Run All Cells."
)
WAITING_HTML = f'<p class="coachkit-waiting">{WAITING}</p>'
CHART = "application/vnd.plotly.v1+json"
"""plotly's own output, found only in workbooks rendered by an older coachkit."""
CHART_WAITING = "This chart appears when the workbook runs, a few seconds after it opens."


def waiting_output() -> dict[str, Any]:
    """The output that stands in for a form until the workbook runs."""
    return {
        "output_type": "display_data",
        "data": {"text/html": WAITING_HTML, "text/plain": WAITING},
        "metadata": {},
    }


def chart_waiting_output() -> dict[str, Any]:
    """The output that stands in for a chart until the workbook runs."""
    return {
        "output_type": "display_data",
        "data": {"text/html": f'<p class="coachkit-waiting">{CHART_WAITING}</p>', "text/plain": CHART_WAITING},
        "metadata": {},
    }


def hide_charts(notebook: Any) -> int:
    """In a coachkit workbook (``notebook``, a notebook dict changed in place), replace each
    plotly output (left by an older coachkit) by a sentence saying the chart appears when the
    workbook runs; returns how many."""
    if not notebook.get("metadata", {}).get("coachkit"):
        return 0
    hidden = 0
    for cell in notebook.get("cells", []):
        outputs: list[Any] = (cell.get("outputs") if cell.get("cell_type") == "code" else None) or []
        for number, output in enumerate(outputs):
            if CHART in output.get("data", {}):
                outputs[number] = chart_waiting_output()
                hidden += 1
    return hidden


def strip_widget_views(notebook: Any) -> int:
    """Replace the widget views in ``notebook`` (a notebook dict, changed in place) by one
    waiting sentence per cell, and drop the saved widget state; returns how many cells changed."""
    metadata = notebook.get("metadata", {})
    metadata.pop("widgets", None)
    changed = 0
    for cell in notebook.get("cells", []):
        outputs = cell.get("outputs") if cell.get("cell_type") == "code" else None
        if not outputs:
            continue
        kept = [o for o in outputs if WIDGET_VIEW not in o.get("data", {})]
        if len(kept) == len(outputs):
            continue
        cell["outputs"] = [*kept, waiting_output()]
        changed += 1
    return changed


def strip_before_save(model: dict[str, Any], **_: Any) -> None:
    """A ``pre_save_hook``: a saved notebook holds no widget view and no widget state."""
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        strip_widget_views(model["content"])


class WorkbookContentsManager(AsyncLargeFileManager):
    """JupyterLab's default contents manager, with widget views stripped on open and on save,
    and a workbook's charts left out on open."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.register_pre_save_hook(strip_before_save)  # type: ignore[no-untyped-call]

    async def get(
        self,
        path: str,
        content: bool = True,
        type: str | None = None,
        format: str | None = None,
        require_hash: bool = False,
    ) -> dict[str, Any]:
        """The model of ``path``; a notebook's widget views (and a workbook's charts) replaced by a
        waiting sentence."""
        model: dict[str, Any] = await super().get(  # type: ignore[no-untyped-call]
            path, content=content, type=type, format=format, require_hash=require_hash
        )
        if model.get("type") == "notebook" and content and model.get("content") is not None:
            strip_widget_views(model["content"])
            hide_charts(model["content"])
        return model
