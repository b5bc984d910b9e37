"""The practice notebook: the same items as `coachkit agenda`, filters, a calendar, and links to
the workbooks; rendered from its template by a real kernel."""

from __future__ import annotations

import json

import nbformat
import pytest

from coachkit.home.agenda import build_agenda
from coachkit.pages.practice_home import PracticeHome, agenda_html, month_html
from coachkit.portability import erase_client
from coachkit.practice import Practice
from coachkit.practice_book import lab_url_opening_practice_book, render_practice_book
from tests.conftest import DEMO_TODAY


def test_the_page_lists_the_agenda_and_filters_it(demo_practice: Practice) -> None:
    page = PracticeHome(str(demo_practice.home), DEMO_TODAY)
    expected = build_agenda(demo_practice.store, today=DEMO_TODAY, days=14)
    assert page.filtered("", "", 14) == expected
    shown = agenda_html(page.filtered("", "", 14))
    for item in expected:
        assert item.text.replace("&", "&amp;") in shown
        assert f'href="{item.client_id}/' in shown, "links are relative to workbooks/, where the notebook is"
    jonas = page.filtered("jonas-becker", "", 14)
    assert jonas and {i.client_id for i in jonas} == {"jonas-becker"}
    assert [i.kind for i in page.filtered("", "follow-up", 14)] == ["follow-up"]
    assert all(i.on <= DEMO_TODAY for i in page.filtered("", "", 0))
    grid = month_html(page.items, 2026, 11, DEMO_TODAY)
    assert "November 2026" in grid and "Jonas: Next session" in grid and "class='today'" in grid


@pytest.mark.kernel
def test_the_rendered_notebook_holds_the_items(demo_practice: Practice) -> None:
    path = render_practice_book(demo_practice, today=DEMO_TODAY)
    assert path == demo_practice.home / "workbooks" / "00-practice.ipynb"
    nb = nbformat.read(path, as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    state = json.dumps(nb.metadata["widgets"], ensure_ascii=False)
    for item in build_agenda(demo_practice.store, today=DEMO_TODAY, days=14):
        assert json.dumps(item.text, ensure_ascii=False)[1:-1] in state
    assert "Coach only" not in state
    again = render_practice_book(demo_practice, today=DEMO_TODAY)
    assert again == path, "rendered afresh each time (it holds nothing typed in)"
    erase_client(demo_practice, "mei-tanaka")
    assert not path.exists(), "erasing a client takes the practice notebook, which names them, with it"
    assert lab_url_opening_practice_book("http://127.0.0.1:1/lab/tree/?token=t") == (
        "http://127.0.0.1:1/lab/tree/00-practice.ipynb?token=t"
    )


def test_the_template_is_thin_like_the_others() -> None:
    from coachkit.practice_book import PRACTICE_BOOK
    from coachkit.render import templates_dir
    from tests.notebooks.test_templates_lint import (
        test_code_cells_are_short_hidden_calls_without_outputs,
        test_one_parameters_cell_with_the_same_names,
    )

    path = templates_dir() / PRACTICE_BOOK
    test_one_parameters_cell_with_the_same_names(path)
    test_code_cells_are_short_hidden_calls_without_outputs(path)
