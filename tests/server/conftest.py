"""One real dashboard server for the server tests (plain HTTP, no browser)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import DEMO_TODAY, build_served_practice, running_server

from coachkit.server import RunningServer


@pytest.fixture(scope="module")
def served_home(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A practice for this module: the demo, ten synthetic clients and a tricky one."""
    home = tmp_path_factory.mktemp("served") / "practice"
    build_served_practice(demo_template, home, DEMO_TODAY)
    return home


@pytest.fixture(scope="module")
def server(served_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A warm server (one kernel per page) over :func:`served_home`."""
    with running_server(served_home, pool=1, log=tmp_path_factory.mktemp("log") / "server.log") as s:
        yield s
