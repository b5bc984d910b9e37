"""`coachkit lab` without a client opens the practice notebook first: in headless Chromium,
JupyterLab shows the same items as `coachkit agenda`, each linked to its workbook."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coachkit.home.agenda import build_agenda
from coachkit.practice import Practice
from tests.conftest import DEMO_TODAY
from tests.servers import lab_environ, running_lab

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.kernel]
TOKEN = "coachkit-practice-lab-token-0123456789"


@pytest.fixture
def lab(demo_practice: Practice, tmp_path: Path) -> Iterator[str]:
    """`coachkit lab` on the demo practice; yields the link it printed."""
    log = tmp_path / "lab.log"
    with running_lab(demo_practice.home, token=TOKEN, environ=lab_environ(tmp_path), log=log):
        printed = re.search(r"Open: (\S+)", log.read_text())
        assert printed, log.read_text()
        yield printed.group(1)


def test_lab_opens_the_practice_notebook_with_the_agenda(lab: str, demo_practice: Practice, browser: Any) -> None:
    assert "/lab/tree/00-practice.ipynb?token=" in lab
    expected = build_agenda(demo_practice.store, today=DEMO_TODAY, days=14)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(180_000)
    try:
        page.goto(lab)
        page.wait_for_selector(".jp-NotebookPanel")
        rows = page.locator(".coachkit-agenda-item")
        rows.first.wait_for()
        assert rows.count() == len(expected)
        shown = [" ".join(rows.nth(i).inner_text().split()) for i in range(rows.count())]
        for item, line in zip(expected, shown, strict=True):
            assert item.on.isoformat() in line and " ".join(item.text.split()) in line
        links = page.locator(".coachkit-agenda-item a")
        hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
        assert hrefs == [i.workbook.removeprefix("workbooks/") for i in expected]
        page.get_by_text("November 2026").first.wait_for()
        assert page.get_by_text("Coach only").count() == 0
    finally:
        context.close()
