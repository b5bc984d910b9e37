"""Voilà's page templates are compiled once per server process, and again only when changed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
from voila import notebook_renderer
from voila.paths import collect_template_paths

from coachkit.server import rendering
from coachkit.server.rendering import PageExporter

SHARE = Path(rendering.__file__).resolve().parent / "share"


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The name of every template Jinja compiles from source (the real compiler still runs)."""
    names: list[str] = []
    real = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: Any, name: str | None = None, *args: Any, **kw: Any) -> Any:
        names.append(str(name))
        return real(self, source, name, *args, **kw)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    monkeypatch.setattr(rendering, "_CACHES", {})
    yield names


def exporter(extra: Path, monkeypatch: pytest.MonkeyPatch) -> PageExporter:
    """A page exporter as Voilà makes one per render: coachkit's template, plus ``extra``."""
    monkeypatch.setenv("JUPYTER_PATH", str(SHARE))
    paths = collect_template_paths(["voila", "nbconvert"], "coachkit")
    return PageExporter(template_paths=[str(extra), *paths], template_name="coachkit")


def test_the_second_render_compiles_nothing_and_a_changed_template_is_compiled_again(
    tmp_path: Path, compiles: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    probe = tmp_path / "probe.j2"
    probe.write_text("Hello {{ name }}")

    first = exporter(tmp_path, monkeypatch)
    first.environment.get_template("index.html.j2")
    assert first.environment.get_template("probe.j2").render(name="Ana") == "Hello Ana"
    assert compiles == ["index.html.j2", "probe.j2"]

    compiles.clear()
    second = exporter(tmp_path, monkeypatch)  # the next visit (or the next warm kernel's render)
    assert second.environment is not first.environment  # Voilà's own environment per render, as before
    second.environment.get_template("index.html.j2")
    assert second.environment.get_template("probe.j2").render(name="Mei") == "Hello Mei"
    assert compiles == []  # nothing compiled again

    probe.write_text("Good day {{ name }}")  # a template changed on disk (an upgrade)
    third = exporter(tmp_path, monkeypatch)
    assert third.environment.get_template("probe.j2").render(name="Jonas") == "Good day Jonas"
    assert compiles == ["probe.j2"]  # only the changed one


def test_the_server_renders_its_pages_with_the_page_exporter(tmp_path: Path) -> None:
    from coachkit.server.app import build_voila

    original = notebook_renderer.VoilaExporter
    try:
        build_voila(tmp_path, "127.0.0.1", 0, 0)
        assert notebook_renderer.VoilaExporter is PageExporter
    finally:
        notebook_renderer.VoilaExporter = original
