"""The practice notebook, ``workbooks/00-practice.ipynb``: rendered from
``templates/00-practice.ipynb`` (the agenda of every client, filters and a calendar) and opened
first by ``coachkit lab``.

Unlike a client's workbook it holds nothing typed in, only a view of the agenda, so it is
rendered afresh each time: what it shows is as of the moment it was rendered (and of every run).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from coachkit.errors import CoachkitError
from coachkit.practice import Practice
from coachkit.render import WORKBOOK_WARM_IMPORTS, templates_dir, trust
from coachkit.runner import NotebookJob, NotebookParameters, run_notebooks

PRACTICE_BOOK = "00-practice.ipynb"
WARM_IMPORTS: tuple[str, ...] = (*WORKBOOK_WARM_IMPORTS, "coachkit.pages.practice_home")


class PracticeBookError(CoachkitError):
    """The practice notebook could not be rendered."""


def practice_book_path(practice: Practice) -> Path:
    """Where the practice notebook is written: ``<home>/workbooks/00-practice.ipynb``."""
    return practice.home / "workbooks" / PRACTICE_BOOK


def render_practice_book(practice: Practice, *, today: date | None = None) -> Path:
    """Render the practice notebook (replacing the previous one); returns its path."""
    output = practice_book_path(practice)
    output.parent.mkdir(parents=True, exist_ok=True)
    parameters = NotebookParameters(home=str(practice.home), today=today)
    job = NotebookJob(templates_dir() / PRACTICE_BOOK, parameters, group="practice", output=output)
    (result,) = run_notebooks([job], cwd=output.parent, workers=1, warm_imports=WARM_IMPORTS)
    if not result.ok or result.notebook is None:
        raise PracticeBookError(f"The practice notebook could not be rendered: {result.error or 'it failed'}.")
    import nbformat

    # the lab extension runs a notebook by itself when opened if it carries a `coachkit` entry
    notebook = nbformat.read(output, as_version=4)  # type: ignore[no-untyped-call]
    notebook.metadata["coachkit"] = {"page": "practice"}
    nbformat.write(notebook, output)  # type: ignore[no-untyped-call]
    trust(notebook)
    return output


def lab_url_opening_practice_book(url: str) -> str:
    """A JupyterLab address (``.../lab/tree/?token=...``) that opens the practice notebook."""
    head, sep, query = url.partition("?")
    return f"{head.rstrip('/')}/{PRACTICE_BOOK}{sep}{query}"
