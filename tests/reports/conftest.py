"""Fixtures of the report tests: the seeded practice (see ``canaries.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reports.canaries import seed


@pytest.fixture(scope="module")
def canary_home(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded practice folder (module-scoped: build it once per test module)."""
    return seed(demo_template, tmp_path_factory.mktemp("reports") / "practice")
