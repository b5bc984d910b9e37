"""Fixtures shared by every test tier: practices, store URLs, the browser, callback errors."""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from coachkit import demo
from coachkit.practice import Practice, init_practice
from coachkit.reports.pdf import CHROMIUM as PDF_CHROMIUM
from coachkit.reports.pdf import CHROMIUM_ARGS as PDF_CHROMIUM_ARGS
from coachkit.store import Store

DEMO_TODAY = date(2026, 11, 21)
CHROMIUM = os.environ.get("COACHKIT_CHROMIUM", PDF_CHROMIUM)
CHROMIUM_ARGS = list(PDF_CHROMIUM_ARGS)  # the flags coachkit's own PDF printing uses


@pytest.fixture(autouse=True)
def _no_ambient_practice(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see a developer's own practice or database."""
    monkeypatch.delenv("COACHKIT_HOME", raising=False)
    monkeypatch.delenv("COACHKIT_DB", raising=False)


@pytest.fixture
def practice(tmp_path: Path) -> Iterator[Practice]:
    """An empty practice on SQLite in a temporary folder."""
    with init_practice(tmp_path / "practice") as p:
        yield p


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo practice built once per test session (copy it before writing)."""
    home = tmp_path_factory.mktemp("demo-template") / "practice"
    with init_practice(home) as p:
        demo.build_demo(p, today=DEMO_TODAY)
        p.store.compact()
    return home


@pytest.fixture
def demo_practice(demo_template: Path, tmp_path: Path) -> Iterator[Practice]:
    """A private copy of the demo practice (Ana Ruiz, Jonas Becker, Mei Tanaka)."""
    home = tmp_path / "demo"
    shutil.copytree(demo_template, home)
    with init_practice(home) as p:
        yield p


def _pg_url() -> str | None:
    return os.environ.get("COACHKIT_TEST_PG") or None


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: SQLite always, PostgreSQL when COACHKIT_TEST_PG names a server
    (each test gets its own schema there, dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    base = _pg_url()
    if base is None:
        pytest.skip("COACHKIT_TEST_PG is not set (scripts/test sets it where PostgreSQL can run)")
    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An open store on each backend of :func:`store_url`."""
    with Store(store_url) as s:
        yield s


@pytest.fixture(autouse=True)
def _fail_on_callback_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """A form callback that failed (logged by coachkit.forms, or swallowed by ipywidgets) fails
    the test."""
    caplog.set_level(logging.WARNING)
    yield
    bad = [
        r
        for r in caplog.get_records("call")
        if (r.name.startswith("coachkit.forms") and r.levelno >= logging.ERROR)
        or "Exception in callback" in r.getMessage()
    ]
    if bad:
        pytest.fail("a widget callback failed: " + "; ".join(r.getMessage() for r in bad))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright. Missing Chromium fails, it never skips."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install chromium` (scripts/test does it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
