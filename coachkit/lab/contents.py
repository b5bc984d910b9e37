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

A workbook JupyterLab opens with no kernel yet is run on the server first (by
:mod:`coachkit.lab.warm`, in the kernel JupyterLab then joins): it is handed out with the
outputs of that run, whose forms are live in that kernel, and marked with the kernel's id
(:data:`RAN_IN`) so coachkit's lab extension does not run it a second time (only the cells the
run left for it, if it was cut short so that the first forms show sooner). That happens once
per run; every other opening gets the waiting sentences and the extension runs the workbook.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
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
RAN_IN = "coachkit_lab"
"""The notebook metadata entry of a workbook handed out with the outputs of a run on the server:
``{"kernel": <the kernel's id>, "cells": <how many of its first cells ran>}``. Never saved."""


def is_workbook(notebook: Any) -> bool:
    """True for a coachkit workbook (a ``coachkit`` metadata entry, or papermill's ``client_id``),
    the same test as the lab extension's."""
    metadata = notebook.get("metadata", {}) if isinstance(notebook, dict) else {}
    parameters = (metadata.get("papermill") or {}).get("parameters") or {}
    return bool(metadata.get("coachkit") or parameters.get("client_id"))


def is_trusted(notebook: Any) -> bool:
    """Whether every code cell of ``notebook`` (as the contents manager marked it) is trusted:
    the notebook's signature is known, so its code may run without anyone asking for it."""
    cells = notebook.get("cells", []) if isinstance(notebook, dict) else []
    return all(c.get("metadata", {}).get("trusted") is True for c in cells if c.get("cell_type") == "code")


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
    metadata.pop(RAN_IN, None)
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


class Ran:
    """The outputs of a workbook's run on the server, in the kernel ``kernel_id``; the file was
    last modified at ``last_modified`` when it was read for the run. The first ``ran`` cells ran
    (all of them unless the run was cut short for JupyterLab, which then runs the rest)."""

    def __init__(self, kernel_id: str, cells: list[Any], last_modified: Any, ran: int | None = None) -> None:
        self.kernel_id = kernel_id
        self.cells = cells
        self.last_modified = last_modified
        self.ran = len(cells) if ran is None else ran

    def fill(self, notebook: Any, last_modified: Any) -> bool:
        """Put the run's outputs into ``notebook`` (the same file, read again: changed in place)
        and mark it with the kernel's id; False (nothing changed) if the file is no longer the
        one that ran."""
        cells = notebook.get("cells", [])
        if last_modified != self.last_modified or len(cells) != len(self.cells):
            return False
        pairs = list(zip(cells, self.cells, strict=True))
        if any(a.get("id") != b.get("id") or a.get("cell_type") != b.get("cell_type") for a, b in pairs):
            return False
        for cell, ran in pairs[: self.ran]:
            if cell.get("cell_type") == "code":
                cell["outputs"] = ran.get("outputs", [])
                cell["execution_count"] = ran.get("execution_count")
        strip_widget_views({"metadata": {}, "cells": cells[self.ran :]})  # left for JupyterLab to run
        notebook["metadata"].pop("widgets", None)
        notebook["metadata"][RAN_IN] = {"kernel": self.kernel_id, "cells": self.ran}
        return True


class WorkbookContentsManager(AsyncLargeFileManager):
    """JupyterLab's default contents manager, with widget views stripped on open and on save,
    and a workbook's charts left out on open; a workbook with a fresh run on the server (see the
    module's docstring) is handed out with that run's outputs instead."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.register_pre_save_hook(strip_before_save)  # type: ignore[no-untyped-call]
        self.runs: Callable[[str], Awaitable[Ran | None]] | None = None
        """Set by :mod:`coachkit.lab.warm`: the run of a workbook about to be opened, if any."""

    async def get_as_saved(self, path: str) -> dict[str, Any]:
        """The model of the notebook at ``path`` as its file holds it (trust marked)."""
        model: dict[str, Any] = await super().get(path, content=True, type="notebook")  # type: ignore[no-untyped-call]
        return model

    async def get(
        self,
        path: str,
        content: bool = True,
        type: str | None = None,
        format: str | None = None,
        require_hash: bool = False,
    ) -> dict[str, Any]:
        """The model of ``path``; a notebook's widget views (and a workbook's charts) replaced by a
        waiting sentence, or the outputs of the workbook's run on the server."""
        model: dict[str, Any] = await super().get(  # type: ignore[no-untyped-call]
            path, content=content, type=type, format=format, require_hash=require_hash
        )
        notebook = model.get("content") if model.get("type") == "notebook" and content else None
        if notebook is not None:
            ran = None
            if self.runs is not None and type == "notebook" and is_workbook(notebook) and is_trusted(notebook):
                ran = await self.runs(path.strip("/"))
            if ran is None or not ran.fill(notebook, model.get("last_modified")):
                strip_widget_views(notebook)
            hide_charts(notebook)
        return model
