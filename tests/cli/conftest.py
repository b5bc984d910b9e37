"""Rendering signs notebooks into Jupyter's data folder: keep that inside the test run."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def _private_jupyter_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A temporary JUPYTER_DATA_DIR for the whole session (the notebook trust database lives there)."""
    before = os.environ.get("JUPYTER_DATA_DIR")
    os.environ["JUPYTER_DATA_DIR"] = str(tmp_path_factory.mktemp("jupyter-data"))
    yield
    if before is None:
        os.environ.pop("JUPYTER_DATA_DIR", None)
    else:
        os.environ["JUPYTER_DATA_DIR"] = before
